// `npm run demo -- --claims 200`: N synthetic encounters through the whole lifecycle against the payer
// simulator, on the embedded defaults with a compressed day, with scripted people working the queues through
// the real API. Own data folder (.data/demo, wiped) and free ports, so it runs beside `npm start`.
// Exit 0 only when every claim reached CLOSED or VOIDED; the last line is `claims closed: <closed>/<asked>`, with
// `, voided: <voided>` when some were voided.
import { issueToken } from '../api/auth/accounts';
import { mulberry32 } from '../simulator/random';
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig, showStacks, type Config } from '../infra/config';
import { startMainJob, type MainJob } from '../app/mainJob';
import { describeError, freePorts, lockHolder, mapLimit, sleep, StartupError, stopLeftover } from '../infra/process';
import { demoPracticeEncounter, USER_IDS } from '../app/seed';
import { CLAIM_STATES, type TaskQueueName } from '../workflows/contract';
import { DemoApi, errorText } from './demo/api';
import { Desk, DeskMemory } from './demo/desks';
import { formatSummary, loadPaths } from './demo/report';

interface DemoArgs {
  claims: number;
  dayMs: number;
  seed: number;
  timeoutS: number;
  concurrency: number;
}

const USAGE = 'usage: npm run demo -- [--claims N] [--day-ms MS] [--seed N] [--timeout-s S] [--concurrency N]';

function parseArgs(argv: string[]): DemoArgs {
  const args: DemoArgs = { claims: 20, dayMs: 200, seed: 42, timeoutS: 600, concurrency: 10 };
  const names: Record<string, keyof DemoArgs> = {
    '--claims': 'claims',
    '--day-ms': 'dayMs',
    '--seed': 'seed',
    '--timeout-s': 'timeoutS',
    '--concurrency': 'concurrency',
  };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=', 2);
    if (flag === '--help' || flag === '-h') {
      console.log(USAGE);
      process.exit(0);
    }
    const key = names[flag];
    if (!key) throw new StartupError(`unknown option ${argv[i]}; ${USAGE}`);
    const raw = inline ?? argv[++i];
    const n = Number(raw);
    if (raw === undefined || !Number.isSafeInteger(n) || n < (key === 'seed' ? 0 : 1)) {
      throw new StartupError(`${flag} needs a whole number${key === 'seed' ? '' : ' of at least 1'}, got ${raw ?? 'nothing'}`);
    }
    args[key] = n;
  }
  return args;
}

