// /api/supervisor: what supervisors watch (stuck claims, queue health, A/R measures) and the one repair they
// can make to a claim whose workflow step keeps failing. SUPERVISOR and ADMIN only. The measures themselves
// are computed by domain/metrics.ts; this module loads their rows and asks Temporal what it alone knows.
import { WorkflowNotFoundError, type WorkflowExecutionInfo } from '@temporalio/client';
import { decodeOptionalFailureToOptionalError } from '@temporalio/common/lib/internal-non-workflow';
import { optionalTsToDate } from '@temporalio/common/lib/time';
import type { temporal as proto } from '@temporalio/proto';
import { Router } from 'express';
import { z } from 'zod';
import type { Prisma } from '../../generated/prisma/client';
import {
  agingReport,
  CALENDAR_DAY_MS,
  cleanClaimRate,
  DEFAULT_FAILING_ACTIVITY_ATTEMPTS,
  daysInAr,
  denialRates,
  handlingTimeByKind,
  stateThresholds,
  stateTooLong,
  throughputByUserDay,
  timelyFilingDosCutoff,
  timelyFilingRisk,
  type FirstSubmissionFacts,
} from '../../domain/metrics';
import {
  CLAIM_WORKFLOW_TYPE,
  claimIdForWorkflow,
  ClaimPayerKey,
  ClaimStateEnteredAtKey,
  ClaimStateKey,
  TASK_KINDS,
  workflowIdForClaim,
  type TaskKind,
} from '../../workflows/contract';
import { recordAudit } from '../http/audit';
import { callerId } from '../auth/auth';
import type { ApiContext } from '../http/context';
import { dateFromIso, isoFromDate } from '../http/dates';
import { ApiError, ConflictError, NotFoundError, parseInput } from '../http/errors';
import { addRoute, describeRoute, SUPERVISORS } from '../openapi/openapi';
import { decodeCursor, DEFAULT_PAGE_SIZE, encodeCursor } from '../http/paging';
import {
  arQuery,
  arResponse,
  queueHealthQuery,
  queueHealthResponse,
  retryActivityBody,
  retryActivityResponse,
  STUCK_REASONS,
  stuckClaimsQuery,
  stuckClaimsResponse,
  type stuckReason,
} from './schemas';
import { callTemporal, grpcCode } from '../http/temporal';

const MOUNT = '/api/supervisor';
/** Each source reads at most this many rows; beyond it the answer says `truncated`. */
const SOURCE_CAP = 2_000;
const DEFAULT_DESCRIBE_LIMIT = 100;
const DESCRIBE_CONCURRENCY = 8;
const DEFAULT_TIMELY_FILING_WITHIN_DAYS = 30;
/** Before the payer accepts a claim, its timely-filing clock runs. */
const PRE_ACCEPTANCE_STATES = ['CODING', 'SCRUBBING', 'READY', 'SUBMITTED', 'REJECTED'];
/** States the workflow passes through doing automated work: a pending activity there is what holds the claim. */
const AUTOMATED_STATES = ['SCRUBBING', 'READY', 'ACKNOWLEDGED', 'PAID', 'PARTIALLY_PAID', 'POSTED', 'WRITTEN_OFF'];
const CLOSED_STATES = ['CLOSED', 'VOIDED', 'WRITTEN_OFF'];

export interface SupervisorOptions {
  /** days per state over DEFAULT_STATE_THRESHOLD_DAYS; 0 removes a state's limit */
  stateThresholdDays?: Record<string, number>;
}

const routes = {
  stuckClaims: describeRoute({
    method: 'get',
    path: `${MOUNT}/stuck-claims`,
    roles: SUPERVISORS,
    tag: 'supervisor',
    summary: 'Claims that need a supervisor, each with the reasons it is listed',
    description:
      'Reasons: STATE_TOO_LONG (longer in its state than the state allows, from the claims table and from Temporal visibility), ' +
      'ACTIVITY_FAILING (a workflow step Temporal keeps retrying: attempt and last failure), TASK_OVERDUE (an open or claimed task past due), ' +
      'TIMELY_FILING (within N days of the payer timely-filing limit and not yet accepted by the payer). Days are lifecycle days (dayMs). ' +
      'Failing activities are found by describing the workflows of claims in automated states and of claims already listed, up to describeLimit.',
    query: stuckClaimsQuery,
    response: stuckClaimsResponse,
  }),
  queues: describeRoute({
    method: 'get',
    path: `${MOUNT}/queues`,
    roles: SUPERVISORS,
    tag: 'supervisor',
    summary: 'Queue health: depth, oldest open task, overdue tasks, tasks done per user per day, handling time per kind',
    query: queueHealthQuery,
    response: queueHealthResponse,
  }),
  ar: describeRoute({
    method: 'get',
    path: `${MOUNT}/ar`,
    roles: SUPERVISORS,
    tag: 'supervisor',
    summary: 'A/R aging by payer, denial rate by CARC category, clean-claim rate and days in A/R, each with its formula',
    query: arQuery,
    response: arResponse,
  }),
  retry: describeRoute({
    method: 'post',
    path: `${MOUNT}/claims/:id/retry`,
    roles: SUPERVISORS,
    tag: 'supervisor',
    status: 202,
    summary: "Retry a claim's failing workflow step now",
    description:
      "Resets the claim's failing pending activity in Temporal (WorkflowService.ResetActivity): it runs again at once with its attempt " +
      'count back at 1. Nothing is terminated or replayed. 409 when nothing is failing; 501 when the Temporal server cannot reset activities.',
    body: retryActivityBody,
    bodyOptional: true,
    response: retryActivityResponse,
  }),
};

