// A claim looked up by id for a caller: a claim of a practice the caller does not see is not found.
import type { PrismaClient } from '../../generated/prisma/client';
import { inPractices, type PracticeScope } from '../auth/practices';
import { NotFoundError } from '../http/errors';

export async function visibleClaim(prisma: PrismaClient, scope: PracticeScope, claimId: string): Promise<{ id: string; state: string }> {
  const claim = await prisma.claim.findFirst({ where: { id: claimId, ...inPractices(scope) }, select: { id: true, state: true } });
  if (!claim) throw new NotFoundError('claim');
  return claim;
}
