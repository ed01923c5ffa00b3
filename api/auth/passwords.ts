// Staff passwords: the policy a new password must meet, and Argon2id hashing (@node-rs/argon2, prebuilt native
// code run off the event loop). Only the PHC string (`$argon2id$v=19$m=...,t=...,p=...$salt$hash`) is stored.
import { hash, verify } from '@node-rs/argon2';

export const PASSWORD_MIN_LENGTH = 12;
/** Long enough for any passphrase or manager-made password; short enough that hashing one costs nothing extra. */
export const PASSWORD_MAX_LENGTH = 256;

/**
 * OWASP's first Argon2id configuration (19 MiB, 2 passes, 1 lane): about 30 ms here, paid once per sign-in. Spelled
 * out rather than left to the library's defaults so that an upgrade cannot weaken new hashes unnoticed; the
 * algorithm is the library's default, Argon2id, which hashPassword checks.
 */
const ARGON2_OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1, outputLen: 32 } as const;

/**
 * Why `password` may not be `userId`'s password, or null when it may. Length is counted in characters as people
 * see them (code points), not UTF-16 units. No composition rules: length is what makes a password hard to guess.
 */
export function passwordProblem(password: string, userId: string): string | null {
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) return `must be at least ${PASSWORD_MIN_LENGTH} characters`;
  if (length > PASSWORD_MAX_LENGTH) return `must be at most ${PASSWORD_MAX_LENGTH} characters`;
  if (password.trim().toLowerCase() === userId.toLowerCase()) return 'must not be the user id';
  if (password.trim().length === 0) return 'must not be only spaces';
  return null;
}

export async function hashPassword(password: string): Promise<string> {
  const phc = await hash(password, ARGON2_OPTIONS);
  if (!phc.startsWith('$argon2id$')) throw new Error('the Argon2 library did not produce an Argon2id hash');
  return phc;
}

/** True when `password` is the one `phc` was made from. A malformed stored hash is a mismatch, not an error. */
export async function passwordMatches(phc: string, password: string): Promise<boolean> {
  try {
    return await verify(phc, password);
  } catch {
    return false;
  }
}

let dummy: Promise<string> | undefined;

/**
 * Spends the time a real check would, for a user who does not exist or has no password, so that how long a
 * refusal takes does not tell whether the user id is known. Always false.
 */
export async function spendPasswordCheck(password: string): Promise<false> {
  dummy ??= hashPassword('claimflow: no such user, no such password');
  await passwordMatches(await dummy, password);
  return false;
}
