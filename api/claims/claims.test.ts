import { Client, Connection } from '@temporalio/client';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { coverageIdFor, PATIENT_IDS, PAYER_IDS, PROVIDER_IDS } from '../../app/seed';
import { TASK_QUEUE, workflowIdForClaim, type ClaimLifecycleInput } from '../../workflows/contract';
import { patientResponse } from '../patients/schemas';
import { startApi, useApiFixture } from '../testSupport';
import { claimCountsResponse, claimDetailResponse, claimListResponse, createdClaimResponse } from './schemas';

const f = useApiFixture();

// pat-01 is a Medicare patient with a Unity Mutual secondary (see app/seed.ts).
const claimBody = () => ({
  patientId: PATIENT_IDS[0],
  providerId: PROVIDER_IDS.familyMedicine,
  dateOfService: '2026-11-02',
  placeOfService: '11',
  documentation: 'Follow-up for type 2 diabetes mellitus without complications; hypertension stable.',
  lines: [
    { procedureCode: '99214', units: 1, chargeCents: 21_000, diagnosisPointers: [1, 2] },
    { procedureCode: '36415', units: 1, chargeCents: 2_500, diagnosisPointers: [1] },
    { procedureCode: '80053', modifiers: ['QW'], units: 1, chargeCents: 6_800, diagnosisPointers: [1, 2] },
  ],
  diagnoses: ['E11.9', 'I10'],
});

async function countRows() {
  return {
    claims: await f.db.prisma.claim.count(),
    encounters: await f.db.prisma.encounter.count(),
    lines: await f.db.prisma.claimLine.count(),
  };
}

describe('POST /api/claims refuses a bad body with 400 naming the field, and writes nothing', () => {
  const cases: [string, (b: any) => unknown, string][] = [
    ['missing lines', (b) => ({ ...b, lines: undefined }), 'lines'],
    ['no lines at all', (b) => ({ ...b, lines: [] }), 'lines'],
    ['non-integer cents', (b) => ({ ...b, lines: [{ ...b.lines[0], chargeCents: 210.5 }] }), 'lines[0].chargeCents'],
    ['negative cents', (b) => ({ ...b, lines: [b.lines[0], { ...b.lines[1], chargeCents: -1 }] }), 'lines[1].chargeCents'],
    ['cents as a string', (b) => ({ ...b, lines: [{ ...b.lines[0], chargeCents: '21000' }] }), 'lines[0].chargeCents'],
    ['a date that does not exist', (b) => ({ ...b, dateOfService: '2026-02-30' }), 'dateOfService'],
    ['a date in another format', (b) => ({ ...b, dateOfService: '11/02/2026' }), 'dateOfService'],
    [
      'five diagnosis pointers',
      (b) => ({ ...b, lines: [{ ...b.lines[0], diagnosisPointers: [1, 2, 3, 4, 5] }] }),
      'lines[0].diagnosisPointers',
    ],
    [
      'a pointer past 12',
      (b) => ({ ...b, diagnoses: undefined, lines: [{ ...b.lines[0], diagnosisPointers: [13] }] }),
      'lines[0].diagnosisPointers[0]',
    ],
    [
      'a pointer past the listed diagnoses',
      (b) => ({ ...b, lines: [{ ...b.lines[0], diagnosisPointers: [1, 3] }] }),
      'lines[0].diagnosisPointers[1]',
    ],
    ['five modifiers', (b) => ({ ...b, lines: [{ ...b.lines[0], modifiers: ['25', '59', 'LT', 'RT', 'QW'] }] }), 'lines[0].modifiers'],
    ['zero units', (b) => ({ ...b, lines: [{ ...b.lines[0], units: 0 }] }), 'lines[0].units'],
    ['51 lines', (b) => ({ ...b, lines: Array.from({ length: 51 }, () => b.lines[1]) }), 'lines'],
    ['13 diagnoses', (b) => ({ ...b, diagnoses: Array.from({ length: 13 }, (_, i) => `R${10 + i}.0`) }), 'diagnoses'],
    ['a malformed ICD-10-CM code', (b) => ({ ...b, diagnoses: ['E11.9', 'I-10'] }), 'diagnoses[1]'],
    ['a 3-digit place of service', (b) => ({ ...b, placeOfService: '011' }), 'placeOfService'],
    ['an unknown key', (b) => ({ ...b, chargecents: 5 }), 'chargecents'],
  ];
  it.each(cases)('%s', async (_name, mutate, field) => {
    const before = await countRows();
    const res = await f.api.request('POST', '/api/claims', { body: mutate(claimBody()) });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'VALIDATION_FAILED', field });
    expect(await countRows()).toEqual(before);
  });
});

