// Stuck claims: claims that have waited too long in a state, hold an overdue task, near their timely-filing limit,
// or whose workflow step Temporal keeps retrying; each listed with every reason. Rows from the read model,
// failing activities from Temporal.
import { WorkflowNotFoundError, type WorkflowExecutionInfo } from '@temporalio/client';
import { decodeOptionalFailureToOptionalError } from '@temporalio/common/lib/internal-non-workflow';
import { optionalTsToDate } from '@temporalio/common/lib/time';
import type { temporal as proto } from '@temporalio/proto';
import { z } from 'zod';
import type { Prisma } from '../../generated/prisma/client';
import { DEFAULT_FAILING_ACTIVITY_ATTEMPTS, stateTooLong, timelyFilingDosCutoff, timelyFilingRisk } from '../../domain/metrics';
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
import { inPractices, type PracticeScope } from '../auth/practices';
import type { ApiContext } from '../http/context';
import { isoFromDate } from '../http/dates';
import { decodeCursor, DEFAULT_PAGE_SIZE, encodeCursor } from '../http/paging';
import { STUCK_REASONS, stuckClaimsQuery, type stuckReason } from './schemas';
import { grpcCode } from '../http/temporal';
import { SUPERVISOR_MOUNT, round1 } from './shared';

/** Each source reads at most this many rows; beyond it the answer says `truncated`. */
const SOURCE_CAP = 2_000;
const DEFAULT_DESCRIBE_LIMIT = 100;
const DESCRIBE_CONCURRENCY = 8;
const DEFAULT_TIMELY_FILING_WITHIN_DAYS = 30;
/** Before the payer accepts a claim, its timely-filing clock runs. */
const PRE_ACCEPTANCE_STATES = ['CODING', 'SCRUBBING', 'READY', 'SUBMITTED', 'REJECTED'];
/** States the workflow passes through doing automated work: a pending activity there is what holds the claim. */
const AUTOMATED_STATES = ['SCRUBBING', 'READY', 'ACKNOWLEDGED', 'PAID', 'PARTIALLY_PAID', 'POSTED', 'WRITTEN_OFF'];

type StuckReason = z.output<typeof stuckReason>;
type StuckQuery = z.output<typeof stuckClaimsQuery>;
const stuckCursor = z.object({ s: z.iso.datetime(), id: z.string() });

/** What every source of stuck claims shares: the question, the clock, and where reasons are collected. */
interface StuckScan {
  ctx: ApiContext;
  q: StuckQuery;
  thresholds: Record<string, number>;
  now: Date;
  dayMs: number;
  /** the payer asked for, and the practices the caller sees */
  claimFilter: Prisma.ClaimWhereInput;
  scope: PracticeScope;
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

export async function findStuckClaims(ctx: ApiContext, thresholds: Record<string, number>, q: StuckQuery, scope: PracticeScope) {
  const now = q.asOf ? new Date(q.asOf) : new Date();
  const scan: StuckScan = {
    ctx,
    q,
    thresholds,
    now,
    dayMs: ctx.config.dayMs,
    claimFilter: { ...(q.payerId ? { payerId: q.payerId } : {}), ...inPractices(scope) },
    scope,
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
    where: { id: { in: [...scan.found.keys()] }, ...inPractices(scope) },
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
          scan.claimFilter,
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
      where: {
        status: { in: ['OPEN', 'CLAIMED'] },
        dueAt: { lt: now },
        ...(q.payerId ? { claim: { payerId: q.payerId } } : {}),
        ...inPractices(scan.scope),
      },
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
        ...inPractices(scan.scope),
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
    where: { ...scan.claimFilter, state: { in: AUTOMATED_STATES } },
    select: { id: true },
    orderBy: [{ stateEnteredAt: 'asc' }, { id: 'asc' }],
    take: limit,
  });
  for (const c of automated) ordered.add(c.id);
  // Temporal's list is of every practice: describe only the workflows of claims the caller may see.
  const visible = scan.scope.all
    ? null
    : new Set(
        (await ctx.prisma.claim.findMany({ where: { id: { in: [...ordered] }, ...inPractices(scan.scope) }, select: { id: true } })).map(
          (c) => c.id,
        ),
      );
  const ids = [...ordered].filter((id) => !visible || visible.has(id));
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
        retry: { method: 'POST', href: `${SUPERVISOR_MOUNT}/claims/${claimId}/retry` },
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

export async function pendingActivityView(ctx: ApiContext, p: proto.api.workflow.v1.IPendingActivityInfo): Promise<PendingActivityView> {
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
