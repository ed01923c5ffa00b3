// The simulated payer behind the clearinghouse: applies the decisions of scenarios.ts to the simulator's
// state and queues what it will send back. Every method is synchronous; the caller persists afterwards.
import type {
  AppealFiling,
  AppealReceipt,
  ClaimSubmission,
  RemittanceMessage,
  StatusAnswer,
  StatusInquiry,
  SubmissionReceipt,
} from '../domain/clearinghouse';
import type { Outbox } from './outbox';
import {
  type ClaimStatusView,
  DEFAULT_SCENARIO_WEIGHTS,
  UNDERPAID_PERCENT,
  decideAppeal,
  decideSubmission,
  delayDays,
  INQUIRIES_BEFORE_SILENT_PAYMENT,
  patientRespPlan,
  pickScenario,
  promptPayInterest,
  remittanceClaim,
  remittanceMessage,
  type RemittanceClaimInput,
  reversalOf,
  type Scenario,
  simulatorIds,
  statusAnswer,
} from './scenarios';
import type { ClaimRecord, SimulatorState, SubmissionRecord } from './state';
import type { X12ClaimFacts } from './x12';

export interface X12Origin {
  fileKey: string;
  interchangeRef: string;
  senderId: string;
  billingProvider: { name: string; npi: string };
  /** what the 277CA and 835 repeat of the claim: patient, filing indicator, line dates (PHI: see state.ts) */
  claim: X12ClaimFacts;
}

/** PAID_THEN_CORRECTED: the deductible the first adjudication takes in error, reversed by the correction. */
const DEDUCTIBLE_IN_ERROR_CENTS = 5_000;

export interface PayerOptions {
  dayMs: number;
  now: () => number;
  scenarioWeights?: Readonly<Record<Scenario, number>>;
}

export class Payer {
  private readonly usedTraceNumbers: Set<string>;

  constructor(
    private readonly state: SimulatorState,
    private readonly outbox: Outbox,
    private readonly opts: PayerOptions,
  ) {
    this.usedTraceNumbers = new Set(
      Object.values(state.outbox)
        .filter((m) => m.kind === 'remittance')
        .map((m) => m.id),
    );
  }

  private get seed(): number {
    return this.state.seed;
  }

  /** Simulated calendar: one simulated day passes every dayMs of real time, starting at the state's epoch. */
  simulatedDate(ms: number): string {
    const simulated = this.state.epochMs + ((ms - this.state.epochMs) * 86_400_000) / this.opts.dayMs;
    return new Date(Math.min(simulated, 8.64e15)).toISOString().slice(0, 10);
  }

  scenarioFor(claimId: string): Scenario {
    return (
      this.state.forcedScenarios[claimId] ??
      this.state.claims[claimId]?.scenario ??
      pickScenario(this.seed, claimId, this.opts.scenarioWeights ?? DEFAULT_SCENARIO_WEIGHTS)
    );
  }

  forceScenario(claimId: string, scenario: Scenario): void {
    this.state.forcedScenarios[claimId] = scenario;
    const claim = this.state.claims[claimId];
    if (claim) claim.scenario = scenario;
  }

