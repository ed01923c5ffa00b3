// A test double of the claimLifecycle workflow: just enough handlers (status query, completeTask and
// voidClaim updates with validators) to prove how the API maps the workflow's answers to HTTP.
// The real workflow lives in workflows/; this file is bundled only by api/queues.test.ts, whose access rules
// need a counterpart that accepts any completion of the task rows it inserts directly.
import { condition, setHandler } from '@temporalio/workflow';
import {
  claimStatusQuery,
  completeTaskUpdate,
  voidClaimUpdate,
  type ClaimLifecycleInput,
  type ClaimState,
  type ClaimStatusView,
} from '../../workflows/contract';

export async function claimLifecycle(input: ClaimLifecycleInput): Promise<void> {
  let state: ClaimState = 'CODING';
  const completed = new Set<string>();

  const view = (): ClaimStatusView => ({
    claimId: input.claimId,
    state,
    stateEnteredAt: new Date().toISOString(),
    openTasks: [],
    balanceCents: input.totalChargeCents,
    patientRespCents: 0,
    attempt: 0,
    frequencyCode: '1',
    followUps: 0,
    appealLevel: 0,
    history: [],
    runs: 1,
  });
  setHandler(claimStatusQuery, view);

  setHandler(
    completeTaskUpdate,
    (request) => {
      completed.add(request.taskId);
      state = 'SCRUBBING';
      return { taskId: request.taskId, action: request.outcome.action, state };
    },
    {
      validator: (request) => {
        if (completed.has(request.taskId)) throw new Error('this task was already completed');
        if (request.outcome.action === 'CONFIRM_CODES' && !request.outcome.diagnoses?.length) {
          throw new Error('confirming codes needs at least one diagnosis');
        }
      },
    },
  );

  setHandler(
    voidClaimUpdate,
    (_request) => {
      state = 'VOIDED';
      return { state };
    },
    {
      validator: (_request) => {
        if (state === 'VOIDED') throw new Error('the claim is already voided');
      },
    },
  );

  await condition(() => false);
}
