// The API against a running worker. The real claimLifecycle is not written yet, so a test double with the
// same name, query and updates stands in: what is proven here is the HTTP mapping, not the process.
import { fileURLToPath } from 'node:url';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PATIENT_IDS, PROVIDER_IDS } from '../infra/seed';
import { TASK_QUEUE, workflowIdForClaim } from '../workflows/contract';
import { createTestDatabase, startApi, startTemporal, type TestApi, type TestDatabase } from './testSupport';

let db: TestDatabase;
let env: TestWorkflowEnvironment;
let api: TestApi;
let worker: Worker;
let running: Promise<void>;

beforeAll(async () => {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  [db, env] = await Promise.all([createTestDatabase(), startTemporal()]);
  api = await startApi({ prisma: db.prisma, temporal: env.client, temporalTimeouts: { queryMs: 5_000 } });
  worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: TASK_QUEUE,
    workflowsPath: fileURLToPath(new URL('./testdata/stubClaimLifecycle.ts', import.meta.url)),
  });
  running = worker.run();
}, 180_000);

afterAll(async () => {
  worker?.shutdown();
  await running;
  await api?.close();
  await env?.teardown();
  await db?.drop();
}, 60_000);

async function claimWithCodeReviewTask(): Promise<{ claimId: string; taskId: string }> {
  const res = await api.request('POST', '/api/claims', {
    body: {
      patientId: PATIENT_IDS[2],
      providerId: PROVIDER_IDS.familyMedicine,
      dateOfService: '2026-11-12',
      placeOfService: '11',
      documentation: 'Reflux symptoms persist despite PPI; hyperlipidemia controlled.',
      lines: [{ procedureCode: '99213', units: 1, chargeCents: 14_500, diagnosisPointers: [1, 2] }],
    },
  });
  expect(res.status).toBe(201);
  const claimId: string = res.body.id;
  const taskId = `task-${claimId}`;
  await db.prisma.task.create({
    data: {
      id: taskId,
      claimId,
      workflowId: workflowIdForClaim(claimId),
      queue: 'CODER',
      kind: 'CODE_REVIEW',
      priority: 50,
      dueAt: new Date(Date.now() + 86_400_000),
      context: {},
    },
  });
  return { claimId, taskId };
}

describe('with a worker running the claim workflow', () => {
  it("GET /api/claims/:id includes the workflow's own status view", async () => {
    const { claimId } = await claimWithCodeReviewTask();
    const res = await api.request('GET', `/api/claims/${claimId}`);
    expect(res.status).toBe(200);
    expect(res.body.workflow).toMatchObject({ claimId, state: 'CODING', balanceCents: 14_500, openTasks: [] });
  });

  it("completing a task returns the update's result and audits it; the API leaves the Task row to the workflow", async () => {
    const { claimId, taskId } = await claimWithCodeReviewTask();
    const res = await api.request('POST', `/api/tasks/${taskId}/complete`, {
      user: 'coder-1',
      body: { outcome: { action: 'CONFIRM_CODES', diagnoses: ['K21.9', 'E78.5'], note: 'confirmed from the note' } },
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ taskId, action: 'CONFIRM_CODES', state: 'SCRUBBING' });
    expect((await db.prisma.task.findUniqueOrThrow({ where: { id: taskId } })).status).toBe('OPEN');
    const audit = await db.prisma.auditEvent.findFirstOrThrow({ where: { action: 'task.complete', entityId: taskId } });
    expect(audit).toMatchObject({ actor: 'coder-1', claimId });
    expect(JSON.stringify(audit.detail)).not.toContain('confirmed from the note');
  });

  it("a refusal by the workflow's validator is 409 TASK_COMPLETION_REJECTED with the validator's reason", async () => {
    const { taskId } = await claimWithCodeReviewTask();
    const refused = await api.request('POST', `/api/tasks/${taskId}/complete`, { body: { outcome: { action: 'CONFIRM_CODES' } }, user: 'coder-1' });
    expect(refused.status).toBe(409);
    expect(refused.body.error).toEqual({ code: 'TASK_COMPLETION_REJECTED', message: 'confirming codes needs at least one diagnosis' });

    const ok = { outcome: { action: 'CONFIRM_CODES', diagnoses: ['K21.9'] } };
    expect((await api.request('POST', `/api/tasks/${taskId}/complete`, { body: ok, user: 'coder-1' })).status).toBe(200);
    const stale = await api.request('POST', `/api/tasks/${taskId}/complete`, { body: ok, user: 'coder-1' });
    expect(stale.status).toBe(409);
    expect(stale.body.error.message).toBe('this task was already completed');
  });

  it('voids a claim through the workflow, and maps a second void to 409 VOID_REJECTED', async () => {
    const { claimId } = await claimWithCodeReviewTask();
    const voided = await api.request('POST', `/api/claims/${claimId}/void`, { body: { reason: 'duplicate of an earlier claim' } });
    expect(voided.status).toBe(200);
    expect(voided.body).toEqual({ claimId, state: 'VOIDED' });
    const again = await api.request('POST', `/api/claims/${claimId}/void`, { body: { reason: 'again' } });
    expect(again.status).toBe(409);
    expect(again.body.error).toEqual({ code: 'VOID_REJECTED', message: 'the claim is already voided' });
  });
});
