// One task at a time: reading it (with its notes), claiming and releasing it, notes, a supervisor's
// reassignment and re-prioritisation, and completing it. Completion goes to the claim's workflow as an Update;
// the workflow validates the outcome and marks the Task row done itself, so this module never closes a task.
import { createHash } from 'node:crypto';
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { Router, type Response } from 'express';
import type { z } from 'zod';
import type { Prisma, PrismaClient, Task } from '../../generated/prisma/client';
import { completeTaskUpdate, type CompleteTaskResult } from '../../workflows/contract';
import { assertEligible, assertMayWorkQueue, isOverseer, mayWorkQueue, whyNotEligible, ROLES } from '../auth/access';
import { recordAudit } from '../http/audit';
import { callerId, callerRole, callerScope, requireRole, type RoleName } from '../auth/auth';
import { callerPractices, inPractices, maySee, practiceScope } from '../auth/practices';
import type { ApiContext } from '../http/context';
import { ConflictError, isDatabaseUnavailable, NotFoundError, parseInput, UnprocessableError } from '../http/errors';
import { newNoteId } from '../http/ids';
import {
  bulkReassignBody,
  completeTaskBody,
  reassignBody,
  taskNoteBody,
  taskPriorityBody,
  type taskListResponse,
  type taskWithNotesResponse,
} from './schemas';
import { callTemporal } from '../http/temporal';
import { completePostingException, POSTING_EXCEPTION_KIND } from './postingExceptions';
import { noteView, taskView } from '../http/views';

type Db = PrismaClient | Prisma.TransactionClient;

const isWorkable = (t: Task): boolean => t.status === 'OPEN' || t.status === 'CLAIMED';

function assertWorkable(t: Task): void {
  if (!isWorkable(t)) throw new ConflictError('TASK_NOT_OPEN', `the task is ${t.status.toLowerCase()}`);
}

/** The task, if it exists in a practice the caller sees and the caller's role works its queue (404, then 403). */
async function taskForCaller(db: Db, id: string, res: Response): Promise<Task> {
  const task = await db.task.findFirst({ where: { id, ...inPractices(callerPractices(res)) } });
  if (!task) throw new NotFoundError('task');
  assertMayWorkQueue(callerRole(res), task.queue);
  return task;
}

const caller = (res: Response) => ({ id: callerId(res), role: callerRole(res), ...callerScope(res) });

/**
 * The completion Update's id: one per task, caller and outcome. Temporal answers an Update whose id it has
 * already run with that run's result, so a user's retry of a completion the workflow applied (its answer lost,
 * or a 503 while the Update was still running) gets the first answer instead of a refusal as a second one.
 */
function completionUpdateId(taskId: string, userId: string, outcome: unknown): string {
  return `complete-task:${taskId}:${createHash('sha256')
    .update(JSON.stringify([userId, outcome]))
    .digest('base64url')
    .slice(0, 22)}`;
}

/**
 * Gives `task` to `userId` on a supervisor's say-so: the user must be active, work the task's queue and meet
 * its routing rule. Refusals name `field` so that a bulk request says which entry failed.
 */
async function reassign(tx: Prisma.TransactionClient, task: Task, userId: string, actor: string, field: string) {
  if (!isWorkable(task)) throw new ConflictError('TASK_NOT_OPEN', `task ${task.id} is ${task.status.toLowerCase()}`);
  const user = await tx.user.findUnique({ where: { id: userId } });
  if (!user || !user.active) throw new UnprocessableError('UNKNOWN_REFERENCE', 'no such active user', 'userId');
  if (!mayWorkQueue(user.role as RoleName, task.queue)) {
    throw new UnprocessableError('ASSIGNEE_NOT_ELIGIBLE', `${user.id} (${user.role}) does not work the ${task.queue} queue`, field);
  }
  if (!maySee(practiceScope(user.organizationIds), task.organizationId)) {
    throw new UnprocessableError('ASSIGNEE_NOT_ELIGIBLE', `${user.id} does not work for this task's practice`, field);
  }
  const why = await whyNotEligible(tx, { role: user.role as RoleName, skills: user.skills, payerGroups: user.payerGroups }, task);
  if (why) throw new UnprocessableError('ASSIGNEE_NOT_ELIGIBLE', `${user.id}: ${why}`, field);
  const updated = await tx.task.update({
    where: { id: task.id },
    data: { status: 'CLAIMED', assigneeId: user.id, claimedAt: new Date() },
  });
  await recordAudit(tx, {
    actor,
    action: 'task.reassign',
    entity: 'task',
    entityId: task.id,
    claimId: task.claimId,
    detail: { kind: task.kind, from: task.assigneeId, to: user.id },
  });
  return updated;
}

