// Code-set look-ups for the people who code and bill: ICD-10-CM search (by code or by words, over the same
// table the coding suggestions and the validator use) and the meanings of remittance reason codes.
import { Router } from 'express';
import type { z } from 'zod';
import { loadIcd10, type CodeSetSettings } from '../../infra/codesets';
import { allReasonCodes } from '../../domain/adjustmentReasons';
import { suggestCodes, type CodeEntry, type CodeIndex } from '../../domain/codeSearch';
import { normaliseIcd10cm } from '../../domain/codesets/icd10cm';
import { parseInput } from '../http/errors';
import { addRoute, ALL_STAFF } from '../openapi/openapi';
import { icd10SearchQuery, icd10SearchResponse, reasonCodesResponse, type icd10Result } from './schemas';

const MOUNT = '/api/codes';

const routes = {
  icd10: {
    method: 'get',
    path: `${MOUNT}/icd10`,
    roles: ALL_STAFF,
    tag: 'codes',
    query: icd10SearchQuery,
    response: icd10SearchResponse,
    summary: 'Search ICD-10-CM by code or words, or look codes up exactly',
    description:
      'A query that looks like a code matches code prefixes (the dot is optional); any other query ranks billable codes by the words their descriptions share with it.',
  },
  reasons: {
    method: 'get',
    path: `${MOUNT}/adjustment-reasons`,
    roles: ALL_STAFF,
    tag: 'codes',
    response: reasonCodesResponse,
    summary: 'What remittance codes mean: claim adjustment reasons (CARC, with their denial category), remark codes (RARC) and group codes',
  },
} as const;

const CODE_LIKE = /^[A-Z]\d[0-9A-Z]?(\.?[0-9A-Z]{0,4})?$/;

/** Codes starting with the query (the dot is optional: both sides are in the dotted form), the category first, in code order. */
function byCodePrefix(index: CodeIndex, q: string, limit: number): CodeEntry[] {
  const prefix = normaliseIcd10cm(q);
  return index.entries
    .filter((e) => e.code.startsWith(prefix))
    .sort((a, b) => a.code.length - b.code.length || a.code.localeCompare(b.code))
    .slice(0, limit);
}

/** `settings`: where the ICD-10-CM table comes from (Config), loaded at the first search. */
export function codesRouter(settings: CodeSetSettings): Router {
  const router = Router();

  addRoute(router, MOUNT, routes.icd10, (req, res) => {
    const query = parseInput(icd10SearchQuery, req.query, ['query']);
    const index = loadIcd10(settings);
    const results: z.output<typeof icd10Result>[] = [];
    const unknown: string[] = [];
    if (query.codes) {
      for (const raw of query.codes
        .split(',')
        .map((c) => c.trim())
        .filter(Boolean)) {
        const e = index.byCode.get(normaliseIcd10cm(raw));
        if (e) results.push({ code: e.code, description: e.description, billable: e.billable });
        else unknown.push(raw.toUpperCase());
      }
    }
    const q = query.q ?? '';
    if (q && CODE_LIKE.test(q.toUpperCase())) {
      for (const e of byCodePrefix(index, q, query.limit)) results.push({ code: e.code, description: e.description, billable: e.billable });
    } else if (q) {
      for (const s of suggestCodes(index, q, query.limit)) {
        results.push({
          code: s.code,
          description: s.description,
          billable: index.byCode.get(s.code)?.billable ?? true,
          matchedWords: s.matchedWords,
        });
      }
    }
    const answer: z.output<typeof icd10SearchResponse> = { codeSet: 'ICD-10-CM', results, unknown };
    res.json(answer);
  });

  addRoute(router, MOUNT, routes.reasons, (_req, res) => {
    const answer: z.output<typeof reasonCodesResponse> = allReasonCodes();
    res.json(answer);
  });

  return router;
}