  /** `x12`: the submission arrived in an 837 file; its acknowledgement carries the file's 999 with it. */
  submit(submission: ClaimSubmission, x12?: X12Origin): SubmissionReceipt {
    const { idempotencyKey: key, claimId, attempt } = submission;
    const s = this.state;
    s.counters.submissionsReceived += 1;
    s.submissionsPerKey[key] = (s.submissionsPerKey[key] ?? 0) + 1;
    const earlier = s.submissions[key];
    if (earlier) {
      s.counters.duplicateSubmissions += 1;
      return { clearinghouseRef: earlier.clearinghouseRef, duplicate: true };
    }

    const now = this.opts.now();
    const claim = (s.claims[claimId] ??= {
      claimId,
      payerElectronicId: submission.payerElectronicId,
      scenario: this.scenarioFor(claimId),
      submissionKeys: [],
      inquiryKeys: [],
      appealKeys: [],
      overturnPaid: false,
    });
    claim.payerElectronicId = submission.payerElectronicId;
    const decision = decideSubmission({
      seed: this.seed,
      claimId,
      attempt,
      frequencyCode: submission.frequencyCode,
      scenario: claim.scenario,
      priorSubmissions: claim.submissionKeys.length,
      alreadyPaid: this.isPaid(claim, now),
      statusInquiries: claim.inquiryKeys.length,
    });

    const previous = claim.submissionKeys.at(-1);
    const previousAckDue = previous ? s.outbox[s.submissions[previous].ackId]?.dueAtMs : undefined;
    const record: SubmissionRecord = {
      idempotencyKey: key,
      claimId,
      attempt,
      frequencyCode: submission.frequencyCode,
      clearinghouseRef: simulatorIds.clearinghouseRef(this.seed, key),
      receivedAtMs: now,
      accepted: decision.accepted,
      ackId: simulatorIds.ackId(this.seed, key),
      remittanceIds: [],
      billingProviderNpi: submission.billingProviderNpi,
      dateOfService: submission.dateOfService,
      ...(x12
        ? { billingProvider: x12.billingProvider, interchangeRef: x12.interchangeRef, senderId: x12.senderId, x12Claim: x12.claim }
        : {}),
      lines: submission.lines.map(({ lineNo, procedureCode, units, chargeCents }) => ({
        lineNo,
        procedureCode,
        units,
        chargeCents,
      })),
    };
    if (decision.accepted) {
      // A payer adjudicates a claim once: a newer accepted submission replaces work not yet finished.
      this.cancelUnfinishedRemittances(claim, now);
      record.payerClaimControlNo = simulatorIds.payerClaimControlNo(this.seed, claimId, attempt);
      record.adjudication = decision.adjudication;
    } else {
      record.rejectionCode = decision.rejectionCode;
      record.reason = decision.reason;
    }
    s.submissions[key] = record;
    claim.submissionKeys.push(key);

    // A clearinghouse works one claim's files in order: a newer submission is never acknowledged first.
    const ackDue = Math.max(now + this.days(delayDays(this.seed, 'acknowledgement', claimId, key)), (previousAckDue ?? 0) + 1);
    this.outbox.enqueue({
      id: record.ackId,
      kind: 'acknowledgement',
      claimId,
      attempt,
      submissionKey: key,
      ...(x12 ? { x12File: x12.fileKey } : {}),
      dueAtMs: ackDue,
      body: {
        ackId: record.ackId,
        claimId,
        attempt,
        accepted: record.accepted,
        ...(record.rejectionCode ? { rejectionCode: record.rejectionCode, reason: record.reason } : {}),
        ...(record.payerClaimControlNo ? { payerClaimControlNo: record.payerClaimControlNo } : {}),
      },
    });

    const adjudication = record.adjudication;
    if (adjudication?.kind === 'PAY' || adjudication?.kind === 'DENY') {
      const due = ackDue + this.days(delayDays(this.seed, 'adjudication', claimId, key));
      const corrected = adjudication.kind === 'PAY' && claim.scenario === 'PAID_THEN_CORRECTED';
      const outcome: RemittanceClaimInput['outcome'] =
        adjudication.kind === 'DENY'
          ? { kind: 'DENY', carc: adjudication.carc, rarc: adjudication.rarc }
          : corrected
            ? { kind: 'PAY', plan: { deductibleCents: DEDUCTIBLE_IN_ERROR_CENTS, coinsurancePercent: 0, copayCents: 0 } }
            : {
                kind: 'PAY',
                plan: adjudication.patientResponsibility ? patientRespPlan(this.seed, claimId, attempt) : undefined,
                ...(claim.scenario === 'UNDERPAY' ? { underpaidPercent: UNDERPAID_PERCENT } : {}),
              };
      const first = this.remitted(claim, record, outcome);
      this.queueRemittance(claim, record, `submission|${key}`, due, [first]);
      if (corrected) {
        // The payer finds its error: one later 835 takes the first payment back (CLP02 22) and pays it again right.
        const later = due + this.days(delayDays(this.seed, 'correction', claimId, key));
        this.queueRemittance(claim, record, `correction|${key}`, later, [reversalOf(first), this.remitted(claim, record, { kind: 'PAY' })]);
      }
    }
    return { clearinghouseRef: record.clearinghouseRef, duplicate: false };
  }

