// Eligibility before submission: one activity that does the 270/271 exchange (or finds the answer on file for the
// coverage and date of service) and writes its row, so each check costs the workflow one activity.
import { ApplicationFailure } from '@temporalio/activity';
import { checkEligibility, EligibilityClaimNotFound } from '../infra/eligibility';
import type { ActivityDeps } from './deps';
import type { EligibilityCheckInput, EligibilityCheckResult } from '../workflows/activities';
import { audit } from './audit';

export function eligibilityActivities({ prisma, clearinghouse, x12 }: ActivityDeps) {
  const identity = { sender: x12.sender, receiver: x12.receiver, usage: x12.usage };
  return {
    async checkEligibility(input: EligibilityCheckInput): Promise<EligibilityCheckResult> {
      let result: EligibilityCheckResult;
      try {
        result = await checkEligibility(
          { prisma, clearinghouse, identity },
          { claimId: input.claimId, force: input.force, actor: 'workflow' },
        );
      } catch (err) {
        if (err instanceof EligibilityClaimNotFound) throw ApplicationFailure.nonRetryable(err.message, 'NotFound');
        throw err;
      }
      await prisma.$transaction((tx) =>
        audit(tx, {
          actor: 'workflow',
          action: 'claim.eligibility-checked',
          entity: 'claim',
          entityId: input.claimId,
          claimId: input.claimId,
          detail: { checkId: result.checkId, status: result.status, cached: result.cached, forced: input.force },
        }),
      );
      return result;
    },
  };
}
