// Which practices (organizations) a caller may see. A billing company serves many clinics: every patient,
// provider, encounter, claim and claim task belongs to one, and staff see only those in their
// User.organizationIds ("*": every practice). A row of another practice is answered as if it did not exist
// (404, absent from lists), so that ids cannot be probed across practices.
import type { Response } from 'express';
import { NotFoundError } from '../http/errors';

export const ALL_PRACTICES = '*';

export interface PracticeScope {
  /** every practice, including work that belongs to none (a posting exception for an unknown claim) */
  all: boolean;
  ids: readonly string[];
}

export function practiceScope(organizationIds: readonly string[]): PracticeScope {
  return { all: organizationIds.includes(ALL_PRACTICES), ids: organizationIds.filter((id) => id !== ALL_PRACTICES) };
}

export function callerPractices(res: Response): PracticeScope {
  return practiceScope((res.locals.userOrganizationIds as string[] | undefined) ?? []);
}

/**
 * The where-clause fragment of a practice-owned row (claim, patient, provider, encounter, task). Tasks of no
 * practice have organizationId null, which `in` never matches: only callers of every practice see them.
 */
export function inPractices(scope: PracticeScope): { organizationId?: { in: string[] } } {
  return scope.all ? {} : { organizationId: { in: [...scope.ids] } };
}

export function maySee(scope: PracticeScope, organizationId: string | null): boolean {
  return scope.all || (organizationId !== null && scope.ids.includes(organizationId));
}

/** Throws the same 404 a missing row gets when the row belongs to a practice the caller does not see. */
export function assertMaySee(scope: PracticeScope, organizationId: string | null, what: string): void {
  if (!maySee(scope, organizationId)) throw new NotFoundError(what);
}