type StuckReason = z.output<typeof stuckReason>;
type StuckQuery = z.output<typeof stuckClaimsQuery>;
const stuckCursor = z.object({ s: z.iso.datetime(), id: z.string() });

/** `options` default to the configuration's: CLAIMFLOW_STUCK_THRESHOLD_DAYS="CODING=2,AWAITING_ADJUDICATION=60". */
export function supervisorRouter(
  ctx: ApiContext,
  options: SupervisorOptions = { stateThresholdDays: ctx.config.stuckThresholdDays },
): Router {
  const thresholds = stateThresholds(options.stateThresholdDays);
  const router = Router();

  addRoute(router, MOUNT, routes.stuckClaims, async (req, res) => {
    const query = parseInput(stuckClaimsQuery, req.query);
    const answer = await findStuckClaims(ctx, thresholds, query);
    await recordAudit(ctx.prisma, {
      actor: callerId(res),
      action: 'claim.list',
      entity: 'claim',
      entityId: '*',
      detail: { view: 'stuck-claims', claimIds: answer.items.map((i) => i.claimId) },
    });
    res.json(answer);
  });

  addRoute(router, MOUNT, routes.queues, async (req, res) => {
    res.json(await queueHealth(ctx, parseInput(queueHealthQuery, req.query)));
  });

  addRoute(router, MOUNT, routes.ar, async (req, res) => {
    res.json(await arMeasures(ctx, parseInput(arQuery, req.query)));
  });

  addRoute(router, MOUNT, routes.retry, async (req, res) => {
    const body = parseInput(retryActivityBody, req.body ?? {});
    const answer = await retryFailingActivity(ctx, req.params.id as string, body.activityId, callerId(res));
    res.status(202).json(answer);
  });

  return router;
}

// ---- stuck claims ------------------------------------------------------------------------------

/** What every source of stuck claims shares: the question, the clock, and where reasons are collected. */
interface StuckScan {
  ctx: ApiContext;
  q: StuckQuery;
  thresholds: Record<string, number>;
  now: Date;
  dayMs: number;
  payerFilter: Prisma.ClaimWhereInput;
  /** one deadline for every call into Temporal during the request */
  deadline: number;
  found: Map<string, StuckReason[]>;
  truncated: boolean;
  visibility: 'used' | 'unavailable' | 'not-needed';
}

function addReason(scan: StuckScan, claimId: string, reason: StuckReason): void {
  const list = scan.found.get(claimId) ?? [];
  list.push(reason);
  scan.found.set(claimId, list);
}

/** The rows of a source, at most SOURCE_CAP of them (it reads one more to know when it had to stop). */
function capped<T>(scan: StuckScan, rows: T[]): T[] {
  if (rows.length > SOURCE_CAP) scan.truncated = true;
  return rows.slice(0, SOURCE_CAP);
}

