// Idle scale: how many claims one machine holds parked in a long wait (AWAITING_ADJUDICATION: submitted,
// acknowledged, no remittance coming), and what that costs: RSS of the worker and of the Temporal dev server,
// the worker's workflow cache, and the time of a supervisor's stuck-claims query and of queue pages at that size.
//
// Run: npx tsx bench/idle.ts [--claims 100000] [--real 1000] [--concurrency 24] [--in-flight 300] [--seed-in-flight 2000]
//                            [--checkpoints 1000,2500,5000,10000,25000,50000,75000,100000]
//                            [--stop-at 16:00]  (UTC; stop adding claims then, let those in flight park
//                                                for at most 8 more minutes, and report what was reached)
//
// How claims get there. The first --real claims (1,000) take the real path: each is created through
// POST /api/claims (row + workflow start), its CODE_REVIEW task completed through POST /api/tasks/:id/complete
// (the workflow's completeTask Update) with the codes it was created with, then the workflow scrubs and
// submits an 837P to the simulator, which accepts it (scenario SILENT_FOREVER) and acknowledges within
// milliseconds (its own day is 5 ms), so the claim lands in AWAITING_ADJUDICATION. That path costs about a
// third of a second of CPU per claim here (1-3 claims/s), so 100,000 would take most of a day: the rest take
// the quick path of bench/parked.ts, real workflows started with the memory a run hands over at continue-as-new
// right after acknowledgement, which run the real adjudication step and park on the same timer (rows written
// in bulk; what differs is listed there). The lifecycle's day is a real day (86,400,000 ms): the next timer of
// every parked claim is weeks away.
// At each checkpoint intake pauses until the claims in flight have parked, then the figures are taken idle.
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import v8 from 'node:v8';
import { mapLimit, sleep } from '../infra/process';
import { demoEncounter } from '../app/seed';
import { mulberry32 } from '../simulator/random';
import { percentile } from './stats';
import { describeMachine, machineTag } from './machine';
import { cpuSeconds, memoryMb } from './procstats';
import { parkedSeeder } from './parked';
import { exitWhenDone, startStack, type Stack } from './stack';

const { values: args } = parseArgs({
  options: {
    claims: { type: 'string', default: '100000' },
    concurrency: { type: 'string', default: '24' },
    checkpoints: { type: 'string', default: '1000,2500,5000,10000,25000,50000,75000,100000' },
    'stop-at': { type: 'string' },
    workers: { type: 'string', default: '1' },
    'in-flight': { type: 'string', default: '300' },
    real: { type: 'string', default: '1000' },
    'seed-in-flight': { type: 'string', default: '2000' },
  },
});
const CLAIMS = Number(args.claims);
const CONCURRENCY = Number(args.concurrency);
const IN_FLIGHT = Number(args['in-flight']);
const REAL = Math.min(Number(args.real), Number(args.claims));
const SEED_IN_FLIGHT = Number(args['seed-in-flight']);
const CHECKPOINTS = [
  ...new Set([
    ...args
      .checkpoints!.split(',')
      .map(Number)
      .filter((n) => n > 0 && n < CLAIMS),
    CLAIMS,
  ]),
].sort((a, b) => a - b);
const stopAt = args['stop-at']
  ? (() => {
      const [h, m] = args['stop-at']!.split(':').map(Number);
      const d = new Date();
      d.setUTCHours(h, m, 0, 0);
      return d.getTime();
    })()
  : Infinity;

const t0 = performance.now();
const say = (line: string) => console.log(`[idle ${((performance.now() - t0) / 1000).toFixed(0).padStart(5)}s] ${line}`);

