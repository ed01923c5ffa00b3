import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TaskQueue, TaskStatus } from '../../generated/prisma/client';
import { ORGANIZATION_IDS, PATIENT_IDS, PAYER_IDS, PROVIDER_IDS } from '../../app/seed';
import { workflowIdForClaim } from '../../workflows/contract';
import { queuePageResponse } from '../queues/schemas';
import { createTestDatabase, startApi, startTemporal, type TestApi, type TestDatabase } from '../testSupport';
import { taskWithNotesResponse } from './schemas';

let db: TestDatabase;
let env: TestWorkflowEnvironment;
let api: TestApi;
let medicareClaim: string;
let bluePeakClaim: string;

async function newClaim(patientIndex: number): Promise<string> {
  const res = await api.request('POST', '/api/claims', {
    body: {
      patientId: PATIENT_IDS[patientIndex],
      providerId: PROVIDER_IDS.generalPractice,
      dateOfService: '2026-11-10',
      placeOfService: '11',
      documentation: 'Low back pain after lifting, no red flags.',
      lines: [{ procedureCode: '99213', units: 1, chargeCents: 14_500, diagnosisPointers: [1] }],
      diagnoses: ['M54.50'],
    },
  });
  expect(res.status).toBe(201);
  return res.body.id;
}

const HOUR = 3_600_000;
const now = Date.now();

/** Task rows as the workflow's activity would write them. */
async function task(
  id: string,
  fields: { claimId?: string; queue?: TaskQueue; kind?: string; status?: TaskStatus; priority: number; dueInHours: number },
) {
  const claimId = fields.claimId ?? medicareClaim;
  await db.prisma.task.create({
    data: {
      id,
      claimId,
      organizationId: ORGANIZATION_IDS.riverbend,
      workflowId: workflowIdForClaim(claimId),
      queue: fields.queue ?? 'CODER',
      kind: fields.kind ?? 'CODE_REVIEW',
      status: fields.status ?? 'OPEN',
      priority: fields.priority,
      dueAt: new Date(now + fields.dueInHours * HOUR),
      context: { reason: 'codes to confirm' },
    },
  });
}

beforeAll(async () => {
  [db, env] = await Promise.all([createTestDatabase(), startTemporal()]);
  api = await startApi({ prisma: db.prisma, temporal: env.client });
  medicareClaim = await newClaim(0); // pat-01: Medicare
  bluePeakClaim = await newClaim(1); // pat-02: Blue Peak
  await task('t-low-late', { priority: 10, dueInHours: 48 });
  await task('t-high-overdue', { priority: 90, dueInHours: -2 });
  await task('t-high-soon', { priority: 90, dueInHours: 4, status: 'CLAIMED' });
  await task('t-mid-a', { priority: 50, dueInHours: 24, claimId: bluePeakClaim });
  await task('t-mid-b', { priority: 50, dueInHours: 24 });
  await task('t-mid-c', { priority: 50, dueInHours: 24, kind: 'SCRUB_FIX_CODING' });
  await task('t-done', { priority: 99, dueInHours: 1, status: 'DONE' });
  await task('t-cancelled', { priority: 99, dueInHours: 1, status: 'CANCELLED' });
  await task('t-biller', { priority: 99, dueInHours: 1, queue: 'BILLER', kind: 'FOLLOW_UP' });
}, 120_000);

afterAll(async () => {
  await api?.close();
  await env?.teardown();
  await db?.drop();
}, 60_000);

