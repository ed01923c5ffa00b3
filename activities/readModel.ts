// Keeps the claims table (what supervisors and lists query) in step with the workflow's state.
import { FINAL_STATES } from '../workflows/contract';
import type { TransitionInput } from '../workflows/activities';
import type { ActivityDeps } from './deps';
import { audit } from './audit';

export function readModelActivities({ prisma }: ActivityDeps) {
  return {
    async recordTransition(t: TransitionInput): Promise<void> {
      await prisma.$transaction(async (tx) => {
        await tx.claim.update({
          where: { id: t.claimId },
          data: {
            state: t.to,
            stateEnteredAt: new Date(t.at),
            closedAt: FINAL_STATES.includes(t.to) ? new Date(t.at) : null,
          },
        });
        await audit(tx, {
          actor: 'workflow',
          action: 'claim.transition',
          entity: 'claim',
          entityId: t.claimId,
          claimId: t.claimId,
          detail: { from: t.from, to: t.to, at: t.at, reason: t.reason },
        });
      });
    },
  };
}
