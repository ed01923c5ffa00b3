// Bad input on the HTTP API (issue 6): every route with a request body or query schema, found in the OpenAPI
// registry of the app as built (so a new route is fuzzed without an edit here), gets bodies generated from its
// own zod schema and then damaged. Whatever comes, the answer is a 4xx JSON error naming the field (never a
// 5xx, never a stack trace) and a refused request stores nothing. Oversized bodies get 413 JSON; SQL- and
// HTML-looking text is stored and returned as the same literal data. A report of what was tried is printed.
import querystring from 'node:querystring';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { PATIENT_IDS, PAYER_IDS, PROVIDER_IDS, SIMULATOR_SENDER_ID, USER_IDS } from '../../app/seed';
import { createApp } from '../../api/app';
import { fieldPath } from '../../api/http/errors';
import { describedRoutes, mountedRoutes, type MountedRoute, type RouteDescription } from '../../api/openapi/openapi';
import { createTestDatabase, startApi, startTemporal, testConfig, type TestApi, type TestDatabase } from '../../api/testSupport';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createReport, FUZZ_SEED, type Tally } from './report';
import {
  applyDamage,
  damageArb,
  describeDamage,
  HTML_LIKE,
  inputJsonSchema,
  SQL_LIKE,
  valueArb,
  type Damage,
  type IdHints,
  type Json,
  type Path,
} from './schemaArbitraries';
import { assertNoLeak, rowCounts } from './storage';

const BODY_RUNS = 40;
const QUERY_RUNS = 40;
const report = createReport();
afterAll(() => report.print('API bad-input properties'));

// ---- the routes, from the app as built ---------------------------------------------------------

interface RouteUnderTest {
  key: string;
  d: RouteDescription;
  mounted: MountedRoute;
}

// Building the app registers the routes added with addRoute; the database and Temporal are not touched
// until a request comes, so placeholders do for enumerating.
const APP_ROUTES = mountedRoutes(createApp({ prisma: {} as never, temporal: {} as never, config: testConfig() }));
const ROUTES: RouteUnderTest[] = APP_ROUTES.flatMap((mounted) => {
  const d = describedRoutes().find((r) => r.method === mounted.method && r.path === mounted.path);
  return d ? [{ key: `${mounted.method.toUpperCase()} ${mounted.path}`, d, mounted }] : [];
});
const JSON_BODY_ROUTES = ROUTES.filter((r) => r.d.body && !r.d.bodyMediaTypes);
const QUERY_ROUTES = ROUTES.filter((r) => r.d.query);
const PARAM_ROUTES = ROUTES.filter((r) => r.mounted.path.includes(':'));

const USER_BY_ROLE = {
  BILLER: USER_IDS.biller1,
  SUPERVISOR: USER_IDS.supervisor,
  ADMIN: USER_IDS.admin,
  CODER: USER_IDS.coder1,
  CLEARINGHOUSE: SIMULATOR_SENDER_ID,
} as const;

/** A user the route's role check lets through (a biller when it may; the simulator's sender on the inbound routes). */
function callerFor(r: RouteUnderTest): string | null {
  const roles = r.mounted.roles;
  if (!roles) return null;
  const role = (Object.keys(USER_BY_ROLE) as (keyof typeof USER_BY_ROLE)[]).find((x) => roles.includes(x));
  return role ? USER_BY_ROLE[role] : USER_IDS.admin;
}

// ---- set-up: our own fixture, with the token rate limit out of the way of the fuzzing ---------------

let db: TestDatabase;
let env: TestWorkflowEnvironment;
let api: TestApi;
let claimId = '';
const hints: IdHints = {};