  inquire(inquiry: StatusInquiry): StatusAnswer {
    const s = this.state;
    s.counters.statusInquiries += 1;
    const earlier = s.inquiries[inquiry.idempotencyKey];
    if (earlier) {
      s.counters.duplicateStatusInquiries += 1;
      return earlier.answer;
    }
    const now = this.opts.now();
    const claim = s.claims[inquiry.claimId];
    // Asking the wrong payer finds nothing, as it would in a real 276.
    const known = claim && claim.payerElectronicId === inquiry.payerElectronicId ? claim : undefined;
    if (known) {
      known.inquiryKeys.push(inquiry.idempotencyKey);
      this.releaseAfterFollowUp(known, now);
    }
    const answer = statusAnswer(known ? this.statusView(known, now) : { kind: 'UNKNOWN' });
    s.inquiries[inquiry.idempotencyKey] = { claimId: inquiry.claimId, answer };
    return answer;
  }

  /** When the acknowledgement of a file's claims would be due: a file's lone 999 goes out then too. */
  ackDueFor(claimId: string, key: string): number {
    return this.opts.now() + this.days(delayDays(this.seed, 'acknowledgement', claimId, key));
  }

  /** The answer an inquiry would get now, without counting as one (admin view). */
  peekStatus(claimId: string): StatusAnswer {
    const claim = this.state.claims[claimId];
    return statusAnswer(claim ? this.statusView(claim, this.opts.now()) : { kind: 'UNKNOWN' });
  }

  fileAppeal(filing: AppealFiling): AppealReceipt {
    const s = this.state;
    const key = filing.idempotencyKey;
    s.counters.appealsReceived += 1;
    const earlier = s.appeals[key];
    if (earlier) {
      s.counters.duplicateAppeals += 1;
      return { appealRef: earlier.appealRef, duplicate: true };
    }
    const now = this.opts.now();
    const claim = s.claims[filing.claimId];
    const denied = claim ? this.latestDenied(claim) : undefined;
    const decision = decideAppeal(claim?.scenario, denied !== undefined);
    const appealRef = simulatorIds.appealRef(this.seed, key);
    const decisionId = simulatorIds.decisionId(this.seed, key);
    s.appeals[key] = {
      idempotencyKey: key,
      claimId: filing.claimId,
      level: filing.level,
      appealRef,
      decisionId,
      decision,
      filedAtMs: now,
      packetChars: filing.packet.length,
    };
    claim?.appealKeys.push(key);

    const decisionDue = now + this.days(delayDays(this.seed, 'appealDecision', filing.claimId, key));
    this.outbox.enqueue({
      id: decisionId,
      kind: 'appeal-decision',
      claimId: filing.claimId,
      attempt: denied?.attempt,
      dueAtMs: decisionDue,
      body: { decisionId, claimId: filing.claimId, level: filing.level, decision },
    });
    if (decision === 'OVERTURNED' && claim && denied && !claim.overturnPaid) {
      claim.overturnPaid = true;
      const due = decisionDue + this.days(delayDays(this.seed, 'overturnedPayment', filing.claimId, key));
      this.queueRemittance(claim, denied, `appeal|${key}`, due, [this.remitted(claim, denied, { kind: 'PAY' })]);
    }
    return { appealRef, duplicate: false };
  }

  // ---- helpers ------------------------------------------------------------------------------------------

  private days(n: number): number {
    return Math.round(n * this.opts.dayMs);
  }

  private submissionsOf(claim: ClaimRecord): SubmissionRecord[] {
    return claim.submissionKeys.map((k) => this.state.submissions[k]);
  }

  private remittance(id: string) {
    const message = this.state.outbox[id];
    return message && message.state !== 'cancelled' ? message : undefined;
  }

  private isPaid(claim: ClaimRecord, now: number): boolean {
    return this.submissionsOf(claim).some((sub) =>
      sub.remittanceIds.some((id) => {
        const m = this.remittance(id);
        return this.outbox.isEffective(m, now) && (m!.body as RemittanceMessage).claims[0].statusCode === '1';
      }),
    );
  }

  private latestDenied(claim: ClaimRecord): SubmissionRecord | undefined {
    return this.submissionsOf(claim)
      .reverse()
      .find((sub) => sub.accepted && sub.adjudication?.kind === 'DENY' && sub.remittanceIds.some((id) => this.remittance(id)));
  }

