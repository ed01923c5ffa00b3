// GET /metrics on the listener of its own that the main job gives it (CLAIMFLOW_METRICS_ADDRESS), after real
// traffic through the API (time-skipping Temporal, PostgreSQL, the worker): the metric names, their labels
// (route patterns, never URLs) and no PHI, although the traffic carried a patient's details everywhere it could.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PAYER_IDS, USER_IDS } from '../../app/seed';
import { loadConfig } from '../../infra/config';
import { startHarness, type Harness } from '../../test/harness';
import { metricsApp } from './metrics';

const PATIENT = {
  firstName: 'Zebulon',
  lastName: 'Quillfeather',
  birthDate: '1951-07-23',
  sex: 'M',
  addressLine: '48 Wrenfield Court',
  city: 'Ashbury',
  state: 'OR',
  postalCode: '97405',
  coverages: [{ payerId: PAYER_IDS.medicare, memberId: '7QW4Z81KP62' }],
};
const NOTE = 'Zebulon Quillfeather reports intermittent palpitations since March.';

let h: Harness;
let server: Server;
let metricsUrl: string;
const ids: string[] = [];

beforeAll(async () => {
  h = await startHarness({ timeSkipping: true, defaultMetrics: true });
  server = await new Promise<Server>((resolve) => {
    const s = metricsApp(h.metrics).listen(0, '127.0.0.1', () => resolve(s));
  });
  metricsUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((r) => server?.close(r));
  await h?.shutdown();
});

const scrape = async () => {
  const res = await fetch(`${metricsUrl}/metrics`, { signal: AbortSignal.timeout(10_000) });
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
};