beforeAll(async () => {
  [db, env] = await Promise.all([createTestDatabase(), startTemporal()]);
  // The token routes' limit is tested in api/auth.test.ts; here it would answer 429 before any body is read.
  api = await startApi({ prisma: db.prisma, temporal: env.client, tokenRateLimit: { windowMs: 60_000, max: 1_000_000 } });
  const res = await api.request('POST', '/api/claims', {
    body: {
      patientId: PATIENT_IDS[1],
      providerId: PROVIDER_IDS.internalMedicine,
      dateOfService: '2026-10-20',
      placeOfService: '11',
      documentation: 'Hypertension follow-up.',
      lines: [{ procedureCode: '99213', units: 1, chargeCents: 14_500, diagnosisPointers: [1] }],
      diagnoses: ['I10'],
    },
  });
  expect(res.status, res.text).toBe(201);
  claimId = res.body.id;
  await db.prisma.user.create({ data: { id: FUZZ_USER, name: 'Fuzz Target', role: 'CODER' } });
  const task = { queue: 'BILLER' as const, kind: 'POSTING_EXCEPTION', priority: 50, dueAt: new Date(Date.now() + 86_400_000), context: {} };
  await db.prisma.task.createMany({
    data: [
      { id: FUZZ_TASK, ...task },
      { id: FUZZ_EXCEPTION_TASK, ...task },
    ],
  });
  const payers = await db.prisma.payer.findMany({ select: { electronicPayerId: true } });
  Object.assign(hints, {
    patientId: PATIENT_IDS.slice(0, 3),
    providerId: Object.values(PROVIDER_IDS),
    payerId: Object.values(PAYER_IDS),
    payerElectronicId: payers.map((p) => p.electronicPayerId),
    claimId: [claimId],
    userId: Object.values(USER_IDS),
    assigneeId: Object.values(USER_IDS),
  });
}, 180_000);

afterAll(async () => {
  await api?.close();
  await env?.teardown();
  await db?.drop();
}, 60_000);

/**
 * Real ids where a valid body only touches the database, so that it is read, stored and answered; elsewhere
 * (void, retry, a claim task's outcome) a valid body would wait on a workflow that no worker runs here, so
 * those get an id that does not exist and answer 404 once the body has passed.
 */
const REAL_IDS: [RegExp, () => string][] = [
  [/^POST \/api\/claims\/:id\/notes$/, () => claimId],
  [/^(POST|PATCH) \/api\/tasks\/:id\/(notes|priority|reassign)$/, () => FUZZ_TASK],
  // A posting exception has no workflow: the API completes it itself.
  [/^POST \/api\/tasks\/:id\/complete$/, () => FUZZ_EXCEPTION_TASK],
  [/^(PATCH|POST) \/api\/admin\/users\/:id(\/tokens)?$/, () => FUZZ_USER],
];
const FUZZ_TASK = 'fuzz-task';
const FUZZ_EXCEPTION_TASK = 'fuzz-exception-task';
const FUZZ_USER = 'fuzz-target';

/** Path parameters that pass the routes' own checks: the fuzzed input is then the body or query. */
function pathFor(r: RouteUnderTest): string {
  const id = REAL_IDS.find(([re]) => re.test(r.key))?.[1]() ?? 'NO-SUCH-ID';
  const params: Record<string, string> = { queue: 'BILLER', kind: 'CODE_REVIEW', payerGroup: '*', id };
  return r.mounted.path.replace(/:(\w+)/g, (_, name: string) => encodeURIComponent(params[name] ?? 'NO-SUCH-ID'));
}

/** The JSON body limit a route has: 10 MB for what the clearinghouse sends, 1 MB for staff requests. */
/** The JSON body limits: a route's own when it declares one (sign-in), 10 MB inbound, else 1 MB. */
const bodyLimit = (r: RouteUnderTest) =>
  r.d.bodyLimitBytes ?? (r.mounted.path.startsWith('/api/inbound/') ? 10 * 1024 * 1024 : 1024 * 1024);

// ---- what every answer must be ---------------------------------------------------------------------

interface Sent {
  input: string;
  status: number;
  headers: Headers;
  text: string;
  body: any;
}

async function send(r: RouteUnderTest, path: string, body: string | undefined, input: string): Promise<Sent> {
  const headers: Record<string, string> = {};
  const user = callerFor(r);
  if (user) headers['X-User-Id'] = user;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(`${api.baseUrl}${path}`, { method: r.mounted.method.toUpperCase(), headers, body });
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { input, status: res.status, headers: res.headers, text, body: asErrorBody(parsed) };
}

/**
 * The /fhir routes refuse with an OperationOutcome: read as the error body the checks below expect, its code
 * from issue.details, its message the diagnostics, its field the FHIRPath (or parameter) in issue.expression.
 */
