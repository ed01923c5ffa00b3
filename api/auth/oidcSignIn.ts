// From an identity the provider vouched for to a claimflow user, and the same session a password opens. The
// user is the one linked to the identity (issuer and subject), or, the first time, the one CLAIMFLOW_OIDC_LINK_BY
// names (the verified e-mail, or the username as user id) if that user is active and not linked to another
// identity yet; the link is then stored. Nobody is ever created or given a role by signing in: an identity no
// user matches is refused, and so is a deactivated user.
import type { PrismaClient } from '../../generated/prisma/client';
import type { OidcLinkBy } from '../../infra/config';
import { recordAudit } from '../http/audit';
import { ForbiddenError } from '../http/errors';
import { withOrigin } from '../http/requestContext';
import { callerSelect, type Caller } from './caller';
import type { VerifiedIdentity } from './oidcClient';
import { openSession, type SessionPolicy } from './sessions';
import type { SignedIn } from './signIn';
import { UNKNOWN_USER } from './signIn';

type Refusal = 'no-linked-user' | 'deactivated' | 'machine';

/** The identity provider signed someone in whom claimflow does not let in. */
export class SsoUserRefusedError extends ForbiddenError {
  constructor(readonly reason: Refusal) {
    super(
      reason === 'deactivated'
        ? 'your identity provider signed you in, but your claimflow user is deactivated; ask an administrator'
        : 'your identity provider signed you in, but no claimflow user is linked to that account: an administrator must create your user (with your e-mail address) first',
      reason === 'deactivated' ? 'SSO_USER_INACTIVE' : 'SSO_UNKNOWN_USER',
    );
  }
}

const userSelect = { ...callerSelect, oidcSubject: true } as const;

export async function signInWithIdentity(
  prisma: PrismaClient,
  policy: SessionPolicy,
  identity: VerifiedIdentity,
  linkBy: OidcLinkBy,
  address: string,
): Promise<SignedIn> {
  const linked = await prisma.user.findUnique({
    where: { oidcIssuer_oidcSubject: { oidcIssuer: identity.issuer, oidcSubject: identity.subject } },
    select: userSelect,
  });
  const candidate = linked ?? (await linkCandidate(prisma, identity, linkBy));
  const refusal: Refusal | null = !candidate
    ? 'no-linked-user'
    : candidate.role === 'CLEARINGHOUSE'
      ? 'machine'
      : !candidate.active
        ? 'deactivated'
        : null;
  if (!candidate || refusal) {
    await refused(prisma, candidate?.id ?? null, address, refusal ?? 'no-linked-user', identity.issuer);
    throw new SsoUserRefusedError(refusal ?? 'no-linked-user');
  }

  return prisma.$transaction(async (tx) => {
    const origin = { actor: candidate.id, address };
    if (!linked) {
      // Only while still unlinked: of two first sign-ins racing for one user, one identity gets it.
      const { count } = await tx.user.updateMany({
        where: { id: candidate.id, oidcSubject: null },
        data: { oidcIssuer: identity.issuer, oidcSubject: identity.subject, oidcLinkedAt: new Date(policy.now()) },
      });
      if (count !== 1) throw new SsoUserRefusedError('no-linked-user');
      await withOrigin(origin, () =>
        recordAudit(tx, {
          actor: candidate.id,
          action: 'user.ssoLink',
          entity: 'user',
          entityId: candidate.id,
          detail: { issuer: identity.issuer, subject: identity.subject, by: linkBy },
        }),
      );
    }
    const { sessionId, record } = await openSession(tx, candidate.id, address, policy);
    await withOrigin(origin, () =>
      recordAudit(tx, {
        actor: candidate.id,
        action: 'session.signIn',
        entity: 'session',
        entityId: record.id,
        detail: { userId: candidate.id, method: 'oidc', issuer: identity.issuer },
      }),
    );
    const { active: _active, oidcSubject: _subject, ...caller } = candidate;
    return { sessionId, session: record, user: caller as Caller };
  });
}

/** The user a first sign-in of `identity` links to, if CLAIMFLOW_OIDC_LINK_BY finds one that is not linked yet. */
async function linkCandidate(prisma: PrismaClient, identity: VerifiedIdentity, linkBy: OidcLinkBy) {
  let user = null;
  // An e-mail the provider has not verified could be anyone's to type in.
  if (linkBy === 'email' && identity.email && identity.emailVerified) {
    user = await prisma.user.findUnique({ where: { email: identity.email.toLowerCase() }, select: userSelect });
  } else if (linkBy === 'username' && identity.username) {
    user = await prisma.user.findUnique({ where: { id: identity.username }, select: userSelect });
  }
  // A user linked to another identity stays with it: an administrator unlinks first (PATCH .../users/:id { "sso": null }).
  return user && user.oidcSubject === null ? user : null;
}

async function refused(prisma: PrismaClient, userId: string | null, address: string, reason: Refusal, issuer: string): Promise<void> {
  const actor = userId ?? UNKNOWN_USER;
  await withOrigin({ actor, address }, () =>
    recordAudit(prisma, {
      actor,
      action: 'session.signInRefused',
      entity: 'user',
      entityId: actor,
      detail: { method: 'oidc', reason, issuer },
    }),
  );
}
