// /api/supervisor: what supervisors watch (stuck claims, queue health, A/R measures) and the one repair they
// can make to a claim whose workflow step keeps failing. SUPERVISOR and ADMIN only.
import { Router } from 'express';
import { stateThresholds } from '../../domain/metrics';
import { recordAudit } from '../http/audit';
import { callerId } from '../auth/auth';
import { callerPractices } from '../auth/practices';
import type { ApiContext } from '../http/context';
import { parseInput } from '../http/errors';
import { addRoute, describeRoute, SUPERVISORS } from '../openapi/openapi';
import {
  arQuery,
  arResponse,
  mailboxFilesQuery,
  mailboxFilesResponse,
  queueHealthQuery,
  queueHealthResponse,
  retryActivityBody,
  retryActivityResponse,
  stuckClaimsQuery,
  stuckClaimsResponse,
} from './schemas';
import { findStuckClaims } from './stuckClaims';
import { retryFailingActivity } from './retry';
import { queueHealth } from './queueHealth';
import { arMeasures } from './ar';
import { SUPERVISOR_MOUNT } from './shared';
import { listMailboxFiles } from './mailboxFiles';

const MOUNT = SUPERVISOR_MOUNT;

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
  mailboxFiles: describeRoute({
    method: 'get',
    path: `${MOUNT}/mailbox-files`,
    roles: SUPERVISORS,
    tag: 'supervisor',
    summary: "The files fetched from the clearinghouse's SFTP mailbox and how the X12 intake took them, newest first",
    description:
      'RECEIVED (waiting for the poller), PROCESSED, or FAILED with the reason (codes and places in the file, never its content): ' +
      "an unreadable file, an 835 of a payer we do not know, or of one the mailbox's sender (CLAIMFLOW_SFTP_SENDER) may not deliver for. " +
      'A mailbox file serves every practice: a caller who does not see every practice gets an empty list.',
    query: mailboxFilesQuery,
    response: mailboxFilesResponse,
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

/** `options` default to the configuration's: CLAIMFLOW_STUCK_THRESHOLD_DAYS="CODING=2,AWAITING_ADJUDICATION=60". */
export function supervisorRouter(
  ctx: ApiContext,
  options: SupervisorOptions = { stateThresholdDays: ctx.config.stuckThresholdDays },
): Router {
  const thresholds = stateThresholds(options.stateThresholdDays);
  const router = Router();

  addRoute(router, MOUNT, routes.stuckClaims, async (req, res) => {
    const query = parseInput(stuckClaimsQuery, req.query);
    const answer = await findStuckClaims(ctx, thresholds, query, callerPractices(res));
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
    res.json(await queueHealth(ctx, parseInput(queueHealthQuery, req.query), callerPractices(res)));
  });

  addRoute(router, MOUNT, routes.ar, async (req, res) => {
    res.json(await arMeasures(ctx, parseInput(arQuery, req.query), callerPractices(res)));
  });

  addRoute(router, MOUNT, routes.mailboxFiles, async (req, res) => {
    res.json(await listMailboxFiles(ctx, parseInput(mailboxFilesQuery, req.query), callerPractices(res)));
  });

  addRoute(router, MOUNT, routes.retry, async (req, res) => {
    const body = parseInput(retryActivityBody, req.body ?? {});
    const answer = await retryFailingActivity(ctx, req.params.id as string, body.activityId, callerId(res), callerPractices(res));
    res.status(202).json(answer);
  });

  return router;
}
