// What a biller types in one search box, read as what it can mean: a claim id, a member id, a date (a birth date or
// a date of service) and name words. Names and member ids are matched through keys stored beside them, so that
// "O'Brien", "obrien" and "OBRIEN" find the same patient through a plain B-tree index.
import type { IsoDate } from './clearinghouse';

/** Lowercase letters and digits only, accents dropped: "Ñúñez-O'Brien" → "nunezobrien". */
export function nameKey(name: string): string {
  return name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

/** Uppercase letters and digits only: "um-100123-37" → "UM10012337". Payers print member ids with and without dashes. */
export function memberIdKey(memberId: string): string {
  return memberId.toUpperCase().replace(/[^A-Z0-9]/g, '');
}

/**
 * The smallest string above every string starting with `prefix`, for a range scan `key >= prefix AND key < upper`:
 * with keys of [a-z0-9] only, that range is exactly "starts with" in any collation.
 */
export function prefixUpperBound(prefix: string): string {
  const last = prefix.charCodeAt(prefix.length - 1);
  return prefix.slice(0, -1) + String.fromCharCode(last + 1);
}

export interface SearchTerms {
  /** name words as keys, in the order typed; matched against last and first name either way round */
  names: string[];
  /** a calendar date typed as YYYY-MM-DD or MM/DD/YYYY */
  date?: IsoDate;
  /** a token that can be a claim id (CF + 10 base-36 characters) */
  claimId?: string;
  /** a token with a digit in it that can be a member id (as its key) */
  memberId?: string;
}

const CLAIM_ID = /^CF[0-9A-Z]{10}$/;

function dateOf(token: string): IsoDate | undefined {
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(token);
  const us = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(token);
  const parts = iso ? [iso[1], iso[2], iso[3]] : us ? [us[3], us[1], us[2]] : undefined;
  if (!parts) return undefined;
  const [y, m, d] = parts;
  const date = `${y}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`;
  const parsed = new Date(`${date}T00:00:00Z`);
  // 2023-02-30 is no date: Date rolls it over, which the round trip catches.
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === date ? date : undefined;
}

/** Null when nothing in `q` can be searched for (only punctuation, or a single character of a name). */
export function parseSearch(q: string): SearchTerms | null {
  const terms: SearchTerms = { names: [] };
  for (const raw of q.split(/[\s,;]+/).filter(Boolean)) {
    const date = dateOf(raw);
    if (date) {
      terms.date ??= date;
      continue;
    }
    const upper = raw.toUpperCase();
    if (CLAIM_ID.test(upper)) terms.claimId ??= upper;
    if (/\d/.test(raw)) {
      const key = memberIdKey(raw);
      if (key.length >= 4) terms.memberId ??= key;
      continue;
    }
    const key = nameKey(raw);
    if (key.length >= 2) terms.names.push(key);
  }
  terms.names = terms.names.slice(0, 3);
  return terms.names.length || terms.date || terms.claimId || terms.memberId ? terms : null;
}
