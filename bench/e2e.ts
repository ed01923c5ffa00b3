// End-to-end throughput: N claims from intake (POST /api/claims) to CLOSED through the auto-path, on one
// machine: the Temporal dev server (SQLite on disk), a fresh PostgreSQL database, the API and the payer
// simulator in this process, and 1 or more claim workers as child processes (worker/main.ts) on one task queue.
// A scripted coder confirms the codes of each claim through the API (scripts/demo/desks.ts, as in the demo;
// a biller and a supervisor desk work anything else that comes up); the simulator accepts, acknowledges and
// pays every claim in full (scenario PAY_IN_FULL) after its usual delays, on its own compressed day.
//
// Run: npx tsx bench/e2e.ts --claims 1000 [--workers 1] [--in-flight 400] [--day-ms 60000] [--payer-day-ms 100]
//
// Two clocks: the simulator's day (--payer-day-ms, 100 ms: acknowledgement after 0.01-0.1 s, payment 0.5-2 s
// after that) sets how long the payer takes; the lifecycle's day (CLAIMFLOW_DAY_MS, --day-ms, 60 s) sets the
// deadlines the workflow keeps (code review due in 2 days, acknowledgement wait 2 days, follow-up 14-30 days).
// On the auto-path none of those deadlines should fire; a day compressed as far as the payer's would turn
// queueing under load into escalations, which is a different benchmark.
// At most --in-flight claims are open at once (created, not yet closed): intake follows capacity, so the
// figures are the steady state of the machine rather than the length of a queue.
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { mapLimit, sleep } from '../infra/process';
import { demoEncounter } from '../app/seed';
import { Desk, DeskMemory } from '../scripts/demo/desks';
import { mulberry32 } from '../simulator/random';
import { CLAIM_STATES, workflowIdForClaim, type TaskQueueName } from '../workflows/contract';
import { describeMachine, machineTag } from './machine';
import { cores, cpuSeconds, ProcessWatch } from './procstats';
import { exitWhenDone, startStack } from './stack';

const { values: args } = parseArgs({
  options: {
    claims: { type: 'string', default: '1000' },
    workers: { type: 'string', default: '1' },
    'in-flight': { type: 'string', default: '400' },
    'day-ms': { type: 'string', default: '60000' },
    'payer-day-ms': { type: 'string', default: '100' },
    'timeout-s': { type: 'string', default: '3600' },
  },
});
const CLAIMS = Number(args.claims);
const WORKERS = Number(args.workers);
const IN_FLIGHT = Number(args['in-flight']);
const DAY_MS = Number(args['day-ms']);
const PAYER_DAY_MS = Number(args['payer-day-ms']);

const t0 = performance.now();
const say = (line: string) => console.log(`[e2e ${((performance.now() - t0) / 1000).toFixed(0).padStart(5)}s] ${line}`);
const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];

/** CPU seconds of every PostgreSQL process (server and backends) alive now. */
function postgresCpuSeconds(): number {
  let total = 0;
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (fs.readFileSync(`/proc/${entry}/comm`, 'utf8').trim() !== 'postgres') continue;
    } catch {
      continue;
    }
    total += cpuSeconds(Number(entry)) ?? 0;
  }
  return total;
}

