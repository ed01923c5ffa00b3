// Starts a claim's lifecycle workflow from its stored row. The API calls it after creating a claim; the
// worker calls it at start for claims whose first start failed. Starting twice is harmless.
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { PrismaClient } from '../generated/prisma/client';
import type { Config } from '../infra/config';
import {
  ClaimPayerKey,
  ClaimStateEnteredAtKey,
  ClaimStateKey,
  TASK_QUEUE,
  workflowIdForClaim,
  type ClaimLifecycleInput,
  type ClaimState,
  type PayerPolicy,
} from '../workflows/contract';
import { isoFromDate } from './dates';

export interface ClaimWorkflowStart {
  workflowId: string;
  /** false when a workflow with this id already ran or runs: nothing new was started */
  started: boolean;
}

export type LifecycleConfig = Pick<Config, 'dayMs' | 'writeOffApprovalThresholdCents'>;

export async function startClaimWorkflow(
  temporal: Client,
  prisma: PrismaClient,
  config: LifecycleConfig,
  claimId: string,
): Promise<ClaimWorkflowStart> {
  const claim = await prisma.claim.findUniqueOrThrow({
    where: { id: claimId },
    include: { payer: true, encounter: { select: { dateOfService: true } } },
  });
  const payer: PayerPolicy = {
    payerId: claim.payer.id,
    electronicPayerId: claim.payer.electronicPayerId,
    followUpIntervalDays: claim.payer.followUpIntervalDays,
    maxFollowUps: claim.payer.maxFollowUps,
    timelyFilingDays: claim.payer.timelyFilingDays,
    appealWindowDays: claim.payer.appealWindowDays,
    appealLevels: claim.payer.appealLevels,
  };
  const input: ClaimLifecycleInput = {
    claimId: claim.id,
    payer,
    dateOfService: isoFromDate(claim.encounter.dateOfService),
    totalChargeCents: claim.totalChargeCents,
    options: { dayMs: config.dayMs, writeOffApprovalThresholdCents: config.writeOffApprovalThresholdCents },
  };
  const workflowId = workflowIdForClaim(claim.id);
  try {
    await temporal.workflow.start('claimLifecycle', {
      taskQueue: TASK_QUEUE,
      workflowId,
      args: [input],
      // A claim has exactly one lifecycle: a closed workflow's id must not start a second one.
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      // Set at start so supervisors can find the claim before its first workflow task runs. No PHI here:
      // search attributes are stored unencrypted.
      typedSearchAttributes: [
        { key: ClaimStateKey, value: claim.state as ClaimState },
        { key: ClaimStateEnteredAtKey, value: claim.stateEnteredAt },
        { key: ClaimPayerKey, value: claim.payerId },
      ],
    });
    return { workflowId, started: true };
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return { workflowId, started: false };
    throw err;
  }
}
