// Identifiers the API mints. A claim id doubles as the X12 patient control number (CLM01), so it is short,
// uppercase and unguessable: 'CF' + 10 base-36 characters (about 52 bits) from the crypto RNG.
import { randomInt } from 'node:crypto';

const BASE36 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

function randomBase36(length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += BASE36[randomInt(36)];
  return out;
}

export const newClaimId = (): string => `CF${randomBase36(10)}`;
export const newEncounterId = (): string => `EN${randomBase36(10)}`;
export const newPatientId = (): string => `PT${randomBase36(10)}`;
export const newCoverageId = (): string => `CV${randomBase36(10)}`;
export const newProviderId = (): string => `PV${randomBase36(10)}`;
export const newTokenId = (): string => `TK${randomBase36(10)}`;
export const newNoteId = (): string => `NT${randomBase36(10)}`;
