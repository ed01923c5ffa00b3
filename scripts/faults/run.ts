// The long fault run, too long for the test suite: N claims (default 2,000) on the auto-path while, one after
// the other, the worker is SIGKILLed, the Temporal dev server is stopped and restarted, PostgreSQL is cut for
// 30 s and the clearinghouse fails, loses answers and hangs. Then the books are checked claim by claim
// (test/faults/ledger.ts) and the result printed as one JSON line. Exit 0 only if every claim closed with
// no problem. Needs PostgreSQL at TEST_DATABASE_URL (default postgresql://postgres@127.0.0.1:5432/postgres).
//
//   npx tsx scripts/faults/run.ts [--claims N] [--day-ms MS] [--timeout-s S]
import os from 'node:os';
import { auditClaims, closedCount } from '../../test/faults/ledger';
import { sleep, startRig, type Rig, type WorkerProcess } from '../../test/faults/rig';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const n = Number(process.argv[i + 1]);
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`--${name} needs a whole number of at least 1`);
  return n;
}

const CLAIMS = arg('claims', 2_000);
const DAY_MS = arg('day-ms', 1_000);
const TIMEOUT_S = arg('timeout-s', 3_600);
const t0 = Date.now();
const say = (line: string) => console.log(`[faults ${((Date.now() - t0) / 1000).toFixed(1).padStart(7)}s] ${line}`);

async function submitted(rig: Rig, ids: string[]): Promise<number> {
  return rig.db.prisma.submission.count({ where: { claimId: { in: ids } } });
}

async function main(): Promise<number> {
  say(`machine: ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB; ${CLAIMS} claims, day ${DAY_MS} ms`);
  const rig = await startRig({ dayMs: DAY_MS, log: say });
  const timeline: Record<string, unknown>[] = [];
  try {
    let worker: WorkerProcess = await rig.startWorker();
    const coder = rig.startCoder();
    const ids: string[] = [];
    // Claims keep arriving through the whole run, so every fault meets claims at every stage.
    const batches = 5;
    const batch = async () => {
      ids.push(...(await rig.createClaims(Math.ceil(CLAIMS / batches))));
      say(`created ${ids.length} claims; ${await submitted(rig, ids)} submissions, ${await closedCount(rig, ids)} closed`);
    };

    await batch();
    await rig.waitUntil('a first wave submitted', async () => (await submitted(rig, ids)) >= ids.length / 4, 900_000, 1_000);
    say('fault: worker SIGKILL');
    timeline.push({ fault: 'worker SIGKILL', at: (Date.now() - t0) / 1000, closed: await closedCount(rig, ids) });
    await worker.kill();
    worker = await rig.startWorker();

    await batch();
    await sleep(10 * DAY_MS);
    say('fault: Temporal dev server stopped');
    timeline.push({ fault: 'Temporal stop', at: (Date.now() - t0) / 1000, closed: await closedCount(rig, ids) });
    await rig.stopTemporal();
    await sleep(15_000);
    await rig.startTemporal();
    say('Temporal dev server started again');

    await batch();
    await sleep(10 * DAY_MS);
    say('fault: PostgreSQL cut for 30 s');
    timeline.push({ fault: 'PostgreSQL down 30 s', at: (Date.now() - t0) / 1000, closed: await closedCount(rig, ids) });
    await rig.pgProxy.down();
    const statuses: Record<number, number> = {};
    const cutAt = Date.now();
    while (Date.now() - cutAt < 30_000) {
      const res = await rig.api('GET', '/api/health');
      statuses[res.status] = (statuses[res.status] ?? 0) + 1;
      await sleep(1_000);
    }
    await rig.pgProxy.up();
    say(`PostgreSQL back; health answered ${JSON.stringify(statuses)} meanwhile`);

    await batch();
    say('fault: clearinghouse 500s, lost answers, 17 s hangs');
    const faults = (body: object) =>
      fetch(`${rig.simulatorUrl}/admin/faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${rig.simulatorToken}` },
        body: JSON.stringify(body),
      });
    await faults({ failNextRequests: 100, status: 500 });
    await rig.waitUntil('100 faulted', async () => rig.simulator.stats().faultedRequests >= 100, 900_000, 1_000);
    await faults({ failAfterNextRequests: 50, status: 503 });
    await batch();
    await rig.waitUntil('150 faulted', async () => rig.simulator.stats().faultedRequests >= 150, 900_000, 1_000);
    await faults({ slowNextRequests: 10, delayMs: 17_000 });

    await rig.waitUntil(
      `all ${ids.length} claims CLOSED`,
      async () => {
        const closed = await closedCount(rig, ids);
        if (closed < ids.length) say(`${closed}/${ids.length} closed`);
        return closed === ids.length;
      },
      TIMEOUT_S * 1000,
      10_000,
    );
    await coder.stop();
    const ledger = await auditClaims(rig, ids);
    console.log(
      JSON.stringify({
        run: 'scripts/faults/run.ts',
        tookS: (Date.now() - t0) / 1000,
        dayMs: DAY_MS,
        cores: os.cpus().length,
        timeline,
        healthDuringDbOutage: statuses,
        codesConfirmed: coder.confirmed(),
        coderRefusals: coder.refusals(),
        simulator: rig.simulator.stats().deliveries,
        faultedRequests: rig.simulator.stats().faultedRequests,
        ...ledger,
      }),
    );
    await worker.stop();
    const ok = ledger.problems.length === 0 && ledger.closed === ids.length;
    say(ok ? `claims closed: ${ledger.closed}/${ids.length}, problems: 0` : `FAILED: ${ledger.problems.length} problems`);
    return ok ? 0 : 1;
  } finally {
    await rig.shutdown();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`fault run failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
