// The API against the real claimLifecycle workflow on a worker with its real activities (test/harness.ts):
// how the workflow's query, Update results and validator refusals come back over HTTP.
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Prisma, type PrismaClient } from '../../generated/prisma/client';
import { PATIENT_IDS, PROVIDER_IDS, USER_IDS } from '../../app/seed';
import { startHarness, type Harness } from '../../test/harness';
import { workflowIdForClaim } from '../../workflows/contract';
import { createApp } from '../app';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ timeSkipping: false });
});
afterAll(async () => {
  await h?.shutdown();
});

async function claimWithCodeReviewTask(): Promise<{ claimId: string; taskId: string }> {
  const claimId = await h.createClaim({
    patientId: PATIENT_IDS[2],
    providerId: PROVIDER_IDS.familyMedicine,
    documentation: 'Reflux symptoms persist despite PPI; hyperlipidemia controlled.',
    lines: [{ procedureCode: '99213', units: 1, chargeCents: 14_500, diagnosisPointers: [1, 2] }],
  });
  const task = await h.waitForTask(claimId, 'CODE_REVIEW');
  return { claimId, taskId: task.id };
}

describe('the API and the claim workflow', () => {
  it("GET /api/claims/:id includes the workflow's own status view", async () => {
    const { claimId, taskId } = await claimWithCodeReviewTask();
    const res = await h.api('GET', `/api/claims/${claimId}`);
    expect(res.status).toBe(200);
    expect(res.body.workflow).toMatchObject({ claimId, state: 'CODING', balanceCents: 14_500 });
    expect(res.body.workflow.openTasks).toEqual([expect.objectContaining({ taskId, kind: 'CODE_REVIEW', queue: 'CODER' })]);
  });

  it("completing a task returns the update's result; the workflow closes the Task row, the API audits the call", async () => {
    const { claimId, taskId } = await claimWithCodeReviewTask();
    const res = await h.api(
      'POST',
      `/api/tasks/${taskId}/complete`,
      { outcome: { action: 'CONFIRM_CODES', diagnoses: ['K21.9', 'E78.5'], note: 'confirmed from the note' } },
      USER_IDS.coder1,
    );
    expect(res.status).toBe(200);
    // the claim's state when the Update answered: the workflow may already have moved on to scrubbing
    expect(res.body).toEqual({ taskId, action: 'CONFIRM_CODES', state: expect.stringMatching(/^(CODING|SCRUBBING)$/) });
    // written by the workflow's closeTask activity before the Update answered
    expect(await h.db.prisma.task.findUniqueOrThrow({ where: { id: taskId } })).toMatchObject({
      status: 'DONE',
      doneById: USER_IDS.coder1,
    });
    const audit = await h.db.prisma.auditEvent.findFirstOrThrow({ where: { action: 'task.complete', entityId: taskId } });
    expect(audit).toMatchObject({ actor: USER_IDS.coder1, claimId });
    expect(JSON.stringify(audit.detail)).not.toContain('confirmed from the note');
    await h.waitForState(claimId, 'SUBMITTED');
  });

  it('a completion applied by the workflow answers 200 even when the database goes away before the API audits it', async () => {
    const { claimId, taskId } = await claimWithCodeReviewTask();
    // The same API on a database handle whose audit inserts fail as if the server had just become unreachable.
    const unreachable = () =>
      new Prisma.PrismaClientKnownRequestError("Can't reach database server", { code: 'P1001', clientVersion: 'test' });
    const prisma = new Proxy(h.db.prisma, {
      get(target, prop) {
        const value = Reflect.get(target, prop, target);
        if (prop === 'auditEvent') {
          return new Proxy(value, { get: (d, p) => (p === 'create' ? () => Promise.reject(unreachable()) : Reflect.get(d, p, d)) });
        }
        return typeof value === 'function' ? value.bind(target) : value;
      },
    }) as PrismaClient;
    const logged: { msg: string; fields?: object }[] = [];
    const app = createApp({ prisma, temporal: h.client, config: h.config, log: (msg, fields) => logged.push({ msg, fields }) });
    const server = await new Promise<import('node:http').Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    try {
      const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/api/tasks/${taskId}/complete`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-user-id': USER_IDS.coder1 },
        body: JSON.stringify({ outcome: { action: 'CONFIRM_CODES', diagnoses: ['K21.9', 'E78.5'], note: 'reviewed with Dr. Okafor' } }),
      });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ taskId, action: 'CONFIRM_CODES', state: expect.stringMatching(/^(CODING|SCRUBBING)$/) });
    } finally {
      await new Promise((r) => server.close(r));
    }
    // Who completed it is on record all the same: the workflow's own row, written before the Update answered.
    expect(await h.db.prisma.auditEvent.count({ where: { action: 'task.complete', entityId: taskId } })).toBe(0);
    expect(await h.db.prisma.auditEvent.findFirstOrThrow({ where: { action: 'task.completed', entityId: taskId } })).toMatchObject({
      actor: USER_IDS.coder1,
      claimId,
      detail: { kind: 'CODE_REVIEW', action: 'CONFIRM_CODES' },
    });
    expect(logged).toEqual([expect.objectContaining({ fields: { taskId } })]);
    expect(JSON.stringify(logged)).not.toContain('Okafor');
    await h.waitForState(claimId, 'SUBMITTED');
  });

  it("a refusal by the workflow's validator is 409 TASK_COMPLETION_REJECTED with the validator's reason", async () => {
    const { taskId } = await claimWithCodeReviewTask();
    const refused = await h.api('POST', `/api/tasks/${taskId}/complete`, { outcome: { action: 'CONFIRM_CODES' } }, USER_IDS.coder1);
    expect(refused.status).toBe(409);
    expect(refused.body.error).toEqual({ code: 'TASK_COMPLETION_REJECTED', message: 'confirming codes needs the diagnoses' });
    expect((await h.db.prisma.task.findUniqueOrThrow({ where: { id: taskId } })).status).toBe('OPEN');

    const ok = { outcome: { action: 'CONFIRM_CODES', diagnoses: ['K21.9', 'E78.5'] } };
    expect((await h.api('POST', `/api/tasks/${taskId}/complete`, ok, USER_IDS.coder1)).status).toBe(200);
    const stale = await h.api(
      'POST',
      `/api/tasks/${taskId}/complete`,
      { outcome: { ...ok.outcome, note: 'a second thought' } },
      USER_IDS.coder1,
    );
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('TASK_NOT_OPEN');
  });

  it('a completion sent again (a lost answer, a double click) gets the first answer; the workflow applies it once', async () => {
    const { claimId, taskId } = await claimWithCodeReviewTask();
    const body = { outcome: { action: 'CONFIRM_CODES', diagnoses: ['K21.9', 'E78.5'], note: 'confirmed' } };
    const [first, doubleClick] = await Promise.all([1, 2].map(() => h.api('POST', `/api/tasks/${taskId}/complete`, body, USER_IDS.coder1)));
    expect([first.status, doubleClick.status]).toEqual([200, 200]);
    expect(first.body).toMatchObject({ taskId, action: 'CONFIRM_CODES' });
    expect(doubleClick.body, 'the double click').toEqual(first.body);
    await h.waitForState(claimId, 'SUBMITTED');
    // after the claim has moved on, the retry still gets the answer the completion had
    const retry = await h.api('POST', `/api/tasks/${taskId}/complete`, body, USER_IDS.coder1);
    expect(retry.status).toBe(200);
    expect(retry.body, 'the retry').toEqual(first.body);
    // another user sending the same outcome is not a retry
    const other = await h.api('POST', `/api/tasks/${taskId}/complete`, body, USER_IDS.coder2);
    expect(other.status).toBe(409);
    expect(other.body.error).toEqual({ code: 'TASK_NOT_OPEN', message: 'the task is done' });
    const completed = await h.db.prisma.auditEvent.findMany({ where: { action: 'task.completed', entityId: taskId } });
    expect(completed).toHaveLength(1);
    // the API audits each answer; one sent for a task already done says so (the double click may or may not be)
    const answered = await h.db.prisma.auditEvent.findMany({
      where: { action: 'task.complete', entityId: taskId },
      orderBy: { id: 'asc' },
    });
    expect(answered).toHaveLength(3);
    expect(answered.map((a) => (a.detail as { repeated?: boolean }).repeated ?? false)).toEqual([false, expect.any(Boolean), true]);
    const claim = await h.db.prisma.claim.findUniqueOrThrow({ where: { id: claimId }, include: { submissions: true } });
    expect(claim.submissions).toHaveLength(1);
    // once the claim's workflow has ended, the ended run still answers the same completion; anything else is done
    await h.client.workflow.getHandle(workflowIdForClaim(claimId)).terminate('test: the claim workflow has ended');
    const ended = await h.api('POST', `/api/tasks/${taskId}/complete`, body, USER_IDS.coder1);
    expect(ended.status).toBe(200);
    expect(ended.body).toEqual(first.body);
    const changed = await h.api(
      'POST',
      `/api/tasks/${taskId}/complete`,
      { outcome: { ...body.outcome, note: 'changed' } },
      USER_IDS.coder1,
    );
    expect(changed.status).toBe(409);
    expect(changed.body.error).toEqual({ code: 'TASK_NOT_OPEN', message: 'the task is done' });
  });

  it('voids a claim through the workflow, answering once it is VOIDED, and refuses a second void with 409', async () => {
    const { claimId, taskId } = await claimWithCodeReviewTask();
    const voided = await h.api('POST', `/api/claims/${claimId}/void`, { reason: 'duplicate of an earlier claim' });
    expect(voided.status).toBe(200);
    expect(voided.body).toEqual({ claimId, state: 'VOIDED' });
    expect((await h.db.prisma.task.findUniqueOrThrow({ where: { id: taskId } })).status).toBe('CANCELLED');
    const again = await h.api('POST', `/api/claims/${claimId}/void`, { reason: 'again' });
    expect(again.status).toBe(409);
    // refused by the validator while the workflow is finishing, or because it has ended: either way a 409
    const refusal = again.body.error;
    if (refusal.code === 'VOID_REJECTED') expect(refusal.message).toBe('the claim is already voided');
    else expect(refusal.code).toBe('WORKFLOW_NOT_RUNNING');
  });
});
