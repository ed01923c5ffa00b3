// Several practices (#16): a user sees only the practices they are assigned to. Each door is tried as a user of
// the other practice would try it: by id, in lists, in the timeline and notes, in queues and get-next, in the
// supervisor's views, and by writing (void, reassign, retry, charge capture, registering a patient).
import { beforeAll, describe, expect, it } from 'vitest';
import type { TaskQueue } from '../../generated/prisma/client';
import { LAKESIDE_PATIENT_IDS, ORGANIZATION_IDS, PATIENT_IDS, PROVIDER_IDS, USER_IDS } from '../../app/seed';
import { workflowIdForClaim } from '../../workflows/contract';
import { useApiFixture } from '../testSupport';

const f = useApiFixture();

const LAKE_BILLER = 'lake-biller';
const LAKE_SUPERVISOR = 'lake-supervisor';
const RIVER_SUPERVISOR = 'river-supervisor';

const claimBody = (patientId: string, providerId: string, documentation = 'Acute upper respiratory infection; cough.') => ({
  patientId,
  providerId,
  dateOfService: '2026-11-16',
  placeOfService: '11',
  documentation,
  lines: [{ procedureCode: '99213', units: 1, chargeCents: 14_500, diagnosisPointers: [1] }],
  diagnoses: ['J06.9'],
});

let riverClaim: string;
let lakeClaim: string;
const riverTask = 'task-river-1';
const lakeTask = 'task-lake-1';

/** A task row as the workflow's openTask activity writes it: in its claim's practice. */
async function openTask(id: string, claimId: string, queue: TaskQueue = 'BILLER') {
  const claim = await f.db.prisma.claim.findUniqueOrThrow({ where: { id: claimId } });
  await f.db.prisma.task.create({
    data: {
      id,
      claimId,
      organizationId: claim.organizationId,
      workflowId: workflowIdForClaim(claimId),
      queue,
      kind: 'FOLLOW_UP',
      priority: 50,
      dueAt: new Date(Date.now() - 3_600_000),
      context: { balanceCents: 14_500 },
    },
  });
}

beforeAll(async () => {
  await f.db.prisma.user.createMany({
    data: [
      { id: LAKE_BILLER, name: 'Lake Biller', role: 'BILLER', organizationIds: [ORGANIZATION_IDS.lakeside] },
      { id: LAKE_SUPERVISOR, name: 'Lake Supervisor', role: 'SUPERVISOR', organizationIds: [ORGANIZATION_IDS.lakeside] },
      { id: RIVER_SUPERVISOR, name: 'River Supervisor', role: 'SUPERVISOR', organizationIds: [ORGANIZATION_IDS.riverbend] },
    ],
  });
  const river = await f.api.request('POST', '/api/claims', {
    user: USER_IDS.biller2,
    body: claimBody(PATIENT_IDS[1], PROVIDER_IDS.familyMedicine),
  });
  const lake = await f.api.request('POST', '/api/claims', {
    user: USER_IDS.biller2,
    body: claimBody(LAKESIDE_PATIENT_IDS[0], PROVIDER_IDS.lakesidePediatrics),
  });
  expect([river.status, lake.status]).toEqual([201, 201]);
  riverClaim = river.body.id;
  lakeClaim = lake.body.id;
  expect(river.body.organizationId).toBe(ORGANIZATION_IDS.riverbend);
  expect(lake.body.organizationId).toBe(ORGANIZATION_IDS.lakeside);
  await openTask(riverTask, riverClaim);
  await openTask(lakeTask, lakeClaim);
}, 120_000);

