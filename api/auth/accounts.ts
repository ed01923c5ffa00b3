// Users, their API tokens and passwords: creating and changing users, issuing a token (its text is returned
// once and only its hash kept) and revoking one, setting a password. The admin routes and scripts/admin.ts
// both call these.
import type { ApiToken, Prisma, PrismaClient, User } from '../../generated/prisma/client';
import { recordAudit } from '../http/audit';
import { ConflictError, isUniqueViolation, NotFoundError, UnprocessableError, ValidationError } from '../http/errors';
import { newTokenId } from '../http/ids';
import { hashPassword, passwordProblem } from './passwords';
import type { CreateTokenBody, CreateUserBody, UpdateUserBody } from './schemas';
import { ALL_PRACTICES } from './practices';
import { revokeUserSessions } from './sessions';
import { hashToken, newApiToken } from './tokens';

const DAY_MS = 86_400_000;

export function userView(u: User) {
  return {
    id: u.id,
    name: u.name,
    role: u.role,
    active: u.active,
    skills: u.skills,
    payerGroups: u.payerGroups,
    organizationIds: u.organizationIds,
    ...(u.role === 'CLEARINGHOUSE' ? { payerIds: u.payerIds } : {}),
    email: u.email,
    /** the identity-provider account linked for single sign-on */
    sso:
      u.oidcIssuer && u.oidcSubject
        ? { issuer: u.oidcIssuer, subject: u.oidcSubject, linkedAt: u.oidcLinkedAt?.toISOString() ?? null }
        : null,
    createdAt: u.createdAt.toISOString(),
  };
}

/** A token's record: never its text, never its hash. */
export function tokenView(t: ApiToken) {
  return {
    id: t.id,
    userId: t.userId,
    name: t.name,
    createdAt: t.createdAt.toISOString(),
    lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
    expiresAt: t.expiresAt?.toISOString() ?? null,
    revokedAt: t.revokedAt?.toISOString() ?? null,
  };
}

export async function createUser(prisma: PrismaClient, body: CreateUserBody, actor: string): Promise<User> {
  try {
    return await prisma.$transaction(async (tx) => {
      const organizationIds = await practicesOf(tx, body.role, body.organizationIds);
      if (body.email) await assertEmailFree(tx, body.email, body.id);
      const user = await tx.user.create({
        data: {
          id: body.id,
          name: body.name,
          role: body.role,
          skills: body.skills ?? [],
          payerGroups: body.payerGroups ?? [],
          payerIds: body.payerIds ?? [],
          organizationIds,
          email: body.email,
        },
      });
      // The name is a person's name: the audit keeps the role and the routing attributes only.
      await recordAudit(tx, {
        actor,
        action: 'user.create',
        entity: 'user',
        entityId: user.id,
        detail: {
          role: user.role,
          skills: user.skills,
          payerGroups: user.payerGroups,
          payerIds: user.payerIds,
          organizationIds: user.organizationIds,
        },
      });
      return user;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new ConflictError('USER_EXISTS', `a user with id ${body.id} already exists`);
    throw err;
  }
}

export async function updateUser(
  prisma: PrismaClient,
  id: string,
  changes: Omit<UpdateUserBody, 'sso'> & { sso?: null },
  actor: string,
): Promise<User> {
  return prisma.$transaction(async (tx) => {
    const found = await tx.user.findUnique({ where: { id }, select: { id: true } });
    if (!found) throw new NotFoundError('user');
    if (changes.organizationIds) await assertPracticesExist(tx, changes.organizationIds);
    if (changes.email) await assertEmailFree(tx, changes.email, id);
    const { sso, ...fields } = changes;
    const unlink = sso === null ? { oidcIssuer: null, oidcSubject: null, oidcLinkedAt: null } : {};
    const user = await tx.user.update({ where: { id }, data: { ...fields, ...unlink } });
    // Names and e-mail addresses identify a person: the audit says only that they changed.
    const { name: _name, email: _email, ...audited } = fields;
    await recordAudit(tx, {
      actor,
      action: 'user.update',
      entity: 'user',
      entityId: id,
      detail: {
        ...audited,
        nameChanged: changes.name !== undefined,
        ...(changes.email !== undefined ? { emailChanged: true } : {}),
        ...(sso === null ? { ssoUnlinked: true } : {}),
      },
    });
    return user;
  });
}

export interface IssuedToken {
  /** shown once: only its sha256 is stored */
  token: string;
  record: ApiToken;
}

export async function issueToken(prisma: PrismaClient, userId: string, body: CreateTokenBody, actor: string): Promise<IssuedToken> {
  const token = newApiToken();
  const record = await prisma.$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { id: userId }, select: { id: true, active: true } });
    if (!user) throw new NotFoundError('user');
    if (!user.active) throw new ConflictError('USER_INACTIVE', 'the user is deactivated; activate them first');
    const created = await tx.apiToken.create({
      data: {
        id: newTokenId(),
        userId,
        tokenHash: hashToken(token),
        name: body.name,
        expiresAt: body.expiresInDays ? new Date(Date.now() + body.expiresInDays * DAY_MS) : null,
      },
    });
    await recordAudit(tx, {
      actor,
      action: 'token.create',
      entity: 'apiToken',
      entityId: created.id,
      detail: { userId, expiresAt: created.expiresAt?.toISOString() ?? null },
    });
    return created;
  });
  return { token, record };
}

