// Work queues against real PostgreSQL and Temporal. Getting, claiming, releasing, reassigning, ranking and
// filtering never reach a workflow: for them task rows are written directly, as the workflow's activity writes
// them, and no worker runs. Completing a task is the claim workflow's business: those tests work tasks that the
// real claimLifecycle workflow opened (test/harness.ts: worker, activities, simulator, time-skipping server).
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Prisma, TaskQueue, TaskStatus } from '../../generated/prisma/client';
import { ORGANIZATION_IDS, PATIENT_IDS, PAYER_IDS, PROVIDER_IDS, USER_IDS } from '../../app/seed';

const RIVERBEND = [ORGANIZATION_IDS.riverbend];
import { startHarness, type Harness } from '../../test/harness';
import { TASK_KINDS, workflowIdForClaim, type ClaimLifecycleInput, type ClaimState, type TaskOutcome } from '../../workflows/contract';
import { taskListResponse, taskNoteResponse, taskResponse } from '../tasks/schemas';
import { createTestDatabase, startApi, startTemporal, testConfig, type TestApi, type TestDatabase } from '../testSupport';
import { nextTaskResponse, routingRule, routingRuleListResponse } from './schemas';

const DAY = 86_400_000;
let db: TestDatabase;
let env: TestWorkflowEnvironment;
let api: TestApi;
let medicareClaim: string; // payer group MEDICARE, balance $145.00
let bluePeakClaim: string; // payer group COMMERCIAL, balance $420.00

async function newClaim(patientIndex: number, chargeCents: number): Promise<string> {
  const res = await api.request('POST', '/api/claims', {
    user: 'biller-1',
    body: {
      patientId: PATIENT_IDS[patientIndex],
      providerId: PROVIDER_IDS.generalPractice,
      dateOfService: '2026-11-10',
      placeOfService: '11',
      documentation: 'Low back pain after lifting, no red flags.',
      lines: [{ procedureCode: '99213', units: 1, chargeCents, diagnosisPointers: [1] }],
      diagnoses: ['M54.50'],
    },
  });
  expect(res.status).toBe(201);
  return res.body.id;
}

interface TaskSpec {
  id: string;
  claimId?: string;
  queue?: TaskQueue;
  kind?: string;
  status?: TaskStatus;
  priority?: number;
  dueAt?: Date;
  createdAt?: Date;
  assigneeId?: string;
  context?: Prisma.InputJsonObject;
}

/** Task rows as the workflow's activity writes them. */
async function tasks(...specs: TaskSpec[]): Promise<void> {
  await db.prisma.task.createMany({
    data: specs.map((s) => {
      const claimId = s.claimId ?? medicareClaim;
      return {
        id: s.id,
        claimId,
        organizationId: ORGANIZATION_IDS.riverbend,
        workflowId: workflowIdForClaim(claimId),
        queue: s.queue ?? 'CODER',
        kind: s.kind ?? 'CODE_REVIEW',
        status: s.status ?? 'OPEN',
        priority: s.priority ?? 50,
        dueAt: s.dueAt ?? new Date(Date.now() + DAY),
        createdAt: s.createdAt,
        assigneeId: s.assigneeId,
        claimedAt: s.assigneeId ? new Date() : undefined,
        context: s.context ?? { balanceCents: 14_500 },
      };
    }),
  });
}

/** Nothing workable left from earlier tests: each test sees only its own tasks. */
async function emptyQueues(): Promise<void> {
  await db.prisma.task.updateMany({ where: { status: { in: ['OPEN', 'CLAIMED'] } }, data: { status: 'CANCELLED' } });
}

const ids = (items: { id: string }[]) => items.map((t) => t.id);
const range = <T>(n: number, f: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => f(i));

beforeAll(async () => {
  [db, env] = await Promise.all([createTestDatabase(), startTemporal()]);
  api = await startApi({ prisma: db.prisma, temporal: env.client, temporalTimeouts: { queryMs: 5_000 } });
  medicareClaim = await newClaim(0, 14_500);
  bluePeakClaim = await newClaim(1, 42_000);
  await db.prisma.user.createMany({
    data: [
      ...range(20, (i) => `load-coder-${i}`).map((id) => ({ id, name: 'Load Coder', role: 'CODER' as const, organizationIds: RIVERBEND })),
      { id: 'auditor-1', name: 'Audit Coder', role: 'CODER', skills: ['chart-audit'], organizationIds: RIVERBEND },
      { id: 'medicare-biller', name: 'Medicare Biller', role: 'BILLER', payerGroups: ['MEDICARE'], organizationIds: RIVERBEND },
    ],
  });
}, 180_000);

afterAll(async () => {
  await api?.close();
  await env?.teardown();
  await db?.drop();
}, 60_000);

