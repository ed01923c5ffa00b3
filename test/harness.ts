// Everything a lifecycle test needs, all real: Temporal (time-skipping test server or dev server),
// PostgreSQL, the claim worker with its real activities, the API, and the payer simulator over HTTP
// in manual delivery mode so that the test decides when the payer answers.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { expect, inject } from 'vitest';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime, type Worker } from '@temporalio/worker';
import crypto from 'node:crypto';
import { Client } from '@temporalio/client';
import { clientDataConverter, parsePayloadKeys, workerDataConverter, type PayloadKeys } from '../infra/codec';
import { createApp } from '../api/app';
import { HttpClearinghouse } from '../infra/clearinghouse';
import { loadConfig, type Config } from '../infra/config';
import { ensureSearchAttributes, searchAttributeArgs, serverExecutable } from '../infra/temporal';
import { seedReferenceData, SIMULATOR_SENDER_ID, USER_IDS, PATIENT_IDS, PROVIDER_IDS } from '../app/seed';
import { reissueToken } from '../api/auth/accounts';
import { createSimulator, type RunningSimulator, type Simulator } from '../simulator/server';
import type { Scenario } from '../simulator/scenarios';
import type { DeliveryResult } from '../simulator/outbox';
import { activityDeps, createClaimWorker } from '../worker/worker';
import { createMetrics, type Metrics } from '../infra/metrics';
import type { Tracing } from '../infra/tracing';
import { queueSnapshot } from '../api/http/metrics';
import {
  claimStatusQuery,
  workflowIdForClaim,
  type ClaimState,
  type ClaimStatusView,
  type TaskKind,
  type TaskOutcome,
} from '../workflows/contract';
import { createTestDatabase, type TestDatabase } from './database';

let runtimeInstalled = false;
function quietRuntime() {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  try {
    Runtime.install({ logger: new DefaultLogger('WARN') });
  } catch {
    // already installed by another harness in this process
  }
}

export interface Harness {
  env: TestWorkflowEnvironment;
  /** a client with the claimflow data converter (env.client would see encrypted payloads) */
  client: Client;
  payloadKeys: PayloadKeys;
  /** the same keys as CLAIMFLOW_PAYLOAD_KEYS would carry them, for worker processes */
  payloadKeySpec: string;
  db: TestDatabase;
  config: Config;
  apiUrl: string;
  /** what the API counts into, its queue gauges read from this harness's database */
  metrics: Metrics;
  simulator: Simulator;
  simulatorUrl: string;
  /** what the simulator's routes (claims, /admin) require */
  simulatorToken: string;
  /** the simulator sender's token for /api/inbound */
  inboundToken: string;
  worker: Worker;
  stopWorker(): Promise<void>;
  startWorker(): Promise<void>;
  /** a claim made through the API by `userId` (biller-1 unless said) */
  createClaim(body?: Partial<Record<string, unknown>>, userId?: string): Promise<string>;
  forceScenario(claimId: string, scenario: Scenario): Promise<void>;
  status(claimId: string): Promise<ClaimStatusView>;
  waitForState(claimId: string, state: ClaimState, timeoutMs?: number): Promise<ClaimStatusView>;
  waitForTask(
    claimId: string,
    kind: TaskKind,
    timeoutMs?: number,
  ): Promise<{ id: string; kind: string; queue: string; priority: number; dueAt: Date; context: any }>;
  completeTask(taskId: string, outcome: TaskOutcome, userId?: string): Promise<{ status: number; body: any }>;
  deliver(claimId: string, kind?: 'acknowledgement' | 'remittance' | 'appeal-decision'): Promise<DeliveryResult[]>;
  api(method: string, path: string, body?: unknown, userId?: string): Promise<{ status: number; body: any }>;
  shutdown(): Promise<void>;
}

export interface HarnessOptions {
  timeSkipping?: boolean;
  dayMs?: number;
  continueAsNewAfterEvents?: number;
  maxCachedWorkflows?: number;
  /**
   * OpenTelemetry (infra/tracing.ts startTracing): the API's client, its requests and the worker are traced; the
   * worker then bundles the workflow code itself, with the tracing interceptors, instead of using the shared bundle
   */
  tracing?: Tracing;
  /** Node's default metrics in `metrics` too (default false) */
  defaultMetrics?: boolean;
  /** the payer simulator's clock (default Date.now): a test moves it on to make the payer's work due */
  simulatorNow?: () => number;
}

