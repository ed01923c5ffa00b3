// Everything a whole-system benchmark needs on one machine, each part where a real deployment puts it:
// the Temporal dev server (SQLite on disk, its own process), a fresh PostgreSQL database, the API, the payer
// simulator and N claim workers as child processes (worker/main.ts, the scale-out entry point), so that CPU
// and memory can be read per process. The API, the simulator and the load generator share the bench process.
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { issueToken, reissueToken } from '../api/auth/accounts';
import { createApp } from '../api/app';
import type { PrismaClient } from '../generated/prisma/client';
import { loadPayloadKeys } from '../infra/codec';
import { loadConfig, type Config } from '../infra/config';
import { openDatabase } from '../infra/db';
import { freePorts, sleep } from '../infra/process';
import { seedReferenceData, SIMULATOR_SENDER_ID, USER_IDS } from '../app/seed';
import { connectTemporal, startDevServer, type TemporalEndpoint } from '../infra/temporal';
import { createSimulator, type RunningSimulator, type Simulator } from '../simulator/server';
import type { Scenario } from '../simulator/scenarios';
import { DemoApi } from '../scripts/demo/api';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const GUARD = path.join(root, 'app', 'childGuard.mjs');

export interface StackOptions {
  /** names the temp folder and the database */
  label: string;
  workers: number;
  /** the lifecycle's day (timers, SLAs), as CLAIMFLOW_DAY_MS */
  dayMs: number;
  /** the simulator's day (its acknowledgement and payment delays); the lifecycle's day unless set */
  simulatorDayMs?: number;
  scenarioWeights: Partial<Record<Scenario, number>>;
  log: (line: string) => void;
}

export interface Stack {
  dir: string;
  databaseName: string;
  databaseUrl: string;
  prisma: PrismaClient;
  temporal: TemporalEndpoint;
  temporalPid: number;
  api: DemoApi;
  apiUrl: string;
  simulator: Simulator;
  workers: ChildProcess[];
  config: Config;
  stop(): Promise<void>;
}

export function adminDatabaseUrl(): string {
  // the benchmark's own flag (BENCH_DATABASE_URL, else the tests' TEST_DATABASE_URL), not claimflow's configuration
  return process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
}

async function dropDatabase(name: string): Promise<void> {
  const c = new pg.Client({ connectionString: adminDatabaseUrl() });
  await c.connect();
  try {
    await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await c.end();
  }
}

/** Starts one `node --import tsx worker/main.ts` and resolves once it polls the task queue. */
function startWorker(env: NodeJS.ProcessEnv, logFile: string, index: number): Promise<ChildProcess> {
  const fd = fs.openSync(logFile, 'a');
  // node directly, not `npx tsx`: tsx's CLI would put its own process between us and the worker's pid.
  const child = spawn(process.execPath, ['--import', 'tsx', '--import', GUARD, path.join('worker', 'main.ts')], {
    cwd: root,
    env,
    stdio: ['ignore', fd, fd, 'ipc'],
  });
  child.channel?.unref();
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + 180_000;
    const check = () => {
      const text = fs.readFileSync(logFile, 'utf8');
      if (text.includes('polling task queue')) return resolve(child);
      if (child.exitCode !== null) return reject(new Error(`worker ${index} exited (${child.exitCode}); see ${logFile}`));
      if (Date.now() > deadline) return reject(new Error(`worker ${index} did not start polling within 180 s; see ${logFile}`));
      setTimeout(check, 200);
    };
    check();
  });
}

/** Connection errors a PostgreSQL restart causes: other work on this machine (fault tests) restarts it. */
const DATABASE_GONE = new Set(['57P01', '57P02', '57P03', 'ECONNRESET', 'ECONNREFUSED', 'EPIPE']);