describe('POST /api/queues/:queue/next', () => {
  beforeEach(emptyQueues);

  it('20 parallel calls on 20 open tasks hand out 20 different tasks, each claimed by its caller', async () => {
    await tasks(...range(20, (i) => ({ id: `n20-${i}`, priority: 40 + (i % 3) })));
    const users = range(20, (i) => `load-coder-${i}`);
    const answers = await Promise.all(users.map((user) => api.request('POST', '/api/queues/CODER/next', { user })));
    expect(answers.map((a) => a.status)).toEqual(users.map(() => 200));
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(20);
    const rows = await db.prisma.task.findMany({ where: { id: { startsWith: 'n20-' } } });
    expect(rows.every((r) => r.status === 'CLAIMED' && r.claimedAt)).toBe(true);
    for (const [i, a] of answers.entries()) {
      expect(a.body).toMatchObject({ status: 'CLAIMED', assigneeId: users[i] });
      // Parsing strips what the schema does not name, so equality also says the answer has nothing more.
      expect(nextTaskResponse.parse(a.body)).toEqual(a.body);
      expect(rows.find((r) => r.id === a.body.id)?.assigneeId).toBe(users[i]);
    }
    expect(await db.prisma.auditEvent.count({ where: { action: 'task.claim', entityId: { startsWith: 'n20-' } } })).toBe(20);
  });

  it('on 5 open tasks, 5 of 20 parallel callers get one and 15 hear QUEUE_EMPTY', async () => {
    await tasks(...range(5, (i) => ({ id: `n5-${i}` })));
    const answers = await Promise.all(
      range(20, (i) => `load-coder-${i}`).map((user) => api.request('POST', '/api/queues/CODER/next', { user })),
    );
    const got = answers.filter((a) => a.status === 200);
    const empty = answers.filter((a) => a.status === 404);
    expect(got).toHaveLength(5);
    expect(new Set(got.map((a) => a.body.id))).toEqual(new Set(range(5, (i) => `n5-${i}`)));
    expect(empty).toHaveLength(15);
    for (const a of empty) {
      expect(a.body).toEqual({ error: { code: 'QUEUE_EMPTY', message: 'the CODER queue has no open task you may take' } });
    }
  });

  it('hands out the highest priority first, then the earliest due, and never a claimed task', async () => {
    const now = Date.now();
    await tasks(
      { id: 'order-low', priority: 10, dueAt: new Date(now - DAY) },
      { id: 'order-high-late', priority: 80, dueAt: new Date(now + 2 * DAY) },
      { id: 'order-high-soon', priority: 80, dueAt: new Date(now + DAY) },
      { id: 'order-top-claimed', priority: 99, assigneeId: 'coder-2', status: 'CLAIMED' },
    );
    const got = [];
    for (let i = 0; i < 4; i++) got.push(await api.request('POST', '/api/queues/CODER/next', { user: 'coder-1' }));
    expect(got.map((r) => r.body.id ?? r.body.error.code)).toEqual(['order-high-soon', 'order-high-late', 'order-low', 'QUEUE_EMPTY']);
  });

  it("takes only from queues the caller's role works: a biller asking the CODER queue is refused", async () => {
    await tasks({ id: 'role-coder-task' });
    const res = await api.request('POST', '/api/queues/CODER/next', { user: 'biller-1' });
    expect(res.status).toBe(403);
    expect((await api.request('POST', '/api/queues/SUPERVISOR/next', { user: 'coder-1' })).status).toBe(403);
    expect((await api.request('POST', '/api/queues/JANITOR/next', { user: 'coder-1' })).body.error.field).toBe('queue');
    // supervisors may work any queue
    expect((await api.request('POST', '/api/queues/CODER/next', { user: 'supervisor-1' })).body.id).toBe('role-coder-task');
  });

  it('passes over tasks whose routing rule needs a skill the caller lacks, or a payer group not theirs', async () => {
    await api.request('PUT', '/api/routing-rules/CHART_AUDIT/*', { user: 'supervisor-1', body: { requiredSkill: 'chart-audit' } });
    try {
      await tasks({ id: 'skill-audit', kind: 'CHART_AUDIT', priority: 90 }, { id: 'skill-review', kind: 'CODE_REVIEW', priority: 10 });
      expect((await api.request('POST', '/api/queues/CODER/next', { user: 'coder-1' })).body.id).toBe('skill-review');
      expect((await api.request('POST', '/api/queues/CODER/next', { user: 'coder-2' })).body.error.code).toBe('QUEUE_EMPTY');
      expect((await api.request('POST', '/api/queues/CODER/next', { user: 'auditor-1' })).body.id).toBe('skill-audit');

      await tasks(
        { id: 'group-commercial', queue: 'BILLER', kind: 'FOLLOW_UP', priority: 90, claimId: bluePeakClaim },
        { id: 'group-medicare', queue: 'BILLER', kind: 'FOLLOW_UP', priority: 10, claimId: medicareClaim },
      );
      expect((await api.request('POST', '/api/queues/BILLER/next', { user: 'medicare-biller' })).body.id).toBe('group-medicare');
      expect((await api.request('POST', '/api/queues/BILLER/next', { user: 'medicare-biller' })).body.error.code).toBe('QUEUE_EMPTY');
    } finally {
      await api.request('PUT', '/api/routing-rules/CHART_AUDIT/*', { user: 'supervisor-1', body: { requiredSkill: null } });
    }
  });

  it('a rule for a payer group overrides the rule for every payer', async () => {
    const put = await api.request('PUT', '/api/routing-rules/FOLLOW_UP/MEDICARE', {
      user: 'supervisor-1',
      body: { requiredSkill: 'medicare-follow-up' },
    });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({
      kind: 'FOLLOW_UP',
      payerGroup: 'MEDICARE',
      queue: 'BILLER',
      requiredSkill: 'medicare-follow-up',
      slaDays: 3,
    });
    try {
      await tasks(
        { id: 'pg-medicare', queue: 'BILLER', kind: 'FOLLOW_UP', priority: 90, claimId: medicareClaim },
        { id: 'pg-commercial', queue: 'BILLER', kind: 'FOLLOW_UP', priority: 10, claimId: bluePeakClaim },
      );
      expect((await api.request('POST', '/api/queues/BILLER/next', { user: 'biller-2' })).body.id).toBe('pg-commercial');
      const claim = await api.request('POST', '/api/tasks/pg-medicare/claim', { user: 'biller-2' });
      expect(claim.status).toBe(403);
      expect(claim.body.error).toEqual({
        code: 'NOT_ELIGIBLE',
        message: 'FOLLOW_UP tasks for MEDICARE payers need the skill "medicare-follow-up"',
      });
    } finally {
      expect((await api.request('DELETE', '/api/routing-rules/FOLLOW_UP/MEDICARE', { user: 'supervisor-1' })).status).toBe(204);
    }
  });
});

