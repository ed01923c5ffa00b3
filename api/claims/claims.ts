// /api/claims: charge capture, the claim's read-model view joined with its workflow's own view, work
// lists by state, and voiding (which the workflow decides on).
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { Router } from 'express';
import { z } from 'zod';
import type { Prisma } from '../../generated/prisma/client';
import {
  CLAIM_STATES,
  claimStatusQuery,
  voidClaimUpdate,
  workflowIdForClaim,
  type ClaimState,
  type ClaimStatusView,
} from '../../workflows/contract';
import { recordAudit } from '../http/audit';
import { ROLES } from '../auth/access';
import { callerId, requireRole } from '../auth/auth';
import { assertMaySee, callerPractices, inPractices } from '../auth/practices';
import { startClaimWorkflow } from './claimWorkflow';
import type { ApiContext } from '../http/context';
import { checkClaim } from './checkClaim';
import { cms1500Handler } from './cms1500';
import { createClaim } from './createClaim';
import { ConflictError, NotFoundError, parseInput, TemporalUnavailableError } from '../http/errors';
import { decodeCursor, DEFAULT_PAGE_SIZE, encodeCursor } from '../http/paging';
import {
  claimCheckResponse,
  claimListQuery,
  cms1500Query,
  createClaimBody,
  eligibilityCheckResponse,
  idempotencyKey,
  voidClaimBody,
  type claimCountsResponse,
  type claimDetailResponse,
  type claimListResponse,
  type createdClaimResponse,
  type voidClaimResponse,
} from './schemas';
import { callTemporal } from '../http/temporal';
import { claimSummaryInclude, claimSummaryView, loadClaimDetail } from '../http/views';
import { visibleClaim } from './visibleClaim';
import { addRoute, describeRoute } from '../openapi/openapi';
import { inquiryIdentity } from '../../infra/x12Parties';
import { checkClaimEligibility } from './eligibility';

const MOUNT = '/api/claims';

const routes = {
  check: describeRoute({
    method: 'post',
    path: `${MOUNT}/check`,
    roles: ROLES.billing,
    tag: 'claims',
    summary: "The scrubber's findings on a claim before it is sent, nothing saved",
    description:
      'Takes the body POST /api/claims takes, resolves its patient, provider and coverage the same way (within the ' +
      "caller's practices; 422 naming the field otherwise) and runs the claim edits the workflow's scrub step runs, with " +
      'the same code sets, as of today. Writes nothing: no encounter, claim or audit row.',
    body: createClaimBody,
    response: claimCheckResponse,
  }),
  cms1500: describeRoute({
    method: 'get',
    path: `${MOUNT}/:id/cms1500.pdf`,
    roles: ROLES.billing,
    tag: 'claims',
    summary: 'The claim as a CMS-1500 (02/12) paper claim (PDF)',
    description:
      "The claim's values at the form's box positions (Courier, 10 characters per inch, 6 lines per inch) for printing " +
      'onto the red pre-printed form, six service lines a page, each page totalled (docs/cms1500.md). `outline=true` ' +
      "draws the form's boxes and labels beneath, for a plain-paper copy. A claim of another practice is 404; every " +
      'download is audited (claim.cms1500). Sent as an attachment named by the claim id, never cached.',
    query: cms1500Query,
    responseMediaType: 'application/pdf',
    responseDescription: 'the PDF, one US Letter page per six service lines',
  }),
  eligibility: describeRoute({
    method: 'post',
    path: `${MOUNT}/:id/eligibility`,
    roles: ROLES.billing,
    tag: 'claims',
    summary: "Checks the claim's coverage on its date of service with the payer now (270/271)",
    description:
      "Sends a 270 for the coverage and date of service of the claim (one of the caller's practices; 404 otherwise), reads " +
      "the payer's 271 and stores it as the check on file for that coverage and date, replacing an older one: the claim page " +
      'shows it, and the lifecycle reads it instead of asking again. Always asks the payer (a check on demand is never ' +
      'answered from the cache). 503 CLEARINGHOUSE_UNAVAILABLE when the clearinghouse does not answer (nothing stored), ' +
      '422 when the inquiry cannot be made (the field named). The answer holds no member data; the audit log records who asked.',
    response: eligibilityCheckResponse,
  }),
};

const claimCursor = z.object({ t: z.iso.datetime(), id: z.string() });

