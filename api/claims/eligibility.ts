// The on-demand eligibility check of a claim's page: the same 270/271 exchange and EligibilityCheck row as the
// lifecycle's check before submission (infra/eligibility.ts), asked by a biller and always sent to the payer.
import { ApplicationFailure } from '@temporalio/common';
import type { PrismaClient } from '../../generated/prisma/client';
import type { Clearinghouse } from '../../domain/clearinghouse';
import { checkEligibility } from '../../infra/eligibility';
import type { InquiryIdentity } from '../../infra/x12Parties';
import { recordAudit } from '../http/audit';
import { ApiError, UnprocessableError } from '../http/errors';
import { eligibilityView } from '../http/views';
import type { EligibilityCheckView } from '../http/viewSchemas';

/** The clearinghouse could not be reached or failed: nothing was stored, a retry is safe. */
export class ClearinghouseUnavailableError extends ApiError {
  override readonly retryAfterS = 30;
  constructor(message = 'the clearinghouse did not answer the eligibility inquiry; try again shortly') {
    super(503, 'CLEARINGHOUSE_UNAVAILABLE', message);
  }
}

export async function checkClaimEligibility(
  deps: { prisma: PrismaClient; clearinghouse: Clearinghouse | undefined; identity: InquiryIdentity },
  claimId: string,
  userId: string,
): Promise<EligibilityCheckView & { cached: boolean }> {
  if (!deps.clearinghouse) throw new ClearinghouseUnavailableError('no clearinghouse is configured for this API process');
  let result;
  try {
    result = await checkEligibility(
      { prisma: deps.prisma, clearinghouse: deps.clearinghouse, identity: deps.identity },
      { claimId, force: true, actor: userId },
    );
  } catch (err) {
    // A 270 we cannot write (a field missing on the patient or coverage), or one the clearinghouse refused.
    if (err instanceof ApplicationFailure && err.nonRetryable) {
      const field = (err.details?.[0] as { field?: string } | undefined)?.field;
      throw new UnprocessableError('ELIGIBILITY_INQUIRY_REFUSED', `the eligibility inquiry cannot be made: ${err.message}`, field);
    }
    if (err instanceof Error && /^Clearinghouse|^EligibilityAnswerUnreadable$/.test(err.name)) throw new ClearinghouseUnavailableError();
    throw err;
  }
  await recordAudit(deps.prisma, {
    actor: userId,
    action: 'claim.eligibility-checked',
    entity: 'claim',
    entityId: claimId,
    claimId,
    detail: { checkId: result.checkId, status: result.status, cached: result.cached, forced: true },
  });
  const row = await deps.prisma.eligibilityCheck.findUniqueOrThrow({ where: { id: result.checkId } });
  return { ...eligibilityView(row), cached: result.cached };
}