function asErrorBody(parsed: any): any {
  if (parsed?.resourceType !== 'OperationOutcome') return parsed;
  const issue = parsed.issue?.[0];
  return {
    error: {
      code: issue?.details?.coding?.[0]?.code,
      message: issue?.diagnostics,
      ...(issue?.expression ? { field: issue.expression[0] } : {}),
    },
  };
}

/** Never a 5xx; JSON with nosniff when the header is set; the error body shape; nothing internal. */
function expectHarmlessAnswer(s: Sent): void {
  expect(s.status, `${s.input}: ${s.status} ${s.text.slice(0, 400)}`).toBeLessThan(500);
  expect(s.headers.get('content-type'), s.input).toMatch(/^application\/(fhir\+)?json/);
  const nosniff = s.headers.get('x-content-type-options');
  if (nosniff !== null) expect(nosniff, s.input).toBe('nosniff');
  assertNoLeak(s.text, s.input);
  if (s.status >= 400) {
    expect(typeof s.body?.error?.code, `${s.input}: ${s.text.slice(0, 300)}`).toBe('string');
    expect(typeof s.body?.error?.message, s.input).toBe('string');
  }
}

/** The field the API names is the damaged one, or the list or object it sits in (a refinement over it). */
function namesDamagedField(field: unknown, path: Path): boolean {
  if (typeof field !== 'string' || field === '') return false;
  const damaged = fieldPath(path);
  const under = (a: string, b: string) => a === b || a.startsWith(`${b}.`) || a.startsWith(`${b}[`);
  return under(field, damaged) || under(damaged, field);
}

function damagedPath(d: Damage | null): Path | undefined {
  if (!d || d.kind === 'whole-body') return undefined;
  return d.kind === 'extra' ? [...d.path, d.key] : d.path;
}

/** Routes whose refusals are themselves audited: a failed sign-in is one AuditEvent row, by design. */
const AUDITS_REFUSALS = new Set(['POST /api/auth/session']);

function tallyAndCheckStorage(tally: Tally, s: Sent, before: Record<string, number>, after: Record<string, number>, route?: string): void {
  if (s.status >= 400) {
    tally.refused++;
    if (route && AUDITS_REFUSALS.has(route)) {
      expect(after.AuditEvent - before.AuditEvent, `${s.input}: one audit row for a refused sign-in`).toBeLessThanOrEqual(1);
      after = { ...after, AuditEvent: before.AuditEvent };
    }
    expect(after, `${s.input}: refused with ${s.status} but stored something`).toEqual(before);
  } else tally.accepted++;
}

// ---- bodies ------------------------------------------------------------------------------------

describe('every JSON request body, generated from its schema and damaged', () => {
  it('finds the routes with a body in the OpenAPI registry', () => {
    expect(JSON_BODY_ROUTES.length).toBeGreaterThan(10);
    expect(JSON_BODY_ROUTES.map((r) => r.key)).toEqual(
      expect.arrayContaining(['POST /api/claims', 'POST /api/patients', 'POST /api/inbound/remittances']),
    );
  });

  for (const r of JSON_BODY_ROUTES) {
    it(`${r.key}: 4xx naming the field for a wrong one, never 5xx, nothing stored when refused`, async () => {
      const schema = r.d.body as z.ZodType;
      const json = inputJsonSchema(schema);
      const arb = valueArb(json, hints).chain((base) => fc.tuple(fc.constant(base), fc.option(damageArb(base), { freq: 5 })));
      await report.check(
        `body ${r.key}`,
        [arb],
        async (tally, [base, damage]) => {
          const sent = damage ? applyDamage(base, damage) : base;
          const wire = JSON.stringify(sent);
          const input = `${r.key} ${damage ? describeDamage(damage) : 'undamaged'} ${wire.length > 300 ? `${wire.slice(0, 300)}... (${wire.length} chars)` : wire}`;
          const before = await rowCounts(db.prisma);
          const s = await send(r, pathFor(r), wire, input);
          expectHarmlessAnswer(s);
          const after = await rowCounts(db.prisma);
          tallyAndCheckStorage(tally, s, before, after, r.key);

          if (s.status === 413) {
            // A huge string of escaped characters can pass the byte limit: refused whole, as it should be.
            expect(Buffer.byteLength(wire), `${input}: 413 under the limit`).toBeGreaterThan(bodyLimit(r));
            return;
          }
          const received = JSON.parse(wire) as Json; // what express hands the route: -0 is 0, and so on
          const topLevelOk = received !== null && typeof received === 'object';
          const local = topLevelOk ? schema.safeParse(received) : undefined;
          if (!topLevelOk) {
            // express.json reads objects and arrays only.
            expect(s.status, input).toBe(400);
            return;
          }
          if (!local!.success) {
            expect(s.status, `${input}: the schema refuses it, the API answered ${s.status} ${s.text.slice(0, 300)}`).toBe(400);
            expect(s.body.error.code, input).toBe('VALIDATION_FAILED');
            const path = damagedPath(damage);
            const baseOk = schema.safeParse(base).success;
            // A removal can break a cross-field rule next to it (a diagnosis pointer, a defaulted priority that now
            // repeats a sibling's): it names something in the same top-level field. Other damage names its own field.
            if (path && baseOk) {
              const named =
                damage!.kind === 'remove'
                  ? namesDamagedField(s.body.error.field, path.slice(0, 1))
                  : namesDamagedField(s.body.error.field, path);
              expect(named, `${input}: error names ${s.body.error.field}, damaged ${fieldPath(path)}`).toBe(true);
            } else if (!Array.isArray(received)) {
              expect(typeof s.body.error.field === 'string' || path === undefined, `${input}: no field named: ${s.text}`).toBe(true);
            }
          }
        },
        BODY_RUNS,
      );
    });
  }
});

