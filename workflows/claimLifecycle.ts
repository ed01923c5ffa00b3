// One claim's revenue cycle, from coding to close, as one durable workflow that lives for months.
// The database is the read model; this workflow decides where the claim is and what happens next.
import {
  ActivityFailure,
  allHandlersFinished,
  ApplicationFailure,
  condition,
  continueAsNew,
  log,
  patched,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import type { ClaimActivities, EligibilityCheckResult } from './activities';
import type { StatusAnswer } from '../domain/clearinghouse';
import { routeDenial } from '../domain/denials';
import { escalatedPriority, taskPriority } from '../domain/priority';
import {
  acknowledgementSignal,
  appealDecisionSignal,
  claimStatusQuery,
  completeTaskUpdate,
  remittanceSignal,
  voidClaimUpdate,
  ClaimPayerKey,
  ClaimStateEnteredAtKey,
  ClaimStateKey,
  DEFAULT_LIFECYCLE_OPTIONS,
  DEFAULT_TASK_SLA_DAYS,
  FINAL_STATES,
  TASK_KINDS,
  type ClaimLifecycleInput,
  type ClaimRunMemory,
  type ClaimState,
  type ClaimStatusView,
  type CompletedTask,
  type CompleteTaskRequest,
  type LifecycleOptions,
  type OpenTaskView,
  type TaskKind,
  whyRefused,
  WRITE_OFF_ROLES,
} from './contract';

// Our own database: retried until it answers; a validation failure is thrown non-retryable by the activity.
const db = proxyActivities<ClaimActivities>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1m' },
});
// The clearinghouse: idempotency keys make every retry safe, so retry for as long as it takes.
const outside = proxyActivities<ClaimActivities>({
  startToCloseTimeout: '45s',
  retry: { initialInterval: '2s', backoffCoefficient: 2, maximumInterval: '5m', nonRetryableErrorTypes: ['ClearinghouseRejectedRequest'] },
});

type Step =
  | 'coding'
  | 'scrub'
  | 'submit'
  | 'awaitAck'
  | 'rejected'
  | 'adjudication'
  | 'remit'
  | 'denial'
  | 'appeal'
  | 'awaitAppealDecision'
  | 'writeOff'
  | 'void'
  | 'close'
  | 'done';

type Completed = CompletedTask;

/** Since this patch, a write-off chosen by anyone but a biller or supervisor waits for a supervisor's approval. */
const WRITE_OFF_BY_BILLER_PATCH = 'write-off-needs-biller-or-supervisor';
/** An 835 allowing less than the contracted fee schedule opens an UNDERPAYMENT review (docs/fee-schedules.md). */
const UNDERPAYMENT_REVIEW_PATCH = 'underpayment-review';

/** Since this patch, a claim's coverage is checked (270/271, or the check on file) before each submission. */
const ELIGIBILITY_PATCH = 'eligibility-before-submission';
/** Since this patch, the follow-up acts on the 277's status instead of opening a biller task for every answer. */
const FOLLOW_UP_277_PATCH = 'follow-up-acts-on-277';

/** Thrown out of any wait when a void was accepted: the main loop turns it into the void step. */
class VoidRequested extends Error {}