const t0 = Date.now();
const elapsed = () => `${((Date.now() - t0) / 1000).toFixed(1).padStart(6)}s`;
const say = (line: string) => console.log(`[demo ${elapsed()}] ${line}`);

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  const root = process.cwd();
  const settings = loadConfig(root);
  // CLAIMFLOW_DEMO_DATA_DIR lets a test run the demo in a folder of its own (it is wiped like .data/demo).
  const dataDir = settings.demoDataDir;
  const holder = lockHolder(dataDir);
  if (holder !== undefined) throw new StartupError(`another demo (pid ${holder}) is using ${dataDir}; wait for it or stop it`);
  // A dev server left running by a demo that was killed outright: stop it before its files go.
  await stopLeftover(path.join(dataDir, 'temporal.pid'), path.join(dataDir, 'temporal.db'), say, 'a Temporal dev server');
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.mkdirSync(dataDir, { recursive: true });

  const [apiPort, simulatorPort, temporalDevPort, temporalUiPort, metricsPort, workerMetricsPort] = await freePorts(6);
  const config: Config = {
    ...settings,
    dataDir,
    databaseUrl: `pglite:${path.join(dataDir, 'pglite')}`,
    apiPort,
    simulatorPort,
    temporalAddress: undefined,
    temporalNamespace: 'default',
    temporalDevPort,
    temporalUiPort,
    dayMs: args.dayMs,
    simulatorUrl: `http://127.0.0.1:${simulatorPort}`,
    simulatorSeed: args.seed,
    // beside `npm start`'s: ports of their own, on loopback
    metricsAddress: settings.metricsAddress && { host: '127.0.0.1', port: metricsPort },
    workerMetricsAddress: settings.workerMetricsAddress && { host: '127.0.0.1', port: workerMetricsPort },
  };
  say(
    `${args.claims} claims, one day = ${args.dayMs} ms, seed ${args.seed}, timeout ${args.timeoutS} s; data in ${path.relative(root, dataDir)}`,
  );

  let fatal: Error | undefined;
  let job: MainJob | undefined;
  let interrupted = false;
  const onSignal = (sig: string) => {
    if (interrupted) return;
    interrupted = true;
    say(`${sig}: stopping ...`);
  };
  process.on('SIGINT', () => onSignal('SIGINT'));
  process.on('SIGTERM', () => onSignal('SIGTERM'));

  const desks: Desk[] = [];
  let created = 0;
  let timedOut = false;
  let closedCount = 0;
  let voidedCount = 0;
  let summaryLines: string[] = [];
  let ok = false;
  try {
    job = await startMainJob(config, {
      host: '127.0.0.1',
      embeddedTemporal: true,
      manageSimulator: true,
      log: (line) => say(line),
      apiLogFile: path.join(dataDir, 'api.log'),
      workerLogFile: path.join(dataDir, 'worker.log'),
      onFatal: (err) => {
        fatal = err;
        say(`fatal: ${describeError(err)}`);
      },
    });
    say(
      `up: API ${job.apiUrl}, Temporal ${job.temporalAddress} (UI ${job.uiUrl}), simulator ${job.simulatorUrl}` +
        `${job.metricsUrl ? `, metrics ${job.metricsUrl}` : ''}${job.workerMetricsUrl ? `, worker metrics ${job.workerMetricsUrl}` : ''}`,
    );
    // The scripted people sign in like real users: a bearer token each, issued the way an admin would.
    const tokens = new Map<string, string>();
    for (const userId of Object.values(USER_IDS)) {
      tokens.set(userId, (await issueToken(job.prisma, userId, { name: 'demo' }, 'demo')).token);
    }
    const api = new DemoApi(job.apiUrl, tokens);

    const payers = await api.get<{ items: { id: string; appealLevels: number }[] }>('/api/payers', 'biller-1');
    if (payers.status !== 200) throw new Error(`GET /api/payers: ${errorText(payers)}`);
    const memory = new DeskMemory(new Map(payers.body.items.map((p) => [p.id, p.appealLevels])));
    for (const queue of ['CODER', 'BILLER', 'SUPERVISOR'] as TaskQueueName[]) {
      const desk = new Desk(api, queue, memory, {
        concurrency: 8,
        pageSize: 32,
        pollMs: Math.max(250, Math.min(1_000, Math.round(args.dayMs / 2))),
      });
      desk.start();
      desks.push(desk);
    }

    // Charge capture: N encounters through POST /api/claims, a few in flight at a time.
    const rng = mulberry32(args.seed);
    const bodies = Array.from({ length: args.claims }, (_, i) => demoPracticeEncounter(rng, i));
    const claimIds: string[] = [];
    const creating = mapLimit(bodies, args.concurrency, async (body, i) => {
      for (let attempt = 1; ; attempt++) {
        if (interrupted || fatal) return;
        try {
          // The same Idempotency-Key on a retry: the claim is created once, and its workflow started.
          // biller-2 works for both demo practices; biller-1 for Riverbend only.
          const r = await api.post('/api/claims', 'biller-2', body, { 'Idempotency-Key': `demo-${args.seed}-${i}` });
          if (r.status === 201) {
            claimIds.push(r.body.id);
            created++;
            return;
          }
          if (r.status < 500 || attempt >= 5) throw new Error(`POST /api/claims: ${errorText(r)}`);
        } catch (err) {
          if (attempt >= 5) throw err;
        }
        await sleep(500 * attempt);
      }
    });
    let creationError: unknown;
    creating.catch((err) => {
      creationError = err;
    });

    // Wait for every claim to reach a final state, with a progress line every few seconds.
    const deadline = t0 + args.timeoutS * 1000;
    let lastProgress = 0;
    for (;;) {
      if (interrupted || fatal || creationError) break;
      if (Date.now() > deadline) {
        timedOut = true;
        say(`timed out after ${args.timeoutS} s`);
        break;
      }
      const r = await api
        .get<{ counts: Record<string, number>; total: number }>('/api/claims/summary', 'supervisor-1')
        .catch(() => undefined);
      if (r?.status === 200) {
        const done = (r.body.counts.CLOSED ?? 0) + (r.body.counts.VOIDED ?? 0);
        if (Date.now() - lastProgress >= 3_000 || (created === args.claims && done === args.claims)) {
          lastProgress = Date.now();
          const states = CLAIM_STATES.filter((s) => r.body.counts[s])
            .map((s) => `${s} ${r.body.counts[s]}`)
            .join(' · ');
          const tasks = desks.reduce((n, d) => n + Object.values(d.stats.completed).reduce((a, b) => a + (b ?? 0), 0), 0);
          say(`created ${created}/${args.claims} | ${states || 'no claims yet'} | tasks done ${tasks}`);
        }
        if (created === args.claims && done === args.claims) break;
      }
      await sleep(1_000);
    }
    const waitedMs = Date.now() - t0;
    if (creationError) say(`creating claims failed: ${describeError(creationError)}`);
    for (const d of desks) await d.stop();
    await creating.catch(() => {});

    const { paths, missing } = await loadPaths(job.prisma, claimIds);
    closedCount = paths.filter((p) => p.state === 'CLOSED').length;
    voidedCount = paths.filter((p) => p.state === 'VOIDED').length;
    const finalCount = paths.filter((p) => p.state === 'CLOSED' || p.state === 'VOIDED').length;
    summaryLines = formatSummary({
      asked: args.claims,
      created,
      paths,
      missing,
      desks: desks.map((d) => ({ queue: d.queue, userId: d.userId, stats: d.stats })),
      elapsedMs: waitedMs,
      timedOut,
    });
    ok = !timedOut && !interrupted && !fatal && !creationError && created === args.claims && finalCount === args.claims;
  } finally {
    for (const d of desks) await d.stop().catch(() => {});
    if (job) {
      say('shutting down ...');
      await job.stop();
    }
  }
  for (const line of summaryLines) console.log(line);
  if (fatal) console.log(`fatal: ${describeError(fatal)}`);
  // A claim the desks void (an ELIGIBILITY task on terminated coverage, say) is finished too: said beside the closed.
  console.log(`claims closed: ${closedCount}/${args.claims}${voidedCount ? `, voided: ${voidedCount}` : ''}`);
  return ok ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`claimflow demo: ${describeError(err)}`);
    if (showStacks() && err instanceof Error) console.error(err.stack);
    process.exit(1);
  },
);
