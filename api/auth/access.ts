// Who may do what. Routes declare their roles with requireRole and these sets; a task's queue decides who
// may work it, and its routing rule (skill, payer group) who may take it.
import type { Prisma, PrismaClient, TaskQueue } from '../../generated/prisma/client';
import type { RoleName } from './auth';
import { ForbiddenError } from '../http/errors';

/** The role sets routes declare. ADMIN is in every staff set: an administrator can stand in for any person (not for a clearinghouse). */
export const ROLES = {
  /** every signed-in role: claim reads, reference data, queue routes (the queue itself is checked per task) */
  anyone: ['CODER', 'BILLER', 'SUPERVISOR', 'ADMIN'],
  /** charge capture, voids, patients */
  billing: ['BILLER', 'SUPERVISOR', 'ADMIN'],
  /** reassigning, re-prioritising, routing rules */
  oversight: ['SUPERVISOR', 'ADMIN'],
  /** users and tokens */
  admin: ['ADMIN'],
  /** what clearinghouses and payers deliver: machines only, each for the payers it speaks for */
  inbound: ['CLEARINGHOUSE'],
  /** FHIR claims in and results out (/fhir): an EHR of the practice, and the people who capture charges */
  fhir: ['EHR', 'BILLER', 'SUPERVISOR', 'ADMIN'],
} as const satisfies Record<string, readonly RoleName[]>;

/** Which roles may work each queue. Supervisors and admins may work any queue. */
export const QUEUE_ROLES: Record<TaskQueue, readonly RoleName[]> = {
  CODER: ['CODER', 'SUPERVISOR', 'ADMIN'],
  BILLER: ['BILLER', 'SUPERVISOR', 'ADMIN'],
  SUPERVISOR: ['SUPERVISOR', 'ADMIN'],
};

/** Roles that oversee queues: not bound by skills or payer groups, and may act on others' claimed tasks. */
export const isOverseer = (role: RoleName): boolean => role === 'SUPERVISOR' || role === 'ADMIN';

export function mayWorkQueue(role: RoleName, queue: TaskQueue): boolean {
  return QUEUE_ROLES[queue].includes(role);
}

export function assertMayWorkQueue(role: RoleName, queue: TaskQueue): void {
  if (!mayWorkQueue(role, queue)) {
    throw new ForbiddenError(`the ${queue} queue is worked by ${QUEUE_ROLES[queue].join(', ')}; you are ${role}`);
  }
}

export interface TakerScope {
  role: RoleName;
  skills: string[];
  payerGroups: string[];
}

type Db = PrismaClient | Prisma.TransactionClient;

/** Any payer group: the rule that applies when no rule names the claim payer's group. */
export const ANY_PAYER_GROUP = '*';
/** Every practice: the rule that applies when the claim's practice has none of its own. */
export const ANY_PRACTICE = '*';

/**
 * The rule that applies among `rules` (one kind's, for the task's practice or every practice, its payer group or
 * every payer): the practice's own before every practice's, then the payer group's before every payer's.
 */
export function mostSpecificRule<R extends { organizationId: string; payerGroup: string }>(rules: R[]): R | undefined {
  const rank = (r: R) => (r.organizationId === ANY_PRACTICE ? 2 : 0) + (r.payerGroup === ANY_PAYER_GROUP ? 1 : 0);
  return [...rules].sort((a, b) => rank(a) - rank(b))[0];
}

/**
 * Why `who` may not take task `taskId` under the routing rules, or null if they may. Overseers may take
 * anything their role's queues hold. The most specific rule applies: the one for the claim payer's group, else
 * the one for every payer; no rule means no constraint.
 */
export async function whyNotEligible(
  db: Db,
  who: TakerScope,
  task: { kind: string; claimId: string | null; organizationId: string | null },
): Promise<string | null> {
  if (isOverseer(who.role)) return null;
  // A posting exception has no claim: no payer group applies to it.
  const claim = task.claimId
    ? await db.claim.findUnique({ where: { id: task.claimId }, select: { payer: { select: { payerGroup: true } } } })
    : null;
  const group = claim?.payer.payerGroup ?? null;
  if (task.claimId && who.payerGroups.length > 0 && (!group || !who.payerGroups.includes(group))) {
    return `this claim's payer group (${group ?? 'none'}) is not among yours (${who.payerGroups.join(', ')})`;
  }
  const rules = await db.routingRule.findMany({
    where: {
      kind: task.kind,
      payerGroup: { in: group ? [group, ANY_PAYER_GROUP] : [ANY_PAYER_GROUP] },
      organizationId: { in: task.organizationId ? [task.organizationId, ANY_PRACTICE] : [ANY_PRACTICE] },
    },
  });
  const rule = mostSpecificRule(rules);
  if (rule?.requiredSkill && !who.skills.includes(rule.requiredSkill)) {
    return `${task.kind} tasks${rule.payerGroup === ANY_PAYER_GROUP ? '' : ` for ${rule.payerGroup} payers`} need the skill "${rule.requiredSkill}"`;
  }
  return null;
}

export async function assertEligible(
  db: Db,
  who: TakerScope,
  task: { kind: string; claimId: string | null; organizationId: string | null },
): Promise<void> {
  const why = await whyNotEligible(db, who, task);
  if (why) throw new ForbiddenError(why, 'NOT_ELIGIBLE');
}