describe('routing rules', () => {
  it('start as one rule per task kind with the workflow queue and default SLA, and only supervisors change them', async () => {
    const res = await api.request('GET', '/api/routing-rules', { user: 'coder-1' });
    expect(res.status).toBe(200);
    expect(res.body.items).toHaveLength(Object.keys(TASK_KINDS).length);
    expect(routingRuleListResponse.parse(res.body)).toEqual(res.body);
    expect(res.body.items.find((r: { kind: string }) => r.kind === 'DENIAL_REVIEW')).toMatchObject({
      payerGroup: '*',
      queue: 'BILLER',
      requiredSkill: null,
      slaDays: 5,
    });
    expect((await api.request('PUT', '/api/routing-rules/DENIAL_REVIEW/*', { user: 'biller-1', body: { slaDays: 9 } })).status).toBe(403);
    expect((await api.request('PUT', '/api/routing-rules/NAP/*', { user: 'supervisor-1', body: { slaDays: 9 } })).body.error.field).toBe(
      'kind',
    );
    expect((await api.request('DELETE', '/api/routing-rules/DENIAL_REVIEW/*', { user: 'supervisor-1' })).status).toBe(422);
  });

  it("a rule's SLA reaches the workflow of claims started after the change, when it differs from the default", async () => {
    const put = await api.request('PUT', '/api/routing-rules/CODE_REVIEW/COMMERCIAL', { user: 'supervisor-1', body: { slaDays: 4 } });
    expect(put.status).toBe(200);
    expect(routingRule.parse(put.body)).toEqual(put.body);
    try {
      const claimId = await newClaim(1, 9_000);
      const history = await env.client.workflow.getHandle(workflowIdForClaim(claimId)).fetchHistory();
      const started = history.events?.[0].workflowExecutionStartedEventAttributes;
      const input = defaultPayloadConverter.fromPayload(started!.input!.payloads![0] as Payload) as ClaimLifecycleInput;
      expect(input.options?.taskSlaDays).toEqual({ CODE_REVIEW: 4 });
      const audit = await db.prisma.auditEvent.findFirstOrThrow({
        where: { action: 'routingRule.update', entityId: '*/CODE_REVIEW/COMMERCIAL' },
      });
      expect(audit).toMatchObject({ actor: 'supervisor-1', detail: { slaDays: 4, requiredSkill: null } });
    } finally {
      await api.request('DELETE', '/api/routing-rules/CODE_REVIEW/COMMERCIAL', { user: 'supervisor-1' });
    }
  });
});