/** Revokes a token; revoking a revoked token changes nothing and answers the same record. */
export async function revokeToken(prisma: PrismaClient, tokenId: string, actor: string): Promise<ApiToken> {
  return prisma.$transaction(async (tx) => {
    const changed = await tx.apiToken.updateMany({ where: { id: tokenId, revokedAt: null }, data: { revokedAt: new Date() } });
    const token = await tx.apiToken.findUnique({ where: { id: tokenId } });
    if (!token) throw new NotFoundError('token');
    if (changed.count === 1) {
      await recordAudit(tx, { actor, action: 'token.revoke', entity: 'apiToken', entityId: tokenId, detail: { userId: token.userId } });
    }
    return token;
  });
}

/**
 * A new token under `name` for `userId`, every earlier unrevoked token of that name revoked: for a machine
 * credential that lives as long as the process holding it (the payer simulator's, issued at each start).
 */
export async function reissueToken(prisma: PrismaClient, userId: string, name: string, actor: string): Promise<string> {
  const earlier = await prisma.apiToken.findMany({ where: { userId, name, revokedAt: null }, select: { id: true } });
  for (const t of earlier) await revokeToken(prisma, t.id, actor);
  return (await issueToken(prisma, userId, { name }, actor)).token;
}

export interface PasswordSet {
  /** sessions of the user that the new password ended */
  sessionsEnded: number;
  /** whether a sign-in lock was lifted */
  unlocked: boolean;
}

/**
 * Sets (or resets) a user's password: checked against the policy, stored as Argon2id. Everything the old
 * password opened ends with it (the user's sessions), and a sign-in lock and its failure count are cleared.
 * API tokens are untouched: they are credentials of their own, revoked on their own.
 */
export async function setPassword(
  prisma: PrismaClient,
  userId: string,
  password: string,
  actor: string,
  now = new Date(),
): Promise<PasswordSet> {
  const problem = passwordProblem(password, userId);
  if (problem) throw new ValidationError(`the password ${problem}`, 'password');
  const user = await prisma.user.findUnique({ where: { id: userId }, select: { role: true } });
  if (!user) throw new NotFoundError('user');
  if (user.role === 'CLEARINGHOUSE' || user.role === 'EHR') {
    throw new ConflictError('SENDER_HAS_NO_PASSWORD', `a ${user.role} machine signs in with an API token only`);
  }
  const passwordHash = await hashPassword(password);
  return prisma.$transaction(async (tx) => {
    const before = await tx.user.findUniqueOrThrow({ where: { id: userId }, select: { lockedUntil: true } });
    await tx.user.update({ where: { id: userId }, data: { passwordHash, passwordChangedAt: now, failedSignIns: 0, lockedUntil: null } });
    const sessionsEnded = await revokeUserSessions(tx, userId, now);
    const unlocked = before.lockedUntil !== null && before.lockedUntil > now;
    await recordAudit(tx, { actor, action: 'user.setPassword', entity: 'user', entityId: userId, detail: { sessionsEnded, unlocked } });
    return { sessionsEnded, unlocked };
  });
}

/**
 * The practices a new user works for: those named (each must exist), or, when none are named, the only practice
 * there is. A machine sender works for payers, not practices.
 */
async function practicesOf(tx: Prisma.TransactionClient, role: string, named: string[] | undefined): Promise<string[]> {
  if (named) {
    await assertPracticesExist(tx, named);
    return named;
  }
  if (role === 'CLEARINGHOUSE') return [];
  const practices = await tx.organization.findMany({ select: { id: true }, take: 2 });
  if (practices.length === 1) return [practices[0].id];
  throw new UnprocessableError(
    'PRACTICE_REQUIRED',
    practices.length === 0 ? 'there is no practice yet: create one first, or give "*"' : 'name the practices the user works for, or "*"',
    'organizationIds',
  );
}

async function assertEmailFree(tx: Prisma.TransactionClient, email: string, userId: string): Promise<void> {
  const holder = await tx.user.findUnique({ where: { email }, select: { id: true } });
  if (holder && holder.id !== userId) throw new ConflictError('EMAIL_IN_USE', 'another user has this e-mail address');
}

async function assertPracticesExist(tx: Prisma.TransactionClient, ids: string[]): Promise<void> {
  const wanted = ids.filter((id) => id !== ALL_PRACTICES);
  const found = new Set((await tx.organization.findMany({ where: { id: { in: wanted } }, select: { id: true } })).map((o) => o.id));
  const missing = wanted.findIndex((id) => !found.has(id));
  if (missing >= 0)
    throw new UnprocessableError('UNKNOWN_REFERENCE', 'no such practice', `organizationIds[${ids.indexOf(wanted[missing])}]`);
}