describe('a user of one practice cannot reach another practice', () => {
  it("by id: the other practice's claim, timeline, notes and patient are not found (404, as if they did not exist)", async () => {
    const as = (user: string) => (path: string) => f.api.request('GET', path, { user });
    const lake = as(LAKE_BILLER);
    for (const path of [`/api/claims/${riverClaim}`, `/api/claims/${riverClaim}/timeline`, `/api/claims/${riverClaim}/notes`]) {
      const res = await lake(path);
      expect(res.status, path).toBe(404);
      expect(res.body.error.code).toBe('NOT_FOUND');
    }
    expect((await lake(`/api/patients/${PATIENT_IDS[1]}`)).status).toBe(404);
    expect((await lake(`/api/claims/${lakeClaim}`)).status).toBe(200);
    expect((await lake(`/api/claims/${lakeClaim}/timeline`)).status).toBe(200);
    expect((await lake(`/api/patients/${LAKESIDE_PATIENT_IDS[0]}`)).status).toBe(200);
    // and the other way round
    expect((await as(USER_IDS.biller1)(`/api/claims/${lakeClaim}`)).status).toBe(404);
    expect((await as(USER_IDS.biller1)(`/api/patients/${LAKESIDE_PATIENT_IDS[0]}`)).status).toBe(404);
  });

  it('in lists: claims, the state summary and providers hold only their practice', async () => {
    const list = await f.api.request('GET', '/api/claims', { user: LAKE_BILLER });
    expect(list.body.items.map((c: { id: string }) => c.id)).toEqual([lakeClaim]);
    const summary = await f.api.request('GET', '/api/claims/summary', { user: LAKE_BILLER });
    expect(summary.body.total).toBe(1);
    const all = await f.api.request('GET', '/api/claims', { user: USER_IDS.supervisor });
    expect(all.body.items.map((c: { id: string }) => c.id).sort()).toEqual([riverClaim, lakeClaim].sort());
    const providers = await f.api.request('GET', '/api/providers', { user: LAKE_BILLER });
    expect(providers.body.items.map((p: { id: string }) => p.id)).toEqual([PROVIDER_IDS.lakesidePediatrics]);
    const orgs = await f.api.request('GET', '/api/organizations', { user: LAKE_BILLER });
    expect(orgs.body.items.map((o: { id: string }) => o.id)).toEqual([ORGANIZATION_IDS.lakeside]);
  });

  it("in queues: the listing, the task by id, claiming it and get-next never hand out the other practice's task", async () => {
    const queue = await f.api.request('GET', '/api/queues/BILLER/tasks', { user: LAKE_BILLER });
    expect(queue.body.items.map((t: { id: string }) => t.id)).toEqual([lakeTask]);
    expect((await f.api.request('GET', `/api/tasks/${riverTask}`, { user: LAKE_BILLER })).status).toBe(404);
    expect((await f.api.request('POST', `/api/tasks/${riverTask}/claim`, { user: LAKE_BILLER })).status).toBe(404);
    expect((await f.api.request('POST', `/api/tasks/${riverTask}/notes`, { user: LAKE_BILLER, body: { body: 'hello' } })).status).toBe(404);
    const next = await f.api.request('POST', '/api/queues/BILLER/next', { user: LAKE_BILLER });
    expect(next.status).toBe(200);
    expect(next.body.id).toBe(lakeTask);
    const empty = await f.api.request('POST', '/api/queues/BILLER/next', { user: LAKE_BILLER });
    expect(empty.status).toBe(404);
    expect(empty.body.error.code).toBe('QUEUE_EMPTY');
    expect((await f.db.prisma.task.findUniqueOrThrow({ where: { id: riverTask } })).status).toBe('OPEN');
  });

  it("in the supervisor's views: stuck claims, queue health and A/R count only their practice", async () => {
    const stuck = await f.api.request('GET', '/api/supervisor/stuck-claims?reason=TASK_OVERDUE', { user: LAKE_SUPERVISOR });
    expect(stuck.status).toBe(200);
    expect(stuck.body.items.map((i: { claimId: string }) => i.claimId)).toEqual([lakeClaim]);
    const everyone = await f.api.request('GET', '/api/supervisor/stuck-claims?reason=TASK_OVERDUE', { user: USER_IDS.supervisor });
    expect(everyone.body.items.map((i: { claimId: string }) => i.claimId).sort()).toEqual([riverClaim, lakeClaim].sort());

    const queues = await f.api.request('GET', '/api/supervisor/queues', { user: RIVER_SUPERVISOR });
    const biller = queues.body.queues.find((q: { queue: string }) => q.queue === 'BILLER');
    expect(biller).toMatchObject({ open: 1, claimed: 0, overdue: 1 });

    const ar = await f.api.request('GET', '/api/supervisor/ar', { user: LAKE_SUPERVISOR });
    expect(ar.body.aging.total.totalCents).toBe(14_500);
    const arAll = await f.api.request('GET', '/api/supervisor/ar', { user: USER_IDS.supervisor });
    expect(arAll.body.aging.total.totalCents).toBe(29_000);
  });

  it("by writing: voiding, noting, retrying and reassigning the other practice's work are 404; nothing changes", async () => {
    const before = await f.db.prisma.auditEvent.count();
    const tries = [
      f.api.request('POST', `/api/claims/${riverClaim}/void`, { user: LAKE_BILLER, body: { reason: 'duplicate' } }),
      f.api.request('POST', `/api/claims/${riverClaim}/notes`, { user: LAKE_BILLER, body: { text: 'a note' } }),
      f.api.request('POST', `/api/supervisor/claims/${riverClaim}/retry`, { user: LAKE_SUPERVISOR }),
      f.api.request('POST', `/api/tasks/${riverTask}/reassign`, { user: LAKE_SUPERVISOR, body: { userId: LAKE_BILLER } }),
      f.api.request('PATCH', `/api/tasks/${riverTask}/priority`, { user: LAKE_SUPERVISOR, body: { priority: 99 } }),
      f.api.request('POST', '/api/tasks/reassign', { user: LAKE_SUPERVISOR, body: { taskIds: [riverTask], userId: LAKE_BILLER } }),
    ];
    const answers = await Promise.all(tries);
    expect(answers.map((a) => a.status)).toEqual([404, 404, 404, 404, 404, 422]);
    expect(answers[5].body.error.field).toBe('taskIds[0]');
    expect(await f.db.prisma.auditEvent.count()).toBe(before);
    expect(await f.db.prisma.task.findUniqueOrThrow({ where: { id: riverTask } })).toMatchObject({ status: 'OPEN', priority: 50 });
  });

  it('a supervisor of every practice cannot hand a task to someone who does not work for its practice', async () => {
    const res = await f.api.request('POST', `/api/tasks/${riverTask}/reassign`, {
      user: USER_IDS.supervisor,
      body: { userId: LAKE_BILLER },
    });
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ code: 'ASSIGNEE_NOT_ELIGIBLE', field: 'userId' });
  });

  it("by charge capture: another practice's patient or provider is refused, and a provider bills only their practice's patients", async () => {
    const before = await f.db.prisma.claim.count();
    const otherPatient = await f.api.request('POST', '/api/claims', {
      user: LAKE_BILLER,
      body: claimBody(PATIENT_IDS[1], PROVIDER_IDS.lakesidePediatrics),
    });
    expect(otherPatient.status).toBe(422);
    expect(otherPatient.body.error.field).toBe('patientId');
    const otherProvider = await f.api.request('POST', '/api/claims', {
      user: LAKE_BILLER,
      body: claimBody(LAKESIDE_PATIENT_IDS[1], PROVIDER_IDS.familyMedicine),
    });
    expect(otherProvider.status).toBe(422);
    expect(otherProvider.body.error.field).toBe('providerId');
    const mixed = await f.api.request('POST', '/api/claims', {
      user: USER_IDS.biller2,
      body: claimBody(LAKESIDE_PATIENT_IDS[1], PROVIDER_IDS.familyMedicine),
    });
    expect(mixed.status).toBe(422);
    expect(mixed.body.error).toMatchObject({ code: 'PRACTICE_MISMATCH', field: 'providerId' });
    expect(await f.db.prisma.claim.count()).toBe(before);
  });

  it("an Idempotency-Key replayed by someone who may not see the first claim's practice gets nothing of it", async () => {
    const body = claimBody(LAKESIDE_PATIENT_IDS[2], PROVIDER_IDS.lakesidePediatrics, 'Cough for three weeks after a cold.');
    const headers = { 'Idempotency-Key': 'practice-replay-1' };
    const first = await f.api.request('POST', '/api/claims', { user: LAKE_BILLER, body, headers });
    expect(first.status).toBe(201);
    const replay = await f.api.request('POST', '/api/claims', { user: USER_IDS.biller1, body, headers });
    expect(replay.status).toBe(409);
    expect(replay.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(JSON.stringify(replay.body)).not.toContain(first.body.id);
  });

  it('a posting exception that belongs to no practice is seen only by those who see every practice', async () => {
    await f.db.prisma.task.create({
      data: {
        id: 'task-no-practice',
        claimId: null,
        organizationId: null,
        queue: 'BILLER',
        kind: 'POSTING_EXCEPTION',
        priority: 50,
        dueAt: new Date(Date.now() + 86_400_000),
        context: {},
      },
    });
    expect((await f.api.request('GET', '/api/tasks/task-no-practice', { user: USER_IDS.biller1 })).status).toBe(404);
    expect((await f.api.request('GET', '/api/tasks/task-no-practice', { user: USER_IDS.biller2 })).status).toBe(200);
  });
});

