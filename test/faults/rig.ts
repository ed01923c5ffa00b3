// Everything a fault test needs, each part a separate thing that can be broken on its own, all real:
// a Temporal dev server with its state on disk (stoppable and restartable on the same port), a PostgreSQL
// database reached through a TCP proxy (so the test can take the database away without touching the
// machine's server), the API in this process, the payer simulator in scheduled mode (it acknowledges and
// pays by itself after compressed "days"), and claim workers as child processes that can be SIGKILLed.
// A scripted coder confirms codes through the API: the auto-path, with nobody else needed.
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { createApp } from '../../api/app';
import type { PrismaClient } from '../../generated/prisma/client';
import { clientDataConverter, parsePayloadKeys } from '../../infra/codec';
import { loadConfig, type Config } from '../../infra/config';
import { openDatabase, type OpenedDb } from '../../infra/db';
import { freePorts } from '../../infra/process';
import { PATIENT_IDS, PROVIDERS, seedReferenceData, SIMULATOR_SENDER_ID, USER_IDS } from '../../app/seed';
import { reissueToken } from '../../api/auth/accounts';
import { ensureSearchAttributes, startDevServer } from '../../infra/temporal';
import { createSimulator, type RunningSimulator, type Simulator } from '../../simulator/server';
import { createTestDatabase, type TestDatabase } from '../database';
import { startTcpProxy, type TcpProxy } from './tcpProxy';

export interface RigOptions {
  /** one lifecycle day in ms: the simulator acknowledges within 0.1–1 day and pays 5–20 days later */
  dayMs: number;
  /** the simulator's outbox retry: how soon a message refused by a down API is sent again */
  retryBaseMs?: number;
  retryCapMs?: number;
  log?: (line: string) => void;
}

export interface WorkerProcess {
  child: ChildProcess;
  /** SIGKILL: no drain, no goodbye; activities in flight are lost and must time out on the server */
  kill(): Promise<void>;
  /** SIGTERM: drains, then exits */
  stop(): Promise<void>;
  output(): string;
  /** neither exited nor killed by a signal (a SIGKILLed child has exitCode null, signalCode set) */
  alive(): boolean;
}

export interface Rig {
  config: Config;
  /** direct to PostgreSQL: what the test reads to check, never through the proxy */
  db: TestDatabase;
  /** the TCP proxy that claimflow's API and workers reach PostgreSQL through */
  pgProxy: TcpProxy;
  apiUrl: string;
  client: Client;
  simulator: Simulator;
  simulatorUrl: string;
  /** what the simulator's routes (/admin included) require */
  simulatorToken: string;
  temporalAddress: string;
  startWorker(): Promise<WorkerProcess>;
  /** the API's log lines (no PHI), newest last */
  apiLog(): string[];
  stopTemporal(): Promise<void>;
  startTemporal(): Promise<void>;
  api(
    method: string,
    path: string,
    body?: unknown,
    userId?: string,
    headers?: Record<string, string>,
  ): Promise<{ status: number; headers: Headers; body: any }>;
  createClaims(n: number, concurrency?: number): Promise<string[]>;
  /** confirms every CODE_REVIEW task it finds through the API until stopped; counts what it saw */
  startCoder(): Coder;
  waitUntil<T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs: number, everyMs?: number): Promise<T>;
  shutdown(): Promise<void>;
}

export interface Coder {
  confirmed(): number;
  /** answers other than 200 by status: 503 while a dependency is down, 409 for a task already done */
  refusals(): Record<number, number>;
  stop(): Promise<void>;
}

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');

