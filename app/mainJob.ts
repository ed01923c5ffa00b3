// The main job: everything claimflow needs on one machine, in one process (the embedded database can be open
// in one process only): Temporal (a dev server with its state on disk, or a cluster), the database, the API,
// the claim worker, and the payer simulator as a supervised child process. `npm start` and the demo run it.
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import type { Worker } from '@temporalio/worker';
import { HttpClearinghouse } from '../infra/clearinghouse';
import { reissueToken } from '../api/auth/accounts';
import { createApp } from '../api/app';
import { startClaimWorkflow } from '../api/claims/claimWorkflow';
import { metricsApp, queueSnapshot } from '../api/http/metrics';
import type { PrismaClient } from '../generated/prisma/client';
import { activityDeps, createClaimWorker, workerSettings } from '../worker/worker';
import { FINAL_STATES } from '../workflows/contract';
import { loadPayloadKeys, workerDataConverter } from '../infra/codec';
import { formatAddress, usesExternalTemporal, type Config, type ListenAddress } from '../infra/config';
import { dataDirSecret, secureDataDir } from '../infra/dataDir';
import { openDatabase } from '../infra/db';
import { createLogger, eventLog, type Logger } from '../infra/log';
import { startConfiguredMailboxPoller } from './mailboxPoller';
import { createMetrics } from '../infra/metrics';
import { assertPortFree, describeError, lockDataDir, mapLimit, StartupError, stopLeftover, urlHost } from '../infra/process';
import { startTracing, TRACING_WORKFLOW_MODULES } from '../infra/tracing';
import { seedReferenceData, SIMULATOR_SENDER_ID } from './seed';
import { startSimulatorProcess } from './simulatorProcess';
import { connectTemporal, ensureSearchAttributes, installTemporalRuntime, startDevServer, type TemporalEndpoint } from '../infra/temporal';

export interface MainJobOptions {
  /** address the API binds to; default config.host (HOST, else 127.0.0.1) */
  host?: string;
  /** progress and warnings for the person who started the job, one line each */
  log?: (line: string) => void;
  /** the process's JSON log (pino, infra/log.ts); one on stderr at CLAIMFLOW_LOG_LEVEL when absent */
  logger?: Logger;
  /** a file for the API's events (JSON lines) instead of `logger` */
  apiLogFile?: string;
  /** a file for the Temporal worker's log (JSON lines) instead of `logger` */
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
  /** Prometheus metrics of the API and the queues (CLAIMFLOW_METRICS_ADDRESS); unset when off */
  metricsUrl?: string;
  /** Prometheus metrics of the Temporal worker (CLAIMFLOW_WORKER_METRICS_ADDRESS); unset when off or not installed here */
  workerMetricsUrl?: string;
  /** OpenTelemetry tracing is on (OTEL_*) */
  tracing: boolean;
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

let runtimeInstalled: boolean | undefined;

/**
 * The Temporal runtime, once per process: its log into `logger` at CLAIMFLOW_WORKER_LOG_LEVEL (default WARN; the
 * log-grep test raises it, so that every workflow and activity event the SDK can log is checked for PHI), its
 * metrics on CLAIMFLOW_WORKER_METRICS_ADDRESS. True when this call installed it.
 */
function installRuntime(config: Config, logger: Logger): boolean {
  runtimeInstalled ??= installTemporalRuntime({ logger, level: config.workerLogLevel, metricsAddress: config.workerMetricsAddress });
  return runtimeInstalled;
}

const httpUrl = (a: ListenAddress, path = '') => `http://${urlHost(a.host)}:${a.port}${path}`;

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
  const logger = opts.logger ?? createLogger({ level: config.logLevel });
  const apiLogger = opts.apiLogFile
    ? createLogger({ level: config.logLevel, destination: opts.apiLogFile, base: { component: 'api' } })
    : logger.child({ component: 'api' });
  const workerLogger = opts.workerLogFile
    ? createLogger({ level: 'trace', destination: opts.workerLogFile, base: { component: 'temporal' } })
    : logger.child({ component: 'temporal' });
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
    if (config.metricsAddress) {
      const { host: h, port } = config.metricsAddress;
      await assertPortFree(port, h, 'CLAIMFLOW_METRICS_ADDRESS', 'the metrics endpoint');
    }
    if (config.workerMetricsAddress && runtimeInstalled === undefined) {
      const { host: h, port } = config.workerMetricsAddress;
      await assertPortFree(port, h, 'CLAIMFLOW_WORKER_METRICS_ADDRESS', "the Temporal worker's metrics endpoint");
    }