async function findStuckClaims(ctx: ApiContext, thresholds: Record<string, number>, q: StuckQuery) {
  const now = q.asOf ? new Date(q.asOf) : new Date();
  const scan: StuckScan = {
    ctx,
    q,
    thresholds,
    now,
    dayMs: ctx.config.dayMs,
    payerFilter: q.payerId ? { payerId: q.payerId } : {},
    deadline: Date.now() + ctx.timeouts.callMs,
    found: new Map(),
    truncated: false,
    visibility: 'not-needed',
  };
  const wanted = new Set(q.reason ?? STUCK_REASONS);
  const withinDays = q.timelyFilingWithinDays ?? DEFAULT_TIMELY_FILING_WITHIN_DAYS;
  const minAttempts = q.minAttempts ?? DEFAULT_FAILING_ACTIVITY_ATTEMPTS;
  if (wanted.has('STATE_TOO_LONG')) await addStateTooLong(scan);
  if (wanted.has('TASK_OVERDUE')) await addOverdueTasks(scan);
  if (wanted.has('TIMELY_FILING')) await addTimelyFilingRisks(scan, withinDays);
  // Last: the claims already listed are the first ones worth describing.
  const describe = wanted.has('ACTIVITY_FAILING')
    ? await addFailingActivities(scan, q.describeLimit ?? DEFAULT_DESCRIBE_LIMIT, minAttempts)
    : { candidates: 0, described: 0, skipped: 0, failed: 0 };

  // One item per claim that exists in the read model, the longest-standing first.
  const claims = await ctx.prisma.claim.findMany({
    where: { id: { in: [...scan.found.keys()] } },
    select: {
      id: true,
      state: true,
      stateEnteredAt: true,
      payerId: true,
      balanceCents: true,
      encounter: { select: { dateOfService: true } },
    },
  });
  const items = claims
    .map((c) => {
      const reasons = scan.found.get(c.id)!;
      return {
        claimId: c.id,
        state: c.state,
        stateEnteredAt: c.stateEnteredAt.toISOString(),
        payerId: c.payerId,
        dateOfService: isoFromDate(c.encounter.dateOfService),
        balanceCents: c.balanceCents,
        since: reasons.map((r) => r.since).sort()[0],
        reasons,
        timeline: { method: 'GET' as const, href: `/api/claims/${c.id}/timeline` },
      };
    })
    .sort((a, b) => a.since.localeCompare(b.since) || a.claimId.localeCompare(b.claimId));

  const limit = q.limit ?? DEFAULT_PAGE_SIZE;
  const after = decodeCursor(stuckCursor, q.cursor);
  const rest = after ? items.filter((i) => i.since > after.s || (i.since === after.s && i.claimId > after.id)) : items;
  const page = rest.slice(0, limit);
  const last = page.at(-1);
  return {
    asOf: now.toISOString(),
    dayMs: scan.dayMs,
    thresholdDays: thresholds,
    timelyFilingWithinDays: withinDays,
    minAttempts,
    items: page,
    nextCursor: rest.length > limit && last ? encodeCursor({ s: last.since, id: last.claimId }) : null,
    total: items.length,
    truncated: scan.truncated,
    temporal: { visibility: scan.visibility, describe },
  };
}

/** Longer in a state than it allows: from the claims table, and from Temporal's search attributes. */
async function addStateTooLong(scan: StuckScan): Promise<void> {
  const { ctx, q, thresholds, now, dayMs } = scan;
  if (Object.keys(thresholds).length === 0) return;
  const enteredBefore = (days: number) => new Date(now.getTime() - days * dayMs);
  const rows = capped(
    scan,
    await ctx.prisma.claim.findMany({
      where: {
        AND: [
          scan.payerFilter,
          { OR: Object.entries(thresholds).map(([state, days]) => ({ state, stateEnteredAt: { lt: enteredBefore(days) } })) },
        ],
      },
      select: { id: true, state: true, stateEnteredAt: true },
      orderBy: [{ stateEnteredAt: 'asc' }, { id: 'asc' }],
      take: SOURCE_CAP + 1,
    }),
  );
  for (const c of rows) {
    const over = stateTooLong(c, thresholds, dayMs, now);
    if (over) addReason(scan, c.id, stateTooLongReason(c.state, c.stateEnteredAt, over, 'readModel'));
  }
  // Temporal's own view catches a claim whose read model lags its workflow (a failing recordTransition).
  const clauses = Object.entries(thresholds).map(
    ([state, days]) => `(ClaimState = '${state}' AND ClaimStateEnteredAt < '${enteredBefore(days).toISOString()}')`,
  );
  const listed = await listWorkflows(
    ctx,
    `WorkflowType = '${CLAIM_WORKFLOW_TYPE}' AND ExecutionStatus = 'Running' AND (${clauses.join(' OR ')})`,
    scan.deadline,
  );
  scan.visibility = listed ? 'used' : 'unavailable';
  for (const wf of capped(scan, listed ?? [])) {
    const claimId = claimIdForWorkflow(wf.workflowId);
    const state = wf.typedSearchAttributes.get(ClaimStateKey);
    const enteredAt = wf.typedSearchAttributes.get(ClaimStateEnteredAtKey);
    if (!claimId || !state || !enteredAt) continue;
    if (q.payerId && wf.typedSearchAttributes.get(ClaimPayerKey) !== q.payerId) continue;
    const same = scan.found
      .get(claimId)
      ?.find((r): r is Extract<StuckReason, { code: 'STATE_TOO_LONG' }> => r.code === 'STATE_TOO_LONG' && r.state === state);
    if (same) {
      same.sources.push('workflow');
      continue;
    }
    const over = stateTooLong({ state, stateEnteredAt: enteredAt }, thresholds, dayMs, now);
    if (over) addReason(scan, claimId, stateTooLongReason(state, enteredAt, over, 'workflow'));
  }
}