export async function startRig(o: RigOptions): Promise<Rig> {
  const log = o.log ?? (() => {});
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'claimflow-faults-'));
  const [temporalPort, uiPort] = await freePorts(2);
  const cleanups: (() => Promise<void> | void)[] = [];
  const shutdown = async () => {
    while (cleanups.length) {
      try {
        await cleanups.pop()!();
      } catch (err) {
        log(`cleanup failed: ${(err as Error).message}`);
      }
    }
  };

  try {
    cleanups.push(() => fs.rmSync(dataDir, { recursive: true, force: true }));
    let temporal: Awaited<ReturnType<typeof startDevServer>> | undefined = await startDevServer({
      dataDir,
      port: temporalPort,
      uiPort,
      namespace: 'default',
    });
    cleanups.push(() => temporal?.stop());
    const temporalAddress = temporal.address;

    const db = await createTestDatabase('claimflow_fault');
    cleanups.push(() => db.drop());
    await seedReferenceData(db.prisma);

    const pgProxy = await startTcpProxy({ host: '127.0.0.1', port: 5432 });
    cleanups.push(() => pgProxy.close());
    const proxiedUrl = new URL(db.url);
    proxiedUrl.host = `127.0.0.1:${pgProxy.port}`;
    const apiDb: OpenedDb = await openDatabase(proxiedUrl.toString(), { migrate: false });
    cleanups.push(() => apiDb.close());

    const payloadKeySpec = `fault1:${crypto.randomBytes(32).toString('base64')}`;
    const connection = await Connection.connect({ address: temporalAddress });
    cleanups.push(() => connection.close());
    await ensureSearchAttributes(connection, 'default');
    const client = new Client({ connection, namespace: 'default', dataConverter: clientDataConverter(parsePayloadKeys(payloadKeySpec)) });

    const config: Config = { ...loadConfig(), dayMs: o.dayMs, databaseUrl: proxiedUrl.toString(), trustUserHeader: true, temporalAddress };
    // The API's own log lines are ids, codes and counts (no PHI); kept to explain an unexpected status.
    const apiLog: string[] = [];
    const app = createApp({
      prisma: apiDb.prisma as PrismaClient,
      temporal: client,
      config,
      log: (msg, fields) => {
        apiLog.push(JSON.stringify({ msg, ...fields }));
        if (apiLog.length > 2_000) apiLog.splice(0, 1_000);
      },
    });
    const server: Server = await new Promise((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    cleanups.push(
      () =>
        new Promise<void>((r) => {
          server.close(() => r());
          server.closeAllConnections();
        }),
    );
    const apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    // The auto-path: every claim is accepted and paid, in full or with a patient share.
    const simulatorToken = crypto.randomBytes(24).toString('base64url');
    const inboundToken = await reissueToken(db.prisma, SIMULATOR_SENDER_ID, 'fault rig', 'test');
    const simulator = createSimulator({
      token: simulatorToken,
      inboundToken,
      delivery: 'scheduled',
      inboundUrl: apiUrl,
      dayMs: o.dayMs,
      log: () => {},
      retryBaseMs: o.retryBaseMs ?? 250,
      retryCapMs: o.retryCapMs ?? 2_000,
      scenarioWeights: {
        PAY_IN_FULL: 70,
        PARTIAL_PATIENT_RESP: 30,
        FRONT_END_REJECT: 0,
        SILENT_THEN_PAY: 0,
        SILENT_FOREVER: 0,
        CODING_DENIAL: 0,
        DENY_APPEAL_OVERTURNED: 0,
        DENY_APPEAL_UPHELD: 0,
      },
    });
    const sim: RunningSimulator = await simulator.start(0);
    cleanups.push(() => sim.close());

    const workers: WorkerProcess[] = [];
    cleanups.push(async () => {
      for (const w of workers) await w.kill();
    });
    const startWorker = (): Promise<WorkerProcess> => {
      const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'worker/main.ts')], {
        cwd: ROOT,
        env: {
          // the worker process's environment (its configuration), built from this test's
          ...process.env,
          TEMPORAL_ADDRESS: temporalAddress,
          TEMPORAL_NAMESPACE: 'default',
          DATABASE_URL: proxiedUrl.toString(),
          SIMULATOR_URL: sim.url,
          SIMULATOR_TOKEN: simulatorToken,
          CLAIMFLOW_PAYLOAD_KEYS: payloadKeySpec,
          CLAIMFLOW_DAY_MS: String(o.dayMs),
          // several workers on this machine: no fixed metrics port each
          CLAIMFLOW_WORKER_METRICS_ADDRESS: '',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      const alive = () => child.exitCode === null && child.signalCode === null;
      const w: WorkerProcess = {
        child,
        output: () => output,
        alive,
        kill: async () => {
          if (alive()) child.kill('SIGKILL');
          await exited;
        },
        stop: async () => {
          if (alive()) child.kill('SIGTERM');
          await exited;
        },
      };
      workers.push(w);
      return new Promise((resolve, reject) => {
        const onData = (d: Buffer) => {
          // keep the tail only: a long run must not grow this without bound
          output = (output + d.toString()).slice(-20_000);
          if (output.includes('polling task queue')) resolve(w);
        };
        child.stdout!.on('data', onData);
        child.stderr!.on('data', onData);
        child.once('exit', (code, signal) => reject(new Error(`worker exited (${code ?? signal}): ${output.slice(-2000)}`)));
      });
    };

    const api: Rig['api'] = async (method, p, body, userId = USER_IDS.biller1, headers = {}) => {
      const res = await fetch(`${apiUrl}${p}`, {
        method,
        headers: { 'content-type': 'application/json', 'x-user-id': userId, ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(30_000),
      });
      const text = await res.text();
      return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
    };

    // Riverbend's providers: the patients below are Riverbend's, and a claim bills one practice.
    const providers = PROVIDERS.map((p) => p.id);
    const today = new Date().toISOString().slice(0, 10);
    let created = 0;
    const runId = crypto.randomBytes(4).toString('hex');
    const retry503 = async (call: () => ReturnType<Rig['api']>) => {
      for (let i = 0; ; i++) {
        const res = await call();
        if (res.status !== 503 || i >= 20) return res;
        await sleep(Number(res.headers.get('retry-after') ?? 1) * 1000);
      }
    };
    const createClaims = async (n: number, concurrency = 8): Promise<string[]> => {
      const ids: string[] = [];
      let next = 0;
      const one = async () => {
        for (;;) {
          if (next >= n) return;
          next += 1;
          const i = created++;
          // Intake retries a 503 (a database outage, or one too busy to answer in time) after its Retry-After,
          // under an Idempotency-Key, so a retry can never make a second claim.
          const res = await retry503(() =>
            api(
              'POST',
              '/api/claims',
              {
                patientId: PATIENT_IDS[i % PATIENT_IDS.length],
                providerId: providers[i % providers.length],
                dateOfService: today,
                placeOfService: '11',
                documentation: 'Follow-up of type 2 diabetes mellitus without complications. Essential hypertension, stable.',
                lines: [
                  { procedureCode: '99214', units: 1, chargeCents: 18_000, diagnosisPointers: [1, 2] },
                  { procedureCode: '36415', units: 1, chargeCents: 2_500, diagnosisPointers: [1] },
                ],
              },
              undefined,
              { 'idempotency-key': `${runId}-${i}` },
            ),
          );
          if (res.status !== 201)
            throw new Error(`create claim ${i} failed: ${res.status} ${JSON.stringify(res.body)}; API log: ${apiLog.slice(-5).join(' ')}`);
          ids.push((res.body.claim?.id ?? res.body.id) as string);
        }
      };
      await Promise.all(Array.from({ length: concurrency }, one));
      return ids;
    };

    const startCoder = (): Coder => {
      let running = true;
      let confirmed = 0;
      const refusals: Record<number, number> = {};
      const done = new Set<string>();
      const loop = (async () => {
        while (running) {
          let open: { id: string }[];
          try {
            open = await db.prisma.task.findMany({
              where: { kind: 'CODE_REVIEW', status: { in: ['OPEN', 'CLAIMED'] }, id: { notIn: [...done] } },
              select: { id: true },
              take: 40,
            });
          } catch {
            await sleep(500);
            continue;
          }
          if (open.length === 0) {
            await sleep(200);
            continue;
          }
          await Promise.all(
            open.map(async ({ id }) => {
              let res: Awaited<ReturnType<typeof api>>;
              try {
                res = await api(
                  'POST',
                  `/api/tasks/${id}/complete`,
                  { outcome: { action: 'CONFIRM_CODES', diagnoses: ['E11.9', 'I10'] } },
                  USER_IDS.coder1,
                );
              } catch {
                refusals[0] = (refusals[0] ?? 0) + 1;
                return;
              }
              if (res.status === 200) {
                confirmed += 1;
                done.add(id);
              } else {
                refusals[res.status] = (refusals[res.status] ?? 0) + 1;
                // a task done already (an earlier answer lost) is done; anything else is tried again
                if (res.status === 409 || res.status === 404) done.add(id);
              }
            }),
          );
          if (Object.keys(refusals).length) await sleep(100);
        }
      })();
      const coder: Coder = {
        confirmed: () => confirmed,
        refusals: () => ({ ...refusals }),
        stop: async () => {
          running = false;
          await loop;
        },
      };
      cleanups.push(() => coder.stop());
      return coder;
    };

    const waitUntil: Rig['waitUntil'] = async (what, check, timeoutMs, everyMs = 500) => {
      const deadline = Date.now() + timeoutMs;
      let lastError: unknown;
      while (Date.now() < deadline) {
        try {
          const v = await check();
          lastError = undefined;
          if (v !== undefined && v !== false) return v as any;
        } catch (err) {
          lastError = err;
        }
        await sleep(everyMs);
      }
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${(lastError as Error).message}` : ''}`);
    };

    return {
      config,
      db,
      pgProxy,
      apiUrl,
      client,
      simulator,
      simulatorUrl: sim.url,
      simulatorToken,
      temporalAddress,
      startWorker,
      api,
      createClaims,
      startCoder,
      waitUntil,
      shutdown,
      apiLog: () => [...apiLog],
      stopTemporal: async () => {
        await temporal?.stop();
        temporal = undefined;
      },
      startTemporal: async () => {
        if (temporal) return;
        temporal = await startDevServer({ dataDir, port: temporalPort, uiPort, namespace: 'default' });
      },
    };
  } catch (err) {
    await shutdown();
    throw err;
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