export function tasksRouter(ctx: ApiContext): Router {
  const { prisma, temporal, log, timeouts, config } = ctx;
  const router = Router();
  const view = (t: Task) => taskView(t, new Date(), config.dayMs);

  router.get('/tasks/:id', requireRole(...ROLES.anyone), async (req, res) => {
    const task = await taskForCaller(prisma, req.params.id, res);
    const notes = await prisma.taskNote.findMany({ where: { taskId: task.id }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
    await recordAudit(prisma, { actor: callerId(res), action: 'task.read', entity: 'task', entityId: task.id, claimId: task.claimId });
    const answer: z.output<typeof taskWithNotesResponse> = { ...view(task), notes: notes.map(noteView) };
    res.json(answer);
  });

  // Bulk reassignment: all or nothing, in one transaction.
  router.post('/tasks/reassign', requireRole(...ROLES.oversight), async (req, res) => {
    const body = parseInput(bulkReassignBody, req.body);
    const actor = callerId(res);
    const items = await prisma.$transaction(async (tx) => {
      const found = await tx.task.findMany({ where: { id: { in: body.taskIds }, ...inPractices(callerPractices(res)) } });
      const byId = new Map(found.map((t) => [t.id, t]));
      const out: Task[] = [];
      for (const [i, id] of body.taskIds.entries()) {
        const task = byId.get(id);
        if (!task) throw new UnprocessableError('UNKNOWN_REFERENCE', 'no such task', `taskIds[${i}]`);
        out.push(await reassign(tx, task, body.userId, actor, `taskIds[${i}]`));
      }
      return out;
    });
    const answer: z.output<typeof taskListResponse> = { items: items.map(view) };
    res.json(answer);
  });

  router.post('/tasks/:id/reassign', requireRole(...ROLES.oversight), async (req, res) => {
    const { userId } = parseInput(reassignBody, req.body);
    const task = await prisma.$transaction(async (tx) => {
      const found = await tx.task.findFirst({ where: { id: req.params.id, ...inPractices(callerPractices(res)) } });
      if (!found) throw new NotFoundError('task');
      return reassign(tx, found, userId, callerId(res), 'userId');
    });
    res.json(view(task));
  });

  // Claiming what one already holds answers the task again; someone else's claim is a 409 (supervisors reassign).
  router.post('/tasks/:id/claim', requireRole(...ROLES.anyone), async (req, res) => {
    const who = caller(res);
    const task = await taskForCaller(prisma, req.params.id, res);
    assertWorkable(task);
    if (task.status === 'CLAIMED') {
      if (task.assigneeId === who.id) return void res.json(view(task));
      throw new ConflictError('TASK_CLAIMED', `the task is claimed by ${task.assigneeId}`);
    }
    await assertEligible(prisma, who, task);
    const claimed = await prisma.$transaction(async (tx) => {
      const won = await tx.task.updateMany({
        where: { id: task.id, status: 'OPEN' },
        data: { status: 'CLAIMED', assigneeId: who.id, claimedAt: new Date() },
      });
      const now = await tx.task.findUniqueOrThrow({ where: { id: task.id } });
      if (won.count === 0) {
        if (now.status === 'CLAIMED' && now.assigneeId === who.id) return now;
        assertWorkable(now);
        throw new ConflictError('TASK_CLAIMED', `the task is claimed by ${now.assigneeId}`);
      }
      await recordAudit(tx, {
        actor: who.id,
        action: 'task.claim',
        entity: 'task',
        entityId: task.id,
        claimId: task.claimId,
        detail: { kind: task.kind, queue: task.queue, via: 'claim' },
      });
      return now;
    });
    res.json(view(claimed));
  });

  // Back to the queue. Its assignee may release it, and so may a supervisor; an open task stays as it is.
  router.post('/tasks/:id/release', requireRole(...ROLES.anyone), async (req, res) => {
    const who = caller(res);
    const task = await taskForCaller(prisma, req.params.id, res);
    assertWorkable(task);
    if (task.status === 'OPEN') return void res.json(view(task));
    if (task.assigneeId !== who.id && !isOverseer(who.role)) {
      throw new ConflictError('TASK_CLAIMED', `the task is claimed by ${task.assigneeId}`);
    }
    const released = await prisma.$transaction(async (tx) => {
      const done = await tx.task.updateMany({
        where: { id: task.id, status: 'CLAIMED', assigneeId: task.assigneeId },
        data: { status: 'OPEN', assigneeId: null, claimedAt: null },
      });
      if (done.count === 0) throw new ConflictError('TASK_CHANGED', 'the task changed meanwhile; read it again');
      await recordAudit(tx, {
        actor: who.id,
        action: 'task.release',
        entity: 'task',
        entityId: task.id,
        claimId: task.claimId,
        detail: { kind: task.kind, from: task.assigneeId },
      });
      return tx.task.findUniqueOrThrow({ where: { id: task.id } });
    });
    res.json(view(released));
  });

  router.patch('/tasks/:id/priority', requireRole(...ROLES.oversight), async (req, res) => {
    const { priority } = parseInput(taskPriorityBody, req.body);
    const actor = callerId(res);
    const task = await prisma.$transaction(async (tx) => {
      const found = await tx.task.findFirst({ where: { id: req.params.id, ...inPractices(callerPractices(res)) } });
      if (!found) throw new NotFoundError('task');
      assertWorkable(found);
      const updated = await tx.task.update({
        where: { id: found.id },
        data: { priority, prioritySetById: actor, prioritySetAt: new Date() },
      });
      await recordAudit(tx, {
        actor,
        action: 'task.priority',
        entity: 'task',
        entityId: found.id,
        claimId: found.claimId,
        detail: { kind: found.kind, from: found.priority, to: priority },
      });
      return updated;
    });
    res.json(view(task));
  });

  // A note is free text and may carry PHI: the audit records that one was added, and its length.
  router.post('/tasks/:id/notes', requireRole(...ROLES.anyone), async (req, res) => {
    const { body } = parseInput(taskNoteBody, req.body);
    const actor = callerId(res);
    const task = await taskForCaller(prisma, req.params.id, res);
    const note = await prisma.$transaction(async (tx) => {
      const created = await tx.taskNote.create({ data: { id: newNoteId(), taskId: task.id, authorId: actor, body } });
      await recordAudit(tx, {
        actor,
        action: 'task.note',
        entity: 'task',
        entityId: task.id,
        claimId: task.claimId,
        detail: { noteId: created.id, length: body.length },
      });
      return created;
    });
    res.status(201).json(noteView(note));
  });

  // Who may complete: the task's queue must be the caller's; someone else's claim is a 409 unless the caller
  // oversees the queues; an unclaimed task must meet the caller's skills and payer groups.
  router.post('/tasks/:id/complete', requireRole(...ROLES.anyone), async (req, res) => {
    const { outcome } = parseInput(completeTaskBody, req.body);
    const who = caller(res);
    const task = await taskForCaller(prisma, req.params.id, res);
    // The caller's own finished task goes to the workflow again: the same outcome is the same Update (see
    // completionUpdateId) and gets its result back; anything else is refused below as before.
    const mayBeRetry = task.status === 'DONE' && task.doneById === who.id && task.workflowId !== null;
    if (!mayBeRetry) {
      assertWorkable(task);
      if (task.status === 'CLAIMED' && task.assigneeId !== who.id && !isOverseer(who.role)) {
        throw new ConflictError('TASK_CLAIMED', `the task is claimed by ${task.assigneeId}; only they or a supervisor may complete it`);
      }
      if (task.status === 'OPEN') await assertEligible(prisma, who, task);
      // A posting exception has no workflow: the API completes it itself (api/tasks/postingExceptions.ts).
      if (task.kind === POSTING_EXCEPTION_KIND)
        return void res.json(await completePostingException(ctx, task, who.id, outcome, callerPractices(res)));
    }
    if (!task.workflowId) throw new ConflictError('WORKFLOW_NOT_RUNNING', 'the task has no workflow');
    // Whether the outcome fits the task (its kind's actions, the claim's current codes) is the workflow
    // validator's call alone: one authority, one wording of the refusal.
    const handle = temporal.workflow.getHandle(task.workflowId);
    let result: CompleteTaskResult;
    try {
      result = await callTemporal(temporal, timeouts.updateMs, 'update completeTask', log, () =>
        // The role goes with it: the workflow sends a write-off by anyone but a biller or supervisor to a supervisor.
        handle.executeUpdate(completeTaskUpdate, {
          args: [{ taskId: task.id, userId: who.id, role: who.role, outcome }],
          updateId: completionUpdateId(task.id, who.id, outcome),
        }),
      );
    } catch (err) {
      // not the Update that finished it (another outcome, or the claim's workflow has moved on since)
      if (mayBeRetry && (err instanceof WorkflowUpdateFailedError || err instanceof WorkflowNotFoundError)) assertWorkable(task);
      if (err instanceof WorkflowUpdateFailedError) {
        throw new ConflictError('TASK_COMPLETION_REJECTED', err.cause?.message ?? err.message);
      }
      if (err instanceof WorkflowNotFoundError) {
        throw new ConflictError('WORKFLOW_NOT_RUNNING', "the claim's workflow is not running");
      }
      throw err;
    }
    // The note is free text and may carry PHI: only the action is audited.
    await recordAudit(prisma, {
      actor: who.id,
      action: 'task.complete',
      entity: 'task',
      entityId: task.id,
      claimId: task.claimId,
      // repeated: the caller's task was already done; the workflow answered with the first completion's result
      detail: { kind: task.kind, action: outcome.action, state: result.state, ...(mayBeRetry ? { repeated: true } : {}) },
    }).catch((err: unknown) => {
      // The Update answered, so the completion is applied and the workflow's closeTask activity has already
      // recorded it (task.completed, same actor and action). A 503 "nothing was changed" for a database that
      // went away since would send the user back to work that is done, to a 409 on the retry.
      if (!isDatabaseUnavailable(err)) throw err;
      log('task completed; its API audit row was not written (database unavailable), the workflow records the completion', {
        taskId: task.id,
      });
    });
    res.json(result);
  });

  return router;
}
