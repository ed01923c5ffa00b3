// The one repair a supervisor makes to a claim: run its failing workflow step again now (ResetActivity).
import { WorkflowNotFoundError } from '@temporalio/client';
import { workflowIdForClaim } from '../../workflows/contract';
import type { PracticeScope } from '../auth/practices';
import { visibleClaim } from '../claims/visibleClaim';
import { recordAudit } from '../http/audit';
import type { ApiContext } from '../http/context';
import { ApiError, ConflictError } from '../http/errors';
import { callTemporal, grpcCode } from '../http/temporal';
import { pendingActivityView } from './stuckClaims';

const GRPC_NOT_FOUND = 5;
const GRPC_UNIMPLEMENTED = 12;

export async function retryFailingActivity(
  ctx: ApiContext,
  claimId: string,
  activityId: string | undefined,
  userId: string,
  scope: PracticeScope,
) {
  const { prisma, temporal, log, timeouts } = ctx;
  await visibleClaim(prisma, scope, claimId);
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