/** Open or claimed tasks past their due time, with a link to complete them (a write-off approval among them). */
async function addOverdueTasks(scan: StuckScan): Promise<void> {
  const { ctx, q, now, dayMs } = scan;
  const tasks = capped(
    scan,
    await ctx.prisma.task.findMany({
      where: { status: { in: ['OPEN', 'CLAIMED'] }, dueAt: { lt: now }, ...(q.payerId ? { claim: { payerId: q.payerId } } : {}) },
      orderBy: [{ dueAt: 'asc' }, { id: 'asc' }],
      take: SOURCE_CAP + 1,
    }),
  );
  for (const t of tasks) {
    // a posting exception has no claim: the queue listing shows it, the stuck-claims view does not
    if (!t.claimId) continue;
    const daysOverdue = round1((now.getTime() - t.dueAt.getTime()) / dayMs);
    addReason(scan, t.claimId, {
      code: 'TASK_OVERDUE',
      message: `${t.kind} task in the ${t.queue} queue (${t.status.toLowerCase()}${t.assigneeId ? ` by ${t.assigneeId}` : ''}) is ${daysOverdue} days past due`,
      since: t.dueAt.toISOString(),
      taskId: t.id,
      kind: t.kind,
      queue: t.queue,
      status: t.status,
      assigneeId: t.assigneeId,
      dueAt: t.dueAt.toISOString(),
      daysOverdue,
      complete: { method: 'POST', href: `/api/tasks/${t.id}/complete`, actions: [...(TASK_KINDS[t.kind as TaskKind]?.actions ?? [])] },
    });
  }
}

/** Within `withinDays` of the payer's timely-filing limit (or past it) and never accepted by the payer. */
async function addTimelyFilingRisks(scan: StuckScan, withinDays: number): Promise<void> {
  const { ctx, q, now, dayMs } = scan;
  const payers = await ctx.prisma.payer.findMany({
    where: q.payerId ? { id: q.payerId } : {},
    select: { id: true, timelyFilingDays: true },
  });
  if (payers.length === 0) return;
  const candidates = capped(
    scan,
    await ctx.prisma.claim.findMany({
      where: {
        state: { in: PRE_ACCEPTANCE_STATES },
        submissions: { none: { status: 'ACCEPTED' } },
        OR: payers.map((p) => ({
          payerId: p.id,
          encounter: { dateOfService: { lte: timelyFilingDosCutoff(p.timelyFilingDays, { withinDays, dayMs, now }) } },
        })),
      },
      select: { id: true, encounter: { select: { dateOfService: true } }, payer: { select: { timelyFilingDays: true } } },
      orderBy: { id: 'asc' },
      take: SOURCE_CAP + 1,
    }),
  );
  // A corrected claim goes back through scrubbing after the payer accepted the original: its clock stopped then.
  const acceptedOnce = new Set(
    (
      await ctx.prisma.auditEvent.findMany({
        where: {
          claimId: { in: candidates.map((c) => c.id) },
          action: 'claim.transition',
          detail: { path: ['to'], equals: 'ACKNOWLEDGED' },
        },
        select: { claimId: true },
      })
    ).map((e) => e.claimId),
  );
  for (const c of candidates) {
    if (acceptedOnce.has(c.id)) continue;
    const dateOfService = isoFromDate(c.encounter.dateOfService);
    const limitDays = c.payer.timelyFilingDays;
    const risk = timelyFilingRisk({ dateOfService, timelyFilingDays: limitDays }, { withinDays, dayMs, now });
    if (!risk) continue;
    addReason(scan, c.id, {
      code: 'TIMELY_FILING',
      message:
        risk.daysLeft < 0
          ? `the payer's ${limitDays}-day timely-filing limit passed ${-risk.daysLeft} days ago and the payer has not accepted the claim`
          : `${risk.daysLeft} days left of the payer's ${limitDays}-day timely-filing limit and the payer has not accepted the claim`,
      since: new Date(risk.deadline.getTime() - withinDays * dayMs).toISOString(),
      dateOfService,
      timelyFilingDays: limitDays,
      deadline: risk.deadline.toISOString(),
      daysLeft: risk.daysLeft,
    });
  }
}

/**
 * Workflow steps Temporal keeps retrying. Describing every claim is too much, so it describes up to `limit`
 * workflows: the claims already listed (a failing step is what holds many of them), then those Temporal
 * says are in an automated state, then the read model's claims in those states.
 */