describe('GET /api/queues/:queue/tasks', () => {
  it('lists open and claimed work by priority, then due date, then id', async () => {
    const res = await api.request('GET', '/api/queues/CODER/tasks', { user: 'coder-1' });
    expect(res.status).toBe(200);
    expect(res.body.items.map((t: { id: string }) => t.id)).toEqual([
      't-high-overdue',
      't-high-soon',
      't-mid-a',
      't-mid-b',
      't-mid-c',
      't-low-late',
    ]);
    expect(res.body.nextCursor).toBeNull();
    expect(res.body.items[0]).toMatchObject({
      claimId: medicareClaim,
      kind: 'CODE_REVIEW',
      priority: 90,
      overdue: true,
      assigneeId: null,
      context: { reason: 'codes to confirm' },
    });
    expect(res.body.items[1].overdue).toBe(false);
    // Parsing strips what the schema does not name, so equality also says the answer has nothing more.
    expect(queuePageResponse.parse(res.body)).toEqual(res.body);
  });

  it('pages with a cursor without skipping or repeating a task', async () => {
    const ids: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: { body: any } = await api.request('GET', `/api/queues/CODER/tasks?limit=4${cursor ? `&cursor=${cursor}` : ''}`, {
        user: 'coder-1',
      });
      ids.push(...res.body.items.map((t: { id: string }) => t.id));
      cursor = res.body.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(2);
    expect(ids).toEqual(['t-high-overdue', 't-high-soon', 't-mid-a', 't-mid-b', 't-mid-c', 't-low-late']);
  });

  it('filters by status, kind and payer', async () => {
    const ids = async (query: string) =>
      (await api.request('GET', `/api/queues/CODER/tasks?${query}`, { user: 'coder-1' })).body.items.map((t: { id: string }) => t.id);
    expect(await ids('status=DONE,CANCELLED')).toEqual(['t-cancelled', 't-done']);
    expect(await ids('status=OPEN')).not.toContain('t-high-soon');
    expect(await ids('kind=SCRUB_FIX_CODING')).toEqual(['t-mid-c']);
    expect(await ids(`payerId=${PAYER_IDS.bluePeak}`)).toEqual(['t-mid-a']);
    expect(await ids('')).not.toContain('t-biller');
  });

  it('refuses an unknown queue, status or kind naming it', async () => {
    expect((await api.request('GET', '/api/queues/JANITOR/tasks')).body.error.field).toBe('queue');
    expect((await api.request('GET', '/api/queues/CODER/tasks?status=OPEN,LOST')).body.error.field).toBe('status[1]');
    expect((await api.request('GET', '/api/queues/CODER/tasks?kind=NAP')).body.error.field).toBe('kind');
  });
});

describe('GET /api/tasks/:id', () => {
  it('answers the task and audits the read against its claim', async () => {
    const res = await api.request('GET', '/api/tasks/t-mid-a', { user: 'coder-2' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: 't-mid-a', claimId: bluePeakClaim, queue: 'CODER', status: 'OPEN' });
    expect(taskWithNotesResponse.parse(res.body)).toEqual(res.body);
    expect(
      await db.prisma.auditEvent.count({ where: { action: 'task.read', entityId: 't-mid-a', actor: 'coder-2', claimId: bluePeakClaim } }),
    ).toBe(1);
    expect((await api.request('GET', '/api/tasks/nope')).status).toBe(404);
  });
});

describe('POST /api/tasks/:id/complete', () => {
  const confirm = { outcome: { action: 'CONFIRM_CODES', diagnoses: ['M54.50'] } };

  it('answers 404 for an unknown task', async () => {
    const res = await api.request('POST', '/api/tasks/nope/complete', { body: confirm, user: 'coder-1' });
    expect(res.status).toBe(404);
  });

  it('answers 409 TASK_NOT_OPEN for a done or cancelled task, changing nothing', async () => {
    for (const id of ['t-done', 't-cancelled']) {
      const res = await api.request('POST', `/api/tasks/${id}/complete`, { body: confirm, user: 'coder-1' });
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe('TASK_NOT_OPEN');
    }
    expect((await db.prisma.task.findUniqueOrThrow({ where: { id: 't-done' } })).doneById).toBeNull();
  });

  it('answers 503 WORKFLOW_UNAVAILABLE when no worker runs the update in time, changing nothing', async () => {
    const impatient = await startApi({ prisma: db.prisma, temporal: env.client, temporalTimeouts: { updateMs: 1_000 } });
    try {
      const res = await impatient.request('POST', '/api/tasks/t-mid-b/complete', { body: confirm, user: 'coder-1' });
      expect(res.status).toBe(503);
      expect(res.body.error.code).toBe('WORKFLOW_UNAVAILABLE');
    } finally {
      await impatient.close();
    }
    expect((await db.prisma.task.findUniqueOrThrow({ where: { id: 't-mid-b' } })).status).toBe('OPEN');
    expect(await db.prisma.auditEvent.count({ where: { action: 'task.complete', entityId: 't-mid-b' } })).toBe(0);
  });

  it('answers 400 naming the field of a malformed outcome', async () => {
    const cases: [unknown, string][] = [
      [{}, 'outcome'],
      [{ outcome: { action: 'SHRUG' } }, 'outcome.action'],
      [{ outcome: { action: 'CONFIRM_CODES', diagnoses: ['not a code'] } }, 'outcome.diagnoses[0]'],
      [
        { outcome: { action: 'CONFIRM_CODES', lines: [{ procedureCode: '99213', units: 1, chargeCents: 1.5, diagnosisPointers: [1] }] } },
        'outcome.lines[0].chargeCents',
      ],
    ];
    for (const [body, field] of cases) {
      const res = await api.request('POST', '/api/tasks/t-mid-b/complete', { body, user: 'coder-1' });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.field).toBe(field);
    }
    expect((await db.prisma.task.findUniqueOrThrow({ where: { id: 't-mid-b' } })).status).toBe('OPEN');
  });
});
