// PostgreSQL stores neither a NUL character nor an unpaired UTF-16 surrogate, in text or in jsonb: a string
// holding one fails at the database as a 500, possibly after the route has done part of its work. Such
// strings are refused up front, for every JSON body and query string, with a 400 naming the field.
import type { RequestHandler } from 'express';
import { fieldPath, ValidationError } from './errors';

// An unpaired surrogate: a high one not followed by a low one, or a low one not preceded by a high one.
const UNPAIRED_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export function isStorableText(s: string): boolean {
  return !s.includes('\u0000') && !UNPAIRED_SURROGATE.test(s);
}

interface Visit {
  value: unknown;
  key?: PropertyKey;
  parent?: Visit;
}

/**
 * The path of the first string (or object key) PostgreSQL cannot store, or undefined. Iterative: a JSON body
 * nested a hundred thousand levels deep must not overflow the stack here.
 */
function unstorablePath(value: unknown): PropertyKey[] | undefined {
  const stack: Visit[] = [{ value }];
  const pathOf = (v: Visit): PropertyKey[] => {
    const path: PropertyKey[] = [];
    for (let at: Visit | undefined = v; at?.key !== undefined; at = at.parent) path.unshift(at.key);
    return path;
  };
  while (stack.length > 0) {
    const visit = stack.pop()!;
    const v = visit.value;
    if (typeof v === 'string') {
      if (!isStorableText(v)) return pathOf(visit);
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ value: v[i], key: i, parent: visit });
    } else if (v !== null && typeof v === 'object') {
      const entries = Object.entries(v);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, child] = entries[i];
        if (!isStorableText(key)) return [...pathOf(visit), key];
        stack.push({ value: child, key, parent: visit });
      }
    }
  }
  return undefined;
}

/** Mounted after the JSON body parser. */
export const refuseUnstorableText: RequestHandler = (req, _res, next) => {
  const inBody = req.body !== null && typeof req.body === 'object' ? unstorablePath(req.body) : undefined;
  const inQuery = inBody ? undefined : unstorablePath(req.query);
  const path = inBody ?? inQuery;
  if (path) throw new ValidationError('must not contain NUL characters or unpaired UTF-16 surrogates', fieldPath(path) || undefined);
  next();
};