async function addFailingActivities(scan: StuckScan, limit: number, minAttempts: number) {
  const { ctx, q, now } = scan;
  if (limit === 0) return { candidates: 0, described: 0, skipped: 0, failed: 0 };
  const ordered = new Set<string>(scan.found.keys());
  const automatedStates = AUTOMATED_STATES.map((state) => `'${state}'`).join(', ');
  const listed = await listWorkflows(
    ctx,
    `WorkflowType = '${CLAIM_WORKFLOW_TYPE}' AND ExecutionStatus = 'Running' AND ClaimState IN (${automatedStates})`,
    scan.deadline,
    limit,
  );
  if (listed) scan.visibility = 'used';
  else if (scan.visibility === 'not-needed') scan.visibility = 'unavailable';
  for (const wf of listed ?? []) {
    const claimId = claimIdForWorkflow(wf.workflowId);
    if (claimId && (!q.payerId || wf.typedSearchAttributes.get(ClaimPayerKey) === q.payerId)) ordered.add(claimId);
  }
  const automated = await ctx.prisma.claim.findMany({
    where: { ...scan.payerFilter, state: { in: AUTOMATED_STATES } },
    select: { id: true },
    orderBy: [{ stateEnteredAt: 'asc' }, { id: 'asc' }],
    take: limit,
  });
  for (const c of automated) ordered.add(c.id);
  const ids = [...ordered];
  const pending = await describePendingActivities(ctx, ids.slice(0, limit), scan.deadline);
  for (const [claimId, activities] of pending.byClaim) {
    for (const a of activities) {
      if (a.attempt < minAttempts || a.lastFailure === null) continue;
      addReason(scan, claimId, {
        code: 'ACTIVITY_FAILING',
        message: `${a.activityType} keeps failing (Temporal is on attempt ${a.attempt}): ${a.lastFailure}`,
        since: (a.lastAttemptAt ?? now).toISOString(),
        activityId: a.activityId,
        activityType: a.activityType,
        attempt: a.attempt,
        activityState: a.state,
        lastFailure: a.lastFailure,
        lastAttemptAt: a.lastAttemptAt?.toISOString() ?? null,
        nextAttemptAt: a.nextAttemptAt?.toISOString() ?? null,
        retry: { method: 'POST', href: `${MOUNT}/claims/${claimId}/retry` },
      });
    }
  }
  return {
    candidates: ids.length,
    described: pending.described,
    skipped: ids.length - pending.described - pending.failed,
    failed: pending.failed,
  };
}

function stateTooLongReason(
  state: string,
  enteredAt: Date,
  over: { thresholdDays: number; daysInState: number; stuckSince: Date },
  source: 'readModel' | 'workflow',
): StuckReason {
  return {
    code: 'STATE_TOO_LONG',
    message: `${over.daysInState} days in ${state}; the limit is ${over.thresholdDays}${source === 'workflow' ? ' (as the workflow reports it; the claims table differs)' : ''}`,
    since: over.stuckSince.toISOString(),
    state,
    stateEnteredAt: enteredAt.toISOString(),
    thresholdDays: over.thresholdDays,
    daysInState: over.daysInState,
    sources: [source],
  };
}

/** Running workflows matching a visibility query, or null when the server cannot list (the time-skipping test server). */
async function listWorkflows(
  ctx: ApiContext,
  query: string,
  deadline: number,
  max = SOURCE_CAP + 1,
): Promise<WorkflowExecutionInfo[] | null> {
  try {
    return await ctx.temporal.withDeadline(deadline, async () => {
      const out: WorkflowExecutionInfo[] = [];
      for await (const wf of ctx.temporal.workflow.list({ query, pageSize: Math.min(max, 1000) })) {
        out.push(wf);
        if (out.length >= max) break;
      }
      return out;
    });
  } catch (err) {
    ctx.log('workflow list unavailable', { error: (err as Error).name, grpcCode: grpcCode(err) });
    return null;
  }
}

export interface PendingActivityView {
  activityId: string;
  activityType: string;
  attempt: number;
  state: string;
  /** decoded with the client's data converter (failure messages are encrypted in Temporal), at most 300 characters */
  lastFailure: string | null;
  lastAttemptAt: Date | null;
  nextAttemptAt: Date | null;
}

const ACTIVITY_STATES: Record<number, string> = { 1: 'SCHEDULED', 2: 'STARTED', 3: 'CANCEL_REQUESTED', 4: 'PAUSED', 5: 'PAUSE_REQUESTED' };

