// The practice new records go to: the one named, if the caller works for it, or the caller's only practice.
import type { Prisma, PrismaClient } from '../../generated/prisma/client';
import { maySee, type PracticeScope } from '../auth/practices';
import { UnprocessableError } from '../http/errors';

export async function practiceFor(
  db: PrismaClient | Prisma.TransactionClient,
  scope: PracticeScope,
  named: string | undefined,
  field = 'organizationId',
): Promise<string> {
  if (named !== undefined) {
    const org = maySee(scope, named) ? await db.organization.findUnique({ where: { id: named }, select: { id: true } }) : null;
    if (!org) throw new UnprocessableError('UNKNOWN_REFERENCE', 'no such practice among yours', field);
    return org.id;
  }
  const candidates = (
    await db.organization.findMany({ where: scope.all ? {} : { id: { in: [...scope.ids] } }, select: { id: true }, take: 2 })
  ).map((o) => o.id);
  if (candidates.length === 1) return candidates[0];
  throw new UnprocessableError(
    candidates.length === 0 ? 'NO_PRACTICE' : 'PRACTICE_REQUIRED',
    candidates.length === 0 ? 'you are not assigned to any practice' : 'you work for several practices: name one',
    field,
  );
}