describe('POST /api/claims', () => {
  it('writes encounter, claim, lines, diagnoses and audit in one go, and starts the workflow', async () => {
    const res = await f.api.request('POST', '/api/claims', { body: claimBody(), user: 'biller-2' });
    expect(res.status).toBe(201);
    const claimId: string = res.body.id;
    expect(claimId).toMatch(/^CF[0-9A-Z]{10}$/);
    expect(res.headers.get('location')).toBe(`/api/claims/${claimId}`);
    expect(res.body).toMatchObject({
      state: 'CODING',
      payerId: PAYER_IDS.medicare,
      coverageId: coverageIdFor(0, 'PRIMARY'),
      dateOfService: '2026-11-02',
      totalChargeCents: 30_300,
      balanceCents: 30_300,
      workflowId: workflowIdForClaim(claimId),
    });
    // Parsing strips what the schema does not name, so equality also says the answer has nothing more.
    expect(createdClaimResponse.parse(res.body)).toEqual(res.body);
    expect(res.body.lines.map((l: { lineNo: number; procedureCode: string }) => [l.lineNo, l.procedureCode])).toEqual([
      [1, '99214'],
      [2, '36415'],
      [3, '80053'],
    ]);
    expect(res.body.lines[2].modifiers).toEqual(['QW']);
    expect(res.body.diagnoses).toEqual([
      { seq: 1, code: 'E11.9', suggested: false },
      { seq: 2, code: 'I10', suggested: false },
    ]);

    const encounter = await f.db.prisma.encounter.findUniqueOrThrow({ where: { id: res.body.encounterId } });
    expect(encounter.dateOfService.toISOString()).toBe('2026-11-02T00:00:00.000Z');
    const audit = await f.db.prisma.auditEvent.findMany({ where: { claimId } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor: 'biller-2', action: 'claim.create', entity: 'claim', entityId: claimId });
    expect(JSON.stringify(audit[0].detail)).not.toMatch(/diabetes|E11/);

    const handle = f.env.client.workflow.getHandle(workflowIdForClaim(claimId));
    const description = await handle.describe();
    expect(description.type).toBe('claimLifecycle');
    expect(description.taskQueue).toBe(TASK_QUEUE);
    expect(description.status.name).toBe('RUNNING');
    const history = await handle.fetchHistory();
    const started = history.events?.[0].workflowExecutionStartedEventAttributes;
    const input = defaultPayloadConverter.fromPayload(started!.input!.payloads![0] as Payload) as ClaimLifecycleInput;
    expect(input).toEqual({
      claimId,
      payer: {
        payerId: PAYER_IDS.medicare,
        electronicPayerId: 'DMC01',
        followUpIntervalDays: 30,
        maxFollowUps: 3,
        timelyFilingDays: 365,
        appealWindowDays: 120,
        appealLevels: 2,
      },
      dateOfService: '2026-11-02',
      totalChargeCents: 30_300,
      options: { dayMs: 1_000, writeOffApprovalThresholdCents: 10_000 },
    });
  });

  it('bills the coverage it is given, and accepts a claim whose diagnoses the coder adds later', async () => {
    const body = { ...claimBody(), coverageId: coverageIdFor(0, 'SECONDARY'), diagnoses: undefined };
    const res = await f.api.request('POST', '/api/claims', { body });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ payerId: PAYER_IDS.unity, coverageId: coverageIdFor(0, 'SECONDARY'), diagnoses: [] });
  });

  it('names the reference that does not exist with 422', async () => {
    const unknownPatient = await f.api.request('POST', '/api/claims', { body: { ...claimBody(), patientId: 'nobody' } });
    expect(unknownPatient.status).toBe(422);
    expect(unknownPatient.body.error.field).toBe('patientId');
    const otherPatientsCoverage = await f.api.request('POST', '/api/claims', {
      body: { ...claimBody(), coverageId: coverageIdFor(1, 'PRIMARY') },
    });
    expect(otherPatientsCoverage.status).toBe(422);
    expect(otherPatientsCoverage.body.error.field).toBe('coverageId');
    const unknownProvider = await f.api.request('POST', '/api/claims', { body: { ...claimBody(), providerId: 'dr-nobody' } });
    expect(unknownProvider.body.error.field).toBe('providerId');
  });

  it('returns the first claim for a repeated Idempotency-Key and starts nothing new', async () => {
    const headers = { 'Idempotency-Key': 'ehr-visit-7781' };
    const first = await f.api.request('POST', '/api/claims', { body: claimBody(), headers });
    expect(first.status).toBe(201);
    const before = await countRows();
    const handle = f.env.client.workflow.getHandle(workflowIdForClaim(first.body.id));
    const runBefore = (await handle.describe()).runId;

    const again = await f.api.request('POST', '/api/claims', { body: claimBody(), headers });
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body.id).toBe(first.body.id);
    expect(await countRows()).toEqual(before);
    expect((await handle.describe()).runId).toBe(runBefore);
    expect(await f.db.prisma.auditEvent.count({ where: { claimId: first.body.id, action: 'claim.create' } })).toBe(1);
  });

  it('refuses an Idempotency-Key reused for a different claim', async () => {
    const headers = { 'Idempotency-Key': 'ehr-visit-9001' };
    expect((await f.api.request('POST', '/api/claims', { body: claimBody(), headers })).status).toBe(201);
    const other = await f.api.request('POST', '/api/claims', { body: { ...claimBody(), dateOfService: '2026-11-03' }, headers });
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('keeps the claim and answers 503 when Temporal cannot be reached', async () => {
    const unreachable = new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) });
    const offline = await startApi({ prisma: f.db.prisma, temporal: unreachable, temporalTimeouts: { callMs: 1_000 } });
    try {
      const res = await offline.request('POST', '/api/claims', { body: claimBody(), headers: { 'Idempotency-Key': 'offline-1' } });
      expect(res.status).toBe(503);
      expect(res.body.error.code).toBe('TEMPORAL_UNAVAILABLE');
      const claimId = res.headers.get('location')!.split('/').pop()!;
      expect(await f.db.prisma.claim.findUnique({ where: { id: claimId } })).not.toBeNull();
      expect(offline.logs.some((l) => l.msg === 'temporal call failed')).toBe(true);

      // The client's retry with the same key, once Temporal is back, starts the workflow.
      const retry = await f.api.request('POST', '/api/claims', { body: claimBody(), headers: { 'Idempotency-Key': 'offline-1' } });
      expect(retry.status).toBe(201);
      expect(retry.body.id).toBe(claimId);
      expect((await f.env.client.workflow.getHandle(workflowIdForClaim(claimId)).describe()).status.name).toBe('RUNNING');
    } finally {
      await offline.close();
    }
  }, 30_000);
});