describe('registering a patient in a practice', () => {
  const patient = (extra: object = {}) => ({
    firstName: 'Iris',
    lastName: 'Pemberton',
    birthDate: '2018-02-11',
    sex: 'F',
    addressLine: '4 Lakeview Ter',
    city: 'Fairhaven',
    state: 'OR',
    postalCode: '97402',
    coverages: [{ payerId: 'payer-blue-peak', memberId: 'BPK778812' }],
    ...extra,
  });

  it("goes to the caller's only practice, or to the one named among theirs; another practice is refused", async () => {
    const own = await f.api.request('POST', '/api/patients', { user: LAKE_BILLER, body: patient() });
    expect(own.status).toBe(201);
    expect(own.body.organizationId).toBe(ORGANIZATION_IDS.lakeside);
    const other = await f.api.request('POST', '/api/patients', {
      user: LAKE_BILLER,
      body: patient({ organizationId: ORGANIZATION_IDS.riverbend }),
    });
    expect(other.status).toBe(422);
    expect(other.body.error.field).toBe('organizationId');
    const several = await f.api.request('POST', '/api/patients', { user: USER_IDS.biller2, body: patient() });
    expect(several.status).toBe(422);
    expect(several.body.error).toMatchObject({ code: 'PRACTICE_REQUIRED', field: 'organizationId' });
    const named = await f.api.request('POST', '/api/patients', {
      user: USER_IDS.biller2,
      body: patient({ organizationId: ORGANIZATION_IDS.riverbend }),
    });
    expect(named.status).toBe(201);
    expect(named.body.organizationId).toBe(ORGANIZATION_IDS.riverbend);
  });
});