async function main(): Promise<void> {
  console.log(await describeMachine());
  say(
    `${CLAIMS} claims, ${WORKERS} worker process(es), at most ${IN_FLIGHT} in flight; lifecycle day ${DAY_MS} ms, payer day ${PAYER_DAY_MS} ms`,
  );
  const stack = await startStack({
    label: 'e2e',
    workers: WORKERS,
    dayMs: DAY_MS,
    simulatorDayMs: PAYER_DAY_MS,
    scenarioWeights: {
      PAY_IN_FULL: 100,
      PARTIAL_PATIENT_RESP: 0,
      FRONT_END_REJECT: 0,
      SILENT_THEN_PAY: 0,
      SILENT_FOREVER: 0,
      CODING_DENIAL: 0,
      DENY_APPEAL_OVERTURNED: 0,
      DENY_APPEAL_UPHELD: 0,
    },
    log: say,
  });
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => void stack.stop().finally(() => process.exit(130)));
  const desks: Desk[] = [];
  let lines: string[] = [];
  try {
    const payers = await stack.api.get<{ items: { id: string; appealLevels: number }[] }>('/api/payers', 'biller-1');
    const memory = new DeskMemory(new Map(payers.body.items.map((p) => [p.id, p.appealLevels])));
    for (const queue of ['CODER', 'BILLER', 'SUPERVISOR'] as TaskQueueName[]) {
      const desk = new Desk(stack.api, queue, memory, { concurrency: 16, pageSize: 64, pollMs: 200 });
      desk.start();
      desks.push(desk);
    }
    const pids: Record<string, number> = { temporal: stack.temporalPid, 'bench (API + simulator + desks)': process.pid };
    stack.workers.forEach((w, i) => (pids[`worker ${i + 1}`] = w.pid!));
    const watch = new ProcessWatch(pids);
    const pgCpuStart = postgresCpuSeconds();
    watch.start();
    const started = performance.now();

    const rng = mulberry32(42);
    const intakeAt = new Map<string, number>();
    let created = 0;
    let finished = 0;
    let createErrors = 0;
    let lastCreateError = '';
    // A slot frees when a claim reaches a final state: the poller below counts them.
    const creating = mapLimit(
      Array.from({ length: CLAIMS }, (_, i) => i),
      16,
      async (i) => {
        while (created - finished >= IN_FLIGHT) await sleep(50);
        const body = demoEncounter(rng, i);
        for (let attempt = 1; ; attempt++) {
          const at = Date.now();
          const r = await stack.api
            .post('/api/claims', 'biller-1', body, { 'Idempotency-Key': `e2e-${i}` })
            .catch((err: Error) => ({ status: 0, body: { error: { message: err.message } } }));
          if (r.status === 201) {
            if (!intakeAt.has(r.body.id)) intakeAt.set(r.body.id, at);
            created++;
            return;
          }
          createErrors++;
          lastCreateError = `${r.status} ${JSON.stringify(r.body?.error ?? r.body)}`;
          if (attempt >= 5) throw new Error(`POST /api/claims failed 5 times: ${lastCreateError}`);
          await sleep(500 * attempt);
        }
      },
    );
    let creationFailed: unknown;
    creating.catch((err) => (creationFailed = err));

    const deadline = Date.now() + Number(args['timeout-s']) * 1000;
    let lastSaid = 0;
    let counts: Record<string, number> = {};
    for (;;) {
      // The machine is shared with tests that restart PostgreSQL: a failed count is retried, not fatal.
      const rows = await stack.prisma.$queryRaw<
        { state: string; n: bigint }[]
      >`SELECT state::text, count(*) AS n FROM "Claim" GROUP BY 1`.catch((err: Error) => {
        say(`(database: ${err.message.split('\n')[0]}; retrying)`);
        return undefined;
      });
      if (!rows) {
        await sleep(2_000);
        continue;
      }
      counts = Object.fromEntries(rows.map((r) => [r.state, Number(r.n)]));
      finished = (counts.CLOSED ?? 0) + (counts.VOIDED ?? 0);
      if (Date.now() - lastSaid > 10_000) {
        lastSaid = Date.now();
        const states = CLAIM_STATES.filter((s) => counts[s])
          .map((s) => `${s} ${counts[s]}`)
          .join(' · ');
        say(
          `created ${created}/${CLAIMS} | ${states} | ${(finished / ((performance.now() - started) / 1000)).toFixed(1)} closed/s  ${machineTag()}`,
        );
      }
      if (finished >= CLAIMS || creationFailed || Date.now() > deadline) break;
      await sleep(250);
    }
    const seconds = (performance.now() - started) / 1000;
    const windowEnd = Date.now();
    const usage = watch.stop();
    const pgCpu = postgresCpuSeconds() - pgCpuStart;
    for (const d of desks) await d.stop();
    if (creationFailed) throw creationFailed;

    // Time per claim: from the POST that created it to the moment its row entered CLOSED.
    const closed = await stack.prisma.claim.findMany({ where: { state: 'CLOSED' }, select: { id: true, stateEnteredAt: true } });
    const perClaim = closed
      .map((c) => c.stateEnteredAt.getTime() - (intakeAt.get(c.id) ?? c.stateEnteredAt.getTime()))
      .sort((a, b) => a - b);

    // Activities and workflow tasks, counted from every claim's history after the run (not timed), up to the
    // end of the measured window: the workers keep going while this reads, and a run cut short by --timeout-s
    // still has claims in flight.
    say(`counting activities in ${intakeAt.size} workflow histories ...`);
    const within = (e: { eventTime?: { seconds?: unknown; nanos?: number | null } | null }) =>
      Number(e.eventTime?.seconds ?? 0) * 1000 + (e.eventTime?.nanos ?? 0) / 1e6 <= windowEnd;
    let activities = 0;
    let workflowTasks = 0;
    let activityRetries = 0;
    await mapLimit([...intakeAt.keys()], 16, async (id) => {
      const history = await stack.temporal.client.workflow.getHandle(workflowIdForClaim(id)).fetchHistory();
      for (const e of history.events ?? []) {
        if (!within(e as any)) continue;
        if (e.activityTaskScheduledEventAttributes) activities++;
        if (e.workflowTaskCompletedEventAttributes) workflowTasks++;
        if (e.activityTaskStartedEventAttributes && (e.activityTaskStartedEventAttributes.attempt ?? 1) > 1)
          activityRetries += (e.activityTaskStartedEventAttributes.attempt ?? 1) - 1;
      }
    });
    const tasks: Record<string, number> = {};
    for (const d of desks) for (const [kind, n] of Object.entries(d.stats.completed)) tasks[kind] = (tasks[kind] ?? 0) + (n ?? 0);
    const deskErrors = desks.reduce((n, d) => n + d.stats.errors + d.stats.refused, 0);

    const tag = machineTag();
    lines = [
      `== ${CLAIMS} claims, ${WORKERS} worker process(es): ${finished} closed in ${seconds.toFixed(1)} s  ${tag}`,
      `   throughput          ${(finished / seconds).toFixed(1)} claims/s, ${(activities / seconds).toFixed(0)} activities/s (${activities} activities, ${(activities / Math.max(1, intakeAt.size)).toFixed(1)} per claim, ${activityRetries} retries), ${(workflowTasks / seconds).toFixed(0)} workflow tasks/s (${workflowTasks})`,
      `   time per claim      intake -> CLOSED p50 ${(pct(perClaim, 50) / 1000).toFixed(2)} s, p99 ${(pct(perClaim, 99) / 1000).toFixed(2)} s (payer delays alone: ack 0.1-1 + adjudication 5-20 payer days = ${((5.1 * PAYER_DAY_MS) / 1000).toFixed(2)}-${((21 * PAYER_DAY_MS) / 1000).toFixed(2)} s)`,
      ...usage.perProcess.map(
        (p) =>
          `   ${p.name.padEnd(32)} CPU ${p.cpuS.toFixed(1).padStart(6)} s = ${p.cores.toFixed(2)} cores, peak RSS ${p.peakRssMb.toFixed(0)} MB`,
      ),
      `   ${'postgres (all its processes)'.padEnd(32)} CPU ${pgCpu.toFixed(1).padStart(6)} s = ${(pgCpu / seconds).toFixed(2)} cores`,
      // CPU time per claim moves much less with the machine's load than wall-clock rates do: it says what the
      // same work would need on cores of its own.
      `   CPU per closed claim ${usage.perProcess.map((p) => `${p.name.split(' ')[0]} ${((p.cpuS * 1000) / Math.max(1, finished)).toFixed(0)} ms`).join(', ')}, postgres ${((pgCpu * 1000) / Math.max(1, finished)).toFixed(0)} ms; ` +
        `total ${(((usage.perProcess.reduce((n, p) => n + p.cpuS, 0) + pgCpu) * 1000) / Math.max(1, finished)).toFixed(0)} ms -> at most ${((cores() * Math.max(1, finished)) / (usage.perProcess.reduce((n, p) => n + p.cpuS, 0) + pgCpu)).toFixed(1)} claims/s on ${cores()} cores of its own`,
      `   machine busy        ${(usage.machineBusy * 100).toFixed(0)}% of all cores over the run (other users of the machine included)`,
      `   human tasks done    ${
        Object.entries(tasks)
          .map(([k, n]) => `${k} ${n}`)
          .join(', ') || 'none'
      }; desk errors/refusals ${deskErrors}; create retries ${createErrors}${lastCreateError ? ` (last: ${lastCreateError})` : ''}`,
      `   final states        ${CLAIM_STATES.filter((s) => counts[s])
        .map((s) => `${s} ${counts[s]}`)
        .join(', ')}`,
    ];
  } finally {
    for (const d of desks) await d.stop().catch(() => {});
    for (const l of lines) console.log(l);
    say('stopping ...');
    await stack.stop();
  }
}

exitWhenDone(main);
