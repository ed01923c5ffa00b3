// Helpers for tests that drive the simulator over real HTTP: a started simulator, a claimflow-shaped inbound
// receiver, and a valid claim to submit. Test-only; nothing in the service imports it.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { ClaimSubmission } from '../domain/clearinghouse';
import { createSimulator, type RunningSimulator, type Simulator, type SimulatorOptions } from './server';

export const quiet = () => undefined;

/** The simulator's token in tests (SIMULATOR_TOKEN); the helpers below send it. */
export const SIM_TOKEN = 'test-simulator-token-0123456789';
export const simAuth = { authorization: `Bearer ${SIM_TOKEN}` } as const;
/** What the simulator presents to the stand-in receiver below, as claimflow's CLAIMFLOW_INBOUND_TOKEN. */
export const INBOUND_TOKEN = 'test-inbound-token-0123456789';

export interface StartedSimulator {
  simulator: Simulator;
  running: RunningSimulator;
  url: string;
  post: <T = any>(path: string, body: unknown) => Promise<{ status: number; body: T }>;
  get: <T = any>(path: string) => Promise<{ status: number; body: T }>;
}

export async function startSimulator(opts: Partial<SimulatorOptions> = {}): Promise<StartedSimulator> {
  // These helpers test the delivery machinery over the JSON contract; x12.test.ts asks for X12 explicitly.
  const simulator = createSimulator({
    token: SIM_TOKEN,
    inboundToken: INBOUND_TOKEN,
    delivery: 'manual',
    log: quiet,
    outboundFormat: 'json',
    ...opts,
  });
  const running = await simulator.start(0, '127.0.0.1');
  const url = running.url;
  return {
    simulator,
    running,
    url,
    post: (path, body) => requestJson(`${url}${path}`, { method: 'POST', body: JSON.stringify(body) }),
    get: (path) => requestJson(`${url}${path}`, { method: 'GET' }),
  };
}

async function requestJson<T>(url: string, init: RequestInit): Promise<{ status: number; body: T }> {
  const response = await fetch(url, { ...init, headers: { 'content-type': 'application/json', ...simAuth } });
  return { status: response.status, body: (await response.json()) as T };
}

export interface ReceivedMessage {
  path: string;
  /** parsed JSON, or the text of an X12 file */
  body: any;
  idempotencyKey?: string;
}

/** A stand-in for claimflow's inbound API: records what arrives and answers with queued statuses (default 200). */
export interface Receiver {
  url: string;
  received: ReceivedMessage[];
  answerNext(...statuses: number[]): void;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const received: ReceivedMessage[] = [];
  const answers: number[] = [];
  const app = express();
  // As claimflow does: the sender's token first, then the body.
  app.use((req, res, next) => {
    if (req.get('authorization') === `Bearer ${INBOUND_TOKEN}`) return next();
    res.status(401).json({ error: { code: 'UNAUTHENTICATED', message: 'no sender token' } });
  });
  app.use(express.json({ limit: '10mb' }));
  // X12 deliveries (/api/inbound/x12) arrive as text.
  app.use(express.text({ type: ['application/edi-x12'], limit: '50mb' }));
  app.post('/api/inbound/:kind', (req, res) => {
    const status = answers.shift() ?? 200;
    if (status < 300) received.push({ path: req.path, body: req.body, idempotencyKey: req.get('idempotency-key') });
    res.status(status).json(status < 300 ? { ok: true } : { error: { code: 'TEST', message: 'refused by the test' } });
  });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    answerNext: (...statuses) => answers.push(...statuses),
    close: () =>
      new Promise((done) => {
        server.close(() => done());
        server.closeAllConnections();
      }),
  };
}

/** A valid professional claim; `overrides` change any field. Codes only, no real patient data. */
export function claimSubmission(claimId: string, attempt = 1, overrides: Partial<ClaimSubmission> = {}): ClaimSubmission {
  const lines = overrides.lines ?? [
    { lineNo: 1, procedureCode: '99214', modifiers: ['25'], units: 1, chargeCents: 18_500, diagnosisPointers: [1, 2] },
    { lineNo: 2, procedureCode: '36415', modifiers: [], units: 1, chargeCents: 2_500, diagnosisPointers: [1] },
    { lineNo: 3, procedureCode: '85025', modifiers: [], units: 1, chargeCents: 4_200, diagnosisPointers: [2] },
  ];
  return {
    idempotencyKey: `${claimId}:${attempt}`,
    claimId,
    attempt,
    frequencyCode: '1',
    payerElectronicId: 'SIMPAYER1',
    billingProviderNpi: '1234567893',
    dateOfService: '2026-10-01',
    totalChargeCents: lines.reduce((s, l) => s + l.chargeCents, 0),
    diagnoses: ['E11.9', 'I10'],
    lines,
    interchangeControlNumber: 1000 + attempt,
    ...overrides,
  };
}

export async function eventually<T>(probe: () => T | undefined | false, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
