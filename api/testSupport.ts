// Shared set-up for the API tests: a fresh PostgreSQL database per test file, a local Temporal dev server,
// the app listening on a free port, and a small fetch wrapper. Test-only; nothing in the app imports it.
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll } from 'vitest';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Client } from '@temporalio/client';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import type { PrismaClient } from '../generated/prisma/client';
import { createTestDatabase as createFreshDatabase, type TestDatabase } from '../test/database';
import { loadConfig, type Config } from '../infra/config';
import { PATIENT_IDS, PROVIDER_IDS, seedReferenceData } from '../app/seed';
import { defaultCaller } from '../test/harness';
import { ClaimPayerKey, ClaimStateEnteredAtKey, ClaimStateKey } from '../workflows/contract';
import { serverExecutable } from '../infra/temporal';
import { createApp } from './app';
import type { RateLimit } from './http/rateLimit';
import type { TemporalTimeouts } from './http/temporal';

export type { TestDatabase } from '../test/database';

/** A fresh, migrated and seeded PostgreSQL database for one test file. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const db = await createFreshDatabase();
  await seedReferenceData(db.prisma);
  return db;
}

export function startTemporal(): Promise<TestWorkflowEnvironment> {
  return TestWorkflowEnvironment.createLocal({
    server: {
      executable: serverExecutable('dev'),
      searchAttributes: [ClaimStateKey, ClaimStateEnteredAtKey, ClaimPayerKey],
    },
  });
}

// Tests name their caller with X-User-Id (see RequestOptions.user); token authentication has its own tests.
export const testConfig = (): Config => ({ ...loadConfig(), dayMs: 1_000, writeOffApprovalThresholdCents: 10_000, trustUserHeader: true });

export interface TestApi {
  baseUrl: string;
  logs: { msg: string; fields?: object }[];
  request(method: string, path: string, options?: RequestOptions): Promise<TestResponse>;
  close(): Promise<void>;
}

export interface RequestOptions {
  body?: unknown;
  /** raw text sent as the body instead of JSON.stringify(body) */
  rawBody?: string;
  /** X-User-Id; null sends none (the default when a token is given); unset: defaultCaller(path) */
  user?: string | null;
  /** sent as Authorization: Bearer <token> */
  token?: string;
  headers?: Record<string, string>;
}

export interface TestResponse {
  status: number;
  headers: Headers;
  body: any;
  text: string;
}

export async function startApi(deps: {
  prisma: PrismaClient;
  temporal: Client;
  config?: Config;
  temporalTimeouts?: Partial<TemporalTimeouts>;
  tokenRateLimit?: RateLimit;
  signInRateLimit?: RateLimit;
  inboundRateLimit?: RateLimit;
  ssoRateLimit?: RateLimit;
  now?: () => number;
  /** the port to listen on; unset: a free one */
  port?: number;
}): Promise<TestApi> {
  const logs: TestApi['logs'] = [];
  const app = createApp({
    prisma: deps.prisma,
    temporal: deps.temporal,
    config: deps.config ?? testConfig(),
    log: (msg, fields) => logs.push({ msg, fields }),
    temporalTimeouts: { queryMs: 500, ...deps.temporalTimeouts },
    tokenRateLimit: deps.tokenRateLimit,
    signInRateLimit: deps.signInRateLimit,
    inboundRateLimit: deps.inboundRateLimit,
    ssoRateLimit: deps.ssoRateLimit,
    now: deps.now,
  });
  const server = await new Promise<ReturnType<typeof app.listen>>((resolve) => {
    const s = app.listen(deps.port ?? 0, '127.0.0.1', () => resolve(s));
  });
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    baseUrl,
    logs,
    async request(method, path, options = {}) {
      const headers: Record<string, string> = { ...options.headers };
      const user = options.user === undefined ? (options.token === undefined ? defaultCaller(path) : null) : options.user;
      if (user !== null) headers['X-User-Id'] = user;
      if (options.token !== undefined) headers.Authorization = `Bearer ${options.token}`;
      let body: string | undefined;
      if (options.rawBody !== undefined) body = options.rawBody;
      else if (options.body !== undefined) body = JSON.stringify(options.body);
      if (body !== undefined) headers['Content-Type'] ??= 'application/json';
      const res = await fetch(`${baseUrl}${path}`, { method, headers, body });
      const text = await res.text();
      let parsed: unknown = undefined;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        parsed = undefined;
      }
      return { status: res.status, headers: res.headers, body: parsed, text };
    },
    close: () => new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve()))),
  };
}

/** Names of the signals a workflow's history records, in order. */
export async function signalsReceived(temporal: Client, workflowId: string): Promise<{ name: string; input: unknown }[]> {
  const history = await temporal.workflow.getHandle(workflowId).fetchHistory();
  return (history.events ?? [])
    .map((e) => e.workflowExecutionSignaledEventAttributes)
    .filter((a): a is NonNullable<typeof a> => !!a)
    .map((a) => ({
      name: a.signalName ?? '',
      input: a.input?.payloads?.[0] ? defaultPayloadConverter.fromPayload(a.input.payloads[0] as Payload) : undefined,
    }));
}

export interface ApiFixture {
  db: TestDatabase;
  env: TestWorkflowEnvironment;
  api: TestApi;
}

let nextControl = 500;

/**
 * A claim through the API (so its workflow is running), with submission attempt 1 sent under fresh control
 * numbers (ISA13 `isa`, ST02 `st`), as the inbound tests need one. pat-02 (the default) is a Blue Peak member.
 * Its two lines charge 14,500 and 7,500.
 */
export async function submittedClaim(f: ApiFixture, patientId = PATIENT_IDS[1]): Promise<{ claimId: string; isa: number; st: string }> {
  const res = await f.api.request('POST', '/api/claims', {
    body: {
      patientId,
      providerId: PROVIDER_IDS.internalMedicine,
      dateOfService: '2026-10-20',
      placeOfService: '11',
      documentation: 'Hypertension follow-up; routine ECG.',
      lines: [
        { procedureCode: '99213', units: 1, chargeCents: 14_500, diagnosisPointers: [1] },
        { procedureCode: '93000', units: 1, chargeCents: 7_500, diagnosisPointers: [1] },
      ],
      diagnoses: ['I10'],
    },
  });
  if (res.status !== 201) throw new Error(`creating the claim answered ${res.status}: ${res.text}`);
  const claimId: string = res.body.id;
  const isa = ++nextControl;
  const st = String(isa).padStart(4, '0');
  await f.db.prisma.submission.create({
    data: {
      claimId,
      attempt: 1,
      frequencyCode: '1',
      idempotencyKey: `${claimId}:1`,
      interchangeControlNumber: isa,
      transactionControlNumber: st,
    },
  });
  return { claimId, isa, st };
}

/** Registers the usual per-file set-up and tear-down; the fields are filled once beforeAll has run. */
export function useApiFixture(): ApiFixture {
  const f = {} as ApiFixture;
  beforeAll(async () => {
    [f.db, f.env] = await Promise.all([createTestDatabase(), startTemporal()]);
    f.api = await startApi({ prisma: f.db.prisma, temporal: f.env.client });
  }, 120_000);
  afterAll(async () => {
    await f.api?.close();
    await f.env?.teardown();
    await f.db?.drop();
  }, 60_000);
  return f;
}