// ---- query strings -------------------------------------------------------------------------------

function toSearch(q: Json): string {
  const params = new URLSearchParams();
  const asText = (v: Json) => (typeof v === 'string' ? v : (JSON.stringify(v) ?? ''));
  if (q && typeof q === 'object' && !Array.isArray(q)) {
    for (const [k, v] of Object.entries(q)) {
      if (Array.isArray(v)) for (const x of v.length > 0 ? v : ['']) params.append(k, asText(x));
      else params.append(k, asText(v));
    }
  } else params.append('q', asText(q));
  return params.toString();
}

describe('every query string, generated from its schema and damaged', () => {
  it('finds the routes with a query schema in the OpenAPI registry', () => {
    expect(QUERY_ROUTES.map((r) => r.key)).toEqual(
      expect.arrayContaining(['GET /api/claims', 'GET /api/queues/:queue/tasks', 'GET /api/supervisor/stuck-claims']),
    );
  });

  for (const r of QUERY_ROUTES) {
    it(`${r.key}: 4xx naming the parameter for a wrong one, never 5xx`, async () => {
      const schema = r.d.query as z.ZodType;
      const arb = valueArb(inputJsonSchema(schema), hints).chain((base) =>
        fc.tuple(fc.constant(base), fc.option(damageArb(base), { freq: 5 })),
      );
      await report.check(
        `query ${r.key}`,
        [arb],
        async (tally, [base, damage]) => {
          const search = toSearch(damage ? applyDamage(base, damage) : base);
          const input = `${r.key} ${damage ? describeDamage(damage) : 'undamaged'} ?${search.length > 300 ? `${search.slice(0, 300)}... (${search.length} chars)` : search}`;
          const before = await rowCounts(db.prisma);
          const s = await send(r, `${pathFor(r)}?${search}`, undefined, input);
          if (search.length > 16_000) {
            // Past Node's 16 kB header limit the HTTP server itself answers 431, before express: no body at all.
            expect([414, 431], `${input}: ${s.status}`).toContain(s.status);
            tally.refused++;
            expect(await rowCounts(db.prisma), input).toEqual(before);
            return;
          }
          expectHarmlessAnswer(s);
          // Reads record an audit event; what must not change on a refusal is everything else.
          const after = await rowCounts(db.prisma);
          if (s.status >= 400) {
            tally.refused++;
            expect(after, `${input}: refused with ${s.status} but stored something`).toEqual(before);
          } else tally.accepted++;
          const local = schema.safeParse({ ...querystring.parse(search) });
          if (!local.success) {
            expect(s.status, `${input}: the schema refuses it, the API answered ${s.status} ${s.text.slice(0, 300)}`).toBe(400);
            expect(typeof s.body.error.field, `${input}: ${s.text}`).toBe('string');
          }
        },
        QUERY_RUNS,
      );
    });
  }
});

