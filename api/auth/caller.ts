// The user behind a request as every way of authenticating finds it (bearer token, session cookie, X-User-Id):
// one shape and one select, so that no path can forget the active flag or the routing attributes.

export type RoleName = 'CODER' | 'BILLER' | 'SUPERVISOR' | 'ADMIN' | 'CLEARINGHOUSE' | 'EHR';

/** Machines: a token and nothing else (no password, no session). */
export const MACHINE_ROLES = ['CLEARINGHOUSE', 'EHR'] as const satisfies readonly RoleName[];
export const isMachine = (role: RoleName): boolean => (MACHINE_ROLES as readonly RoleName[]).includes(role);

export interface Caller {
  id: string;
  role: RoleName;
  skills: string[];
  payerGroups: string[];
  payerIds: string[];
  /** the practices whose work the user sees; "*" every practice */
  organizationIds: string[];
}

export const callerSelect = {
  id: true,
  active: true,
  role: true,
  skills: true,
  payerGroups: true,
  payerIds: true,
  organizationIds: true,
} as const;