  private cancelUnfinishedRemittances(claim: ClaimRecord, now: number): void {
    for (const sub of this.submissionsOf(claim)) {
      for (const id of sub.remittanceIds) {
        const m = this.state.outbox[id];
        if (m && m.state === 'queued' && !this.outbox.isEffective(m, now)) m.state = 'cancelled';
      }
    }
  }

  /** SILENT_THEN_PAY: once the provider has followed up enough, the claim is finally adjudicated and paid. */
  private releaseAfterFollowUp(claim: ClaimRecord, now: number): void {
    const latest = this.submissionsOf(claim).at(-1);
    if (!latest?.accepted || latest.adjudication?.kind !== 'AWAIT_FOLLOW_UP') return;
    if (claim.inquiryKeys.length < INQUIRIES_BEFORE_SILENT_PAYMENT) return;
    latest.adjudication = { kind: 'PAY', patientResponsibility: false };
    const ackDue = this.state.outbox[latest.ackId]?.dueAtMs ?? now;
    const due = Math.max(now, ackDue) + this.days(delayDays(this.seed, 'paymentAfterFollowUp', claim.claimId, latest.idempotencyKey));
    const paid = this.remitted(claim, latest, { kind: 'PAY' });
    // Paid late, after the provider had to follow up: with prompt-pay interest, a provider-level adjustment (PLB L6).
    const interest = promptPayInterest(paid, {
      npi: latest.billingProvider?.npi ?? latest.billingProviderNpi ?? '',
      paymentDate: this.simulatedDate(due),
    });
    this.queueRemittance(claim, latest, `submission|${latest.idempotencyKey}`, due, [paid], interest);
  }

  private statusView(claim: ClaimRecord, now: number): ClaimStatusView {
    const latest = this.submissionsOf(claim).at(-1);
    if (!latest) return { kind: 'UNKNOWN' };
    if (!this.outbox.isEffective(this.state.outbox[latest.ackId], now)) return { kind: 'RECEIVED' };
    if (!latest.accepted) return { kind: 'REJECTED', reason: latest.reason ?? 'rejected' };
    if (latest.adjudication?.kind === 'NONE' && latest.adjudication.why === 'VOID') return { kind: 'VOIDED' };
    const finished = latest.remittanceIds
      .map((id) => this.remittance(id))
      .filter((m) => this.outbox.isEffective(m, now))
      .at(-1);
    if (!finished) return { kind: 'IN_PROCESS' };
    const result = (finished.body as RemittanceMessage).claims[0];
    return result.statusCode === '4' ? { kind: 'DENIED', carc: result.adjustments[0]?.carc ?? '' } : { kind: 'PAID' };
  }

  private remitted(claim: ClaimRecord, submission: SubmissionRecord, outcome: RemittanceClaimInput['outcome']) {
    return remittanceClaim({
      claimId: claim.claimId,
      payerClaimControlNo: submission.payerClaimControlNo,
      lines: submission.lines,
      outcome,
    });
  }

  private queueRemittance(
    claim: ClaimRecord,
    submission: SubmissionRecord,
    purpose: string,
    dueAtMs: number,
    claims: RemittanceMessage['claims'],
    providerAdjustments: RemittanceMessage['providerAdjustments'] = [],
  ): void {
    const traceNumber = this.newTraceNumber(claim.claimId, purpose);
    const body = remittanceMessage({
      payerElectronicId: claim.payerElectronicId,
      traceNumber,
      paymentDate: this.simulatedDate(dueAtMs),
      claims,
      // A PLB needs the provider it is about; an old state's submission without one simply gets none.
      providerAdjustments: providerAdjustments.filter((a) => a.providerId),
    });
    this.outbox.enqueue({
      id: traceNumber,
      kind: 'remittance',
      claimId: claim.claimId,
      attempt: submission.attempt,
      submissionKey: submission.idempotencyKey,
      dueAtMs,
      body,
    });
    submission.remittanceIds.push(traceNumber);
  }

  private newTraceNumber(claimId: string, purpose: string): string {
    for (let salt = 0; ; salt++) {
      const candidate = simulatorIds.traceNumber(this.seed, claimId, purpose, salt);
      if (!this.usedTraceNumbers.has(candidate)) {
        this.usedTraceNumbers.add(candidate);
        return candidate;
      }
    }
  }
}