// ---- path parameters -------------------------------------------------------------------------------

describe('every path parameter', () => {
  it('answers junk, SQL and HTML in path parameters with a 4xx JSON error, never 5xx, storing nothing', async () => {
    const junk = fc.oneof(
      fc.constantFrom(...SQL_LIKE, ...HTML_LIKE, '..', '%', 'NaN', '-1', '0', '9'.repeat(40), 'ä', '💉', ' '),
      fc.string({ minLength: 1, maxLength: 40 }),
    );
    await report.check(
      'path parameters of every route',
      [fc.constantFrom(...PARAM_ROUTES), junk],
      async (tally, r, value) => {
        const path = r.mounted.path.replace(/:(\w+)/g, () => encodeURIComponent(value));
        const input = `${r.key} with ${JSON.stringify(value)}`;
        const before = await rowCounts(db.prisma);
        const s = await send(r, path, r.d.body ? '{}' : undefined, input);
        expectHarmlessAnswer(s);
        const after = await rowCounts(db.prisma);
        if (s.status >= 400) {
          tally.refused++;
          expect(after, `${input}: refused with ${s.status} but stored something`).toEqual(before);
        } else tally.accepted++;
      },
      200,
    );
  });
});

// ---- oversized bodies ------------------------------------------------------------------------------