async function pendingActivityView(ctx: ApiContext, p: proto.api.workflow.v1.IPendingActivityInfo): Promise<PendingActivityView> {
  let lastFailure: string | null = null;
  if (p.lastFailure) {
    try {
      const err = await decodeOptionalFailureToOptionalError(ctx.temporal.options.loadedDataConverter, p.lastFailure);
      lastFailure = err?.message ?? p.lastFailure.message ?? null;
    } catch {
      lastFailure = p.lastFailure.message ?? null;
    }
  }
  return {
    activityId: p.activityId ?? '',
    activityType: p.activityType?.name ?? 'unknown',
    attempt: p.attempt ?? 1,
    state: ACTIVITY_STATES[Number(p.state ?? 0)] ?? 'UNSPECIFIED',
    lastFailure: lastFailure && lastFailure.length > 300 ? `${lastFailure.slice(0, 297)}...` : lastFailure,
    lastAttemptAt: optionalTsToDate(p.lastAttemptCompleteTime) ?? null,
    nextAttemptAt: optionalTsToDate(p.nextAttemptScheduleTime) ?? null,
  };
}

/** Describes workflows a few at a time until the deadline: what is left undescribed is reported, not waited for. */
async function describePendingActivities(ctx: ApiContext, claimIds: string[], deadline: number) {
  const byClaim = new Map<string, PendingActivityView[]>();
  let described = 0;
  let failed = 0;
  let next = 0;
  const work = async () => {
    while (next < claimIds.length && Date.now() < deadline) {
      const claimId = claimIds[next++];
      try {
        const d = await ctx.temporal.withDeadline(deadline, () => ctx.temporal.workflow.getHandle(workflowIdForClaim(claimId)).describe());
        described += 1;
        const pending = d.raw.pendingActivities ?? [];
        if (pending.length) byClaim.set(claimId, await Promise.all(pending.map((p) => pendingActivityView(ctx, p))));
      } catch (err) {
        if (err instanceof WorkflowNotFoundError) described += 1;
        else failed += 1;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(DESCRIBE_CONCURRENCY, claimIds.length) }, work));
  return { byClaim, described, failed };
}

// ---- retry -------------------------------------------------------------------------------------

const GRPC_NOT_FOUND = 5;
const GRPC_UNIMPLEMENTED = 12;

async function retryFailingActivity(ctx: ApiContext, claimId: string, activityId: string | undefined, userId: string) {
  const { prisma, temporal, log, timeouts } = ctx;
  const claim = await prisma.claim.findUnique({ where: { id: claimId }, select: { id: true } });
  if (!claim) throw new NotFoundError('claim');
  const handle = temporal.workflow.getHandle(workflowIdForClaim(claimId));
  const description = await callTemporal(temporal, timeouts.callMs, 'describe', log, () => handle.describe()).catch((err: unknown) => {
    if (err instanceof WorkflowNotFoundError) throw new ConflictError('WORKFLOW_NOT_RUNNING', "the claim's workflow is not running");
    throw err;
  });
  if (description.status.name !== 'RUNNING') throw new ConflictError('WORKFLOW_NOT_RUNNING', "the claim's workflow is not running");
  const pending = await Promise.all((description.raw.pendingActivities ?? []).map((p) => pendingActivityView(ctx, p)));
  if (activityId !== undefined && !pending.some((p) => p.activityId === activityId)) {
    throw new ConflictError('NOTHING_TO_RETRY', `activity ${activityId} is not pending on this claim's workflow`);
  }
  const failing = pending.filter((p) => p.lastFailure !== null && (activityId === undefined || p.activityId === activityId));
  if (failing.length === 0)
    throw new ConflictError('NOTHING_TO_RETRY', "no step of this claim's workflow is failing: there is nothing to retry");

  const reset: { activityId: string; activityType: string; previousAttempt: number }[] = [];
  for (const a of failing) {
    const outcome = await callTemporal(temporal, timeouts.callMs, 'resetActivity', log, async () => {
      try {
        await temporal.workflowService.resetActivity({
          namespace: temporal.options.namespace,
          execution: { workflowId: description.workflowId, runId: description.runId },
          identity: `claimflow-api/${userId}`,
          id: a.activityId,
          resetHeartbeat: true,
        });
        return 'reset' as const;
      } catch (err) {
        const code = grpcCode(err);
        if (code === GRPC_UNIMPLEMENTED) return 'unimplemented' as const;
        if (code === GRPC_NOT_FOUND) return 'gone' as const;
        throw err;
      }
    });
    if (outcome === 'unimplemented') {
      throw new ApiError(
        501,
        'RETRY_NOT_SUPPORTED',
        `this Temporal server cannot reset an activity (WorkflowService.ResetActivity; the dev server of Temporal CLI 1.9 and recent servers can). ` +
          `${a.activityType} keeps retrying by its retry policy${a.nextAttemptAt ? `; its next attempt is at ${a.nextAttemptAt.toISOString()}` : ''}`,
      );
    }
    if (outcome === 'reset') reset.push({ activityId: a.activityId, activityType: a.activityType, previousAttempt: a.attempt });
  }
  if (reset.length === 0) throw new ConflictError('NOTHING_TO_RETRY', 'the failing step finished meanwhile: there is nothing to retry');
  await recordAudit(prisma, {
    actor: userId,
    action: 'claim.activity-reset',
    entity: 'claim',
    entityId: claimId,
    claimId,
    detail: {
      activities: reset.map((r) => ({ activityId: r.activityId, activityType: r.activityType, previousAttempt: r.previousAttempt })),
    },
  });
  return {
    claimId,
    reset,
    message: 'Temporal runs the step again now, with its attempt count back at 1; the workflow goes on when it succeeds',
  };
}