describe('practices and users, administered', () => {
  const practice = {
    id: 'org-hillcrest',
    name: 'Hillcrest Family Care',
    addressLine: '12 HILLCREST RD',
    city: 'MILLBROOK',
    state: 'OR',
    zip9: '974040000',
  };

  it('an admin registers a practice and changes its billing identity; others may not', async () => {
    expect((await f.api.request('POST', '/api/organizations', { user: USER_IDS.supervisor, body: practice })).status).toBe(403);
    const bad = await f.api.request('POST', '/api/organizations', { user: USER_IDS.admin, body: { ...practice, zip9: '97404' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('zip9');
    const half = await f.api.request('POST', '/api/organizations', { user: USER_IDS.admin, body: { ...practice, npi: '1528307469' } });
    expect(half.status).toBe(400);
    expect(half.body.error.field).toBe('npi');
    const created = await f.api.request('POST', '/api/organizations', { user: USER_IDS.admin, body: practice });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ ...practice, npi: null, taxId: null, submitterId: null });
    expect((await f.api.request('POST', '/api/organizations', { user: USER_IDS.admin, body: practice })).status).toBe(409);
    const changed = await f.api.request('PATCH', '/api/organizations/org-hillcrest', {
      user: USER_IDS.admin,
      body: { npi: '1528307469', taxId: '845678901', submitterId: 'HILL01' },
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ npi: '1528307469', taxId: '845678901', submitterId: 'HILL01' });
    const unpaired = await f.api.request('PATCH', '/api/organizations/org-hillcrest', { user: USER_IDS.admin, body: { taxId: null } });
    expect(unpaired.status).toBe(422);
    expect((await f.db.prisma.organization.findUniqueOrThrow({ where: { id: 'org-hillcrest' } })).taxId).toBe('845678901');
  });

  it('a new user names the practices they work for when there is more than one, each an existing one', async () => {
    const missing = await f.api.request('POST', '/api/admin/users', {
      user: USER_IDS.admin,
      body: { id: 'new-coder', name: 'New Coder', role: 'CODER' },
    });
    expect(missing.status).toBe(422);
    expect(missing.body.error).toMatchObject({ code: 'PRACTICE_REQUIRED', field: 'organizationIds' });
    const unknown = await f.api.request('POST', '/api/admin/users', {
      user: USER_IDS.admin,
      body: { id: 'new-coder', name: 'New Coder', role: 'CODER', organizationIds: [ORGANIZATION_IDS.lakeside, 'org-nowhere'] },
    });
    expect(unknown.status).toBe(422);
    expect(unknown.body.error.field).toBe('organizationIds[1]');
    const created = await f.api.request('POST', '/api/admin/users', {
      user: USER_IDS.admin,
      body: { id: 'new-coder', name: 'New Coder', role: 'CODER', organizationIds: [ORGANIZATION_IDS.lakeside] },
    });
    expect(created.status).toBe(201);
    expect(created.body.organizationIds).toEqual([ORGANIZATION_IDS.lakeside]);
    expect((await f.api.request('GET', `/api/claims/${riverClaim}`, { user: 'new-coder' })).status).toBe(404);
    const moved = await f.api.request('PATCH', '/api/admin/users/new-coder', {
      user: USER_IDS.admin,
      body: { organizationIds: [ORGANIZATION_IDS.riverbend] },
    });
    expect(moved.status).toBe(200);
    expect((await f.api.request('GET', `/api/claims/${riverClaim}`, { user: 'new-coder' })).status).toBe(200);
  });
});

describe('routing rules per practice', () => {
  it("a practice's supervisor changes its own practice's rules only; its rule overrides every practice's for its tasks", async () => {
    const put = (user: string, query: string, body: object) =>
      f.api.request('PUT', `/api/routing-rules/FOLLOW_UP/*${query}`, { user, body });
    const everyPractice = await put(LAKE_SUPERVISOR, '', { requiredSkill: 'lake-follow-up' });
    expect(everyPractice.status).toBe(403);
    const other = await put(LAKE_SUPERVISOR, `?organizationId=${ORGANIZATION_IDS.riverbend}`, { requiredSkill: 'lake-follow-up' });
    expect(other.status).toBe(422);
    expect(other.body.error.field).toBe('organizationId');
    const own = await put(LAKE_SUPERVISOR, `?organizationId=${ORGANIZATION_IDS.lakeside}`, { requiredSkill: 'lake-follow-up' });
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({ organizationId: ORGANIZATION_IDS.lakeside, kind: 'FOLLOW_UP', requiredSkill: 'lake-follow-up' });

    // Riverbend's people do not see Lakeside's rule; Lakeside's do.
    const rulesOf = async (user: string) =>
      (await f.api.request('GET', '/api/routing-rules', { user })).body.items.filter((r: { kind: string }) => r.kind === 'FOLLOW_UP');
    expect((await rulesOf(USER_IDS.biller1)).map((r: { organizationId: string }) => r.organizationId)).toEqual(['*']);
    expect((await rulesOf(LAKE_BILLER)).map((r: { organizationId: string }) => r.organizationId).sort()).toEqual(['*', 'org-lakeside']);

    // The rule binds Lakeside's FOLLOW_UP tasks, not Riverbend's: biller-2 works both practices without the skill.
    await openTask('task-lake-rule', lakeClaim);
    await openTask('task-river-rule', riverClaim);
    const lake = await f.api.request('POST', '/api/tasks/task-lake-rule/claim', { user: USER_IDS.biller2 });
    expect(lake.status).toBe(403);
    expect(lake.body.error.code).toBe('NOT_ELIGIBLE');
    expect((await f.api.request('POST', '/api/tasks/task-river-rule/claim', { user: USER_IDS.biller2 })).status).toBe(200);
    const next = await f.api.request('POST', '/api/queues/BILLER/next', { user: LAKE_BILLER });
    expect(next.status).toBe(404);
    expect((await f.db.prisma.task.findUniqueOrThrow({ where: { id: 'task-lake-rule' } })).status).toBe('OPEN');

    // A practice's rule for every payer may go (the practice falls back to every practice's); every practice's may not.
    const gone = await f.api.request('DELETE', `/api/routing-rules/FOLLOW_UP/*?organizationId=${ORGANIZATION_IDS.lakeside}`, {
      user: LAKE_SUPERVISOR,
    });
    expect(gone.status).toBe(204);
    expect((await f.api.request('POST', '/api/tasks/task-lake-rule/claim', { user: USER_IDS.biller2 })).status).toBe(200);
    expect((await f.api.request('DELETE', '/api/routing-rules/FOLLOW_UP/*', { user: USER_IDS.supervisor })).status).toBe(422);
  });
});