    const workerMetrics = installRuntime(config, workerLogger) ? config.workerMetricsAddress : undefined;
    // OpenTelemetry, when OTEL_* asks for it: the API's client, the API's requests and the worker are traced.
    const tracing = startTracing(config);
    if (tracing) {
      cleanups.push({ rank: 4, what: 'tracing', run: () => tracing.shutdown() });
      if (config.workflowBundle && !fs.readFileSync(config.workflowBundle, 'utf8').includes('OpenTelemetryInboundInterceptor')) {
        log(
          `warning: tracing is on but CLAIMFLOW_WORKFLOW_BUNDLE was built without ${TRACING_WORKFLOW_MODULES.join(', ')}: ` +
            'workflows run untraced and their activities start traces of their own',
        );
      }
    }
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
        endpoint = await connectTemporal(undefined, payloadKeys, tracing?.clientInterceptors);
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
      endpoint = await connectTemporal(
        { address: dev.address, namespace: config.temporalNamespace },
        payloadKeys,
        tracing?.clientInterceptors,
      );
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

    // 4. the API, and its metrics on a listener of their own
    const metrics = createMetrics({ queues: queueSnapshot(db.prisma) });
    // The worker's clearinghouse, once the simulator (if it is ours) is up: on-demand eligibility checks go there too.
    let clearinghouse: HttpClearinghouse | undefined;
    const app = createApp({
      prisma: db.prisma,
      temporal: endpoint.client,
      config,
      logger: apiLogger,
      metrics,
      tracer: tracing?.tracer,
      clearinghouse: () => clearinghouse,
    });
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

    let metricsUrl: string | undefined;
    if (config.metricsAddress) {
      const address = config.metricsAddress;
      const metricsServer = http.createServer(metricsApp(metrics));
      await new Promise<void>((resolve, reject) => {
        metricsServer.once('error', (err: NodeJS.ErrnoException) =>
          reject(
            err.code === 'EADDRINUSE'
              ? new StartupError(`${formatAddress(address)} (the metrics endpoint) is already in use: set CLAIMFLOW_METRICS_ADDRESS`)
              : err,
          ),
        );
        metricsServer.listen(address.port, address.host, () => resolve());
      });
      metricsUrl = httpUrl(address, '/metrics');
      cleanups.push({
        rank: 1,
        what: 'the metrics endpoint',
        run: () =>
          new Promise<void>((resolve) => {
            metricsServer.close(() => resolve());
            metricsServer.closeAllConnections();
          }),
      });
    }

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
    clearinghouse = new HttpClearinghouse(simulatorUrl, { token: simulatorToken });
    log('starting the claim worker ...');
    const worker: Worker = await createClaimWorker({
      connection: endpoint.nativeConnection,
      namespace: endpoint.namespace,
      deps: activityDeps(config, { prisma: db.prisma, clearinghouse }),
      dataConverter: workerDataConverter(payloadKeys),
      ...workerSettings(config),
      tracing: tracing?.worker,
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

    // 6b. the SFTP mailbox poller, when there is a mailbox: its activities here (they call the API's X12 intake),
    // its workflow on the claim worker, one per mailbox however many main jobs start
    const poller = await startConfiguredMailboxPoller({
      config,
      prisma: db.prisma,
      client: endpoint.client,
      connection: endpoint.nativeConnection,
      namespace: endpoint.namespace,
      metrics,
      log: eventLog(apiLogger.child({ component: 'mailbox' })),
      dataConverter: workerDataConverter(payloadKeys),
      onFatal: (err) => opts.onFatal?.(new Error(`the mailbox poller's worker stopped: ${describeError(err)}`)),
    });
    if (poller) {
      cleanups.push({ rank: 2, what: 'the mailbox poller', run: () => poller.stop() });
      log(`polling the SFTP mailbox ${poller.mailbox} every ${config.sftpPollSeconds} s (workflow ${poller.workflowId})`);
    }

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
      metricsUrl,
      workerMetricsUrl: workerMetrics ? httpUrl(workerMetrics, '/metrics') : undefined,
      tracing: tracing !== undefined,
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