export async function claimLifecycle(input: ClaimLifecycleInput): Promise<ClaimStatusView> {
  // Started by someone without claimflow's payload key: there is no claim to run.
  const refused = whyRefused(input);
  if (refused) throw ApplicationFailure.nonRetryable(refused, 'PayloadRefused');
  const opts: LifecycleOptions = { ...DEFAULT_LIFECYCLE_OPTIONS, ...input.options };
  const days = (n: number) => n * opts.dayMs;
  const { claimId, payer } = input;
  const workflowId = workflowInfo().workflowId;
  const dosMs = Date.parse(`${input.dateOfService}T00:00:00Z`);

  const mem: ClaimRunMemory = {
    state: 'CODING',
    stateEnteredAt: new Date().toISOString(),
    history: [],
    openTasks: [],
    attempt: 0,
    frequencyCode: '1',
    followUps: 0,
    appealLevel: 0,
    balanceCents: input.totalChargeCents,
    patientRespCents: 0,
    postedPaymentIds: [],
    next: 'coding',
    denialCarcs: [],
    runs: 1,
    timelyFilingWarned: false,
    acks: [],
    remittances: [],
    decisions: [],
    completed: {},
    seenMessages: [],
    escalations: {},
    ...input.resume,
  };
  if (input.resume) mem.runs = input.resume.runs + 1;
  // The filing limit counts calendar days from the date of service. What is left of it when the claim
  // starts runs on the lifecycle's clock, so a compressed day (the demo) shortens the rest, not the past.
  mem.timelyFilingDeadlineMs ??= Date.now() + days(payer.timelyFilingDays - (Date.now() - dosMs) / 86_400_000);
  const timelyFilingDeadline = mem.timelyFilingDeadlineMs;

  // ---- queries, signals, updates ------------------------------------------------------------

  const view = (): ClaimStatusView => ({
    claimId,
    state: mem.state,
    stateEnteredAt: mem.stateEnteredAt,
    openTasks: mem.openTasks,
    balanceCents: mem.balanceCents,
    patientRespCents: mem.patientRespCents,
    attempt: mem.attempt,
    frequencyCode: mem.frequencyCode,
    followUps: mem.followUps,
    appealLevel: mem.appealLevel,
    history: mem.history,
    runs: mem.runs,
  });
  setHandler(claimStatusQuery, view);

  // Signals are recorded even if they arrive twice (an at-least-once sender): dedupe by message id.
  const firstTime = (id: string) => {
    if (mem.seenMessages.includes(id)) return false;
    mem.seenMessages.push(id);
    return true;
  };
  // A signal the codec refused (sent without claimflow's key) is dropped: it stays in the history, so throwing
  // here would fail every replay of this claim.
  const admitted = (signal: string, input: unknown): boolean => {
    const why = whyRefused(input);
    if (why) log.warn('signal refused', { signal, why });
    return why === undefined;
  };
  setHandler(acknowledgementSignal, (ack) => {
    if (admitted('acknowledgement', ack) && firstTime(`ack:${ack.ackId}`)) mem.acks.push(ack);
  });
  setHandler(remittanceSignal, (r) => {
    if (admitted('remittance', r) && firstTime(`pay:${r.claimPaymentId}`) && !mem.postedPaymentIds.includes(r.claimPaymentId))
      mem.remittances.push(r);
  });
  setHandler(appealDecisionSignal, (d) => {
    if (admitted('appealDecision', d) && firstTime(`appeal:${d.decisionId}`)) mem.decisions.push(d);
  });

  setHandler(
    completeTaskUpdate,
    async (req) => {
      const task = mem.openTasks.find((t) => t.taskId === req.taskId)!;
      // Take it off the open list before the first await so a second completion is refused by the validator.
      mem.openTasks = mem.openTasks.filter((t) => t.taskId !== req.taskId);
      // A supervisor's acknowledgement decides nothing in the process: no step waits for it.
      if (task.kind !== 'OVERDUE_TASK' && task.kind !== 'TIMELY_FILING_RISK') {
        mem.completed[req.taskId] = { kind: task.kind, outcome: req.outcome, userId: req.userId };
      }
      // Who asked for a write-off decides whether it needs a supervisor (the writeOff step).
      if (req.outcome.action === 'WRITE_OFF') mem.writeOffRequest = { userId: req.userId, ...(req.role ? { role: req.role } : {}) };
      await db.closeTask({ taskId: req.taskId, status: 'DONE', userId: req.userId, outcome: req.outcome });
      // An escalation about this task is moot once the task itself is done.
      const escalation = mem.escalations[req.taskId];
      if (escalation && mem.openTasks.some((t) => t.taskId === escalation)) {
        mem.openTasks = mem.openTasks.filter((t) => t.taskId !== escalation);
        await db.closeTask({ taskId: escalation, status: 'CANCELLED' });
      }
      return { taskId: req.taskId, action: req.outcome.action, state: mem.state };
    },
    { validator: (req) => validateCompletion(req) },
  );

  setHandler(
    voidClaimUpdate,
    async (req) => {
      mem.voidReason = req.reason;
      // Answer once the void has happened (open tasks cancelled, a frequency-8 claim sent if the payer had
      // the claim), so the caller sees VOIDED rather than the state it interrupted.
      await condition(() => FINAL_STATES.includes(mem.state));
      return { state: mem.state };
    },
    {
      validator: (req) => {
        const refused = whyRefused(req);
        if (refused) throw new Error(refused);
        if (!req.reason?.trim()) throw new Error('a void needs a reason');
        if (mem.state === 'VOIDED') throw new Error('the claim is already voided');
        if (mem.voidReason !== undefined) throw new Error('a void is already under way');
        if (FINAL_STATES.includes(mem.state) || mem.state === 'WRITTEN_OFF') throw new Error(`a ${mem.state} claim cannot be voided`);
        if (mem.postedPaymentIds.length > 0) throw new Error('a claim with posted payments cannot be voided: post a correction instead');
      },
    },
  );

  function validateCompletion(req: CompleteTaskRequest): void {
    const refused = whyRefused(req);
    if (refused) throw new Error(refused);
    if (typeof req.taskId !== 'string') throw new Error('taskId is required');
    if (mem.completed[req.taskId]) throw new Error(`task ${req.taskId} was already completed`);
    const task = mem.openTasks.find((t) => t.taskId === req.taskId);
    if (!task) throw new Error(`task ${req.taskId} is not open on claim ${claimId}`);
    const outcome = req.outcome;
    const allowed: readonly string[] = TASK_KINDS[task.kind].actions;
    if (!outcome || !allowed.includes(outcome.action))
      throw new Error(`a ${task.kind} task takes one of ${allowed.join(', ')}; got ${outcome?.action ?? 'nothing'}`);
    if (!req.userId) throw new Error('userId is required');
    const icd = /^[A-TV-Z][0-9][0-9A-Z](\.?[0-9A-Z]{1,4})?$/;
    if (outcome.diagnoses !== undefined) {
      if (!Array.isArray(outcome.diagnoses) || outcome.diagnoses.length === 0 || outcome.diagnoses.length > 12)
        throw new Error('diagnoses must list 1 to 12 ICD-10-CM codes');
      const bad = outcome.diagnoses.find((d) => typeof d !== 'string' || !icd.test(d));
      if (bad !== undefined) throw new Error(`diagnosis ${String(bad)} is not an ICD-10-CM code`);
    }
    if (outcome.lines !== undefined) {
      if (!Array.isArray(outcome.lines) || outcome.lines.length === 0) throw new Error('lines must not be empty');
      const diagCount = outcome.diagnoses?.length ?? 12;
      outcome.lines.forEach((l, i) => {
        if (!Number.isInteger(l.chargeCents) || l.chargeCents < 0) throw new Error(`lines[${i}].chargeCents must be whole cents`);
        if (!Number.isInteger(l.units) || l.units < 1) throw new Error(`lines[${i}].units must be at least 1`);
        if (!l.diagnosisPointers?.length || l.diagnosisPointers.length > 4 || l.diagnosisPointers.some((p) => p < 1 || p > diagCount))
          throw new Error(`lines[${i}].diagnosisPointers must point at 1 to 4 of the claim's diagnoses`);
      });
    }
    if (outcome.action === 'CONFIRM_CODES' && !outcome.diagnoses?.length) throw new Error('confirming codes needs the diagnoses');
    if (outcome.action === 'CORRECTED_CLAIM' && !outcome.diagnoses && !outcome.lines)
      throw new Error('a corrected claim needs the corrected diagnoses or lines');
    if (outcome.action === 'APPEAL' && mem.appealLevel >= payer.appealLevels)
      throw new Error(`all ${payer.appealLevels} appeal levels of this payer are used up`);
    if (outcome.action === 'APPEAL' && mem.deniedAt !== undefined && Date.now() > mem.deniedAt + days(payer.appealWindowDays))
      throw new Error('the appeal window has closed');
    if ((outcome.action === 'REFUSE' || outcome.action === 'WRITE_OFF') && !outcome.note?.trim())
      throw new Error(`${outcome.action} needs a note saying why`);
  }

  // ---- helpers ----------------------------------------------------------------------------------

  async function setState(to: ClaimState, reason: string): Promise<void> {
    if (mem.state === to && mem.history.length > 0) return;
    const from = mem.history.length ? mem.state : null;
    const at = new Date().toISOString();
    mem.state = to;
    mem.stateEnteredAt = at;
    mem.history.push({ state: to, at, reason });
    upsertSearchAttributes([
      { key: ClaimStateKey, value: to },
      { key: ClaimStateEnteredAtKey, value: new Date(at) },
      { key: ClaimPayerKey, value: payer.payerId },
    ]);
    await db.recordTransition({ claimId, from, to, at, reason });
  }

  async function openTask(kind: TaskKind, context: Record<string, unknown>, opts2: { deadlineMs?: number; escalatedFromId?: string } = {}) {
    const now = Date.now();
    const sla = now + days(opts.taskSlaDays[kind] ?? DEFAULT_TASK_SLA_DAYS[kind]);
    const dueMs = opts2.deadlineMs !== undefined ? Math.min(sla, opts2.deadlineMs) : sla;
    const deadlineMs = opts2.deadlineMs ?? (mem.acceptedOnce ? undefined : timelyFilingDeadline);
    const task: OpenTaskView = {
      taskId: uuid4(),
      kind,
      queue: TASK_KINDS[kind].queue,
      dueAt: new Date(dueMs).toISOString(),
      escalated: false,
    };
    const priority = taskPriority({
      kind,
      amountCents: mem.balanceCents,
      deadlineInDays: deadlineMs === undefined ? undefined : Math.floor((deadlineMs - now) / opts.dayMs),
    });
    mem.openTasks.push(task);
    await db.openTask({
      taskId: task.taskId,
      claimId,
      workflowId,
      kind,
      queue: task.queue,
      priority,
      dueAt: task.dueAt,
      context: { ...context, state: mem.state, balanceCents: mem.balanceCents },
      escalatedFromId: opts2.escalatedFromId,
    });
    return task;
  }

  async function cancelTask(taskId: string): Promise<void> {
    if (!mem.openTasks.some((t) => t.taskId === taskId)) return;
    mem.openTasks = mem.openTasks.filter((t) => t.taskId !== taskId);
    await db.closeTask({ taskId, status: 'CANCELLED' });
  }

  /** The open task of this kind (after continue-as-new the same one goes on), or a new one. */
  async function ensureTask(kind: TaskKind, context: Record<string, unknown>, o: { deadlineMs?: number } = {}) {
    return mem.openTasks.find((t) => t.kind === kind) ?? (await openTask(kind, context, o));
  }

  function takeOutcome(taskId: string): Completed | undefined {
    const c = mem.completed[taskId];
    if (c) delete mem.completed[taskId];
    return c;
  }

  /** Work that comes due while the claim waits for anything: overdue tasks and the timely-filing warning. */
  async function handleDueWork(now: number): Promise<void> {
    for (const t of [...mem.openTasks]) {
      if (t.escalated || TASK_KINDS[t.kind].queue === 'SUPERVISOR' || Date.parse(t.dueAt) > now) continue;
      t.escalated = true;
      await db.raiseTaskPriority({
        taskId: t.taskId,
        priority: escalatedPriority(taskPriority({ kind: t.kind, amountCents: mem.balanceCents })),
      });
      const sup = await openTask(
        'OVERDUE_TASK',
        { overdueTaskId: t.taskId, overdueKind: t.kind, dueAt: t.dueAt },
        { escalatedFromId: t.taskId },
      );
      mem.escalations[t.taskId] = sup.taskId;
    }
    if (!mem.acceptedOnce && !mem.timelyFilingWarned && now >= timelyFilingDeadline - days(opts.timelyFilingWarningDays)) {
      mem.timelyFilingWarned = true;
      await openTask(
        'TIMELY_FILING_RISK',
        { timelyFilingDeadline: new Date(timelyFilingDeadline).toISOString().slice(0, 10) },
        { deadlineMs: timelyFilingDeadline },
      );
    }
  }

  function nextDueWork(): number | undefined {
    const times = mem.openTasks.filter((t) => !t.escalated && TASK_KINDS[t.kind].queue !== 'SUPERVISOR').map((t) => Date.parse(t.dueAt));
    if (!mem.acceptedOnce && !mem.timelyFilingWarned) times.push(timelyFilingDeadline - days(opts.timelyFilingWarningDays));
    return times.length ? Math.min(...times) : undefined;
  }

  /**
   * Wait until `ready()` or the deadline, escalating overdue work meanwhile. Long waits are where
   * history grows, so this is also where the run continues as new.
   */
  async function waitFor(ready: () => boolean, untilMs?: number): Promise<boolean> {
    for (;;) {
      if (mem.voidReason !== undefined) throw new VoidRequested();
      if (ready()) return true;
      const now = Date.now();
      if (untilMs !== undefined && now >= untilMs) return false;
      await handleDueWork(now);
      if (ready()) return true;
      await maybeContinueAsNew();
      const wakeAt = [untilMs, nextDueWork()].filter((t): t is number => t !== undefined);
      const stop = () => ready() || mem.voidReason !== undefined;
      if (wakeAt.length === 0) await condition(stop);
      else await condition(stop, Math.max(1, Math.min(...wakeAt) - Date.now()));
    }
  }

  async function maybeContinueAsNew(): Promise<void> {
    const info = workflowInfo();
    if (!info.continueAsNewSuggested && info.historyLength < opts.continueAsNewAfterEvents) return;
    await condition(allHandlersFinished);
    // Everything the next run needs lives in mem, including signals and outcomes not yet acted on.
    await continueAsNew<typeof claimLifecycle>({ ...input, resume: mem });
  }

  /** Wait for a person to finish one task (with SLA escalation), and hand back what they decided. */
  async function awaitTask(kind: TaskKind, context: Record<string, unknown>, o: { deadlineMs?: number } = {}): Promise<Completed> {
    const task = await ensureTask(kind, context, o);
    await waitFor(() => mem.completed[task.taskId] !== undefined);
    return takeOutcome(task.taskId)!;
  }

  /**
   * A review that a payment can overtake: a later 835 for this claim (the rest of a split payment, a reprocessed
   * claim) arriving while a person decides about the old balance is posted first, and the review, now about a
   * balance that no longer exists, is withdrawn with its escalation. Histories recorded before this existed
   * replay without the marker and keep waiting for the task alone.
   */
  async function awaitReviewUnlessPaid(
    kind: TaskKind,
    context: Record<string, unknown>,
    o: { deadlineMs?: number } = {},
  ): Promise<Completed | 'remittance'> {
    const task = await ensureTask(kind, context, o);
    const overtakable = patched('remittance-overtakes-review');
    await waitFor(() => mem.completed[task.taskId] !== undefined || (overtakable && mem.remittances.length > 0));
    if (mem.completed[task.taskId] !== undefined) return takeOutcome(task.taskId)!;
    await cancelTask(task.taskId);
    const escalation = mem.escalations[task.taskId];
    if (escalation) await cancelTask(escalation);
    mem.history.push({ state: mem.state, at: new Date().toISOString(), reason: `${kind} withdrawn: a remittance arrived` });
    return 'remittance';
  }

  /**
   * Is the patient covered on the date of service? Active goes on to the submission. A payer that cannot answer now is
   * asked again after each of opts.eligibilityRetryDays; inactive, refused, or still no answer opens an ELIGIBILITY
   * task, and a biller's "coverage fixed" or "re-check" asks the payer again (never the check on file). Answers the
   * step to go to instead of submitting, or undefined to submit.
   */
  async function checkEligibilityBeforeSubmission(): Promise<Step | undefined> {
    let force = false;
    let retries = 0;
    for (;;) {
      let r: EligibilityCheckResult;
      try {
        r = await outside.checkEligibility({ claimId, force });
      } catch (err) {
        // A 270 that cannot be written or is refused by the clearinghouse: the biller sees why, the claim lives on.
        if (!(err instanceof ActivityFailure)) throw err;
        r = {
          checkId: '',
          status: 'rejected',
          reasons: [`the eligibility inquiry could not be made: ${err.cause?.message ?? err.message}`],
          cached: false,
          checkedAt: new Date().toISOString(),
        };
      }
      // Active goes on without a history entry: the check itself is on the claim page (EligibilityCheck).
      if (r.status === 'active') return undefined;
      const askAgain = r.status === 'rejected' && (r.advice === 'resend' || r.advice === 'resend-later');
      if (askAgain && retries < opts.eligibilityRetryDays.length) {
        await waitFor(() => false, Date.now() + days(opts.eligibilityRetryDays[retries]));
        retries += 1;
        continue;
      }
      const done = await awaitTask('ELIGIBILITY', {
        checkId: r.checkId,
        status: r.status,
        reasons: r.reasons,
        ...(r.advice ? { advice: r.advice } : {}),
        checkedAt: r.checkedAt,
        ...(retries > 0 ? { askedTimes: retries + 1 } : {}),
      });
      if (done.outcome.action === 'VOID') {
        mem.voidReason = done.outcome.note ?? 'voided: no eligible coverage';
        return 'void';
      }
      force = true;
      retries = 0;
    }
  }

  /**
   * What a 277 asks of the follow-up: pending waits for the next interval; finalized waits a while for the 835, then
   * asks a biller; a denial without its 835 yet goes down the denial path; rejected, information requested, not
   * found or anything unclear goes to a biller with the payer's words. Answers a step to leave for, or undefined.
   */
  async function actOnStatus(status: StatusAnswer): Promise<Step | undefined> {
    const kind = status.followUp?.kind ?? 'unknown';
    const words = status.followUp ? `${status.followUp.says}: ${status.followUp.action}` : status.message;
    // Waiting adds nothing to the history: each answer is in the audit log (claim.status-checked).
    if (kind === 'pending' || kind === 'acknowledged' || kind === 'retry-later') return undefined;
    if ((kind === 'finalized-paid' || kind === 'finalized') && !mem.finalizedStatusSeen) {
      mem.finalizedStatusSeen = true;
      mem.nextFollowUpAt = Date.now() + days(opts.remittanceAfterFinalizedDays);
      return undefined;
    }
    if (kind === 'finalized-denied') {
      for (const t of mem.openTasks.filter((x) => x.kind === 'FOLLOW_UP')) await cancelTask(t.taskId);
      mem.denialCarcs = [];
      mem.deniedAt = Date.now();
      mem.nextFollowUpAt = undefined;
      await setState('DENIED', `the payer's status answer: ${words}; the remittance has not come yet`);
      return 'denial';
    }
    if (!mem.openTasks.some((t) => t.kind === 'FOLLOW_UP')) {
      await openTask('FOLLOW_UP', {
        followUp: mem.followUps,
        status,
        says: status.followUp?.says ?? status.message,
        action: status.followUp?.action,
      });
    }
    return undefined;
  }

  async function applyCodes(c: Completed): Promise<void> {
    if (!c.outcome.diagnoses && !c.outcome.lines) return;
    const { totalChargeCents } = await db.applyCoding({
      claimId,
      userId: c.userId,
      diagnoses: c.outcome.diagnoses,
      lines: c.outcome.lines,
    });
    if (mem.postedPaymentIds.length === 0) mem.balanceCents = totalChargeCents;
  }

  const today = () => new Date(Date.now()).toISOString().slice(0, 10);

  // ---- the steps --------------------------------------------------------------------------------

  const steps: Record<Step, () => Promise<Step>> = {
    async coding() {
      await setState('CODING', 'encounter received');
      const { suggestions } = await db.suggestCodes({ claimId });
      const done = await awaitTask('CODE_REVIEW', { suggestions });
      await applyCodes(done);
      return 'scrub';
    },

    async scrub() {
      await setState('SCRUBBING', mem.attempt ? 'claim corrected' : 'codes confirmed');
      const result = await db.scrubClaim({ claimId, asOf: today() });
      if (result.passed) {
        await setState('READY', `${result.editsRun.length} edits passed`);
        return 'submit';
      }
      const errors = result.failures.filter((f) => f.severity === 'ERROR');
      const kind: TaskKind = errors.some((f) => f.route === 'CODER') ? 'SCRUB_FIX_CODING' : 'SCRUB_FIX_BILLING';
      const done = await awaitTask(kind, { failures: result.failures, editsRun: result.editsRun, editsSkipped: result.editsSkipped ?? [] });
      if (done.outcome.action === 'VOID') {
        mem.voidReason = done.outcome.note ?? 'voided at scrubbing';
        return 'void';
      }
      await applyCodes(done);
      return 'scrub';
    },

    async submit() {
      if (mem.frequencyCode !== '8' && patched(ELIGIBILITY_PATCH)) {
        const instead = await checkEligibilityBeforeSubmission();
        if (instead) return instead;
      }
      mem.attempt += 1;
      const r = await outside.submitClaim({
        claimId,
        attempt: mem.attempt,
        frequencyCode: mem.frequencyCode,
        payerClaimControlNo: mem.payerClaimControlNo,
      });
      await setState('SUBMITTED', `attempt ${mem.attempt}, frequency ${mem.frequencyCode}, ICN ${r.interchangeControlNumber}`);
      return 'awaitAck';
    },

    async awaitAck() {
      const attempt = mem.attempt;
      const ackFor = () => mem.acks.find((a) => a.attempt === attempt);
      let ack = (await waitFor(() => !!ackFor(), Date.now() + days(opts.acknowledgementWaitDays))) ? ackFor() : undefined;
      if (!ack) {
        // No 999/277CA in time: ask the payer rather than guess.
        const status = await outside.checkClaimStatus({ claimId, inquiry: attempt * 1000 });
        if (status.category === 'NOT_FOUND') return 'submit';
        ack = {
          ackId: `status-${attempt}`,
          attempt,
          accepted: status.category !== 'REJECTED',
          reason: status.message,
          rejectionCode: status.statusCode,
        };
      }
      mem.acks = mem.acks.filter((a) => a.attempt > attempt);
      if (!ack.accepted) {
        await setState('REJECTED', `${ack.rejectionCode ?? 'rejected'}: ${ack.reason ?? 'no reason given'}`);
        return 'rejected';
      }
      if (ack.payerClaimControlNo) mem.payerClaimControlNo = ack.payerClaimControlNo;
      mem.acceptedOnce = true;
      await setState('ACKNOWLEDGED', `accepted by the payer${ack.payerClaimControlNo ? ` as ${ack.payerClaimControlNo}` : ''}`);
      mem.followUps = 0;
      mem.nextFollowUpAt = undefined;
      mem.finalizedStatusSeen = undefined;
      return 'adjudication';
    },

    async rejected() {
      const last = mem.history[mem.history.length - 1];
      const done = await awaitTask('FIX_REJECTION', { reason: last?.reason, attempt: mem.attempt });
      if (done.outcome.action === 'VOID') {
        mem.voidReason = done.outcome.note ?? 'voided after rejection';
        return 'void';
      }
      await applyCodes(done);
      return 'scrub';
    },

    async adjudication() {
      await setState('AWAITING_ADJUDICATION', 'waiting for the payer');
      for (;;) {
        mem.nextFollowUpAt ??= Date.now() + days(payer.followUpIntervalDays);
        const followUpTask = mem.openTasks.find((t) => t.kind === 'FOLLOW_UP' || t.kind === 'FOLLOW_UP_ESCALATION');
        const decided = () => (followUpTask ? mem.completed[followUpTask.taskId] !== undefined : false);
        const escalationOpen = mem.openTasks.some((t) => t.kind === 'FOLLOW_UP_ESCALATION');
        const arrived = await waitFor(() => mem.remittances.length > 0 || decided(), escalationOpen ? undefined : mem.nextFollowUpAt);
        if (mem.remittances.length > 0) {
          for (const t of mem.openTasks.filter((x) => x.kind === 'FOLLOW_UP' || x.kind === 'FOLLOW_UP_ESCALATION'))
            await cancelTask(t.taskId);
          mem.nextFollowUpAt = undefined;
          return 'remit';
        }
        if (arrived && followUpTask) {
          const c = takeOutcome(followUpTask.taskId)!;
          if (c.outcome.action === 'RESUBMIT') {
            mem.nextFollowUpAt = undefined;
            return 'submit';
          }
          if (c.outcome.action === 'WRITE_OFF') return 'writeOff';
          if (followUpTask.kind === 'FOLLOW_UP_ESCALATION') {
            // The supervisor chose to keep waiting: a fresh round of follow-ups starts.
            mem.followUps = 0;
            mem.nextFollowUpAt = Date.now() + days(payer.followUpIntervalDays);
          }
          continue;
        }
        // The payer has been silent for another interval.
        mem.followUps += 1;
        mem.nextFollowUpAt = Date.now() + days(payer.followUpIntervalDays);
        if (mem.followUps > payer.maxFollowUps) {
          const open = mem.openTasks.find((t) => t.kind === 'FOLLOW_UP');
          if (open) await cancelTask(open.taskId);
          await openTask('FOLLOW_UP_ESCALATION', {
            followUps: mem.followUps - 1,
            reason: `no remittance after ${payer.maxFollowUps} follow-ups`,
          });
          continue;
        }
        const status: StatusAnswer = await outside.checkClaimStatus({ claimId, inquiry: mem.attempt * 1000 + mem.followUps });
        if (patched(FOLLOW_UP_277_PATCH) && status.followUp) {
          const next = await actOnStatus(status);
          if (next) return next;
          continue;
        }
        if (!mem.openTasks.some((t) => t.kind === 'FOLLOW_UP')) {
          await openTask('FOLLOW_UP', { followUp: mem.followUps, status });
        }
      }
    },

    async remit() {
      const r = mem.remittances.shift()!;
      if (mem.postedPaymentIds.includes(r.claimPaymentId)) return mem.remittances.length ? 'remit' : 'adjudication';
      if (r.statusCode === '22') {
        const posted = await db.postPayment({ claimPaymentId: r.claimPaymentId });
        mem.postedPaymentIds.push(r.claimPaymentId);
        mem.balanceCents = posted.balanceCents;
        mem.patientRespCents += r.patientRespCents;
        mem.history.push({ state: mem.state, at: new Date().toISOString(), reason: 'payer reversed a payment' });
        return mem.remittances.length ? 'remit' : 'adjudication';
      }
      // Paid as primary with nothing paid (all deductible) is adjudicated, not denied: the patient owes it.
      if (r.statusCode === '4') {
        mem.denialCarcs = r.carcs;
        mem.deniedAt = Date.now();
        await db.postPayment({ claimPaymentId: r.claimPaymentId });
        mem.postedPaymentIds.push(r.claimPaymentId);
        await setState('DENIED', `denied: CARC ${r.carcs.join(', ') || 'none given'}`);
        return 'denial';
      }
      await setState(
        r.patientRespCents > 0 ? 'PARTIALLY_PAID' : 'PAID',
        `paid ${r.paidCents} of ${r.chargeCents} cents; patient owes ${r.patientRespCents}`,
      );
      const posted = await db.postPayment({ claimPaymentId: r.claimPaymentId });
      mem.postedPaymentIds.push(r.claimPaymentId);
      mem.balanceCents = posted.balanceCents;
      mem.patientRespCents += r.patientRespCents;
      if (r.patientRespCents > 0) await db.producePatientStatement({ claimId, claimPaymentId: r.claimPaymentId });
      await setState('POSTED', `posted; insurance balance ${posted.balanceCents} cents`);
      if (mem.remittances.length) return 'remit';
      // Allowed below the contracted fee schedule: a biller appeals the difference or accepts it before the claim
      // goes on. Histories recorded before this existed replay without the marker and go straight on.
      if (posted.underpayment && patched(UNDERPAYMENT_REVIEW_PATCH)) {
        const u = posted.underpayment;
        const carcs = [...new Set(u.lines.flatMap((l) => l.carcs))];
        const done = await awaitReviewUnlessPaid('UNDERPAYMENT', {
          expectedCents: u.expectedCents,
          allowedCents: u.allowedCents,
          differenceCents: u.differenceCents,
          lines: u.lines,
          uncheckedLineNos: u.uncheckedLineNos,
          carcs,
        });
        if (done === 'remittance') return 'remit';
        if (done.outcome.action === 'APPEAL') {
          mem.denialCarcs = carcs.map((c) => c.replace(/^[A-Z]{2}-/, ''));
          mem.deniedAt = Date.now();
          return 'appeal';
        }
      }
      if (posted.balanceCents === 0) return 'close';
      // Underpaid: a biller decides whether to appeal the rest or write it off.
      mem.denialCarcs = r.carcs;
      mem.deniedAt = Date.now();
      return 'denial';
    },

    async denial() {
      const route = routeDenial(mem.denialCarcs);
      const deadlineMs = (mem.deniedAt ?? Date.now()) + days(payer.appealWindowDays);
      const kind: TaskKind = route.queue === 'CODER' ? 'CHART_AUDIT' : 'DENIAL_REVIEW';
      const done = await awaitReviewUnlessPaid(
        kind,
        {
          carcs: mem.denialCarcs,
          category: route.category,
          appealDeadline: new Date(deadlineMs).toISOString().slice(0, 10),
          appealLevel: mem.appealLevel,
        },
        { deadlineMs },
      );
      if (done === 'remittance') return 'remit';
      switch (done.outcome.action) {
        case 'CORRECTED_CLAIM':
          await applyCodes(done);
          mem.frequencyCode = '7';
          return 'scrub';
        case 'APPEAL':
          return 'appeal';
        default:
          return 'writeOff';
      }
    },

    async appeal() {
      mem.appealLevel += 1;
      const deadline = new Date((mem.deniedAt ?? Date.now()) + days(payer.appealWindowDays)).toISOString().slice(0, 10);
      await outside.fileAppeal({
        claimId,
        level: mem.appealLevel,
        deadline,
        carcs: mem.denialCarcs,
        payerClaimControlNo: mem.payerClaimControlNo,
      });
      await setState('APPEALED', `appeal level ${mem.appealLevel} filed`);
      return 'awaitAppealDecision';
    },

    async awaitAppealDecision() {
      const level = mem.appealLevel;
      const decisionFor = () => mem.decisions.find((d) => d.level === level);
      // A payer may answer an appeal by simply paying: the 835 is the decision.
      const paidInstead = patched('remittance-overtakes-review');
      for (;;) {
        const overdue = mem.openTasks.find((t) => t.kind === 'APPEAL_DECISION_OVERDUE');
        const got = await waitFor(
          () =>
            !!decisionFor() ||
            (overdue !== undefined && mem.completed[overdue.taskId] !== undefined) ||
            (paidInstead && mem.remittances.length > 0),
          overdue ? undefined : Date.parse(mem.stateEnteredAt) + days(opts.appealDecisionWaitDays),
        );
        if (paidInstead && mem.remittances.length > 0 && !decisionFor()) {
          if (overdue) await cancelTask(overdue.taskId);
          mem.history.push({ state: 'APPEALED', at: new Date().toISOString(), reason: `appeal level ${level} answered by a remittance` });
          return 'remit';
        }
        const decision = decisionFor();
        if (decision) {
          if (overdue) await cancelTask(overdue.taskId);
          mem.decisions = mem.decisions.filter((d) => d.level !== level);
          if (decision.decision === 'OVERTURNED') {
            mem.followUps = 0;
            mem.nextFollowUpAt = undefined;
            mem.history.push({ state: 'APPEALED', at: new Date().toISOString(), reason: `appeal level ${level} overturned` });
            return 'adjudication';
          }
          mem.history.push({ state: 'APPEALED', at: new Date().toISOString(), reason: `appeal level ${level} upheld` });
          const appealDeadlineMs = (mem.deniedAt ?? Date.now()) + days(payer.appealWindowDays);
          const done = await awaitReviewUnlessPaid('APPEAL_UPHELD_REVIEW', {
            level,
            levelsLeft: payer.appealLevels - level,
            carcs: mem.denialCarcs,
            appealDeadline: new Date(appealDeadlineMs).toISOString().slice(0, 10),
            appealWindowOpen: Date.now() < appealDeadlineMs,
          });
          if (done === 'remittance') return 'remit';
          return done.outcome.action === 'APPEAL' ? 'appeal' : 'writeOff';
        }
        if (got && overdue) {
          const c = takeOutcome(overdue.taskId)!;
          if (c.outcome.action === 'WRITE_OFF') return 'writeOff';
          continue; // keep waiting; another overdue check comes after the next wait
        }
        await openTask('APPEAL_DECISION_OVERDUE', { level, filedAt: mem.stateEnteredAt });
      }
    },

    async writeOff() {
      // Money leaves a claim on a biller's or supervisor's word only: a coder's write-off (a chart audit offers
      // one) is a request that a supervisor approves, whatever the amount.
      const requester = mem.writeOffRequest;
      const byBiller = requester?.role !== undefined && (WRITE_OFF_ROLES as readonly string[]).includes(requester.role);
      const overThreshold = mem.balanceCents > opts.writeOffApprovalThresholdCents;
      if (overThreshold || (!byBiller && patched(WRITE_OFF_BY_BILLER_PATCH))) {
        const done = await awaitReviewUnlessPaid('WRITE_OFF_APPROVAL', {
          amountCents: mem.balanceCents,
          thresholdCents: opts.writeOffApprovalThresholdCents,
          carcs: mem.denialCarcs,
          ...(requester ? { requestedBy: requester.userId, ...(requester.role ? { requestedByRole: requester.role } : {}) } : {}),
          why: overThreshold ? 'over the approval threshold' : 'requested by someone who may not write off (a biller or supervisor must)',
        });
        mem.writeOffRequest = undefined;
        if (done === 'remittance') return 'remit';
        if (done.outcome.action === 'REFUSE') return mem.state === 'AWAITING_ADJUDICATION' ? 'adjudication' : 'denial';
        await db.writeOffBalance({ claimId, reason: done.outcome.note ?? 'approved write-off', approvedBy: done.userId });
      } else {
        mem.writeOffRequest = undefined;
        await db.writeOffBalance({ claimId, reason: `below the ${opts.writeOffApprovalThresholdCents}-cent approval threshold` });
      }
      mem.balanceCents = 0;
      await setState('WRITTEN_OFF', 'balance written off');
      return 'close';
    },

    async void() {
      for (const t of [...mem.openTasks]) await cancelTask(t.taskId);
      if (mem.acceptedOnce) {
        mem.frequencyCode = '8';
        mem.attempt += 1;
        await outside.submitClaim({ claimId, attempt: mem.attempt, frequencyCode: '8', payerClaimControlNo: mem.payerClaimControlNo });
      }
      await setState('VOIDED', mem.voidReason ?? 'voided');
      return 'done';
    },

    async close() {
      for (const t of [...mem.openTasks]) await cancelTask(t.taskId);
      await setState('CLOSED', mem.balanceCents === 0 ? 'balance zero' : 'closed');
      return 'done';
    },

    async done() {
      return 'done';
    },
  };

  let step = mem.next as Step;
  while (step !== 'done') {
    mem.next = step;
    try {
      step = await steps[step]();
    } catch (err) {
      if (err instanceof VoidRequested) step = 'void';
      else throw err;
    }
  }
  await condition(allHandlersFinished);
  return view();
}