async function timeCalls(
  stack: Stack,
  user: string,
  path: string,
  n: number,
): Promise<{ p50: number; p99: number; status: number; body: any }> {
  const samples: number[] = [];
  let last: { status: number; body: any } = { status: 0, body: undefined };
  for (let i = 0; i < n + 2; i++) {
    const started = performance.now();
    last = await stack.api.get(path, user);
    if (i >= 2) samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  return { p50: percentile(samples, 50), p99: percentile(samples, 99), status: last.status, body: last.body };
}

/** Claims per state. The machine is shared with tests that restart PostgreSQL: retry until it answers. */
async function stateCounts(stack: Stack): Promise<Record<string, number>> {
  for (;;) {
    try {
      const rows = await stack.prisma.$queryRaw<{ state: string; n: bigint }[]>`SELECT state::text, count(*) AS n FROM "Claim" GROUP BY 1`;
      return Object.fromEntries(rows.map((r) => [r.state, Number(r.n)]));
    } catch (err) {
      console.log(`(database: ${(err as Error).message.split('\n')[0]}; retrying)`);
      await sleep(2_000);
    }
  }
}

function fileMb(path: string): number {
  try {
    return fs.statSync(path).size / 1e6;
  } catch {
    return 0;
  }
}

async function main(): Promise<void> {
  console.log(await describeMachine());
  const heapMiB = v8.getHeapStatistics().heap_size_limit / 2 ** 20;
  // The TS SDK's default when maxCachedWorkflows is not set (worker/worker.ts does not set it), with
  // reuseV8Context (the default): the worker children run the same Node with the same heap limit.
  const cacheLimit = Math.max(Math.floor((Math.max(heapMiB - 200, 0) * 600) / 1024), 10);
  say(`target ${CLAIMS} claims parked in AWAITING_ADJUDICATION; checkpoints ${CHECKPOINTS.join(', ')}; intake concurrency ${CONCURRENCY}`);
  const stack = await startStack({
    label: 'idle',
    workers: Number(args.workers),
    dayMs: 86_400_000,
    simulatorDayMs: 5,
    scenarioWeights: {
      PAY_IN_FULL: 0,
      PARTIAL_PATIENT_RESP: 0,
      FRONT_END_REJECT: 0,
      SILENT_THEN_PAY: 0,
      SILENT_FOREVER: 100,
      CODING_DENIAL: 0,
      DENY_APPEAL_OVERTURNED: 0,
      DENY_APPEAL_UPHELD: 0,
    },
    log: say,
  });
  const workerPid = stack.workers[0].pid!;
  // Ctrl-C or a kill: stop the dev server, the worker and drop the database rather than leave them behind.
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => void stack.stop().finally(() => process.exit(130)));
  say(
    `up: API ${stack.apiUrl}, Temporal pid ${stack.temporalPid}, worker pid(s) ${stack.workers.map((w) => w.pid).join(', ')}, database ${stack.databaseName}`,
  );
  say(
    `worker workflow cache: maxCachedWorkflows not set, so the SDK default for a ${heapMiB.toFixed(0)} MiB heap: ${cacheLimit} workflows`,
  );

  const rng = mulberry32(7);
  const diagnosesOf = new Map<string, string[]>();
  let created = 0;
  let seeded = 0;
  let confirmed = 0;
  const seeder = await parkedSeeder(stack.prisma, stack.temporal.client, stack.config, mulberry32(11));
  let failures = 0;
  let lastError = '';
  const startedAt = performance.now();
  const results: string[] = [];
  try {
    // Completes every open CODE_REVIEW through the API, as a coder confirming the codes on the claim would.
    let reviewing = true;
    const reviewer = (async () => {
      while (reviewing) {
        const open = await stack.prisma.$queryRaw<{ id: string; claimId: string }[]>`
          SELECT id, "claimId" FROM "Task" WHERE kind = 'CODE_REVIEW' AND status = 'OPEN' ORDER BY "createdAt" LIMIT 2000`.catch(() => []);
        if (open.length === 0) {
          await sleep(200);
          continue;
        }
        await mapLimit(open, CONCURRENCY, async (t) => {
          const diagnoses = diagnosesOf.get(t.claimId);
          if (!diagnoses) return;
          const r = await stack.api
            .post(`/api/tasks/${t.id}/complete`, 'coder-1', { outcome: { action: 'CONFIRM_CODES', diagnoses } })
            .catch((err: Error) => ({ status: 0, body: { error: { message: err.message } } }));
          if (r.status === 200) confirmed++;
          else if (r.status !== 409) {
            failures++;
            lastError = `complete ${r.status} ${JSON.stringify(r.body?.error ?? r.body)}`;
          }
        });
      }
    })();

    // Intake follows capacity: at most IN_FLIGHT claims created and not yet parked, so the rate is the
    // machine's, not the length of a backlog at the coder.
    let parkedNow = 0;
    let polling = true;
    const poller = (async () => {
      while (polling) {
        parkedNow = (await stateCounts(stack)).AWAITING_ADJUDICATION ?? 0;
        await sleep(1_000);
      }
    })();
    let next = 0;
    for (const checkpoint of CHECKPOINTS) {
      if (Date.now() >= stopAt) break;
      const batchStart = performance.now();
      const createdBefore = created;
      const indexes = Array.from({ length: Math.max(0, Math.min(checkpoint, REAL) - next) }, (_, k) => next + k);
      await mapLimit(indexes, CONCURRENCY, async (i) => {
        while (created - parkedNow >= IN_FLIGHT && Date.now() < stopAt) await sleep(100);
        if (Date.now() >= stopAt) return;
        const body = demoEncounter(rng, i);
        for (let attempt = 1; attempt <= 5; attempt++) {
          const r = await stack.api
            .post('/api/claims', 'biller-1', body, { 'Idempotency-Key': `idle-${i}` })
            .catch((err: Error) => ({ status: 0, body: { error: { message: err.message } } }));
          if (r.status === 201) {
            diagnosesOf.set(r.body.id, body.diagnoses ?? []);
            created++;
            if (created % 2000 === 0) say(`created ${created}, code reviews confirmed ${confirmed}  ${machineTag()}`);
            return;
          }
          failures++;
          lastError = `create ${r.status} ${JSON.stringify(r.body?.error ?? r.body)}`;
          await sleep(500 * attempt);
        }
      });
      // Past the first REAL claims: the quick path (bench/parked.ts), in chunks that follow capacity.
      for (let from = Math.max(next, REAL); from < checkpoint && Date.now() < stopAt;) {
        while (created - parkedNow >= SEED_IN_FLIGHT && Date.now() < stopAt) await sleep(200);
        const n = Math.min(500, checkpoint - from);
        try {
          await seeder.park(from, n);
          created += n;
          seeded += n;
          from += n;
          if (seeded % 5000 === 0) say(`seeded ${seeded} (parked ${parkedNow})  ${machineTag()}`);
        } catch (err) {
          failures++;
          lastError = `seed ${(err as Error).message.split('\n')[0]}`;
          say(`seeding failed: ${lastError}; retrying in 5 s`);
          await sleep(5_000);
        }
      }
      next = checkpoint;
      // Let the claims in flight park, then measure the system idle.
      let counts = await stateCounts(stack);
      let progressAt = performance.now();
      let lastShape = '';
      let lastSaid = performance.now();
      for (;;) {
        const parked = counts.AWAITING_ADJUDICATION ?? 0;
        const shape = JSON.stringify(counts);
        if (shape !== lastShape) {
          lastShape = shape;
          progressAt = performance.now();
        }
        // A claim that failed a scrub edit waits for a person and never parks: stop waiting once nothing moves.
        if (created - parked === 0 || performance.now() - progressAt > 60_000 || Date.now() > stopAt + 8 * 60_000) break;
        await sleep(2_000);
        counts = await stateCounts(stack);
        if (performance.now() - lastSaid > 20_000) {
          lastSaid = performance.now();
          say(`draining: ${JSON.stringify(counts)}  ${machineTag()}`);
        }
      }
      const parked = counts.AWAITING_ADJUDICATION ?? 0;
      const batchS = (performance.now() - batchStart) / 1000;
      const totalS = (performance.now() - startedAt) / 1000;
      say(
        `checkpoint: ${parked} parked (created ${created}, states ${JSON.stringify(counts)}); this batch ${created - createdBefore} claims in ${batchS.toFixed(0)} s = ${((created - createdBefore) / batchS).toFixed(1)} claims/s parked; overall ${(parked / totalS).toFixed(1)} claims/s`,
      );
      await sleep(5_000); // idle: no intake, no completions, the last activities done

      const workerCpuBefore = cpuSeconds(workerPid) ?? 0;
      const temporalCpuBefore = cpuSeconds(stack.temporalPid) ?? 0;
      await sleep(10_000);
      const idleWorkerCores = ((cpuSeconds(workerPid) ?? 0) - workerCpuBefore) / 10;
      const idleTemporalCores = ((cpuSeconds(stack.temporalPid) ?? 0) - temporalCpuBefore) / 10;
      const w = memoryMb(workerPid);
      const t = memoryMb(stack.temporalPid);
      const sqlite = fileMb(`${stack.dir}/temporal.db`) + fileMb(`${stack.dir}/temporal.db-wal`);
      const [{ size }] = await stack.prisma.$queryRaw<{ size: bigint }[]>`SELECT pg_database_size(current_database()) AS size`;
      const stuck = await timeCalls(stack, 'supervisor-1', '/api/supervisor/stuck-claims', 20);
      const coderPage = await timeCalls(stack, 'coder-1', '/api/queues/CODER/tasks?limit=50', 50);
      const billerPage = await timeCalls(stack, 'biller-1', '/api/queues/BILLER/tasks?limit=50', 50);
      const claimsPage = await timeCalls(stack, 'supervisor-1', '/api/claims?state=AWAITING_ADJUDICATION&limit=50', 50);
      const lines = [
        `== ${parked} claims parked in AWAITING_ADJUDICATION (${Math.min(created - seeded, REAL)} by the real path, ${seeded} by the quick path)  ${machineTag()}`,
        `   worker (pid ${workerPid})        RSS ${w?.rss.toFixed(0)} MB (peak since start ${w?.hwm.toFixed(0)} MB), idle CPU ${(idleWorkerCores * 100).toFixed(1)}% of a core; workflow cache limit ${cacheLimit} (${Math.min(cacheLimit, parked)} at most cached)`,
        `   Temporal dev server (pid ${stack.temporalPid}) RSS ${t?.rss.toFixed(0)} MB (peak ${t?.hwm.toFixed(0)} MB), idle CPU ${(idleTemporalCores * 100).toFixed(1)}% of a core; SQLite file ${sqlite.toFixed(0)} MB`,
        `   PostgreSQL database ${(Number(size) / 1e6).toFixed(0)} MB`,
        `   GET /api/supervisor/stuck-claims              p50 ${stuck.p50.toFixed(1)} ms  p99 ${stuck.p99.toFixed(1)} ms  n=20  HTTP ${stuck.status}, ${stuck.body?.items?.length ?? '?'} items`,
        `   GET /api/queues/CODER/tasks?limit=50          p50 ${coderPage.p50.toFixed(1)} ms  p99 ${coderPage.p99.toFixed(1)} ms  n=50  HTTP ${coderPage.status}, ${coderPage.body?.items?.length ?? '?'} items`,
        `   GET /api/queues/BILLER/tasks?limit=50         p50 ${billerPage.p50.toFixed(1)} ms  p99 ${billerPage.p99.toFixed(1)} ms  n=50  HTTP ${billerPage.status}, ${billerPage.body?.items?.length ?? '?'} items`,
        `   GET /api/claims?state=AWAITING_ADJUDICATION   p50 ${claimsPage.p50.toFixed(1)} ms  p99 ${claimsPage.p99.toFixed(1)} ms  n=50  HTTP ${claimsPage.status}, ${claimsPage.body?.items?.length ?? '?'} items`,
        `   rate: ${(parked / totalS).toFixed(1)} claims/s from intake to parked over ${totalS.toFixed(0)} s; failures ${failures}${lastError ? ` (last: ${lastError})` : ''}`,
      ];
      for (const l of lines) console.log(l);
      results.push(...lines);
    }
    reviewing = false;
    polling = false;
    await reviewer;
    await poller;
    if (Date.now() >= stopAt)
      say(`stopped adding claims at ${args['stop-at']} UTC (--stop-at): the largest size reached is the last checkpoint above`);
  } finally {
    console.log('\nsummary:');
    for (const l of results) console.log(l);
    say('stopping ...');
    await stack.stop();
  }
}

exitWhenDone(main);