/** Who a test's request comes from unless it says: the simulator's sender for /api/inbound, a biller otherwise. */
export const defaultCaller = (path: string): string =>
  path.toLowerCase().startsWith('/api/inbound') ? SIMULATOR_SENDER_ID : USER_IDS.biller1;

export async function startHarness(o: HarnessOptions = {}): Promise<Harness> {
  quietRuntime();
  const timeSkipping = o.timeSkipping ?? true;
  const env = timeSkipping
    ? await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: serverExecutable('test') } })
    : await TestWorkflowEnvironment.createLocal({
        server: {
          executable: serverExecutable('dev'),
          ip: '127.0.0.1',
          extraArgs: searchAttributeArgs(),
          log: { format: 'pretty', level: 'error' },
        },
      });
  if (timeSkipping) await ensureSearchAttributes(env.connection, 'default');
  const db = await createTestDatabase();
  await seedReferenceData(db.prisma);
  // The harness names its callers with X-User-Id: trusted here, refused by default.
  const config: Config = {
    ...loadConfig(),
    dayMs: o.dayMs ?? 86_400_000,
    continueAsNewAfterEvents: o.continueAsNewAfterEvents,
    maxCachedWorkflows: o.maxCachedWorkflows,
    databaseUrl: db.url,
    trustUserHeader: true,
  };

  // Every payload is encrypted, as in production: the API's client and the worker share the keys.
  const payloadKeySpec = `test1:${crypto.randomBytes(32).toString('base64')}`;
  const payloadKeys = parsePayloadKeys(payloadKeySpec);
  const client = new Client({
    connection: env.connection,
    namespace: 'default',
    dataConverter: clientDataConverter(payloadKeys),
    ...(o.tracing ? { interceptors: o.tracing.clientInterceptors } : {}),
  });
  const metrics = createMetrics({ queues: queueSnapshot(db.prisma), defaultMetrics: o.defaultMetrics ?? false });
  let clearinghouse: HttpClearinghouse | undefined;
  const app = createApp({
    prisma: db.prisma,
    temporal: client,
    config,
    log: () => {},
    metrics,
    tracer: o.tracing?.tracer,
    clearinghouse: () => clearinghouse,
  });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  // The simulator is a CLEARINGHOUSE sender with a token of its own, and takes claimflow's calls with another.
  const simulatorToken = crypto.randomBytes(24).toString('base64url');
  const inboundToken = await reissueToken(db.prisma, SIMULATOR_SENDER_ID, 'harness', 'test');
  const simulator = createSimulator({
    token: simulatorToken,
    inboundToken,
    delivery: 'manual',
    inboundUrl: apiUrl,
    dayMs: config.dayMs,
    log: () => {},
    retryBaseMs: 50,
    retryCapMs: 200,
    ...(o.simulatorNow ? { now: o.simulatorNow } : {}),
  });
  const sim: RunningSimulator = await simulator.start(0);

  const bundlePath = inject('workflowBundlePath');
  clearinghouse = new HttpClearinghouse(sim.url, { timeoutMs: 5000, token: simulatorToken });
  const deps = activityDeps(config, { prisma: db.prisma, clearinghouse });
  let worker!: Worker;
  let running: Promise<void> | undefined;
  const startWorker = async () => {
    worker = await createClaimWorker({
      connection: env.nativeConnection,
      namespace: 'default',
      deps,
      // with tracing, the worker bundles the workflows itself with the tracing interceptors
      workflowBundle: o.tracing ? undefined : { codePath: bundlePath },
      dataConverter: workerDataConverter(payloadKeys),
      maxCachedWorkflows: config.maxCachedWorkflows,
      tracing: o.tracing?.worker,
    });
    running = worker.run();
  };
  const stopWorker = async () => {
    if (!running) return;
    worker.shutdown();
    await running.catch(() => {});
    running = undefined;
  };
  await startWorker();

  // What the clearinghouse delivers comes from the simulator's sender; everything else from a biller.
  const api = async (method: string, path: string, body?: unknown, userId: string = defaultCaller(path)) => {
    const res = await fetch(`${apiUrl}${path}`, {
      method,
      headers: { 'content-type': 'application/json', 'x-user-id': userId },
      body: body === undefined ? undefined : JSON.stringify(body),
      // a hung call fails the test with its path instead of the whole test timing out unexplained
      signal: AbortSignal.timeout(30_000),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };

  const h: Harness = {
    env,
    client,
    payloadKeys,
    payloadKeySpec,
    db,
    config,
    apiUrl,
    metrics,
    simulator,
    simulatorUrl: sim.url,
    simulatorToken,
    inboundToken,
    get worker() {
      return worker;
    },
    startWorker,
    stopWorker,
    api,

    async createClaim(overrides = {}, userId: string = USER_IDS.biller1) {
      const today = new Date(Date.now()).toISOString().slice(0, 10);
      const body = {
        patientId: PATIENT_IDS[0],
        providerId: PROVIDER_IDS.familyMedicine,
        dateOfService: today,
        placeOfService: '11',
        documentation: 'Follow-up of type 2 diabetes mellitus without complications. Essential hypertension, stable.',
        lines: [
          { procedureCode: '99214', units: 1, chargeCents: 18_000, diagnosisPointers: [1, 2] },
          { procedureCode: '36415', units: 1, chargeCents: 2_500, diagnosisPointers: [1] },
        ],
        ...overrides,
      };
      const res = await api('POST', '/api/claims', body, userId);
      if (res.status !== 201) throw new Error(`create claim failed: ${res.status} ${JSON.stringify(res.body)}`);
      return (res.body.claim?.id ?? res.body.id) as string;
    },

    async forceScenario(claimId, scenario) {
      const res = await fetch(`${sim.url}/admin/scenarios`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${simulatorToken}` },
        body: JSON.stringify({ claimId, scenario }),
      });
      if (!res.ok) throw new Error(`force scenario failed: ${res.status}`);
    },

    status: (claimId) => client.workflow.getHandle(workflowIdForClaim(claimId)).query(claimStatusQuery),

    async waitForState(claimId, state, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      let last: ClaimStatusView | undefined;
      while (Date.now() < deadline) {
        try {
          last = await h.status(claimId);
          // The query sees a new state as soon as the workflow enters it; the read model a moment later,
          // when the recordTransition activity has run. Tests read both, so wait for both.
          if (last.state === state) {
            const row = await db.prisma.claim.findUnique({ where: { id: claimId }, select: { state: true } });
            if (row?.state === state) return last;
          }
        } catch {
          // the workflow may not have had its first task yet
        }
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(
        `claim ${claimId} did not reach ${state}; last state ${last?.state}, history ${JSON.stringify(last?.history.map((x) => x.state))}`,
      );
    },

    async waitForTask(claimId, kind, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const task = await db.prisma.task.findFirst({
          where: { claimId, kind, status: { in: ['OPEN', 'CLAIMED'] } },
          orderBy: { createdAt: 'desc' },
        });
        if (task) return task as any;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`no open ${kind} task for claim ${claimId}`);
    },

    completeTask: (taskId, outcome, userId = USER_IDS.biller1) => api('POST', `/api/tasks/${taskId}/complete`, { outcome }, userId),

    async deliver(claimId, kind) {
      // A message is only queued once the simulator got the submission: give the workflow a moment.
      for (let i = 0; i < 100; i++) {
        const delivered = await simulator.deliverNow({ claimId, kind });
        const failed = delivered.filter((d) => d.outcome !== 'delivered');
        if (failed.length) throw new Error(`delivery failed: ${JSON.stringify(failed)}`);
        if (delivered.length) return delivered;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`simulator had nothing to deliver for ${claimId}${kind ? ` (${kind})` : ''}`);
    },

    async shutdown() {
      await stopWorker();
      await simulator.stop();
      await sim.close();
      await new Promise((r) => server.close(r));
      await db.drop();
      await env.teardown();
    },
  };
  return h;
}

/**
 * A claim (99214 $180 + 36415 $25) coded, submitted and acknowledged: waiting for the payer, who will pay in
 * full unless a test delivers its own 835. Posting tests start from here.
 */
export async function claimAwaitingAdjudication(
  h: Harness,
  patientId = PATIENT_IDS[0],
): Promise<{ claimId: string; payerElectronicId: string }> {
  const claimId = await h.createClaim({ patientId });
  await h.forceScenario(claimId, 'PAY_IN_FULL');
  const review = await h.waitForTask(claimId, 'CODE_REVIEW');
  expect((await h.completeTask(review.id, { action: 'CONFIRM_CODES', diagnoses: ['E11.9', 'I10'] }, USER_IDS.coder1)).status).toBe(200);
  await h.waitForState(claimId, 'SUBMITTED');
  await h.deliver(claimId, 'acknowledgement');
  await h.waitForState(claimId, 'AWAITING_ADJUDICATION');
  const claim = await h.db.prisma.claim.findUniqueOrThrow({ where: { id: claimId }, include: { payer: true } });
  expect(claim.totalChargeCents).toBe(20_500);
  return { claimId, payerElectronicId: claim.payer.electronicPayerId };
}