describe('claim, release, reassign, priority, notes', () => {
  beforeEach(emptyQueues);

  it('claiming: once by one person; again by them is harmless; by anyone else a 409', async () => {
    await tasks({ id: 'c-1' });
    const first = await api.request('POST', '/api/tasks/c-1/claim', { user: 'coder-1' });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ status: 'CLAIMED', assigneeId: 'coder-1', claimedAt: expect.any(String) });
    expect(taskResponse.parse(first.body)).toEqual(first.body);
    expect((await api.request('POST', '/api/tasks/c-1/claim', { user: 'coder-1' })).status).toBe(200);
    const other = await api.request('POST', '/api/tasks/c-1/claim', { user: 'coder-2' });
    expect(other.status).toBe(409);
    expect(other.body.error).toEqual({ code: 'TASK_CLAIMED', message: 'the task is claimed by coder-1' });
    expect((await api.request('POST', '/api/tasks/c-1/claim', { user: 'biller-1' })).status).toBe(403);
    expect((await api.request('POST', '/api/tasks/nope/claim', { user: 'coder-1' })).status).toBe(404);
    expect(await db.prisma.auditEvent.count({ where: { action: 'task.claim', entityId: 'c-1' } })).toBe(1);
  });

  it('parallel claims of one task: exactly one wins', async () => {
    await tasks({ id: 'c-race' });
    const answers = await Promise.all(
      range(10, (i) => `load-coder-${i}`).map((user) => api.request('POST', '/api/tasks/c-race/claim', { user })),
    );
    expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
    expect(answers.filter((a) => a.status === 409)).toHaveLength(9);
  });

  it('releasing: the assignee or a supervisor puts it back; someone else may not', async () => {
    await tasks({ id: 'r-1', status: 'CLAIMED', assigneeId: 'coder-1' }, { id: 'r-2', status: 'CLAIMED', assigneeId: 'coder-1' });
    expect((await api.request('POST', '/api/tasks/r-1/release', { user: 'coder-2' })).body.error.code).toBe('TASK_CLAIMED');
    const mine = await api.request('POST', '/api/tasks/r-1/release', { user: 'coder-1' });
    expect(mine.body).toMatchObject({ status: 'OPEN', assigneeId: null, claimedAt: null });
    expect((await api.request('POST', '/api/tasks/r-2/release', { user: 'supervisor-1' })).body.status).toBe('OPEN');
    const audit = await db.prisma.auditEvent.findMany({ where: { action: 'task.release' }, orderBy: { id: 'asc' } });
    expect(audit.map((a) => [a.entityId, a.actor, (a.detail as { from: string }).from])).toEqual([
      ['r-1', 'coder-1', 'coder-1'],
      ['r-2', 'supervisor-1', 'coder-1'],
    ]);
  });

  it('reassigning is for supervisors, to someone who works the queue', async () => {
    await tasks(
      { id: 'ra-1', status: 'CLAIMED', assigneeId: 'coder-1' },
      { id: 'ra-2' },
      { id: 'ra-3' },
      { id: 'ra-done', status: 'DONE' },
    );
    expect((await api.request('POST', '/api/tasks/ra-1/reassign', { user: 'coder-1', body: { userId: 'coder-2' } })).status).toBe(403);
    const moved = await api.request('POST', '/api/tasks/ra-1/reassign', { user: 'supervisor-1', body: { userId: 'coder-2' } });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ status: 'CLAIMED', assigneeId: 'coder-2' });
    const toBiller = await api.request('POST', '/api/tasks/ra-2/reassign', { user: 'supervisor-1', body: { userId: 'biller-1' } });
    expect(toBiller.status).toBe(422);
    expect(toBiller.body.error.code).toBe('ASSIGNEE_NOT_ELIGIBLE');
    expect((await api.request('POST', '/api/tasks/ra-2/reassign', { user: 'supervisor-1', body: { userId: 'nobody' } })).status).toBe(422);
    expect((await api.request('POST', '/api/tasks/ra-done/reassign', { user: 'supervisor-1', body: { userId: 'coder-2' } })).status).toBe(
      409,
    );
    const audit = await db.prisma.auditEvent.findFirstOrThrow({ where: { action: 'task.reassign', entityId: 'ra-1' } });
    expect(audit).toMatchObject({
      actor: 'supervisor-1',
      claimId: medicareClaim,
      detail: { kind: 'CODE_REVIEW', from: 'coder-1', to: 'coder-2' },
    });
  });

  it('bulk reassignment is all or nothing, naming the entry that failed', async () => {
    await tasks({ id: 'bulk-1' }, { id: 'bulk-2' }, { id: 'bulk-3', status: 'DONE' });
    const refused = await api.request('POST', '/api/tasks/reassign', {
      user: 'supervisor-1',
      body: { taskIds: ['bulk-1', 'bulk-2', 'bulk-x'], userId: 'coder-2' },
    });
    expect(refused.status).toBe(422);
    expect(refused.body.error.field).toBe('taskIds[2]');
    expect(
      (
        await api.request('POST', '/api/tasks/reassign', {
          user: 'supervisor-1',
          body: { taskIds: ['bulk-1', 'bulk-3'], userId: 'coder-2' },
        })
      ).status,
    ).toBe(409);
    expect(await db.prisma.task.count({ where: { id: { in: ['bulk-1', 'bulk-2'] }, status: 'OPEN' } })).toBe(2);
    const done = await api.request('POST', '/api/tasks/reassign', {
      user: 'supervisor-1',
      body: { taskIds: ['bulk-1', 'bulk-2'], userId: 'coder-2' },
    });
    expect(done.status).toBe(200);
    expect(taskListResponse.parse(done.body)).toEqual(done.body);
    expect(done.body.items.map((t: { id: string; assigneeId: string }) => [t.id, t.assigneeId])).toEqual([
      ['bulk-1', 'coder-2'],
      ['bulk-2', 'coder-2'],
    ]);
    expect(
      (await api.request('POST', '/api/tasks/reassign', { user: 'biller-1', body: { taskIds: ['bulk-1'], userId: 'coder-2' } })).status,
    ).toBe(403);
  });

  it("a supervisor's priority override re-ranks the task and says so", async () => {
    await tasks({ id: 'p-1', priority: 30 }, { id: 'p-2', priority: 60 });
    expect((await api.request('PATCH', '/api/tasks/p-1/priority', { user: 'coder-1', body: { priority: 99 } })).status).toBe(403);
    expect(
      (await api.request('PATCH', '/api/tasks/p-1/priority', { user: 'supervisor-1', body: { priority: 101 } })).body.error.field,
    ).toBe('priority');
    const res = await api.request('PATCH', '/api/tasks/p-1/priority', { user: 'supervisor-1', body: { priority: 99 } });
    expect(res.body).toMatchObject({
      priority: 99,
      prioritySetById: 'supervisor-1',
      rank: { priority: 99, reasons: ['set to 99 by supervisor-1'] },
    });
    expect(taskResponse.parse(res.body)).toEqual(res.body);
    const list = await api.request('GET', '/api/queues/CODER/tasks', { user: 'coder-1' });
    expect(ids(list.body.items)).toEqual(['p-1', 'p-2']);
    const audit = await db.prisma.auditEvent.findFirstOrThrow({ where: { action: 'task.priority', entityId: 'p-1' } });
    expect(audit.detail).toEqual({ kind: 'CODE_REVIEW', from: 30, to: 99 });
  });

  it('notes: added by whoever works the queue, read back with the task, audited without their text', async () => {
    await tasks({ id: 'note-1' });
    const note = await api.request('POST', '/api/tasks/note-1/notes', {
      user: 'coder-1',
      body: { body: 'Called Mrs Example about her op report' },
    });
    expect(note.status).toBe(201);
    expect(note.body).toMatchObject({ taskId: 'note-1', authorId: 'coder-1', body: 'Called Mrs Example about her op report' });
    expect(taskNoteResponse.parse(note.body)).toEqual(note.body);
    expect((await api.request('POST', '/api/tasks/note-1/notes', { user: 'biller-1', body: { body: 'x' } })).status).toBe(403);
    expect((await api.request('POST', '/api/tasks/note-1/notes', { user: 'coder-1', body: { body: '' } })).status).toBe(400);
    const task = await api.request('GET', '/api/tasks/note-1', { user: 'coder-2' });
    expect(task.body.notes).toEqual([note.body]);
    const audit = await db.prisma.auditEvent.findFirstOrThrow({ where: { action: 'task.note', entityId: 'note-1' } });
    expect(audit.detail).toEqual({ noteId: note.body.id, length: 38 });
    expect(JSON.stringify(audit.detail)).not.toContain('Example');
  });
});

