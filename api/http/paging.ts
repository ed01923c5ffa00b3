// Keyset paging: a cursor is the sort key of the last item of a page, opaque to the caller (base64url JSON).
import { z } from 'zod';
import { ValidationError } from './errors';

export function encodeCursor(key: object): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor<S extends z.ZodType>(schema: S, raw: string | undefined): z.output<S> | undefined {
  if (raw === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    throw new ValidationError('cursor is not one this API issued', 'cursor');
  }
  const result = schema.safeParse(parsed);
  if (!result.success) throw new ValidationError('cursor is not one this API issued', 'cursor');
  return result.data;
}

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;