describe('reading claims', () => {
  it('GET /api/claims/:id answers from the read model with workflow null when no worker answers, and audits the read', async () => {
    const created = await f.api.request('POST', '/api/claims', { body: claimBody() });
    const claimId = created.body.id;
    await f.db.prisma.auditEvent.create({
      data: {
        actor: 'workflow',
        action: 'claim.transition',
        entity: 'claim',
        entityId: claimId,
        claimId,
        detail: { from: 'CODING', to: 'SCRUBBING' },
      },
    });
    const res = await f.api.request('GET', `/api/claims/${claimId}`, { user: 'supervisor-1' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: claimId, workflow: null, submissions: [], payments: [], appeals: [], tasks: [] });
    expect(res.body.history).toEqual([{ at: expect.any(String), actor: 'workflow', detail: { from: 'CODING', to: 'SCRUBBING' } }]);
    expect(claimDetailResponse.parse(res.body)).toEqual(res.body);
    // the patient the claim page shows beside it
    const patient = await f.api.request('GET', `/api/patients/${res.body.patientId}`, { user: 'supervisor-1' });
    expect(patient.status).toBe(200);
    expect(patientResponse.parse(patient.body)).toEqual(patient.body);
    const reads = await f.db.prisma.auditEvent.findMany({ where: { claimId, action: 'claim.read' } });
    expect(reads.map((r) => r.actor)).toEqual(['supervisor-1']);
  });

  it('GET /api/claims/:id answers 404 for an unknown claim', async () => {
    expect((await f.api.request('GET', '/api/claims/CF0000000000')).status).toBe(404);
  });

  it('lists claims oldest in state first, pages by cursor, and filters by state, payer and age', async () => {
    // Age some claims so the order is known: stateEnteredAt decides it, then the id.
    const all = await f.db.prisma.claim.findMany({ select: { id: true } });
    const base = Date.parse('2026-01-01T00:00:00Z');
    for (const [i, c] of all.entries()) {
      await f.db.prisma.claim.update({
        where: { id: c.id },
        data: { stateEnteredAt: new Date(base + Math.floor(i / 2) * 60_000), state: i % 3 === 0 ? 'SUBMITTED' : 'CODING' },
      });
    }
    const expected = (await f.db.prisma.claim.findMany({ orderBy: [{ stateEnteredAt: 'asc' }, { id: 'asc' }] })).map((c) => c.id);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { status: number; body: any } = await f.api.request('GET', `/api/claims?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      expect(claimListResponse.parse(page.body)).toEqual(page.body);
      seen.push(...page.body.items.map((c: { id: string }) => c.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(expected);

    const submitted = await f.api.request('GET', '/api/claims?state=SUBMITTED');
    expect(submitted.body.items.every((c: { state: string }) => c.state === 'SUBMITTED')).toBe(true);
    expect(submitted.body.items).toHaveLength(all.filter((_, i) => i % 3 === 0).length);

    const unity = await f.api.request('GET', `/api/claims?payerId=${PAYER_IDS.unity}`);
    expect(unity.body.items.map((c: { payerId: string }) => c.payerId)).toEqual([PAYER_IDS.unity]);

    await f.db.prisma.claim.update({ where: { id: expected[0] }, data: { stateEnteredAt: new Date() } });
    const old = await f.api.request('GET', '/api/claims?olderThanDays=5&limit=200');
    expect(old.body.items.map((c: { id: string }) => c.id)).not.toContain(expected[0]);
    expect(old.body.items).toHaveLength(expected.length - 1);
  });

  it('refuses bad list parameters naming them', async () => {
    expect((await f.api.request('GET', '/api/claims?limit=201')).body.error.field).toBe('limit');
    expect((await f.api.request('GET', '/api/claims?state=LOST')).body.error.field).toBe('state');
    expect((await f.api.request('GET', '/api/claims?cursor=garbage')).body.error.field).toBe('cursor');
    expect((await f.api.request('GET', '/api/claims?state=CODING&state=PAID')).body.error.field).toBe('state');
  });

  it('counts claims per state', async () => {
    const res = await f.api.request('GET', '/api/claims/summary');
    expect(res.status).toBe(200);
    const total = await f.db.prisma.claim.count();
    expect(res.body.total).toBe(total);
    expect(res.body.counts.CODING + res.body.counts.SUBMITTED).toBe(total);
    expect(res.body.counts.PAID).toBe(0);
    expect(claimCountsResponse.parse(res.body)).toEqual(res.body);
  });
});

describe('POST /api/claims/:id/void', () => {
  it('answers 404 for an unknown claim and 400 without a reason', async () => {
    expect((await f.api.request('POST', '/api/claims/CF0000000000/void', { body: { reason: 'duplicate' } })).status).toBe(404);
    const claim = await f.db.prisma.claim.findFirstOrThrow();
    const res = await f.api.request('POST', `/api/claims/${claim.id}/void`, { body: {} });
    expect(res.status).toBe(400);
    expect(res.body.error.field).toBe('reason');
  });
});
