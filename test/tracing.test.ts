// OpenTelemetry tracing on the real stack (time-skipping Temporal, PostgreSQL, the worker bundling the workflow
// code with the tracing interceptors, the API over HTTP), spans kept in memory: one claim creation is one trace,
// from the HTTP request through the workflow start into the workflow and its activities.
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PAYER_IDS, USER_IDS } from '../app/seed';
import { loadConfig } from '../infra/config';
import { otlpTracesUrl, startTracing, tracingWanted, type Tracing } from '../infra/tracing';
import { startHarness, type Harness } from './harness';

const exporter = new InMemorySpanExporter();
let tracing: Tracing;
let h: Harness;

beforeAll(async () => {
  tracing = startTracing(loadConfig(), { spanProcessor: new SimpleSpanProcessor(exporter) })!;
  h = await startHarness({ timeSkipping: true, tracing });
}, 240_000);

afterAll(async () => {
  await h?.shutdown();
  await tracing?.shutdown();
});

async function spansUntil(done: (spans: ReadableSpan[]) => boolean, timeoutMs = 20_000): Promise<ReadableSpan[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const spans = exporter.getFinishedSpans();
    if (done(spans) || Date.now() > deadline) return spans;
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('tracing', () => {
  it('is off unless the OTEL_* variables ask for it', () => {
    const base = {
      otelServiceName: 'claimflow',
      otelSdkDisabled: false,
      otelTracesExporter: undefined,
      otelEndpoint: undefined,
      otelTracesEndpoint: undefined,
    };
    expect(tracingWanted(base)).toBe(false);
    expect(tracingWanted({ ...base, otelEndpoint: 'http://collector:4318' })).toBe(true);
    expect(tracingWanted({ ...base, otelTracesEndpoint: 'http://collector:4318/v1/traces' })).toBe(true);
    expect(tracingWanted({ ...base, otelTracesExporter: 'console' })).toBe(true);
    expect(tracingWanted({ ...base, otelTracesExporter: 'none', otelEndpoint: 'http://collector:4318' })).toBe(false);
    expect(tracingWanted({ ...base, otelSdkDisabled: true, otelTracesExporter: 'otlp' })).toBe(false);
    // where OTLP spans go, as the spec has it
    expect(otlpTracesUrl(base)).toBe('http://localhost:4318/v1/traces');
    expect(otlpTracesUrl({ ...base, otelEndpoint: 'https://collector.example:4318/' })).toBe('https://collector.example:4318/v1/traces');
    expect(otlpTracesUrl({ ...base, otelEndpoint: 'http://a:4318', otelTracesEndpoint: 'http://b:4318/traces' })).toBe(
      'http://b:4318/traces',
    );
  });

  it('follows a claim creation from the HTTP request through the workflow start into the workflow and its activities, as one trace', async () => {
    const patient = await h.api(
      'POST',
      '/api/patients',
      {
        firstName: 'Ottoline',
        lastName: 'Bramblewick',
        birthDate: '1962-11-02',
        sex: 'F',
        addressLine: '7 Sorrel Row',
        city: 'Ashbury',
        state: 'OR',
        postalCode: '97405',
        coverages: [{ payerId: PAYER_IDS.medicare, memberId: '3JK8T27XQ41' }],
      },
      USER_IDS.biller1,
    );
    expect(patient.status).toBe(201);
    exporter.reset();
    const claimId = await h.createClaim({ patientId: patient.body.id, documentation: 'Ottoline Bramblewick: dizziness on standing.' });
    await h.waitForTask(claimId, 'CODE_REVIEW');

    // A workflow-side span leaves the sandbox at the end of the activation that finished it.
    const spans = await spansUntil((all) => ['RunActivity:openTask', 'StartActivity:openTask'].every((n) => all.some((s) => s.name === n)));
    const http = spans.find((s) => s.name === 'POST /api/claims');
    expect(http, spans.map((s) => s.name).join(', ')).toBeDefined();
    const traceId = http!.spanContext().traceId;
    const inTrace = spans.filter((s) => s.spanContext().traceId === traceId);
    const names = inTrace.map((s) => s.name);

    // the API's request, the client's workflow start under it ...
    expect(http!.kind).toBe(1); // SERVER
    expect(http!.attributes).toMatchObject({
      'http.request.method': 'POST',
      'http.route': '/api/claims',
      'http.response.status_code': 201,
    });
    const start = inTrace.find((s) => s.name === 'StartWorkflow:claimLifecycle');
    expect(start, names.join(', ')).toBeDefined();
    expect(start!.parentSpanId).toBe(http!.spanContext().spanId);
    // ... the workflow's activity starts (exported from the sandbox through the sink) and the activities run by the worker
    const activityStarts = inTrace.filter((s) => s.name.startsWith('StartActivity:'));
    const activityRuns = inTrace.filter((s) => s.name.startsWith('RunActivity:'));
    expect(
      activityStarts.map((s) => s.name),
      names.join(', '),
    ).toContain('StartActivity:openTask');
    expect(activityRuns.map((s) => s.name)).toEqual(expect.arrayContaining(['RunActivity:suggestCodes', 'RunActivity:openTask']));
    for (const run of activityRuns) {
      expect(
        activityStarts.map((s) => s.spanContext().spanId),
        run.name,
      ).toContain(run.parentSpanId);
    }
    // every workflow-side span descends from the one workflow run, whose parent is the workflow start
    const runIds = new Set(activityStarts.map((s) => s.parentSpanId));
    expect(runIds.size).toBe(1);

    // no PHI in what the spans carry
    const carried = JSON.stringify(inTrace.map((s) => ({ name: s.name, attributes: s.attributes, events: s.events })));
    for (const value of ['Ottoline', 'Bramblewick', '1962-11-02', '3JK8T27XQ41', 'Sorrel', 'dizziness']) {
      expect(carried, value).not.toContain(value);
    }
  });
});
