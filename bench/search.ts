// Search at 100,000 claims: GET /api/search by last name, last + first name, birth date, member id, claim id and
// date of service, through the real API over loopback with bearer tokens, on a fresh PostgreSQL database, as a
// user of one practice and as a user of every practice. Prints p50/p99 per kind of query and the plans.
// Run: npx tsx bench/search.ts [--claims 100000] [--patients 25000] [--calls 300]
//   BENCH_DATABASE_URL (default TEST_DATABASE_URL, else postgresql://postgres@127.0.0.1:5432/postgres) names the
//   server; a database claimflow_bench_<random> is created there and dropped at the end.
import type { ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { issueToken } from '../api/auth/accounts';
import { seedReferenceData } from '../app/seed';
import { openDatabase } from '../infra/db';
import { forkApi, serveApi } from './apiProcess';
import { percentile } from './stats';
import { adminDatabaseUrl } from './stack';
import { describeMachine, machineTag } from './machine';

const { values: args } = parseArgs({
  options: {
    claims: { type: 'string', default: '100000' },
    patients: { type: 'string', default: '25000' },
    calls: { type: 'string', default: '300' },
    keep: { type: 'boolean', default: false },
    /** internal: run only the API on this database and report its port to the parent */
    serve: { type: 'string' },
  },
});
const CLAIMS = Number(args.claims);
const PATIENTS = Number(args.patients);
const CALLS = Number(args.calls);

// Surnames and given names to combine: 119 x 60 = 7,140 full names over 25,000 patients, so a surname finds
// ~200 patients and a full name a handful, as in a real practice's files.
const LAST = (
  'Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez Gonzalez Wilson Anderson ' +
  'Thomas Taylor Moore Jackson Martin Lee Perez Thompson White Harris Sanchez Clark Ramirez Lewis Robinson Walker ' +
  'Young Allen King Wright Scott Torres Nguyen Hill Flores Green Adams Nelson Baker Hall Rivera Campbell Mitchell ' +
  'Carter Roberts Gomez Phillips Evans Turner Diaz Parker Cruz Edwards Collins Reyes Stewart Morris Morales Murphy ' +
  'Cook Rogers Gutierrez Ortiz Morgan Cooper Peterson Bailey Reed Kelly Howard Ramos Kim Cox Ward Richardson Watson ' +
  'Brooks Chavez Wood James Bennett Gray Mendoza Ruiz Hughes Price Alvarez Castillo Sanders Patel Myers Long Ross ' +
  'Foster Jimenez Powell Jenkins Perry Russell Sullivan Bell Coleman Butler Henderson Barnes Gonzales Fisher ' +
  'Vasquez Simmons Romero Jordan Patterson Okafor Lindqvist'
).split(' ');
const FIRST = (
  'James Mary Robert Patricia John Jennifer Michael Linda David Elizabeth William Barbara Richard Susan Joseph ' +
  'Jessica Thomas Sarah Charles Karen Christopher Lisa Daniel Nancy Matthew Betty Anthony Margaret Mark Sandra ' +
  'Donald Ashley Steven Kimberly Paul Emily Andrew Donna Joshua Michelle Kenneth Carol Kevin Amanda Brian Dorothy ' +
  'George Melissa Timothy Deborah Ronald Stephanie Edward Rebecca Jason Sharon Jeffrey Laura Ryan Cynthia'
).split(' ');

async function main(): Promise<void> {
  const admin = new URL(adminDatabaseUrl());
  const name = `claimflow_bench_${crypto.randomBytes(4).toString('hex')}`;
  const url = new URL(admin);
  url.pathname = `/${name}`;
  console.log(await describeMachine(admin.toString()));
  const db = await openDatabase(url.toString());
  const { prisma } = db;
  let api: ChildProcess | undefined;
  try {
    await seedReferenceData(prisma);
    const t0 = performance.now();
    const lastNames = `ARRAY[${LAST.map((n) => `'${n}'`).join(',')}]`;
    const firstNames = `ARRAY[${FIRST.map((n) => `'${n}'`).join(',')}]`;
    // Four in five patients are Riverbend's, one in five Lakeside's; the keys are what the API writes (ASCII names).
    await prisma.$executeRawUnsafe(`
      INSERT INTO "Patient" (id, "organizationId", "firstName", "lastName", "firstNameKey", "lastNameKey", "birthDate", sex,
                             "addressLine", city, state, "postalCode")
      SELECT 'BP' || lpad(g::text, 8, '0'), CASE WHEN g % 5 = 0 THEN 'org-lakeside' ELSE 'org-riverbend' END,
             f.name, l.name, lower(f.name), lower(l.name), DATE '1940-01-01' + (g * 37) % 30000, 'U', '1 Bench St', 'Fairhaven', 'OR', '97401'
      FROM generate_series(1, ${PATIENTS}) g
      CROSS JOIN LATERAL (SELECT (${lastNames})[1 + (g * 11) % ${LAST.length}] AS name) l
      CROSS JOIN LATERAL (SELECT (${firstNames})[1 + (g * 13) % ${FIRST.length}] AS name) f`);
    await prisma.$executeRawUnsafe(`
      INSERT INTO "Coverage" (id, "patientId", "payerId", "memberId", "memberIdKey", priority)
      SELECT 'BV' || lpad(g::text, 8, '0'), 'BP' || lpad(g::text, 8, '0'), 'payer-blue-peak',
             'BPK-' || lpad(g::text, 8, '0'), 'BPK' || lpad(g::text, 8, '0'), 'PRIMARY'
      FROM generate_series(1, ${PATIENTS}) g`);
    const provider = `CASE WHEN p % 5 = 0 THEN 'prov-lakeside-pediatrics' ELSE 'prov-family-medicine' END`;
    const org = `CASE WHEN p % 5 = 0 THEN 'org-lakeside' ELSE 'org-riverbend' END`;
    await prisma.$executeRawUnsafe(`
      INSERT INTO "Encounter" (id, "organizationId", "patientId", "providerId", "dateOfService", "placeOfService", documentation)
      SELECT 'BE' || lpad(g::text, 8, '0'), ${org}, 'BP' || lpad(p::text, 8, '0'), ${provider}, DATE '2026-11-30' - g % 365, '11', 'bench'
      FROM generate_series(1, ${CLAIMS}) g CROSS JOIN LATERAL (SELECT 1 + (g * 7919) % ${PATIENTS} AS p) x`);
    await prisma.$executeRawUnsafe(`
      INSERT INTO "Claim" (id, "organizationId", "encounterId", "patientId", "payerId", "coverageId", "providerId", state,
                           "stateEnteredAt", "totalChargeCents", "balanceCents", "updatedAt", "createdAt")
      SELECT 'CF' || lpad(g::text, 10, '0'), ${org}, 'BE' || lpad(g::text, 8, '0'), 'BP' || lpad(p::text, 8, '0'), 'payer-blue-peak',
             'BV' || lpad(p::text, 8, '0'), ${provider}, 'AWAITING_ADJUDICATION', now(), 14500, 14500, now(),
             now() - (g % 365) * interval '1 day'
      FROM generate_series(1, ${CLAIMS}) g CROSS JOIN LATERAL (SELECT 1 + (g * 7919) % ${PATIENTS} AS p) x`);
    await prisma.$executeRawUnsafe('VACUUM ANALYZE');
    console.log(`inserted ${PATIENTS} patients and ${CLAIMS} claims in ${((performance.now() - t0) / 1000).toFixed(1)} s  ${machineTag()}`);

    const forked = await forkApi(process.argv[1], url.toString());
    api = forked.child;
    const port = forked.port;
    const token = {
      riverbend: (await issueToken(prisma, 'biller-1', { name: 'bench' }, 'bench')).token,
      every: (await issueToken(prisma, 'supervisor-1', { name: 'bench' }, 'bench')).token,
    };
    const call = async (who: keyof typeof token, q: string) => {
      const start = performance.now();
      const res = await fetch(`http://127.0.0.1:${port}/api/search?q=${encodeURIComponent(q)}`, {
        headers: { Authorization: `Bearer ${token[who]}` },
      });
      const body = (await res.json()) as { patients: unknown[]; claims: unknown[] };
      if (res.status !== 200) throw new Error(`search ${q}: ${res.status} ${JSON.stringify(body)}`);
      return { ms: performance.now() - start, patients: body.patients.length, claims: body.claims.length };
    };

    const n = (i: number) => 1 + ((i * 104_729) % PATIENTS);
    const kinds: [string, (i: number) => string][] = [
      ['last name', (i) => LAST[i % LAST.length]],
      ['last name prefix (3 letters)', (i) => LAST[i % LAST.length].slice(0, 3)],
      ['last + first name', (i) => `${LAST[(n(i) * 11) % LAST.length]} ${FIRST[(n(i) * 13) % FIRST.length]}`],
      ['first name only', (i) => FIRST[i % FIRST.length]],
      ['birth date', (i) => new Date(Date.UTC(1940, 0, 1) + ((n(i) * 37) % 30000) * 86_400_000).toISOString().slice(0, 10)],
      ['member id (no dashes, lower case)', (i) => `bpk${String(n(i)).padStart(8, '0')}`],
      ['claim id', (i) => `CF${String(1 + ((i * 7919) % CLAIMS)).padStart(10, '0')}`],
      ['date of service', (i) => new Date(Date.UTC(2026, 10, 30) - (i % 365) * 86_400_000).toISOString().slice(0, 10)],
    ];
    for (let i = 0; i < 30; i++) await call('riverbend', kinds[i % kinds.length][1](i));
    console.log(`\nGET /api/search, ${CALLS} calls per kind, one at a time (${CLAIMS} claims, ${PATIENTS} patients):`);
    let worst = 0;
    for (const who of ['riverbend', 'every'] as const) {
      for (const [label, q] of kinds) {
        const samples: number[] = [];
        let hits = 0;
        for (let i = 0; i < CALLS; i++) {
          const r = await call(who, q(i));
          samples.push(r.ms);
          hits += r.patients + r.claims;
        }
        samples.sort((a, b) => a - b);
        worst = Math.max(worst, percentile(samples, 99));
        console.log(
          `  ${`${label}, ${who === 'riverbend' ? 'a user of one practice' : 'a user of every practice'}`.padEnd(62)} ` +
            `p50 ${percentile(samples, 50).toFixed(1).padStart(6)} ms  p99 ${percentile(samples, 99).toFixed(1).padStart(6)} ms  ` +
            `${(hits / CALLS).toFixed(1)} results/call  ${machineTag()}`,
        );
      }
    }
    console.log(`\nworst p99: ${worst.toFixed(1)} ms (goal: under 100 ms)`);

    console.log('\nplans (EXPLAIN ANALYZE) of the two widest queries:');
    const explain = async (label: string, sql: string) => {
      const client = new pg.Client({ connectionString: url.toString() });
      await client.connect();
      try {
        const rows = await client.query(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`);
        console.log(`-- ${label}\n${rows.rows.map((r: { 'QUERY PLAN': string }) => `   ${r['QUERY PLAN']}`).join('\n')}`);
      } finally {
        await client.end();
      }
    };
    await explain(
      'last name, one practice',
      `SELECT id FROM "Patient" WHERE "organizationId" IN ('org-riverbend') AND (("lastNameKey" >= 'smith' AND "lastNameKey" < 'smiti') OR ("firstNameKey" >= 'smith' AND "firstNameKey" < 'smiti')) ORDER BY "lastNameKey", "firstNameKey", id LIMIT 21`,
    );
    await explain(
      'claims of the patients found',
      `SELECT c.id FROM "Claim" c WHERE c."patientId" IN (SELECT id FROM "Patient" WHERE "lastNameKey" >= 'smith' AND "lastNameKey" < 'smiti' LIMIT 20) ORDER BY c."createdAt" DESC, c.id LIMIT 21`,
    );
  } finally {
    api?.kill('SIGTERM');
    await db.close();
    if (!args.keep) {
      const client = new pg.Client({ connectionString: admin.toString() });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await client.end();
    } else {
      console.log(`kept ${url}`);
    }
  }
}

(args.serve ? serveApi(args.serve).then(() => new Promise(() => {})) : main()).then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