describe('oversized bodies', () => {
  const bodyOf = (bytes: number) => JSON.stringify({ padding: 'x'.repeat(bytes) });

  it('refuses a body over 10 MB on every JSON route with 413 JSON, storing nothing', async () => {
    const big = bodyOf(10 * 1024 * 1024 + 1024);
    const before = await rowCounts(db.prisma);
    for (const r of JSON_BODY_ROUTES) {
      const s = await send(r, pathFor(r), big, `${r.key} 10 MB`);
      expect(s.status, `${r.key}: ${s.text.slice(0, 200)}`).toBe(413);
      expect(s.body, r.key).toEqual({ error: { code: 'PAYLOAD_TOO_LARGE', message: 'the request body is too large' } });
      expectHarmlessAnswer(s);
    }
    expect(await rowCounts(db.prisma)).toEqual(before);
  });

  it('refuses a body over 1 MB on staff routes, and reads inbound bodies up to 10 MB', async () => {
    const overStaffLimit = bodyOf(1024 * 1024 + 1024);
    for (const r of JSON_BODY_ROUTES) {
      const s = await send(r, pathFor(r), overStaffLimit, `${r.key} 1 MB`);
      expectHarmlessAnswer(s);
      if (r.mounted.path.startsWith('/api/inbound/')) {
        // Read, then refused for what it says (an unknown field is dropped, required ones are missing).
        expect(s.status, `${r.key}: ${s.text.slice(0, 200)}`).toBe(400);
        expect(s.body.error.code, r.key).toBe('VALIDATION_FAILED');
      } else {
        expect(s.status, `${r.key}: ${s.text.slice(0, 200)}`).toBe(413);
      }
    }
  });

  it('refuses an X12 file over 50 MB with 413 JSON', async () => {
    const r = ROUTES.find((x) => x.key === 'POST /api/inbound/x12')!;
    const res = await fetch(`${api.baseUrl}${r.mounted.path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/edi-x12', 'X-User-Id': SIMULATOR_SENDER_ID },
      body: 'ISA*'.padEnd(50 * 1024 * 1024 + 16, 'X'),
    });
    const text = await res.text();
    expect(res.status, text.slice(0, 200)).toBe(413);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(JSON.parse(text)).toEqual({ error: { code: 'PAYLOAD_TOO_LARGE', message: 'the request body is too large' } });
  });
});

// ---- SQL and HTML come back as data -----------------------------------------------------------------

describe('text that looks like SQL or HTML', () => {
  const tables = async () =>
    (
      await db.prisma.$queryRawUnsafe<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public'`,
      )
    )[0].n;

  it('is stored and returned literally by every route that keeps text (patients, users, claim and task notes)', async () => {
    const tablesBefore = await tables();
    const claimsBefore = await db.prisma.claim.count();
    const samples = [...SQL_LIKE, ...HTML_LIKE];
    for (const [i, text] of samples.entries()) {
      const patient = await api.request('POST', '/api/patients', {
        body: {
          firstName: text.slice(0, 60),
          lastName: `<b>${i}</b>`,
          birthDate: '1980-02-29',
          sex: 'F',
          addressLine: text,
          city: `'; --`,
          state: 'NY',
          postalCode: '10001',
          coverages: [{ payerId: PAYER_IDS.bluePeak, memberId: text.slice(0, 80) }],
        },
      });
      expect(patient.status, patient.text).toBe(201);
      expect(patient.headers.get('content-type')).toMatch(/^application\/json/);
      const read = await api.request('GET', `/api/patients/${patient.body.id}`);
      expect(read.status).toBe(200);
      expect(read.body).toMatchObject({ firstName: text.slice(0, 60), lastName: `<b>${i}</b>`, addressLine: text, city: `'; --` });
      expect(read.body.coverages[0].memberId).toBe(text.slice(0, 80));

      const note = await api.request('POST', `/api/claims/${claimId}/notes`, { body: { text } });
      expect(note.status, note.text).toBe(201);
      expect(note.body.text).toBe(text);

      const user = await api.request('POST', '/api/admin/users', {
        user: USER_IDS.admin,
        body: { id: `fuzz-${i}`, name: text, role: 'CODER', organizationIds: ['org-riverbend'] },
      });
      expect(user.status, user.text).toBe(201);
      expect(user.body.name).toBe(text);
    }
    const notes = await api.request('GET', `/api/claims/${claimId}/notes`);
    expect(notes.headers.get('content-type')).toMatch(/^application\/json/);
    expect(notes.body.items.map((n: { text: string }) => n.text)).toEqual(expect.arrayContaining(samples));
    const users = await api.request('GET', '/api/admin/users', { user: USER_IDS.admin });
    expect(users.body.items ?? users.body).toEqual(expect.arrayContaining(samples.map((name) => expect.objectContaining({ name }))));
    expect(await tables()).toBe(tablesBefore);
    expect(await db.prisma.claim.count()).toBe(claimsBefore);
  });

  it('round-trips any such text through a claim note (property)', async () => {
    const text = fc
      .oneof(
        fc.constantFrom(...SQL_LIKE, ...HTML_LIKE),
        fc
          .tuple(fc.constantFrom(...SQL_LIKE, ...HTML_LIKE), fc.string({ maxLength: 30 }), fc.constantFrom(...SQL_LIKE, ...HTML_LIKE))
          .map((p) => p.join(' ')),
        fc.string({ unit: 'grapheme', minLength: 1, maxLength: 60 }),
      )
      .filter((t) => t.trim().length > 0 && t.trim().length <= 4000);
    await report.check(
      'SQL/HTML text round trip (claim notes)',
      [text],
      async (tally, t) => {
        const res = await api.request('POST', `/api/claims/${claimId}/notes`, { body: { text: t } });
        const input = `note ${JSON.stringify(t)}`;
        expectHarmlessAnswer({ input, status: res.status, headers: res.headers, text: res.text, body: res.body });
        if (res.status >= 400) {
          tally.refused++;
          return;
        }
        tally.accepted++;
        // Trimmed by the schema, otherwise the very same characters.
        expect(res.body.text, input).toBe(t.trim());
        // A claim note lives in its audit event's detail: the row holds the same characters, not an escaped form.
        const stored = await db.prisma.$queryRawUnsafe<{ text: string }[]>(
          `SELECT detail->>'text' AS text FROM "AuditEvent" WHERE detail->>'noteId' = $1`,
          res.body.id,
        );
        expect(
          stored.map((x) => x.text),
          input,
        ).toEqual([t.trim()]);
      },
      100,
    );
  });

  it('finds nothing extra through a query parameter or path that looks like SQL', async () => {
    const all = await api.request('GET', '/api/claims');
    expect(all.status).toBe(200);
    for (const payerId of [`' OR 1=1--`, `x' OR 'a'='a`, '1 OR 1=1']) {
      const res = await api.request('GET', `/api/claims?payerId=${encodeURIComponent(payerId)}`);
      expect(res.status, res.text).toBe(200);
      expect(res.body.items).toEqual([]);
    }
    const res = await api.request('GET', `/api/claims/${encodeURIComponent(`${claimId}' OR '1'='1`)}`);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  });
});

it(`prints the seed (${FUZZ_SEED}) and the routes fuzzed`, () => {
  console.log(
    `fuzzed ${JSON_BODY_ROUTES.length} body routes, ${QUERY_ROUTES.length} query routes, ${PARAM_ROUTES.length} routes with path parameters; seed ${FUZZ_SEED}`,
  );
  expect(ROUTES.length).toBe(APP_ROUTES.length);
});

// ---- what the fuzzing found: the first three were 500s before their fixes; the last guards the fix's walk ----

describe('regressions found by the properties above', () => {
  const inbound = (path: string, body: unknown) => api.request('POST', `/api/inbound/${path}`, { user: SIMULATOR_SENDER_ID, body });
  const expect400 = async (res: Promise<{ status: number; body: any; text: string }>, field: string) => {
    const before = await rowCounts(db.prisma);
    const r = await res;
    expect(r.status, r.text).toBe(400);
    expect(r.body.error).toMatchObject({ code: 'VALIDATION_FAILED', field });
    expect(await rowCounts(db.prisma)).toEqual(before);
  };

  it('refuses an acknowledgement attempt or an appeal level past 32 bits (was 500: the Int column overflowed)', async () => {
    await expect400(inbound('acknowledgements', { ackId: 'a1', claimId, attempt: 2 ** 53 - 1, accepted: true }), 'attempt');
    await expect400(inbound('appeal-decisions', { decisionId: 'd1', claimId, level: 2 ** 31, decision: 'UPHELD' }), 'level');
  });

  it('refuses a remittance line number past 32 bits', async () => {
    const claim = {
      claimId,
      statusCode: '1',
      chargeCents: 100,
      paidCents: 100,
      patientRespCents: 0,
      lines: [{ lineNo: 2 ** 31, procedureCode: '99213', chargeCents: 100, paidCents: 100 }],
    };
    await expect400(
      inbound('remittances', {
        payerElectronicId: 'DMC01',
        traceNumber: 't-1',
        paymentDate: '2026-10-01',
        paymentMethod: 'ACH',
        paymentCents: 100,
        claims: [claim],
      }),
      'claims[0].lines[0].lineNo',
    );
  });

  it('refuses text PostgreSQL cannot store, naming the field (was 500: an unpaired surrogate or NUL failed in jsonb/text)', async () => {
    await expect400(api.request('POST', `/api/claims/${claimId}/notes`, { body: { text: 'x\ud800y' } }), 'text');
    await expect400(api.request('POST', `/api/claims/${claimId}/notes`, { body: { text: 'nul\u0000here' } }), 'text');
    await expect400(
      api.request('POST', '/api/patients', {
        body: {
          firstName: 'A\u0000',
          lastName: 'B',
          birthDate: '1980-01-01',
          sex: 'F',
          addressLine: '1 Main St',
          city: 'X',
          state: 'NY',
          postalCode: '10001',
          coverages: [{ payerId: PAYER_IDS.bluePeak, memberId: 'M1' }],
        },
      }),
      'firstName',
    );
    await expect400(api.request('GET', '/api/claims?payerId=%00'), 'payerId');
    await expect400(inbound('acknowledgements', { ackId: 'a\udc00', claimId, attempt: 1, accepted: true }), 'ackId');
    // A key is text too, and a well-formed pair is no problem.
    await expect400(api.request('POST', `/api/claims/${claimId}/notes`, { rawBody: '{"text":"ok","\\u0000":1}' }), '\u0000');
    const fine = await api.request('POST', `/api/claims/${claimId}/notes`, { body: { text: 'paired \ud83d\udc89 is fine' } });
    expect(fine.status, fine.text).toBe(201);
    expect(fine.body.text).toBe('paired 💉 is fine');
  });

  it('reads a body nested 200,000 levels deep without overflowing the stack', async () => {
    const deep = `${'['.repeat(200_000)}${']'.repeat(200_000)}`;
    const res = await api.request('POST', `/api/claims/${claimId}/notes`, { rawBody: deep });
    expect(res.status, res.text.slice(0, 200)).toBeLessThan(500);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  });
});