describe('POST /api/tasks/:id/complete on tasks the claim workflow opened: who may complete what', () => {
  let h: Harness;
  const confirm: TaskOutcome = { action: 'CONFIRM_CODES', diagnoses: ['E11.9', 'I10'] };
  const completions = (taskId: string) =>
    h.db.prisma.auditEvent.findMany({ where: { action: 'task.complete', entityId: taskId }, orderBy: { id: 'asc' } });
  const row = (taskId: string) => h.db.prisma.task.findUniqueOrThrow({ where: { id: taskId } });
  const states = async (claimId: string): Promise<ClaimState[]> => (await h.status(claimId)).history.map((t) => t.state);

  beforeAll(async () => {
    h = await startHarness({ timeSkipping: true });
    await h.db.prisma.user.create({
      data: { id: 'auditor-1', name: 'Audit Coder', role: 'CODER', skills: ['chart-audit'], organizationIds: [ORGANIZATION_IDS.riverbend] },
    });
  }, 180_000);
  afterAll(async () => {
    await h?.shutdown();
  }, 60_000);

  /** A claim coded, submitted and acknowledged, whose payer then denies it under `scenario`. */
  async function deniedClaim(scenario: 'DENY_APPEAL_UPHELD' | 'CODING_DENIAL'): Promise<string> {
    const claimId = await h.createClaim();
    await h.forceScenario(claimId, scenario);
    const review = await h.waitForTask(claimId, 'CODE_REVIEW');
    expect((await h.completeTask(review.id, confirm, USER_IDS.coder1)).status).toBe(200);
    await h.waitForState(claimId, 'SUBMITTED');
    await h.deliver(claimId, 'acknowledgement');
    await h.waitForState(claimId, 'AWAITING_ADJUDICATION');
    await h.deliver(claimId, 'remittance');
    await h.waitForState(claimId, 'DENIED');
    return claimId;
  }

  it('a coder cannot complete a biller task or approve a write-off; a biller cannot complete a coder task', async () => {
    const codedClaim = await h.createClaim();
    const codeReview = await h.waitForTask(codedClaim, 'CODE_REVIEW');
    const billerOnCoder = await h.completeTask(codeReview.id, confirm, USER_IDS.biller1);
    expect(billerOnCoder.status).toBe(403);
    expect(billerOnCoder.body.error.code).toBe('FORBIDDEN');

    const deniedId = await deniedClaim('DENY_APPEAL_UPHELD');
    const denial = await h.waitForTask(deniedId, 'DENIAL_REVIEW');
    expect(denial.queue).toBe('BILLER');
    const coderOnBiller = await h.completeTask(denial.id, { action: 'APPEAL', note: 'x' }, USER_IDS.coder1);
    expect(coderOnBiller.status).toBe(403);
    expect(coderOnBiller.body.error.code).toBe('FORBIDDEN');
    for (const t of [codeReview, denial]) {
      expect(await completions(t.id)).toHaveLength(0);
      expect((await row(t.id)).status).toBe('OPEN');
    }

    // The biller writes the denial off; above the threshold that needs a supervisor's approval.
    const writeOff = await h.completeTask(denial.id, { action: 'WRITE_OFF', note: 'not worth an appeal' }, USER_IDS.biller2);
    expect(writeOff.status, JSON.stringify(writeOff.body)).toBe(200);
    const approval = await h.waitForTask(deniedId, 'WRITE_OFF_APPROVAL');
    expect(approval.queue).toBe('SUPERVISOR');
    expect((await h.completeTask(approval.id, { action: 'APPROVE' }, USER_IDS.coder1)).status).toBe(403);
    expect((await h.completeTask(approval.id, { action: 'APPROVE' }, USER_IDS.biller1)).status).toBe(403);
    expect(await completions(approval.id)).toHaveLength(0);
    expect((await h.completeTask(approval.id, { action: 'APPROVE', note: 'approved' }, USER_IDS.supervisor)).status).toBe(200);
    await h.waitForState(deniedId, 'CLOSED');
    expect((await states(deniedId)).slice(-2)).toEqual(['WRITTEN_OFF', 'CLOSED']);

    expect((await h.completeTask(codeReview.id, confirm, USER_IDS.coder2)).status).toBe(200);
    await h.waitForState(codedClaim, 'SUBMITTED');
    for (const [t, actor] of [
      [codeReview, USER_IDS.coder2],
      [denial, USER_IDS.biller2],
      [approval, USER_IDS.supervisor],
    ] as const) {
      expect((await completions(t.id)).map((a) => a.actor)).toEqual([actor]);
      await expect.poll(async () => (await row(t.id)).status).toBe('DONE');
    }
  });

  it("someone else's claimed task is a 409, unless a supervisor completes it", async () => {
    const [first, second] = [await h.createClaim(), await h.createClaim()];
    const [t1, t2] = [await h.waitForTask(first, 'CODE_REVIEW'), await h.waitForTask(second, 'CODE_REVIEW')];
    for (const t of [t1, t2]) expect((await h.api('POST', `/api/tasks/${t.id}/claim`, undefined, USER_IDS.coder1)).status).toBe(200);
    const other = await h.completeTask(t1.id, confirm, USER_IDS.coder2);
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe('TASK_CLAIMED');
    expect(await states(first)).toEqual(['CODING']);
    expect((await h.completeTask(t1.id, confirm, USER_IDS.coder1)).status).toBe(200);
    expect((await h.completeTask(t2.id, confirm, USER_IDS.supervisor)).status).toBe(200);
    await h.waitForState(first, 'SUBMITTED');
    await h.waitForState(second, 'SUBMITTED');
    expect((await completions(t2.id)).map((a) => a.actor)).toEqual([USER_IDS.supervisor]);
  });

  it('an open task whose rule needs a skill is completed only by someone with it', async () => {
    expect((await h.api('PUT', '/api/routing-rules/CHART_AUDIT/*', { requiredSkill: 'chart-audit' }, USER_IDS.supervisor)).status).toBe(
      200,
    );
    try {
      const claimId = await deniedClaim('CODING_DENIAL');
      const audit = await h.waitForTask(claimId, 'CHART_AUDIT');
      const corrected: TaskOutcome = { action: 'CORRECTED_CLAIM', diagnoses: ['E11.65', 'I10'], note: 'hyperglycemia documented' };
      const refused = await h.completeTask(audit.id, corrected, USER_IDS.coder1);
      expect(refused.status).toBe(403);
      expect(refused.body.error.code).toBe('NOT_ELIGIBLE');
      expect((await row(audit.id)).status).toBe('OPEN');
      expect((await h.completeTask(audit.id, corrected, 'auditor-1')).status).toBe(200);
      await h.waitForState(claimId, 'SUBMITTED');
      expect((await h.status(claimId)).frequencyCode).toBe('7');
    } finally {
      await h.api('PUT', '/api/routing-rules/CHART_AUDIT/*', { requiredSkill: null }, USER_IDS.supervisor);
    }
  });

  it('a stale completion is a 409: the task done meanwhile, or completed twice at once; the workflow acts once; the winner may repeat theirs', async () => {
    const claimId = await h.createClaim();
    const review = await h.waitForTask(claimId, 'CODE_REVIEW');
    // an outcome the workflow refuses leaves the task open
    const wrong = await h.completeTask(review.id, { action: 'APPEAL' } as TaskOutcome, USER_IDS.coder1);
    expect(wrong.status).toBe(409);
    expect(wrong.body.error.code).toBe('TASK_COMPLETION_REJECTED');
    expect((await row(review.id)).status).toBe('OPEN');

    const both = await Promise.all([USER_IDS.coder1, USER_IDS.coder2].map((user) => h.completeTask(review.id, confirm, user)));
    expect(both.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(['TASK_NOT_OPEN', 'TASK_COMPLETION_REJECTED']).toContain(both.find((r) => r.status === 409)!.body.error.code);
    await h.waitForState(claimId, 'SUBMITTED');
    expect((await row(review.id)).status).toBe('DONE');
    const [winner, loser] = both[0].status === 200 ? [USER_IDS.coder1, USER_IDS.coder2] : [USER_IDS.coder2, USER_IDS.coder1];
    const again = await h.completeTask(review.id, confirm, loser);
    expect(again.status).toBe(409);
    expect(again.body.error).toEqual({ code: 'TASK_NOT_OPEN', message: 'the task is done' });
    // the same completion sent again by the one who made it is the same Update: its first answer, nothing redone
    const repeated = await h.completeTask(review.id, confirm, winner);
    expect(repeated.status).toBe(200);
    expect(repeated.body).toEqual(both.find((r) => r.status === 200)!.body);
    expect((await completions(review.id)).map((a) => (a.detail as { repeated?: boolean }).repeated ?? false)).toEqual([false, true]);
    expect((await states(claimId)).filter((s) => s === 'SCRUBBING')).toHaveLength(1);
  });
});

describe('GET /api/queues/:queue/tasks: rank, filters, paging', () => {
  let dayApi: TestApi;
  const now = Date.now();
  const daysAgo = (n: number) => new Date(now - n * DAY);

  beforeAll(async () => {
    // Real days, so that "overdue by 2 days" means days.
    dayApi = await startApi({ prisma: db.prisma, temporal: env.client, config: { ...testConfig(), dayMs: DAY } });
  });
  afterAll(() => dayApi?.close());

  beforeEach(async () => {
    await emptyQueues();
    await db.prisma.task.deleteMany({ where: { id: { startsWith: 'f-' } } });
    await tasks(
      {
        id: 'f-denial',
        queue: 'BILLER',
        kind: 'DENIAL_REVIEW',
        priority: 90,
        claimId: bluePeakClaim,
        dueAt: daysAgo(2.5),
        createdAt: daysAgo(10),
        context: { balanceCents: 25_000, appealDeadline: new Date(now + 5 * DAY + 3_600_000).toISOString() },
      },
      {
        id: 'f-follow-mine',
        queue: 'BILLER',
        kind: 'FOLLOW_UP',
        priority: 60,
        status: 'CLAIMED',
        assigneeId: 'biller-1',
        createdAt: daysAgo(3),
      },
      {
        id: 'f-follow-other',
        queue: 'BILLER',
        kind: 'FOLLOW_UP',
        priority: 60,
        status: 'CLAIMED',
        assigneeId: 'biller-2',
        createdAt: daysAgo(1),
        claimId: bluePeakClaim,
      },
      {
        id: 'f-rejection',
        queue: 'BILLER',
        kind: 'FIX_REJECTION',
        priority: 50,
        dueAt: new Date(now + 3 * DAY),
        createdAt: daysAgo(0.5),
        context: { balanceCents: 500 },
      },
      { id: 'f-done', queue: 'BILLER', kind: 'FOLLOW_UP', priority: 99, status: 'DONE' },
    );
  });

  const list = async (query = '', user = 'biller-1') => {
    const res = await dayApi.request('GET', `/api/queues/BILLER/tasks${query ? `?${query}` : ''}`, { user });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return ids(res.body.items);
  };

  it('explains each priority: base, money, deadline, and how overdue it is', async () => {
    const res = await dayApi.request('GET', '/api/queues/BILLER/tasks', { user: 'biller-1' });
    expect(res.body.items[0]).toMatchObject({
      id: 'f-denial',
      priority: 90,
      overdue: true,
      rank: {
        priority: 90,
        reasons: ['denial review base 50', '$250.00 at stake +20', 'appeal deadline in 5 days +20', 'overdue by 2 days'],
      },
      claim: { payerId: PAYER_IDS.bluePeak, balanceCents: 42_000 },
    });
    expect(res.body.items.find((t: { id: string }) => t.id === 'f-rejection').rank).toEqual({
      priority: 50,
      reasons: ['fix rejection base 50'],
    });
  });

  it('filters by payer, kind, age, amount, due date, assignee and status', async () => {
    expect(await list()).toEqual(['f-denial', 'f-follow-mine', 'f-follow-other', 'f-rejection']);
    expect(await list(`payerId=${PAYER_IDS.bluePeak}`)).toEqual(['f-denial', 'f-follow-other']);
    expect(await list('kind=FOLLOW_UP')).toEqual(['f-follow-mine', 'f-follow-other']);
    expect(await list('minAgeDays=2')).toEqual(['f-denial', 'f-follow-mine']);
    expect(await list(`createdAfter=${daysAgo(2).toISOString()}`)).toEqual(['f-follow-other', 'f-rejection']);
    expect(await list(`createdBefore=${daysAgo(5).toISOString()}`)).toEqual(['f-denial']);
    expect(await list('minBalanceCents=20000')).toEqual(['f-denial', 'f-follow-other']);
    expect(await list('maxBalanceCents=20000')).toEqual(['f-follow-mine', 'f-rejection']);
    expect(await list(`dueBefore=${new Date(now + 2 * DAY).toISOString()}`)).toEqual(['f-denial', 'f-follow-mine', 'f-follow-other']);
    expect(await list('overdue=true')).toEqual(['f-denial']);
    expect(await list('mine=true')).toEqual(['f-follow-mine']);
    expect(await list('mine=true', 'biller-2')).toEqual(['f-follow-other']);
    expect(await list('assigneeId=biller-2')).toEqual(['f-follow-other']);
    expect(await list('unassigned=true')).toEqual(['f-denial', 'f-rejection']);
    expect(await list('status=DONE')).toEqual(['f-done']);
    expect(await list(`status=OPEN&payerId=${PAYER_IDS.medicare}&maxBalanceCents=14500`)).toEqual(['f-rejection']);
  });

  it('refuses contradictory or malformed filters, naming the field', async () => {
    const field = async (query: string) =>
      (await dayApi.request('GET', `/api/queues/BILLER/tasks?${query}`, { user: 'biller-1' })).body.error.field;
    expect(await field('mine=true&unassigned=true')).toBe('assigneeId');
    expect(await field('minAgeDays=two')).toBe('minAgeDays');
    expect(await field('dueBefore=soon')).toBe('dueBefore');
    expect(await field('overdue=yes')).toBe('overdue');
    expect(await field('assignee=me')).toBe('assignee');
  });

  it('lists a queue only to roles that work it', async () => {
    expect((await dayApi.request('GET', '/api/queues/BILLER/tasks', { user: 'coder-1' })).status).toBe(403);
    expect((await dayApi.request('GET', '/api/queues/SUPERVISOR/tasks', { user: 'biller-1' })).status).toBe(403);
    expect((await dayApi.request('GET', '/api/queues/BILLER/tasks', { user: 'supervisor-1' })).status).toBe(200);
  });

  it('keyset pages walk a large queue of mixed statuses and equal priorities in rank order, without gaps or repeats', async () => {
    await emptyQueues();
    const specs: TaskSpec[] = range(230, (i) => `k-${String(i).padStart(3, '0')}`).map((id, i) => ({
      id,
      queue: 'CODER',
      status: i % 3 === 0 ? 'CLAIMED' : 'OPEN',
      assigneeId: i % 3 === 0 ? 'coder-1' : undefined,
      priority: [20, 50, 50, 80][i % 4],
      // many equal due dates, so the id decides
      dueAt: new Date(now + (i % 5) * 3_600_000),
      claimId: i % 2 ? medicareClaim : bluePeakClaim,
    }));
    await tasks(...specs);
    const expected = [...specs]
      .sort((a, b) => b.priority! - a.priority! || a.dueAt!.getTime() - b.dueAt!.getTime() || (a.id < b.id ? -1 : 1))
      .map((s) => s.id);
    const walk = async (query: string) => {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const res: { body: any } = await api.request(
          'GET',
          `/api/queues/CODER/tasks?limit=17${query}${cursor ? `&cursor=${cursor}` : ''}`,
          { user: 'coder-1' },
        );
        seen.push(...ids(res.body.items));
        cursor = res.body.nextCursor;
      } while (cursor);
      return seen;
    };
    expect(await walk('')).toEqual(expected);
    expect(await walk(`&payerId=${PAYER_IDS.medicare}`)).toEqual(expected.filter((id) => Number(id.slice(2)) % 2 === 1));
    expect(await walk('&status=OPEN')).toEqual(expected.filter((id) => Number(id.slice(2)) % 3 !== 0));
  });
});