export function claimsRouter(ctx: ApiContext): Router {
  const { prisma, temporal, config, log, timeouts } = ctx;
  const router = Router();

  // Before the /:id routes; a POST to /check would not reach them anyway (they are GET, or POST /:id/void).
  addRoute(router, MOUNT, routes.check, async (req, res) => {
    const body = parseInput(createClaimBody, req.body);
    res.json(await checkClaim(prisma, config, body, callerPractices(res)));
  });

  addRoute(router, MOUNT, routes.cms1500, cms1500Handler(prisma, config));

  router.post('/', requireRole(...ROLES.billing), async (req, res) => {
    const body = parseInput(createClaimBody, req.body);
    const rawKey = req.get('Idempotency-Key');
    const key = rawKey === undefined ? undefined : parseInput(idempotencyKey, rawKey, ['Idempotency-Key']);
    const { claimId, replayed } = await createClaim(prisma, body, callerId(res), callerPractices(res), key);
    res.location(`/api/claims/${claimId}`);
    if (replayed) res.set('Idempotent-Replayed', 'true');
    // A replay starts again too: if the first start failed, the retried request is what gets it going.
    try {
      await callTemporal(temporal, timeouts.callMs, 'start', log, () => startClaimWorkflow(temporal, prisma, config, claimId));
    } catch (err) {
      if (err instanceof TemporalUnavailableError) {
        throw new TemporalUnavailableError(
          `claim ${claimId} was saved, but its workflow could not be started yet; it will be started when the workflow service is reachable`,
        );
      }
      throw err;
    }
    const claim = await loadClaimDetail(prisma, claimId);
    // createClaim has just saved it (or found it by its key), and claims are never deleted: null is a bug, not a 404.
    if (!claim) throw new Error(`claim ${claimId} was saved but cannot be read back`);
    const created: z.output<typeof createdClaimResponse> = { ...claim, workflowId: workflowIdForClaim(claimId) };
    res.status(201).json(created);
  });

  addRoute(router, MOUNT, routes.eligibility, async (req, res) => {
    const claimId = String(req.params.id);
    await visibleClaim(prisma, callerPractices(res), claimId);
    const identity = inquiryIdentity(config);
    const check: z.output<typeof eligibilityCheckResponse> = await checkClaimEligibility(
      { prisma, clearinghouse: ctx.clearinghouse(), identity },
      claimId,
      callerId(res),
    );
    res.json(check);
  });

  router.get('/summary', requireRole(...ROLES.anyone), async (_req, res) => {
    const groups = await prisma.claim.groupBy({ by: ['state'], where: inPractices(callerPractices(res)), _count: { _all: true } });
    const counts: Record<string, number> = Object.fromEntries(CLAIM_STATES.map((s) => [s, 0]));
    for (const g of groups) counts[g.state] = g._count._all;
    const summary: z.output<typeof claimCountsResponse> = { counts, total: groups.reduce((sum, g) => sum + g._count._all, 0) };
    res.json(summary);
  });

  router.get('/', requireRole(...ROLES.anyone), async (req, res) => {
    const query = parseInput(claimListQuery, req.query);
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const after = decodeCursor(claimCursor, query.cursor);
    const now = new Date();
    const where: Prisma.ClaimWhereInput[] = [inPractices(callerPractices(res))];
    if (query.state) where.push({ state: query.state });
    if (query.payerId) where.push({ payerId: query.payerId });
    // Days are lifecycle days (config.dayMs), so a compressed demo ages claims at the speed its timers run.
    if (query.olderThanDays !== undefined) {
      where.push({ stateEnteredAt: { lt: new Date(now.getTime() - query.olderThanDays * config.dayMs) } });
    }
    if (after) {
      const t = new Date(after.t);
      where.push({ OR: [{ stateEnteredAt: { gt: t } }, { stateEnteredAt: t, id: { gt: after.id } }] });
    }
    const rows = await prisma.claim.findMany({
      where: { AND: where },
      orderBy: [{ stateEnteredAt: 'asc' }, { id: 'asc' }],
      take: limit + 1,
      include: claimSummaryInclude,
    });
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    const nextCursor = rows.length > limit && last ? encodeCursor({ t: last.stateEnteredAt.toISOString(), id: last.id }) : null;
    await recordAudit(prisma, {
      actor: callerId(res),
      action: 'claim.list',
      entity: 'claim',
      entityId: '*',
      detail: {
        state: query.state ?? null,
        payerId: query.payerId ?? null,
        olderThanDays: query.olderThanDays ?? null,
        claimIds: page.map((c) => c.id),
      },
    });
    const answer: z.output<typeof claimListResponse> = { items: page.map((c) => claimSummaryView(c, now)), nextCursor };
    res.json(answer);
  });

  router.get('/:id', requireRole(...ROLES.anyone), async (req, res) => {
    const claimId = req.params.id;
    const [claim, workflow] = await Promise.all([loadClaimDetail(prisma, claimId), queryWorkflow(ctx, claimId)]);
    if (!claim) throw new NotFoundError('claim');
    assertMaySee(callerPractices(res), claim.organizationId, 'claim');
    await recordAudit(prisma, { actor: callerId(res), action: 'claim.read', entity: 'claim', entityId: claimId, claimId });
    const detail: z.output<typeof claimDetailResponse> = { ...claim, workflow };
    res.json(detail);
  });

  router.post('/:id/void', requireRole(...ROLES.billing), async (req, res) => {
    const claimId = req.params.id;
    const { reason } = parseInput(voidClaimBody, req.body);
    const userId = callerId(res);
    await visibleClaim(prisma, callerPractices(res), claimId);
    const handle = temporal.workflow.getHandle(workflowIdForClaim(claimId));
    let result: { state: ClaimState };
    try {
      result = await callTemporal(temporal, timeouts.updateMs, 'update voidClaim', log, () =>
        handle.executeUpdate(voidClaimUpdate, { args: [{ userId, reason }] }),
      );
    } catch (err) {
      if (err instanceof WorkflowUpdateFailedError) throw new ConflictError('VOID_REJECTED', err.cause?.message ?? err.message);
      if (err instanceof WorkflowNotFoundError) {
        throw new ConflictError('WORKFLOW_NOT_RUNNING', "the claim's workflow is not running");
      }
      throw err;
    }
    // The reason is free text and may name the patient: it stays in the workflow, not in the audit log.
    await recordAudit(prisma, {
      actor: userId,
      action: 'claim.void',
      entity: 'claim',
      entityId: claimId,
      claimId,
      detail: { state: result.state },
    });
    const voided: z.output<typeof voidClaimResponse> = { claimId, state: result.state };
    res.json(voided);
  });

  return router;
}

/** The workflow's own view, or null when no worker answers in time: the read model still answers. */
async function queryWorkflow(ctx: ApiContext, claimId: string): Promise<ClaimStatusView | null> {
  const handle = ctx.temporal.workflow.getHandle(workflowIdForClaim(claimId));
  try {
    return await ctx.temporal.withDeadline(Date.now() + ctx.timeouts.queryMs, () => handle.query(claimStatusQuery));
  } catch {
    return null;
  }
}