export async function startStack(o: StackOptions): Promise<Stack> {
  // An idle pooled connection that PostgreSQL closes emits 'error' with nobody listening; the pool reconnects on
  // the next query, so a benchmark notes it and carries on instead of dying.
  let stopping = false;
  const onError = (err: Error & { code?: string }) => {
    // Once stopping, the loops still running lose their database and Temporal: that is expected.
    if (stopping) return;
    if (err?.code && DATABASE_GONE.has(err.code)) return o.log(`(database connection lost: ${err.code}; the pool reconnects)`);
    console.error(err);
    process.exit(1);
  };
  process.on('uncaughtException', onError);
  process.on('unhandledRejection', (reason) => onError(reason as Error));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `claimflow-bench-${o.label}-`));
  const suffix = crypto.randomBytes(4).toString('hex');
  const databaseName = `claimflow_bench_${o.label}_${suffix}`;
  const url = new URL(adminDatabaseUrl());
  url.pathname = `/${databaseName}`;
  const databaseUrl = url.toString();
  // One key for the bench process and its workers, as a multi-process deployment must share it: set in this
  // process's environment, which the worker processes inherit, before the configuration is read.
  process.env.CLAIMFLOW_PAYLOAD_KEYS ??= `bench1:${crypto.randomBytes(32).toString('base64')}`;
  const settings = loadConfig(root);
  const payloadKeys = loadPayloadKeys({ ...settings, dataDir: dir });
  const [apiPort, simulatorPort, temporalPort, uiPort] = await freePorts(4);

  const stops: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    stopping = true;
    while (stops.length) {
      try {
        await stops.pop()!();
      } catch (err) {
        o.log(`warning: stopping: ${(err as Error).message}`);
      }
    }
  };
  try {
    stops.push(async () => fs.rmSync(dir, { recursive: true, force: true }));
    o.log(`starting the Temporal dev server (SQLite file in ${dir}) ...`);
    const dev = await startDevServer({ dataDir: dir, port: temporalPort, uiPort, namespace: 'default' });
    stops.push(() => dev.stop());
    const temporal = await connectTemporal({ address: dev.address, namespace: 'default' }, payloadKeys);
    stops.push(() => temporal.close());

    o.log(`creating database ${databaseName} ...`);
    const db = await openDatabase(databaseUrl);
    stops.push(() => dropDatabase(databaseName));
    stops.push(() => db.close());
    await seedReferenceData(db.prisma);

    const config: Config = {
      ...settings,
      dataDir: dir,
      databaseUrl,
      apiPort,
      simulatorPort,
      temporalAddress: dev.address,
      temporalNamespace: 'default',
      dayMs: o.dayMs,
      simulatorUrl: `http://127.0.0.1:${simulatorPort}`,
      trustUserHeader: false,
    };
    const apiLog = fs.openSync(path.join(dir, 'api.log'), 'a');
    const app = createApp({
      prisma: db.prisma,
      temporal: temporal.client,
      config,
      log: (msg, fields) => fs.writeSync(apiLog, `${JSON.stringify({ msg, ...fields })}\n`),
    });
    const server = http.createServer(app);
    await new Promise<void>((resolve) => server.listen(apiPort, '127.0.0.1', resolve));
    stops.push(
      () =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    );
    const apiUrl = `http://127.0.0.1:${apiPort}`;

    const simLog = fs.openSync(path.join(dir, 'simulator.log'), 'a');
    const simulatorToken = crypto.randomBytes(24).toString('base64url');
    const inboundToken = await reissueToken(db.prisma, SIMULATOR_SENDER_ID, 'bench', 'bench');
    const simulator = createSimulator({
      token: simulatorToken,
      inboundToken,
      seed: 42,
      dayMs: o.simulatorDayMs ?? o.dayMs,
      inboundUrl: apiUrl,
      delivery: 'scheduled',
      outboundFormat: 'x12',
      scenarioWeights: o.scenarioWeights,
      log: (event, fields = {}) => fs.writeSync(simLog, `${JSON.stringify({ event, ...fields })}\n`),
    });
    const running: RunningSimulator = await simulator.start(simulatorPort, '127.0.0.1');
    stops.push(async () => {
      await simulator.stop();
      await running.close();
    });

    // the worker processes' environment (their configuration), built from this one's
    const workerEnv: NodeJS.ProcessEnv = {
      ...process.env,
      TEMPORAL_ADDRESS: dev.address,
      TEMPORAL_NAMESPACE: 'default',
      DATABASE_URL: databaseUrl,
      SIMULATOR_URL: config.simulatorUrl,
      SIMULATOR_TOKEN: simulatorToken,
      CLAIMFLOW_DAY_MS: String(o.dayMs),
      CLAIMFLOW_DATA_DIR: dir,
      // several workers on this machine: no fixed metrics port each
      CLAIMFLOW_WORKER_METRICS_ADDRESS: '',
    };
    o.log(`starting ${o.workers} worker process(es) ...`);
    const workers = await Promise.all(
      Array.from({ length: o.workers }, (_, i) => startWorker(workerEnv, path.join(dir, `worker-${i + 1}.log`), i + 1)),
    );
    stops.push(async () => {
      await Promise.all(
        workers.map(async (w) => {
          if (w.exitCode !== null || w.signalCode !== null) return;
          const gone = new Promise((r) => w.once('exit', r));
          w.kill('SIGTERM');
          await Promise.race([gone, sleep(15_000)]);
          if (w.exitCode === null && w.signalCode === null) w.kill('SIGKILL');
        }),
      );
    });

    const tokens = new Map<string, string>();
    for (const userId of Object.values(USER_IDS))
      tokens.set(userId, (await issueToken(db.prisma, userId, { name: 'bench' }, 'bench')).token);

    return {
      dir,
      databaseName,
      databaseUrl,
      prisma: db.prisma,
      temporal,
      temporalPid: dev.pid ?? 0,
      api: new DemoApi(apiUrl, tokens),
      apiUrl,
      simulator,
      workers,
      config,
      stop: stopAll,
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

/** Runs a bench's main, then exits 0, or prints the error and exits 1, without waiting for open handles to close. */
export function exitWhenDone(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
