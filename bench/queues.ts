// How the work queues hold up with 100,000 open tasks: get-next latency (1 and 8 concurrent callers) and queue
// page latency (first page, a deep keyset page, with and without filters), through the real API over loopback
// with bearer tokens, on a fresh PostgreSQL database. Also prints the plans (EXPLAIN ANALYZE) of the queries.
// Run: npx tsx bench/queues.ts [--tasks 100000] [--calls 500] [--users 1,8,32]
//   BENCH_DATABASE_URL (default TEST_DATABASE_URL, else postgresql://postgres@127.0.0.1:5432/postgres) names the
//   server; a database claimflow_bench_<random> is created there and dropped at the end.
import type { ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { Prisma } from '../generated/prisma/client';
import { issueToken } from '../api/auth/accounts';
import { encodeCursor } from '../api/http/paging';
import { practiceScope } from '../api/auth/practices';
import { listFilters, nextTaskSql, queuePageSql } from '../api/queues/queues';
import { openDatabase } from '../infra/db';
import { seedReferenceData } from '../app/seed';
import { TASK_KINDS, workflowIdForClaim } from '../workflows/contract';
import { forkApi, serveApi } from './apiProcess';
import { percentile } from './stats';
import { describeMachine, machineTag } from './machine';

const EVERY_PRACTICE = practiceScope(['*']);

const { values: args } = parseArgs({
  options: {
    tasks: { type: 'string', default: '100000' },
    calls: { type: 'string', default: '500' },
    /** concurrency levels: how many users call at once */
    users: { type: 'string', default: '1,8,32' },
    keep: { type: 'boolean', default: false },
    /** internal: run only the API on this database and report its port to the parent */
    serve: { type: 'string' },
  },
});
const TASKS = Number(args.tasks);
const CALLS = Number(args.calls);
const PAGE_SAMPLES = 200;
const LEVELS = args
  .users!.split(',')
  .map(Number)
  .filter((n) => Number.isInteger(n) && n > 0);
const MAX_USERS = Math.max(8, ...LEVELS);

/** The machine beside every figure, with the load average: on a shared machine the load moves the figures. */
const tag = machineTag;

function report(label: string, samples: number[], extra = ''): void {
  const s = [...samples].sort((a, b) => a - b);
  console.log(
    `${label.padEnd(58)} p50 ${percentile(s, 50).toFixed(2).padStart(6)} ms  p99 ${percentile(s, 99).toFixed(2).padStart(6)} ms  n=${s.length}${extra}  ${tag()}`,
  );
}

async function main(): Promise<void> {
  // the benchmark's own flag (BENCH_DATABASE_URL, else the tests' TEST_DATABASE_URL), not claimflow's configuration
  const admin = new URL(process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres');
  const name = `claimflow_bench_${crypto.randomBytes(4).toString('hex')}`;
  const url = new URL(admin);
  url.pathname = `/${name}`;
  console.log(await describeMachine(admin.toString()));

  const db = await openDatabase(url.toString());
  const { prisma } = db;
  let api: ChildProcess | undefined;
  try {
    const [{ version }] = await prisma.$queryRaw<{ version: string }[]>`SELECT version()`;
    console.log(`database: ${version.split(',')[0]} (${name})`);
    await seedReferenceData(prisma);

    // ---- data: one claim (with its encounter) per task, spread over the demo patients and payers ----
    const t0 = performance.now();
    const kinds = Object.entries(TASK_KINDS).map(([kind, k]) => ({ kind, queue: k.queue }));
    await prisma.$executeRawUnsafe(`
      INSERT INTO "Encounter" (id, "organizationId", "patientId", "providerId", "dateOfService", "placeOfService", documentation)
      SELECT 'BE' || lpad(g::text, 8, '0'), 'org-riverbend', cov."patientId", 'prov-family-medicine', DATE '2026-10-01' - (g % 60), '11', 'bench encounter'
      FROM generate_series(1, ${TASKS}) g
      JOIN (SELECT row_number() OVER (ORDER BY c.id) - 1 AS k, "patientId" FROM "Coverage" c JOIN "Patient" p ON p.id = c."patientId"
            WHERE priority = 'PRIMARY' AND p."organizationId" = 'org-riverbend') cov
        ON cov.k = g % (SELECT count(*) FROM "Patient" WHERE "organizationId" = 'org-riverbend')`);
    await prisma.$executeRawUnsafe(`
      INSERT INTO "Claim" (id, "organizationId", "encounterId", "patientId", "payerId", "coverageId", "providerId", state, "stateEnteredAt",
                           "totalChargeCents", "balanceCents", "updatedAt")
      SELECT 'BC' || lpad(g::text, 8, '0'), 'org-riverbend', 'BE' || lpad(g::text, 8, '0'), cov."patientId", cov."payerId", cov.id, 'prov-family-medicine',
             'DENIED', now() - (g % 40) * interval '1 day', 1000 + (g * 7919) % 100000, 1000 + (g * 7919) % 100000, now()
      FROM generate_series(1, ${TASKS}) g
      JOIN (SELECT row_number() OVER (ORDER BY c.id) - 1 AS k, c.id, "patientId", "payerId" FROM "Coverage" c JOIN "Patient" p ON p.id = c."patientId"
            WHERE priority = 'PRIMARY' AND p."organizationId" = 'org-riverbend') cov
        ON cov.k = g % (SELECT count(*) FROM "Patient" WHERE "organizationId" = 'org-riverbend')`);
    // Kinds in proportion to how often the lifecycle opens them would be nicer; an even spread over the 13
    // kinds gives CODER 3/13, BILLER 6/13, SUPERVISOR 4/13 of the tasks. One in ten is already claimed.
    const kindValues = kinds.map((k, i) => `(${i}, '${k.kind}', '${k.queue}')`).join(', ');
    await prisma.$executeRawUnsafe(`
      INSERT INTO "Task" (id, "claimId", "organizationId", "workflowId", queue, kind, status, priority, "dueAt", "assigneeId", "claimedAt", context, "createdAt")
      SELECT 'BT' || lpad(g::text, 8, '0'), 'BC' || lpad(g::text, 8, '0'), 'org-riverbend', '${workflowIdForClaim('BC')}' || lpad(g::text, 8, '0'),
             k.queue::"TaskQueue", k.kind,
             (CASE WHEN g % 10 = 0 THEN 'CLAIMED' ELSE 'OPEN' END)::"TaskStatus",
             20 + (g * 31) % 81,
             now() + ((g * 17) % 481 - 240) * interval '1 hour',
             CASE WHEN g % 10 = 0 THEN (ARRAY['coder-1','biller-1','supervisor-1'])[1 + g % 3] END,
             CASE WHEN g % 10 = 0 THEN now() END,
             jsonb_build_object('balanceCents', 1000 + (g * 7919) % 100000),
             now() - (g % 30) * interval '1 day'
      FROM generate_series(1, ${TASKS}) g
      JOIN (VALUES ${kindValues}) AS k(i, kind, queue) ON k.i = g % ${kinds.length}`);
    // What a table in service looks like after autovacuum: statistics and the visibility map are current.
    await prisma.$executeRawUnsafe('VACUUM ANALYZE');
    const counts = await prisma.$queryRaw<{ queue: string; status: string; n: bigint }[]>`
      SELECT queue::text, status::text, count(*) AS n FROM "Task" GROUP BY 1, 2 ORDER BY 1, 2`;
    console.log(
      `inserted ${TASKS} claims and ${TASKS} tasks in ${((performance.now() - t0) / 1000).toFixed(1)} s: ${counts.map((c) => `${c.queue}/${c.status} ${c.n}`).join(', ')}  ${tag()}`,
    );

    // ---- the API in its own process, over loopback, with bearer tokens ----
    const forked = await forkApi(process.argv[1], url.toString());
    api = forked.child;
    const port = forked.port;
    const base = `http://127.0.0.1:${port}`;
    const callers = Array.from({ length: MAX_USERS }, (_, i) => `bench-biller-${i}`);
    const riverbend = ['org-riverbend'];
    await prisma.user.createMany({
      data: callers.map((id) => ({ id, name: 'Bench Biller', role: 'BILLER' as const, organizationIds: riverbend })),
    });
    await prisma.user.create({
      data: { id: 'bench-medicare', name: 'Medicare Biller', role: 'BILLER', payerGroups: ['MEDICARE'], organizationIds: riverbend },
    });
    const token: Record<string, string> = {};
    for (const id of [...callers, 'bench-medicare', 'biller-1'])
      token[id] = (await issueToken(prisma, id, { name: 'bench' }, 'bench')).token;

    const call = async (user: string, method: string, path: string): Promise<{ ms: number; status: number; body: any }> => {
      const start = performance.now();
      const res = await fetch(`${base}${path}`, { method, headers: { Authorization: `Bearer ${token[user]}` } });
      const body = await res.json();
      return { ms: performance.now() - start, status: res.status, body };
    };
    const expectOk = (r: { status: number; body: any }, what: string) => {
      if (r.status !== 200) throw new Error(`${what}: ${r.status} ${JSON.stringify(r.body)}`);
    };
    for (let i = 0; i < 20; i++) expectOk(await call('biller-1', 'GET', '/api/queues/BILLER/tasks'), 'warm-up');

    // ---- get next, at each concurrency level ----
    console.log(`\nget next (POST /api/queues/BILLER/next, each call claims a task), ${LEVELS.join(', ')} users at once:`);
    const handed = new Set<string>();
    for (const level of LEVELS) {
      const samples: number[] = [];
      const started = performance.now();
      await Promise.all(
        callers.slice(0, level).map(async (user) => {
          for (let i = 0; i < Math.ceil(CALLS / level); i++) {
            const r = await call(user, 'POST', '/api/queues/BILLER/next');
            expectOk(r, 'next');
            if (handed.has(r.body.id)) throw new Error(`task ${r.body.id} handed out twice`);
            handed.add(r.body.id);
            samples.push(r.ms);
          }
        }),
      );
      report(
        `  ${level} user${level === 1 ? '' : 's'} at once`,
        samples,
        `  ${(samples.length / ((performance.now() - started) / 1000)).toFixed(0)} claims/s, no task twice`,
      );
    }
    const grouped: number[] = [];
    for (let i = 0; i < Math.min(CALLS, 200); i++) {
      const r = await call('bench-medicare', 'POST', '/api/queues/BILLER/next');
      expectOk(r, 'next (payer group)');
      grouped.push(r.ms);
    }
    report('  1 caller limited to the MEDICARE payer group (1 in 4)', grouped);

    // ---- queue pages ----
    console.log('\nqueue pages (GET /api/queues/BILLER/tasks, 50 per page, OPEN and CLAIMED):');
    const deepCursor = async (offset: number, where = Prisma.empty) => {
      const [row] = await prisma.$queryRaw<{ id: string; priority: number; dueAt: Date }[]>`
        SELECT t.id, t.priority, t."dueAt" FROM "Task" t JOIN "Claim" c ON c.id = t."claimId"
        WHERE t.queue = 'BILLER' AND t.status IN ('OPEN', 'CLAIMED') ${where}
        ORDER BY t.priority DESC, t."dueAt" ASC, t.id ASC OFFSET ${offset} LIMIT 1`;
      return encodeCursor({ p: row.priority, d: row.dueAt.toISOString(), id: row.id });
    };
    const bigBalance = Prisma.sql`AND c."payerId" = 'payer-blue-peak' AND c."balanceCents" >= 50000`;
    const cases: [string, string][] = [
      ['first page', ''],
      ['deep page (row 30,000, keyset cursor)', `cursor=${await deepCursor(30_000)}`],
      ['first page, payer + minimum balance', 'payerId=payer-blue-peak&minBalanceCents=50000'],
      [
        'deep page (row 5,000), payer + minimum balance',
        `payerId=payer-blue-peak&minBalanceCents=50000&cursor=${await deepCursor(5_000, bigBalance)}`,
      ],
      ['first page, kind=FOLLOW_UP', 'kind=FOLLOW_UP'],
      ['first page, overdue=true', 'overdue=true'],
      ['first page, minAgeDays=20', 'minAgeDays=20'],
      ['first page, unassigned=true', 'unassigned=true'],
      ['first page, mine=true (a few hundred claimed)', 'mine=true'],
      ['first page, status=OPEN&dueBefore=+1 day', `status=OPEN&dueBefore=${new Date(Date.now() + 86_400_000).toISOString()}`],
    ];
    for (const [label, query] of cases) {
      const samples: number[] = [];
      let items = 0;
      for (let i = 0; i < PAGE_SAMPLES + 10; i++) {
        const r = await call(
          label.includes('mine') ? callers[0] : 'biller-1',
          'GET',
          `/api/queues/BILLER/tasks?limit=50${query ? `&${query}` : ''}`,
        );
        expectOk(r, label);
        items = r.body.items.length;
        if (i >= 10) samples.push(r.ms);
      }
      report(`  ${label}`, samples, `  ${items} items`);
    }

    // ---- the first and a deep page with several users at once ----
    console.log(
      `\nqueue pages with ${LEVELS.join(', ')} users at once (${PAGE_SAMPLES} pages or a few more in all, after 10 warm-up calls per user):`,
    );
    const deep = await deepCursor(30_000);
    for (const [label, query] of [
      ['first page', ''],
      ['deep page (row 30,000)', `&cursor=${deep}`],
    ] as const) {
      for (const level of LEVELS) {
        const samples: number[] = [];
        const started = performance.now();
        await Promise.all(
          callers.slice(0, level).map(async (user) => {
            for (let i = 0; i < Math.ceil(PAGE_SAMPLES / level) + 10; i++) {
              const r = await call(user, 'GET', `/api/queues/BILLER/tasks?limit=50${query}`);
              expectOk(r, label);
              if (i >= 10) samples.push(r.ms);
            }
          }),
        );
        report(
          `  ${label}, ${level} user${level === 1 ? '' : 's'} at once`,
          samples,
          `  ${(samples.length / ((performance.now() - started) / 1000)).toFixed(0)} pages/s`,
        );
      }
    }

    // ---- plans ----
    console.log('\nplans (EXPLAIN ANALYZE, BUFFERS):');
    const explain = async (label: string, sql: Prisma.Sql) => {
      const rows = await prisma.$queryRaw<{ 'QUERY PLAN': string }[]>`EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${sql}`;
      console.log(`-- ${label}  ${tag()}`);
      for (const r of rows) console.log(`   ${r['QUERY PLAN']}`);
    };
    const biller = { role: 'BILLER' as const, skills: [], payerGroups: [] };
    await explain('get next, a biller (routing-rule join)', nextTaskSql('BILLER', biller, EVERY_PRACTICE));
    await explain('get next, MEDICARE payer group only', nextTaskSql('BILLER', { ...biller, payerGroups: ['MEDICARE'] }, EVERY_PRACTICE));
    const noFilters = { filters: [], needsClaim: false };
    const [deepRow] = await prisma.$queryRaw<{ id: string; priority: number; dueAt: Date }[]>`
      SELECT id, priority, "dueAt" FROM "Task" WHERE queue = 'BILLER' AND status IN ('OPEN', 'CLAIMED')
      ORDER BY priority DESC, "dueAt" ASC, id ASC OFFSET 30000 LIMIT 1`;
    await explain(
      'deep keyset page, no filters',
      queuePageSql('BILLER', ['OPEN', 'CLAIMED'], noFilters, { p: deepRow.priority, d: deepRow.dueAt, id: deepRow.id }, 51),
    );
    // For comparison, the single query the listing used before: one OR'ed keyset condition, which the index
    // can only use as a filter, so the scan starts at the top of the queue however deep the page is.
    const [{ 'QUERY PLAN': before }] = await prisma.$queryRaw<{ 'QUERY PLAN': string }[]>`EXPLAIN (ANALYZE, FORMAT JSON)
      SELECT t.id FROM "Task" t WHERE t.queue = 'BILLER' AND t.status IN ('OPEN', 'CLAIMED')
        AND (t.priority < ${deepRow.priority} OR (t.priority = ${deepRow.priority} AND t."dueAt" > ${deepRow.dueAt})
             OR (t.priority = ${deepRow.priority} AND t."dueAt" = ${deepRow.dueAt} AND t.id > ${deepRow.id}))
      ORDER BY t.priority DESC, t."dueAt" ASC, t.id ASC LIMIT 51`;
    type PlanNode = { 'Node Type': string; 'Index Name'?: string; Plans?: PlanNode[] };
    const plan = (before as unknown as [{ Plan: PlanNode; 'Execution Time': number }])[0];
    const shape: string[] = [];
    for (let n: PlanNode | undefined = plan.Plan; n; n = n.Plans?.[0])
      shape.push(n['Index Name'] ? `${n['Node Type']} (${n['Index Name']})` : n['Node Type']);
    console.log(
      `-- for comparison, the same deep page as one OR'ed keyset query: ${plan['Execution Time'].toFixed(2)} ms: ${shape.join(' > ')}  ${tag()}`,
    );
    const filtered = listFilters(
      { payerId: 'payer-blue-peak', minBalanceCents: 50_000 },
      'biller-1',
      new Date(),
      86_400_000,
      EVERY_PRACTICE,
    );
    await explain('first page, payer + minimum balance', queuePageSql('BILLER', ['OPEN', 'CLAIMED'], filtered, undefined, 51));
  } finally {
    if (api && api.exitCode === null) {
      const gone = new Promise((r) => api!.once('exit', r));
      api.kill('SIGTERM');
      await gone;
    }
    await db.close();
    if (!args.keep) {
      const c = new pg.Client({ connectionString: admin.toString() });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await c.end();
    } else console.log(`kept database ${name}`);
  }
}

(args.serve ? serveApi(args.serve).then(() => new Promise(() => {})) : main()).then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