// ---- queues ------------------------------------------------------------------------------------

const QUEUES = ['CODER', 'BILLER', 'SUPERVISOR'] as const;

async function queueHealth(ctx: ApiContext, q: z.output<typeof queueHealthQuery>) {
  const { prisma, config } = ctx;
  const dayMs = config.dayMs;
  const now = q.asOf ? new Date(q.asOf) : new Date();
  const days = q.days ?? 7;
  // Whole day buckets: today's (so far) and the days before it.
  const from = new Date((Math.floor(now.getTime() / dayMs) - (days - 1)) * dayMs);
  const workable = { in: ['OPEN', 'CLAIMED'] as ('OPEN' | 'CLAIMED')[] };

  const [depth, oldest, overdue, claimedBy, done] = await Promise.all([
    prisma.task.groupBy({ by: ['queue', 'status'], where: { status: workable }, _count: { _all: true } }),
    prisma.task.groupBy({ by: ['queue'], where: { status: 'OPEN' }, _min: { createdAt: true } }),
    prisma.task.groupBy({ by: ['queue'], where: { status: workable, dueAt: { lt: now } }, _count: { _all: true } }),
    prisma.task.groupBy({ by: ['queue', 'assigneeId'], where: { status: 'CLAIMED' }, _count: { _all: true } }),
    prisma.task.findMany({
      where: { status: 'DONE', doneAt: { gte: from, lte: now } },
      select: { kind: true, doneById: true, createdAt: true, claimedAt: true, doneAt: true },
    }),
  ]);

  const queues = QUEUES.map((queue) => {
    const count = (status: string) => depth.find((d) => d.queue === queue && d.status === status)?._count._all ?? 0;
    const oldestAt = oldest.find((o) => o.queue === queue)?._min.createdAt ?? null;
    return {
      queue,
      open: count('OPEN'),
      claimed: count('CLAIMED'),
      overdue: overdue.find((o) => o.queue === queue)?._count._all ?? 0,
      oldestOpenCreatedAt: oldestAt?.toISOString() ?? null,
      oldestOpenAgeDays: oldestAt ? round1(Math.max(0, now.getTime() - oldestAt.getTime()) / dayMs) : null,
      claimedBy: claimedBy
        .filter((c) => c.queue === queue && c.assigneeId)
        .map((c) => ({ userId: c.assigneeId!, claimed: c._count._all }))
        .sort((a, b) => b.claimed - a.claimed || a.userId.localeCompare(b.userId)),
    };
  });

  const doneTasks = done.filter((t): t is typeof t & { doneAt: Date } => t.doneAt !== null);
  const perUserDay = throughputByUserDay(doneTasks, dayMs);
  const perUser = new Map<string, number>();
  for (const d of perUserDay) perUser.set(d.userId, (perUser.get(d.userId) ?? 0) + d.done);
  return {
    asOf: now.toISOString(),
    dayMs,
    queues,
    throughput: {
      days,
      from: from.toISOString(),
      to: now.toISOString(),
      perUserDay: perUserDay.map((d) => ({ userId: d.userId, day: d.day.toISOString(), done: d.done })),
      perUser: [...perUser.entries()]
        .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
        .map(([userId, n]) => ({ userId, done: n, perDay: round1(n / days) })),
    },
    handlingTime: handlingTimeByKind(doneTasks).map((h) => ({
      ...h,
      basis: 'claimed (or opened, if never claimed) to done, tasks done in the period',
    })),
  };
}

// ---- A/R -----------------------------------------------------------------------------------------

const CHARGE_PERIOD_DAYS = 90;

