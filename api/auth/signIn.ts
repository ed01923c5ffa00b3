// Signing in with a user id and a password, and what a wrong password costs: after
// CLAIMFLOW_SIGN_IN_MAX_FAILURES failures in a row the user's password sign-in is locked for
// CLAIMFLOW_SIGN_IN_LOCK_MINUTES (an administrator's password reset lifts it). Every refusal answers the same,
// whether the user is unknown, has no password, is deactivated or locked, or the password is wrong, and takes
// about as long (a password check is always made), so that sign-in does not tell which user ids exist.
import type { PrismaClient, Session } from '../../generated/prisma/client';
import { recordAudit } from '../http/audit';
import { ApiError } from '../http/errors';
import { withOrigin } from '../http/requestContext';
import { callerSelect, isMachine, type Caller, type RoleName } from './caller';
import { passwordMatches, spendPasswordCheck } from './passwords';
import { openSession, type SessionPolicy } from './sessions';

/** The one refusal of a password sign-in. */
export class SignInFailedError extends ApiError {
  constructor() {
    super(
      401,
      'SIGN_IN_FAILED',
      'the user id or password is not right, or the account is locked after too many failed attempts (an administrator can reset the password)',
    );
  }
}

/** Who the audit trail names for an attempt on a user id that does not exist: never the text typed, which may be a password. */
export const UNKNOWN_USER = '(unknown)';

type Refusal = 'unknown-user' | 'no-password' | 'deactivated' | 'locked' | 'wrong-password';

export interface SignedIn {
  sessionId: string;
  session: Session;
  user: Caller;
}

export async function signInWithPassword(
  prisma: PrismaClient,
  policy: SessionPolicy,
  attempt: { userId: string; password: string },
  address: string,
): Promise<SignedIn> {
  const user = await prisma.user.findUnique({
    where: { id: attempt.userId },
    select: { ...callerSelect, passwordHash: true },
  });
  // A machine (CLEARINGHOUSE, EHR) never has a password; treated like a user without one.
  if (!user || isMachine(user.role as RoleName) || !user.passwordHash) {
    await spendPasswordCheck(attempt.password);
    await refused(prisma, user ? user.id : null, address, user ? 'no-password' : 'unknown-user');
    throw new SignInFailedError();
  }

  // Counted before the password is checked: parallel guesses each see the count the others added, so a burst
  // cannot try more than the limit before the lock falls.
  const counted = await prisma.user.update({
    where: { id: user.id },
    data: { failedSignIns: { increment: 1 } },
    select: { failedSignIns: true, lockedUntil: true },
  });
  const now = policy.now();
  const locked = counted.lockedUntil !== null && counted.lockedUntil.getTime() > now;
  const overLimit = counted.failedSignIns > policy.maxFailures;
  const matches = await passwordMatches(user.passwordHash, attempt.password);

  if (matches && user.active && !locked && !overLimit) {
    return prisma.$transaction(async (tx) => {
      await tx.user.update({ where: { id: user.id }, data: { failedSignIns: 0, lockedUntil: null } });
      const { sessionId, record } = await openSession(tx, user.id, address, policy);
      await withOrigin({ actor: user.id, address }, () =>
        recordAudit(tx, {
          actor: user.id,
          action: 'session.signIn',
          entity: 'session',
          entityId: record.id,
          detail: { userId: user.id, method: 'password' },
        }),
      );
      const { active: _active, passwordHash: _hash, ...caller } = user;
      return { sessionId, session: record, user: caller as Caller };
    });
  }

  const reason: Refusal = !user.active ? 'deactivated' : locked || overLimit ? 'locked' : 'wrong-password';
  const lockNow = !locked && counted.failedSignIns >= policy.maxFailures;
  const lockedUntil = lockNow ? new Date(now + policy.lockMs) : undefined;
  // While locked, attempts do not pile up towards the next lock; the lock itself restarts the count.
  if (locked || lockNow) await prisma.user.update({ where: { id: user.id }, data: { failedSignIns: 0, lockedUntil } });
  await refused(prisma, user.id, address, reason, counted.failedSignIns, lockedUntil);
  throw new SignInFailedError();
}

/** The audit row of a refused sign-in: who (when the user exists), why, and never what was typed. */
async function refused(
  prisma: PrismaClient,
  userId: string | null,
  address: string,
  reason: Refusal,
  failures?: number,
  lockedUntil?: Date,
): Promise<void> {
  const actor = userId ?? UNKNOWN_USER;
  await withOrigin({ actor, address }, async () => {
    await recordAudit(prisma, {
      actor,
      action: 'session.signInRefused',
      entity: 'user',
      entityId: actor,
      detail: { reason, ...(failures === undefined ? {} : { failures }) },
    });
    if (lockedUntil) {
      await recordAudit(prisma, {
        actor,
        action: 'user.lock',
        entity: 'user',
        entityId: actor,
        detail: { until: lockedUntil.toISOString(), failures: failures ?? 0 },
      });
    }
  });
}
