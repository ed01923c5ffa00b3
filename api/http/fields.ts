// The building blocks of request schemas every feature shares: money in cents, dates, ids, codes, claim lines,
// query-string numbers. Structure only: whether a referenced patient, payer or claim exists is checked by the
// route, against the database.
import { z } from 'zod';
import { TASK_KINDS, type TaskKind } from '../../workflows/contract';
import { MAX_PAGE_SIZE } from './paging';

/** Int columns are 32-bit: no amount, and no claim total, may exceed this. */
export const MAX_CENTS = 2_147_483_647;

export const isoDate = z.iso.date('must be a real calendar date written YYYY-MM-DD');
export const cents = z
  .int('must be a whole number of cents')
  .min(0, 'must not be negative')
  .max(MAX_CENTS, `must not exceed ${MAX_CENTS} cents`);
/** 835 amounts go negative in reversals (CLP02 22) and corrections, so inbound money may be signed. */
export const signedCents = z
  .int('must be a whole number of cents')
  .min(-MAX_CENTS, `must not be below -${MAX_CENTS} cents`)
  .max(MAX_CENTS, `must not exceed ${MAX_CENTS} cents`);
/** A count or number stored in an Int column: past 32 bits PostgreSQL refuses it, which must be a 400, not a 500. */
export const int32 = (min: number) =>
  z.int('must be a whole number').min(min, `must be at least ${min}`).max(MAX_CENTS, `must not exceed ${MAX_CENTS}`);
export const id = z.string('must be a string').trim().min(1, 'must not be empty').max(64, 'must be at most 64 characters');
export const text = (max: number) =>
  z.string('must be a string').trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);

// Code formats only; whether a code exists and is billable on the date of service is a scrubbing edit.
export const procedureCode = z.string('must be a string').regex(/^[A-Z0-9]{5}$/, 'must be a 5-character CPT or HCPCS code');
export const modifier = z.string('must be a string').regex(/^[A-Z0-9]{2}$/, 'must be 2 characters');
export const icd10cm = z
  .string('must be a string')
  .regex(/^[A-Z][0-9][0-9A-Z](\.[0-9A-Z]{1,4})?$/, 'must be an ICD-10-CM code such as E11.9');

export const lineInput = z.strictObject({
  procedureCode,
  modifiers: z.array(modifier).max(4, 'at most 4 modifiers').optional(),
  units: z.int('must be a whole number').min(1, 'must be at least 1').max(9999, 'must be at most 9999'),
  chargeCents: cents,
  diagnosisPointers: z
    .array(z.int('must be a whole number').min(1, 'must be between 1 and 12').max(12, 'must be between 1 and 12'))
    .max(4, 'at most 4 diagnosis pointers per line')
    .refine((pointers) => new Set(pointers).size === pointers.length, 'must not repeat a pointer'),
});
export const lines = z.array(lineInput).min(1, 'at least one line is required').max(50, 'at most 50 lines');
export const diagnoses = z
  .array(icd10cm)
  .max(12, 'at most 12 diagnoses')
  .refine((codes) => new Set(codes).size === codes.length, 'must not repeat a diagnosis');

export type LineInputs = z.output<typeof lines>;

/** Totals must fit the 32-bit columns, and pointers must point at a listed diagnosis when diagnoses are given. */
export function checkLinesAgainstDiagnoses(value: { lines?: LineInputs; diagnoses?: string[] }, ctx: z.RefinementCtx): void {
  const ls = value.lines ?? [];
  if (ls.reduce((sum, l) => sum + l.chargeCents, 0) > MAX_CENTS) {
    ctx.addIssue({ code: 'custom', path: ['lines'], message: `the claim total must not exceed ${MAX_CENTS} cents` });
  }
  const count = value.diagnoses?.length ?? 0;
  if (count === 0) return;
  ls.forEach((line, i) =>
    line.diagnosisPointers.forEach((pointer, j) => {
      if (pointer > count) {
        ctx.addIssue({
          code: 'custom',
          path: ['lines', i, 'diagnosisPointers', j],
          message: `points at diagnosis ${pointer} but only ${count} diagnoses are listed`,
        });
      }
    }),
  );
}
export const TASK_KIND_NAMES = Object.keys(TASK_KINDS) as [TaskKind, ...TaskKind[]];

// Query strings arrive as strings; a repeated parameter arrives as an array and is refused.
export const pageSize = z
  .string('must be given once')
  .regex(/^\d+$/, 'must be a whole number')
  .transform(Number)
  .pipe(z.int().min(1, 'must be at least 1').max(MAX_PAGE_SIZE, `must be at most ${MAX_PAGE_SIZE}`));

export const wholeNumber = z
  .string('must be given once')
  .regex(/^\d{1,10}$/, 'must be a whole number')
  .transform(Number)
  .pipe(z.int().max(MAX_CENTS, `must not exceed ${MAX_CENTS}`));
export const instant = z
  .string('must be given once')
  .refine(
    (s) => /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2}))?$/.test(s) && !Number.isNaN(Date.parse(s)),
    'must be a date (YYYY-MM-DD) or an ISO 8601 instant',
  )
  .transform((s) => new Date(s));
export const trueOnly = z.enum(['true'], 'must be true when given').transform(() => true as const);

export const skill = z
  .string('must be a string')
  .regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, 'must be 1-40 lowercase letters, digits, dashes or underscores');
export const payerGroup = z
  .string('must be a string')
  .regex(/^[A-Z0-9][A-Z0-9_-]{0,39}$/, 'must be 1-40 uppercase letters, digits, dashes or underscores');
