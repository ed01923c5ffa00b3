// The main job: everything claimflow needs on one machine, in one process (the embedded database can be open
// in one process only): Temporal (a dev server with its state on disk, or a cluster), the database, the API,
// the claim worker, and the payer simulator as a supervised child process. `npm start` and the demo run it.
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { DefaultLogger, Runtime, type LogEntry, type Worker } from '@temporalio/worker';
import { HttpClearinghouse } from '../infra/clearinghouse';
import { reissueToken } from '../api/auth/accounts';
import { createApp } from '../api/app';
import { startClaimWorkflow } from '../api/claims/claimWorkflow';
import type { Log } from '../api/http/errors';
import type { PrismaClient } from '../generated/prisma/client';
import { activityDeps, createClaimWorker, workerSettings } from '../worker/worker';
import { FINAL_STATES } from '../workflows/contract';
import { loadPayloadKeys, workerDataConverter } from '../infra/codec';
import { usesExternalTemporal, type Config, type WorkerLogLevel } from '../infra/config';
import { dataDirSecret, secureDataDir } from '../infra/dataDir';
import { openDatabase } from '../infra/db';
import { assertPortFree, describeError, lockDataDir, mapLimit, StartupError, stopLeftover, urlHost } from '../infra/process';
import { seedReferenceData, SIMULATOR_SENDER_ID } from './seed';
import { startSimulatorProcess } from './simulatorProcess';
import { connectTemporal, ensureSearchAttributes, startDevServer, type TemporalEndpoint } from '../infra/temporal';

export interface MainJobOptions {
  /** address the API binds to; default config.host (HOST, else 127.0.0.1) */
  host?: string;
  /** progress and warnings, one line each */
  log?: (line: string) => void;
  /** the API's own event log (JSON lines); the API's default (stderr) when absent */
  apiLog?: Log;
  /** where the Temporal worker's own warnings go; the console when absent */
  workerLogFile?: string;
  /** ignore TEMPORAL_ADDRESS / envconfig profiles and always run the embedded dev server (the demo does) */
  embeddedTemporal?: boolean;
  /** start the payer simulator child; default: config.runSimulator (the embedded demo, or CLAIMFLOW_SIMULATOR=1) */
  manageSimulator?: boolean;
  /** something the job cannot live without failed after start (worker crashed, simulator keeps dying) */
  onFatal?: (err: Error) => void;
}

export interface MainJob {
  apiUrl: string;
  /** the Temporal Web UI: dev server only */
  uiUrl?: string;
  simulatorUrl: string;
  /** false when SIMULATOR_URL points at an external clearinghouse and no simulator was started */
  simulatorManaged: boolean;
  temporalAddress: string;
  namespace: string;
  devServer: boolean;
  dataDir: string;
  databaseLabel: string;
  /** workflows the start sweep had to start (claims whose first start had failed) */
  sweptStarts: number;
  prisma: PrismaClient;
  client: Client;
  stop(): Promise<void>;
}

let runtimeInstalled = false;

/**
 * `level` is CLAIMFLOW_WORKER_LOG_LEVEL (default WARN). The log-grep test raises it, so that every workflow and
 * activity event the SDK can log is checked for PHI.
 */
function installRuntime(level: WorkerLogLevel, workerLogFile?: string): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  let logger: DefaultLogger;
  if (workerLogFile) {
    const fd = fs.openSync(workerLogFile, 'a');
    logger = new DefaultLogger(level, (entry: LogEntry) => {
      const at = new Date(Number(entry.timestampNanos / 1_000_000n)).toISOString();
      fs.writeSync(fd, `${JSON.stringify({ at, level: entry.level, msg: entry.message, ...entry.meta })}\n`);
    });
  } else {
    logger = new DefaultLogger(level);
  }
  try {
    Runtime.install({ logger });
  } catch {
    // a runtime is already installed in this process: keep it
  }
}

function redactUrl(url: string): string {
  if (url.startsWith('pglite:')) return `embedded PGlite in ${url.slice('pglite:'.length)}`;
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return `PostgreSQL ${u.host}${u.pathname}`;
  } catch {
    return 'PostgreSQL';
  }
}

function databaseError(url: string, err: unknown): StartupError {
  const what = redactUrl(url);
  const code =
    (err as NodeJS.ErrnoException)?.code ?? (err instanceof AggregateError ? (err.errors[0] as NodeJS.ErrnoException)?.code : undefined);
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'ETIMEDOUT' || code === 'EHOSTUNREACH') {
    return new StartupError(`cannot reach the database (${what}): ${describeError(err)}; check DATABASE_URL and that the server runs`);
  }
  if (code === '28P01' || code === '28000')
    return new StartupError(`the database refused the login (${what}): check the user and password in DATABASE_URL`);
  return new StartupError(`the database (${what}) could not be opened: ${describeError(err)}`);
}

