// Building blocks of query-string schemas. Query strings arrive as strings; a repeated parameter arrives as an
// array and is refused.
import { z } from 'zod';

export const once = z.string('must be given once').trim().min(1, 'must not be empty');

/** One of `values`, or several separated by commas (`?status=OPEN,CLAIMED`). */
export function enumList<const T extends readonly string[]>(values: T) {
  return once
    .transform((s) => s.split(',').map((part) => part.trim()))
    .pipe(z.array(z.enum(values, `each must be one of ${values.join(', ')}`)));
}