async function arMeasures(ctx: ApiContext, q: z.output<typeof arQuery>) {
  const { prisma } = ctx;
  const now = q.asOf ? new Date(q.asOf) : new Date();
  const windowDays = q.windowDays ?? 90;
  const today = isoFromDate(now);
  const daysBefore = (n: number) => isoFromDate(new Date(dateFromIso(today).getTime() - n * CALENDAR_DAY_MS));
  const windowFrom = daysBefore(windowDays - 1);
  const chargesFrom = daysBefore(CHARGE_PERIOD_DAYS - 1);

  const [open, payers, charges, payments, firstSubmissions] = await Promise.all([
    prisma.claim.findMany({
      where: { state: { notIn: CLOSED_STATES }, balanceCents: { gt: 0 }, encounter: { dateOfService: { lte: dateFromIso(today) } } },
      select: { payerId: true, balanceCents: true, encounter: { select: { dateOfService: true } } },
    }),
    prisma.payer.findMany({ select: { id: true, name: true } }),
    prisma.claim.aggregate({
      where: { state: { not: 'VOIDED' }, encounter: { dateOfService: { gte: dateFromIso(chargesFrom), lte: dateFromIso(today) } } },
      _sum: { totalChargeCents: true },
    }),
    prisma.claimPayment.findMany({
      where: { remittance: { paymentDate: { gte: dateFromIso(windowFrom), lte: dateFromIso(today) } } },
      select: { statusCode: true, adjustments: { select: { carc: true } } },
    }),
    prisma.submission.findMany({
      where: { attempt: 1, submittedAt: { gte: dateFromIso(windowFrom), lte: now } },
      select: { claimId: true, status: true, submittedAt: true },
    }),
  ]);

  const aging = agingReport(
    open.map((c) => ({ payerId: c.payerId, balanceCents: c.balanceCents, dateOfService: isoFromDate(c.encounter.dateOfService) })),
    now,
  );
  const payerName = new Map(payers.map((p) => [p.id, p.name]));
  const cleanFacts = await firstSubmissionFacts(ctx, firstSubmissions);

  return {
    asOf: now.toISOString(),
    windowDays,
    window: { from: windowFrom, to: today },
    aging: {
      basis:
        'open claim balances (claims not closed, voided or written off, serviced by the as-of date) by whole calendar days since the date of service',
      total: aging.total,
      byPayer: aging.byPayer.map((p) => ({ payerId: p.payerId, payerName: payerName.get(p.payerId) ?? p.payerId, ...p.aging })),
    },
    denials: denialRates(payments.map((p) => ({ statusCode: p.statusCode, carcs: [...new Set(p.adjustments.map((a) => a.carc))] }))),
    cleanClaims: cleanClaimRate(cleanFacts),
    daysInAr: daysInAr({
      openArCents: aging.total.totalCents,
      chargesCents: charges._sum.totalChargeCents ?? 0,
      periodDays: CHARGE_PERIOD_DAYS,
    }),
  };
}

/** What decides whether each claim's first submission was clean: its acknowledgement, the workflow's verdict, scrub fixes, resubmission. */
async function firstSubmissionFacts(
  ctx: ApiContext,
  firsts: { claimId: string; status: 'SENT' | 'ACCEPTED' | 'REJECTED'; submittedAt: Date }[],
): Promise<FirstSubmissionFacts[]> {
  if (firsts.length === 0) return [];
  const ids = firsts.map((f) => f.claimId);
  const [seconds, scrubFixes, verdicts] = await Promise.all([
    ctx.prisma.submission.findMany({ where: { claimId: { in: ids }, attempt: 2 }, select: { claimId: true, submittedAt: true } }),
    ctx.prisma.task.findMany({
      where: { claimId: { in: ids }, kind: { in: ['SCRUB_FIX_CODING', 'SCRUB_FIX_BILLING'] } },
      select: { claimId: true, createdAt: true },
    }),
    ctx.prisma.auditEvent.findMany({
      where: {
        claimId: { in: ids },
        action: 'claim.transition',
        OR: [{ detail: { path: ['to'], equals: 'ACKNOWLEDGED' } }, { detail: { path: ['to'], equals: 'REJECTED' } }],
      },
      select: { claimId: true, at: true, detail: true },
      orderBy: { id: 'asc' },
    }),
  ]);
  return firsts.map((f) => {
    const second = seconds.find((s) => s.claimId === f.claimId);
    const verdict = verdicts.find((v) => v.claimId === f.claimId && v.at >= f.submittedAt);
    const verdictState = (verdict?.detail as { to?: string } | undefined)?.to;
    return {
      firstSubmissionStatus: f.status,
      firstVerdict:
        verdict && (!second || verdict.at <= second.submittedAt)
          ? verdictState === 'ACKNOWLEDGED'
            ? ('ACCEPTED' as const)
            : ('REJECTED' as const)
          : undefined,
      resubmittedBeforeVerdict: !!second && (!verdict || verdict.at > second.submittedAt),
      scrubFixedBeforeSubmission: scrubFixes.some((t) => t.claimId === f.claimId && t.createdAt < f.submittedAt),
    };
  });
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}