export async function startMainJob(config: Config, opts: MainJobOptions = {}): Promise<MainJob> {
  const log = opts.log ?? ((line: string) => console.log(line));
  const host = opts.host ?? config.host;
  const useExternalTemporal = !opts.embeddedTemporal && usesExternalTemporal(config);
  const manageSimulator = opts.manageSimulator ?? config.runSimulator;
  // Stopped in `rank` order whatever the start order: API, worker, simulator, database, Temporal, lock.
  const cleanups: { rank: number; what: string; run: () => Promise<void> | void }[] = [];
  const runCleanups = async () => {
    cleanups.sort((a, b) => a.rank - b.rank);
    while (cleanups.length) {
      const c = cleanups.shift()!;
      try {
        await c.run();
      } catch (err) {
        log(`warning: stopping ${c.what} failed: ${describeError(err)}`);
      }
    }
  };

  try {
    if (!manageSimulator && !config.simulatorUrlSet) {
      throw new StartupError(
        'no clearinghouse: set SIMULATOR_URL (and SIMULATOR_TOKEN) to the clearinghouse claims go to, or CLAIMFLOW_SIMULATOR=1 to run the payer simulator (a demo: it pays claims no payer has seen)',
      );
    }
    // 1. the data folder (private: it holds PHI and keys), and nothing else using it
    const loosened = secureDataDir(config.dataDir);
    if (loosened.length) log(`made ${loosened.length} file(s) in ${config.dataDir} readable by this user only (they were open to others)`);
    const unlock = lockDataDir(config.dataDir);
    cleanups.push({ rank: 9, what: 'the data folder lock', run: unlock });

    // A dev server orphaned by a run that was killed outright still holds its port and database file.
    const devServerPidFile = path.join(config.dataDir, 'temporal.pid');
    if (!useExternalTemporal) {
      await stopLeftover(devServerPidFile, path.join(config.dataDir, 'temporal.db'), log, 'a Temporal dev server');
    }

    // Every port this job will listen on, checked up front so that a clash is one clear line, not a half start.
    await assertPortFree(config.apiPort, host, 'PORT', 'the API');
    if (manageSimulator) await assertPortFree(config.simulatorPort, '127.0.0.1', 'SIMULATOR_PORT', 'the payer simulator');
    if (!useExternalTemporal) {
      await assertPortFree(config.temporalDevPort, '127.0.0.1', 'TEMPORAL_DEV_PORT', 'the Temporal dev server');
      await assertPortFree(config.temporalUiPort, '127.0.0.1', 'TEMPORAL_UI_PORT', 'the Temporal Web UI');
    }

    installRuntime(config.workerLogLevel, opts.workerLogFile);
    // Every Temporal payload is encrypted (infra/codec.ts): CLAIMFLOW_PAYLOAD_KEYS, or a key kept in the data dir.
    let payloadKeys: ReturnType<typeof loadPayloadKeys>;
    try {
      payloadKeys = loadPayloadKeys(config);
    } catch (err) {
      throw new StartupError(`payload encryption keys: ${describeError(err)}`);
    }

    // 2. Temporal
    let endpoint: TemporalEndpoint;
    let uiUrl: string | undefined;
    if (useExternalTemporal) {
      const target = config.temporalAddress ?? 'the envconfig profile';
      log(`connecting to Temporal at ${target} ...`);
      try {
        endpoint = await connectTemporal(undefined, payloadKeys);
      } catch (err) {
        throw new StartupError(`cannot reach Temporal at ${target}: ${describeError(err)}`);
      }
      cleanups.push({ rank: 7, what: 'the Temporal connections', run: () => endpoint.close() });
      try {
        await ensureSearchAttributes(endpoint.connection, endpoint.namespace);
      } catch (err) {
        log(
          `warning: could not register claimflow's search attributes (${describeError(err)}); ` +
            'on Temporal Cloud add ClaimState (Keyword), ClaimStateEnteredAt (Datetime) and ClaimPayer (Keyword) with tcld',
        );
      }
    } else {
      log(`starting the Temporal dev server (state in ${path.join(config.dataDir, 'temporal.db')}) ...`);
      let dev: Awaited<ReturnType<typeof startDevServer>>;
      try {
        dev = await startDevServer({
          dataDir: config.dataDir,
          port: config.temporalDevPort,
          uiPort: config.temporalUiPort,
          namespace: config.temporalNamespace,
        });
      } catch (err) {
        throw new StartupError(
          `the Temporal dev server did not start: ${describeError(err)}; see ${path.join(config.dataDir, 'temporal.log')}`,
        );
      }
      if (dev.pid) fs.writeFileSync(devServerPidFile, `${dev.pid}\n`);
      cleanups.push({
        rank: 8,
        what: 'the Temporal dev server',
        run: async () => {
          await dev.stop();
          fs.rmSync(devServerPidFile, { force: true });
        },
      });
      uiUrl = dev.uiUrl;
      endpoint = await connectTemporal({ address: dev.address, namespace: config.temporalNamespace }, payloadKeys);
      cleanups.push({ rank: 7, what: 'the Temporal connections', run: () => endpoint.close() });
    }

    // 3. the database, migrated and seeded
    log(`opening the database (${redactUrl(config.databaseUrl)}) ...`);
    let db: Awaited<ReturnType<typeof openDatabase>>;
    try {
      db = await openDatabase(config.databaseUrl);
    } catch (err) {
      if (err instanceof StartupError) throw err;
      throw databaseError(config.databaseUrl, err);
    }
    cleanups.push({ rank: 5, what: 'the database', run: () => db.close() });
    await seedReferenceData(db.prisma);

    // 4. the API
    const app = createApp({ prisma: db.prisma, temporal: endpoint.client, config, log: opts.apiLog });
    const server = http.createServer(app);
    await new Promise<void>((resolve, reject) => {
      server.once('error', (err: NodeJS.ErrnoException) =>
        reject(err.code === 'EADDRINUSE' ? new StartupError(`port ${config.apiPort} (the API) is already in use: set PORT`) : err),
      );
      server.listen(config.apiPort, host, () => resolve());
    });
    const apiUrl = `http://${urlHost(host)}:${config.apiPort}`;
    cleanups.push({
      rank: 1,
      what: 'the API',
      run: () =>
        new Promise<void>((resolve) => {
          const force = setTimeout(() => server.closeAllConnections(), 5_000);
          server.close(() => {
            clearTimeout(force);
            resolve();
          });
          server.closeIdleConnections();
        }),
    });

    // 5. the payer simulator (unless SIMULATOR_URL points somewhere else)
    let simulatorUrl = config.simulatorUrl;
    let simulatorToken = config.simulatorToken;
    if (manageSimulator) {
      log('starting the payer simulator ...');
      // Its token (the claims API and /admin) is kept in the data folder for a person or a scale-out worker on
      // this machine; its credential for our inbound routes is a fresh CLEARINGHOUSE token every start.
      simulatorToken ??= dataDirSecret(config.dataDir, 'simulator-token', () => crypto.randomBytes(24).toString('base64url'));
      const inboundToken = await reissueToken(db.prisma, SIMULATOR_SENDER_ID, 'simulator (issued at start)', 'npm start');
      const sim = await startSimulatorProcess({
        token: simulatorToken,
        inboundToken,
        port: config.simulatorPort,
        inboundUrl: `http://127.0.0.1:${config.apiPort}`,
        dayMs: config.dayMs,
        seed: config.simulatorSeed,
        stateFile: path.join(config.dataDir, 'simulator.json'),
        logFile: path.join(config.dataDir, 'simulator.log'),
        log,
        onGiveUp: (err) => opts.onFatal?.(err),
      });
      simulatorUrl = sim.url;
      cleanups.push({ rank: 3, what: 'the payer simulator', run: () => sim.stop() });
    }

    // 6. the claim worker, in this process
    log('starting the claim worker ...');
    const worker: Worker = await createClaimWorker({
      connection: endpoint.nativeConnection,
      namespace: endpoint.namespace,
      deps: activityDeps(config, { prisma: db.prisma, clearinghouse: new HttpClearinghouse(simulatorUrl, { token: simulatorToken }) }),
      dataConverter: workerDataConverter(payloadKeys),
      ...workerSettings(config),
    });
    let stoppingWorker = false;
    const running = worker.run().catch((err: unknown) => {
      if (!stoppingWorker) opts.onFatal?.(new Error(`the claim worker stopped: ${describeError(err)}`));
    });
    cleanups.push({
      rank: 2,
      what: 'the claim worker',
      run: async () => {
        stoppingWorker = true;
        try {
          worker.shutdown();
        } catch {
          // not running any more
        }
        await running;
      },
    });

    // 7. every claim still in flight gets its workflow (a start that failed after the row was written)
    const open = await db.prisma.claim.findMany({ where: { state: { notIn: [...FINAL_STATES] } }, select: { id: true } });
    let sweptStarts = 0;
    await mapLimit(open, 8, async ({ id }) => {
      try {
        const r = await startClaimWorkflow(endpoint.client, db.prisma, config, id);
        if (r.started) sweptStarts++;
      } catch (err) {
        log(`warning: could not start the workflow of claim ${id}: ${describeError(err)}`);
      }
    });
    if (sweptStarts) log(`started the missing workflows of ${sweptStarts} claim(s)`);

    let stopped: Promise<void> | undefined;
    return {
      apiUrl,
      uiUrl,
      simulatorUrl,
      simulatorManaged: manageSimulator,
      temporalAddress: endpoint.address,
      namespace: endpoint.namespace,
      devServer: !useExternalTemporal,
      dataDir: config.dataDir,
      databaseLabel: redactUrl(config.databaseUrl),
      sweptStarts,
      prisma: db.prisma,
      client: endpoint.client,
      stop: () => (stopped ??= runCleanups()),
    };
  } catch (err) {
    await runCleanups();
    throw err;
  }
}
