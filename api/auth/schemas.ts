// Request schemas of the user, token, password and sign-in routes, and the answer of the session routes.
import { z } from 'zod';
import { payerGroup, skill, text } from '../http/fields';

const ROLE_NAMES = ['CODER', 'BILLER', 'SUPERVISOR', 'ADMIN', 'CLEARINGHOUSE', 'EHR'] as const;
const userId = z
  .string('must be a string')
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'must be 1-64 letters, digits, dots, dashes or underscores');
/** a Payer.id a CLEARINGHOUSE sender may deliver for, or "*" for every payer */
const senderPayerId = z.string('must be a string').regex(/^(\*|[A-Za-z0-9][A-Za-z0-9._-]{0,63})$/, 'must be a payer id or *');
/** an Organization.id the user works for, or "*" for every practice (the billing company's own staff) */
const practiceId = z.string('must be a string').regex(/^(\*|[A-Za-z0-9][A-Za-z0-9._-]{0,63})$/, 'must be a practice id or *');
/** An e-mail address, kept lowercase: single sign-on links a provider's verified e-mail to the user who has it. */
const email = z
  .email('must be an e-mail address')
  .max(254, 'must be at most 254 characters')
  .transform((e) => e.toLowerCase());
const uniqueList = <T extends z.ZodType<string>>(item: T, max: number) =>
  z
    .array(item)
    .max(max, `at most ${max}`)
    .refine((xs) => new Set(xs).size === xs.length, 'must not repeat an entry');

export const createUserBody = z
  .strictObject({
    id: userId,
    name: text(100),
    role: z.enum(ROLE_NAMES, `must be one of ${ROLE_NAMES.join(', ')}`),
    skills: uniqueList(skill, 50).optional(),
    payerGroups: uniqueList(payerGroup, 50).optional(),
    payerIds: uniqueList(senderPayerId, 200).optional(),
    /** the practices whose work the user sees; the only practice when there is just one */
    organizationIds: uniqueList(practiceId, 500).optional(),
    email: email.optional(),
  })
  .refine((u) => u.role === 'CLEARINGHOUSE' || !u.payerIds?.length, {
    message: 'only a CLEARINGHOUSE sender speaks for payers',
    path: ['payerIds'],
  });
export type CreateUserBody = z.output<typeof createUserBody>;

export const updateUserBody = z.strictObject({
  name: text(100).optional(),
  role: z.enum(ROLE_NAMES, `must be one of ${ROLE_NAMES.join(', ')}`).optional(),
  skills: uniqueList(skill, 50).optional(),
  payerGroups: uniqueList(payerGroup, 50).optional(),
  payerIds: uniqueList(senderPayerId, 200).optional(),
  organizationIds: uniqueList(practiceId, 500).optional(),
  active: z.boolean('must be true or false').optional(),
  /** null removes it */
  email: email.nullable().optional(),
  sso: z.null('only null: it unlinks the single sign-on identity, which the next sign-in links again').optional(),
});
export type UpdateUserBody = z.output<typeof updateUserBody>;

export const createTokenBody = z.strictObject({
  name: text(100),
  /** the token stops working after this many (real) days; no expiry when absent */
  expiresInDays: z.int('must be a whole number').min(1, 'must be at least 1').max(3650, 'must be at most 3650').optional(),
});
export type CreateTokenBody = z.output<typeof createTokenBody>;

/**
 * A password as typed: not trimmed (spaces may be part of it) and bounded so that no request makes the server
 * hash megabytes. The policy (length, not the user id) is checked where a password is set, with the user id at hand.
 */
const password = z.string('must be a string').min(1, 'must not be empty').max(1_024, 'must be at most 1024 characters');

export const signInBody = z.strictObject({ userId, password });

export const setPasswordBody = z.strictObject({
  password: password.describe('at least 12 characters, not the user id; ends every session of the user and lifts a sign-in lock'),
});

/**
 * Where the browser goes once signed in: a path of this origin only (`/`, `/#/claims/CL...`), never a URL or a
 * `//host` that a browser would take to another site (an open redirect on the sign-in page).
 */
const sameOriginPath = z
  .string('must be a string')
  .max(512, 'must be at most 512 characters')
  .refine(
    (p) =>
      /^\/(?![/\\])/.test(p) && !/[\\\u0000-\u001f\u007f]/.test(p) && new URL(p, 'http://claimflow.invalid').host === 'claimflow.invalid',
    'must be a path of this site, starting with a single /',
  );

export const oidcStartQuery = z.strictObject({
  returnTo: sameOriginPath.optional().describe('where the workspace opens once signed in; `/` when absent'),
});

/** What an identity provider sends back (RFC 6749 4.1.2, RFC 9207); other parameters some providers add are ignored. */
const callbackValue = z.string('must be a single value').max(4_096, 'must be at most 4096 characters').optional();
export const oidcCallbackQuery = z.object({
  code: callbackValue,
  state: callbackValue,
  iss: callbackValue,
  error: callbackValue,
  error_description: callbackValue,
});

// ---- responses ----

export const setPasswordResponse = z.object({
  userId: z.string(),
  sessionsEnded: z.int().describe("the user's sessions that the new password ended"),
  unlocked: z.boolean().describe('whether a lock after failed sign-ins was lifted'),
});

/** GET /api/auth/methods: how one may sign in here, for the sign-in page. */
export const signInMethodsResponse = z.object({
  password: z.literal(true).describe('a user id and password (POST /api/auth/session) always works'),
  sso: z
    .object({
      name: z.string().describe('the identity provider, for "Sign in with <name>"'),
      startPath: z.string().describe('where the browser goes to sign in (add ?returnTo=<path> to come back there)'),
    })
    .nullable()
    .describe('single sign-on with OpenID Connect; null when it is not configured'),
});
export type SignInMethods = z.output<typeof signInMethodsResponse>;

/** What the workspace learns about its session: who, the CSRF token to echo, and when the session ends. */
export const sessionResponse = z.object({
  user: z.object({
    id: z.string(),
    name: z.string(),
    role: z.enum(['CODER', 'BILLER', 'SUPERVISOR', 'ADMIN']),
    skills: z.array(z.string()),
    payerGroups: z.array(z.string()),
  }),
  csrfToken: z.string().describe('send it back in X-CSRF-Token on every POST, PUT, PATCH and DELETE made with the session cookie'),
  expiresAt: z.iso.datetime().describe('when the session ends however active it is'),
  idleTimeoutS: z.int().describe('the session ends after this many seconds without a request'),
});
export type SessionView = z.output<typeof sessionResponse>;

/** GET /api/auth/session: the session, or `{ user: null }` when the browser has none (not an error: it is how the workspace starts). */
export const currentSessionResponse = z.union([sessionResponse, z.object({ user: z.null() })]);
export type CurrentSession = z.output<typeof currentSessionResponse>;
