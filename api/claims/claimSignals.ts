// Delivers what arrived from the payer to a claim's workflow. Runs after the message is committed, so a
// failure here loses nothing: the sender re-delivers, the duplicate path signals again and the workflow
// dedupes by message id.
import { WorkflowNotFoundError } from '@temporalio/client';
import type { SignalDefinition } from '@temporalio/common';
import { workflowIdForClaim } from '../../workflows/contract';
import { startClaimWorkflow } from './claimWorkflow';
import type { ApiContext } from '../http/context';
import { callTemporal } from '../http/temporal';

/**
 * delivered: the workflow has it. workflow-closed: the claim's lifecycle has ended, nobody will read it.
 * workflow-missing: the claim moved past CODING yet has no workflow (retention deleted it); logged, not retried.
 */
export type SignalOutcome = 'delivered' | 'workflow-closed' | 'workflow-missing';

export async function signalClaimWorkflow<Arg>(
  ctx: ApiContext,
  claimId: string,
  signal: SignalDefinition<[Arg]>,
  arg: Arg,
): Promise<SignalOutcome> {
  const { temporal, prisma, config, log, timeouts } = ctx;
  const handle = temporal.workflow.getHandle(workflowIdForClaim(claimId));
  const send = () => callTemporal(temporal, timeouts.callMs, `signal ${signal.name}`, log, () => handle.signal(signal, arg));
  try {
    await send();
    return 'delivered';
  } catch (err) {
    if (!(err instanceof WorkflowNotFoundError)) throw err;
  }

  const exists = await callTemporal(temporal, timeouts.callMs, 'describe', log, () =>
    handle.describe().then(
      () => true,
      (err: unknown) => {
        if (err instanceof WorkflowNotFoundError) return false;
        throw err;
      },
    ),
  );
  if (exists) {
    log('signal not delivered: workflow closed', { claimId, signal: signal.name });
    return 'workflow-closed';
  }
  // Never started: its start failed after the claim was committed. Start it now rather than wait for the sweep.
  const claim = await prisma.claim.findUnique({ where: { id: claimId }, select: { state: true } });
  if (claim?.state !== 'CODING') {
    log('signal not delivered: workflow missing', { claimId, signal: signal.name });
    return 'workflow-missing';
  }
  await callTemporal(temporal, timeouts.callMs, 'start', log, () => startClaimWorkflow(temporal, prisma, config, claimId));
  await send();
  return 'delivered';
}

/** Signals many claims a few at a time: one 835 can carry hundreds of claims. */
export async function signalEach<T>(items: T[], send: (item: T) => Promise<unknown>, concurrency = 16): Promise<void> {
  for (let i = 0; i < items.length; i += concurrency) {
    await Promise.all(items.slice(i, i + concurrency).map(send));
  }
}
