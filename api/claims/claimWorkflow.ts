// Starts a claim's lifecycle workflow from its stored row. The API calls it after creating a claim; the
// worker calls it at start for claims whose first start failed. Starting twice is harmless.
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { Payer, PrismaClient } from '../../generated/prisma/client';
import type { Config } from '../../infra/config';
import {
  ClaimPayerKey,
  ClaimStateEnteredAtKey,
  ClaimStateKey,
  CLAIM_WORKFLOW_TYPE,
  DEFAULT_TASK_SLA_DAYS,
  TASK_QUEUE,
  TASK_KINDS,
  workflowIdForClaim,
  type ClaimLifecycleInput,
  type ClaimState,
  type LifecycleOptions,
  type PayerPolicy,
  type TaskKind,
} from '../../workflows/contract';
import type { claimLifecycle } from '../../workflows/claimLifecycle';
import { mostSpecificRule } from '../auth/access';
import { isoFromDate } from '../http/dates';

export interface ClaimWorkflowStart {
  workflowId: string;
  /** false when a workflow with this id already ran or runs: nothing new was started */
  started: boolean;
}

export type LifecycleConfig = Pick<Config, 'dayMs' | 'writeOffApprovalThresholdCents' | 'continueAsNewAfterEvents'>;

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
  const input: ClaimLifecycleInput = {
    claimId: claim.id,
    payer: payerPolicy(claim.payer),
    dateOfService: isoFromDate(claim.encounter.dateOfService),
    totalChargeCents: claim.totalChargeCents,
    options: {
      dayMs: config.dayMs,
      writeOffApprovalThresholdCents: config.writeOffApprovalThresholdCents,
      ...(config.continueAsNewAfterEvents ? { continueAsNewAfterEvents: config.continueAsNewAfterEvents } : {}),
      ...(await slaOverrides(prisma, claim.payer.payerGroup, claim.organizationId)),
    },
  };
  return startLifecycle(temporal, input, claim.state as ClaimState, claim.stateEnteredAt);
}

/** The payer's rules a claim's lifecycle keeps for its whole life. */
export function payerPolicy(payer: Payer): PayerPolicy {
  return {
    payerId: payer.id,
    electronicPayerId: payer.electronicPayerId,
    followUpIntervalDays: payer.followUpIntervalDays,
    maxFollowUps: payer.maxFollowUps,
    timelyFilingDays: payer.timelyFilingDays,
    appealWindowDays: payer.appealWindowDays,
    appealLevels: payer.appealLevels,
  };
}

/** Starts the lifecycle for `input`, showing `state` to supervisors' searches from the first moment. */
export async function startLifecycle(
  temporal: Client,
  input: ClaimLifecycleInput,
  state: ClaimState,
  stateEnteredAt: Date,
): Promise<ClaimWorkflowStart> {
  const workflowId = workflowIdForClaim(input.claimId);
  try {
    await temporal.workflow.start<typeof claimLifecycle>(CLAIM_WORKFLOW_TYPE, {
      taskQueue: TASK_QUEUE,
      workflowId,
      args: [input],
      // A claim has exactly one lifecycle: a closed workflow's id must not start a second one.
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      // Set at start so supervisors can find the claim before its first workflow task runs. No PHI here:
      // search attributes are stored unencrypted.
      typedSearchAttributes: [
        { key: ClaimStateKey, value: state },
        { key: ClaimStateEnteredAtKey, value: stateEnteredAt },
        { key: ClaimPayerKey, value: input.payer.payerId },
      ],
    });
    return { workflowId, started: true };
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return { workflowId, started: false };
    throw err;
  }
}

/**
 * Task SLAs from the routing rules that differ from the workflow's defaults: per kind the most specific rule
 * (the claim's practice before every practice, the payer's group before every payer). A claim keeps the SLAs it
 * started with; a changed rule applies to new claims.
 */
async function slaOverrides(
  prisma: PrismaClient,
  payerGroup: string | null,
  organizationId: string,
): Promise<Pick<LifecycleOptions, 'taskSlaDays'> | {}> {
  const rules = await prisma.routingRule.findMany({
    where: { payerGroup: { in: payerGroup ? ['*', payerGroup] : ['*'] }, organizationId: { in: [organizationId, '*'] } },
  });
  const taskSlaDays: Partial<Record<TaskKind, number>> = {};
  for (const kind of Object.keys(TASK_KINDS) as TaskKind[]) {
    const rule = mostSpecificRule(rules.filter((r) => r.kind === kind));
    if (rule) taskSlaDays[kind] = rule.slaDays;
  }
  for (const kind of Object.keys(taskSlaDays) as TaskKind[]) {
    if (taskSlaDays[kind] === DEFAULT_TASK_SLA_DAYS[kind]) delete taskSlaDays[kind];
  }
  return Object.keys(taskSlaDays).length ? { taskSlaDays } : {};
}