/** The value of the one sample named `name` whose labels include every one of `labels`. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  const line = text
    .split('\n')
    .find((l) => l.startsWith(`${name}{`) && Object.entries(labels).every(([k, v]) => l.includes(`${k}="${v}"`)));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe('GET /metrics', () => {
  it("is not served on the API's port, whoever asks: it has a listener of its own, on loopback unless configured", async () => {
    for (const headers of [{}, { 'x-user-id': USER_IDS.admin }, { 'x-user-id': USER_IDS.supervisor }] as Record<string, string>[]) {
      const res = await fetch(`${h.apiUrl}/metrics`, { headers });
      const text = await res.text();
      expect(res.status).toBe(404);
      expect(text).not.toContain('claimflow_');
    }
    // the default: loopback only (README "Operations": expose it to Prometheus alone)
    const saved = process.env.CLAIMFLOW_METRICS_ADDRESS;
    delete process.env.CLAIMFLOW_METRICS_ADDRESS;
    try {
      expect(loadConfig().metricsAddress).toEqual({ host: '127.0.0.1', port: 9465 });
    } finally {
      if (saved !== undefined) process.env.CLAIMFLOW_METRICS_ADDRESS = saved;
    }
    // and the metrics listener serves that one route only
    expect((await fetch(`${metricsUrl}/`)).status).toBe(404);
    expect((await fetch(`${metricsUrl}/metrics`, { method: 'POST' })).status).toBe(404);
  });

  it('shows latency per route pattern, queue depth and age, inbound messages and Node metrics, and no PHI', async () => {
    // A patient and a claim full of PHI, a coder's work, the clearinghouse's answers, and requests that put the
    // patient's name where a careless label would pick it up (the path, the query).
    const created = await h.api('POST', '/api/patients', PATIENT, USER_IDS.biller1);
    expect(created.status).toBe(201);
    const patientId = created.body.id as string;
    const claimId = await h.createClaim({ patientId, documentation: NOTE });
    ids.push(patientId, claimId);
    expect((await h.api('GET', `/api/claims/${claimId}`)).status).toBe(200);
    expect((await h.api('GET', `/api/patients/${patientId}?name=${PATIENT.lastName}`)).status).toBe(200);
    expect((await h.api('GET', `/api/claims/${PATIENT.lastName}-${PATIENT.coverages[0].memberId}`)).status).toBe(404);
    expect((await h.api('GET', `/api/${PATIENT.firstName}/${PATIENT.birthDate}`)).status).toBe(404);

    const review = await h.waitForTask(claimId, 'CODE_REVIEW');
    ids.push(review.id);
    const waiting = await scrape();
    expect(sample(waiting.text, 'claimflow_queue_tasks', { queue: 'CODER', status: 'open' })).toBeGreaterThanOrEqual(1);
    expect(sample(waiting.text, 'claimflow_queue_oldest_open_task_age_seconds', { queue: 'CODER' })).toBeGreaterThanOrEqual(0);
    expect(sample(waiting.text, 'claimflow_queue_tasks', { queue: 'SUPERVISOR', status: 'open' })).toBe(0);

    await h.forceScenario(claimId, 'PAY_IN_FULL');
    const done = await h.completeTask(review.id, { action: 'CONFIRM_CODES', diagnoses: ['E11.9', 'I10'] }, USER_IDS.coder1);
    expect(done.status).toBe(200);
    await h.waitForState(claimId, 'SUBMITTED');
    const ack = { ackId: `ack-${claimId}`, claimId, attempt: 1, accepted: true };
    expect((await h.api('POST', '/api/inbound/acknowledgements', ack)).body).toMatchObject({ duplicate: false });
    expect((await h.api('POST', '/api/inbound/acknowledgements', ack)).body).toMatchObject({ duplicate: true });
    expect((await h.api('POST', '/api/inbound/acknowledgements', { ...ack, ackId: 'ack-2', claimId: 'CLMNOSUCH' })).status).toBe(422);
    const x12 = await fetch(`${h.apiUrl}/api/inbound/x12`, {
      method: 'POST',
      headers: { 'content-type': 'application/edi-x12', 'x-user-id': 'clearinghouse-simulator' },
      body: `ISA*00*BROKEN~NM1*QC*1*${PATIENT.lastName}*${PATIENT.firstName}~`,
    });
    expect(x12.status).toBe(400);

    const { status, type, text } = await scrape();
    expect(status).toBe(200);
    expect(type).toMatch(/^text\/plain; version=0\.0\.4/);
    for (const name of [
      'claimflow_http_request_duration_seconds',
      'claimflow_inbound_messages_total',
      'claimflow_queue_tasks',
      'claimflow_queue_oldest_open_task_age_seconds',
      'process_cpu_user_seconds_total',
      'process_resident_memory_bytes',
      'nodejs_eventloop_lag_seconds',
    ]) {
      expect(text, name).toContain(`# TYPE ${name} `);
    }
    // request latency by method, route pattern and status class
    const requests = (method: string, route: string, statusClass: string) =>
      sample(text, 'claimflow_http_request_duration_seconds_count', { method, route, status_class: statusClass });
    expect(requests('POST', '/api/patients', '2xx')).toBe(1);
    expect(requests('POST', '/api/claims', '2xx')).toBeGreaterThanOrEqual(1);
    expect(requests('GET', '/api/claims/:id', '2xx')).toBe(1);
    expect(requests('GET', '/api/claims/:id', '4xx')).toBe(1);
    expect(requests('GET', '/api/patients/:id', '2xx')).toBe(1);
    expect(requests('POST', '/api/tasks/:id/complete', '2xx')).toBe(1);
    expect(requests('POST', '/api/inbound/acknowledgements', '2xx')).toBe(2);
    expect(requests('GET', 'unmatched', '4xx')).toBeGreaterThanOrEqual(1);
    // every route label is a pattern: no id, no name
    const routes = new Set([...text.matchAll(/route="([^"]*)"/g)].map((m) => m[1]));
    for (const route of routes) expect(route, route).toMatch(/^(\/[a-z0-9-]*|\/:[A-Za-z]+)+$|^unmatched$|^static$/);

    // what the clearinghouse sent, by kind and outcome
    const inbound = (kind: string, outcome: string) => sample(text, 'claimflow_inbound_messages_total', { kind, outcome });
    expect(inbound('acknowledgement', 'accepted')).toBe(1);
    expect(inbound('acknowledgement', 'duplicate')).toBe(1);
    expect(inbound('acknowledgement', 'refused')).toBe(1);
    expect(inbound('x12-file', 'refused')).toBe(1);

    // no PHI, and no id either
    const phi = [
      PATIENT.firstName,
      PATIENT.lastName,
      PATIENT.birthDate,
      PATIENT.birthDate.replaceAll('-', ''),
      PATIENT.addressLine,
      PATIENT.coverages[0].memberId,
      'palpitations',
      'E11.9',
      ...ids,
    ];
    for (const value of phi) expect(text, value).not.toContain(value);
  });
});
