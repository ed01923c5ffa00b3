// Human work: queue listings for coders, billers and supervisors, and completing a task. Completion goes to
// the claim's workflow as an Update; the workflow validates the outcome and marks the Task row done
// itself, so this module never writes a task's status.
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { Router } from 'express';
import { z } from 'zod';
import type { Prisma, TaskStatus } from '../generated/prisma/client';
import { completeTaskUpdate, type CompleteTaskResult } from '../workflows/contract';
import { recordAudit } from './audit';
import { callerId } from './auth';
import type { ApiContext } from './context';
import { ConflictError, NotFoundError, parseInput } from './errors';
import { decodeCursor, DEFAULT_PAGE_SIZE, encodeCursor } from './paging';
import { completeTaskBody, taskListQuery, taskQueueParam } from './schemas';
import { callTemporal } from './temporal';
import { taskView } from './views';

const taskCursor = z.object({ p: z.int(), d: z.iso.datetime(), id: z.string() });
const WORKABLE: TaskStatus[] = ['OPEN', 'CLAIMED'];

export function tasksRouter(ctx: ApiContext): Router {
  const { prisma, temporal, log, timeouts } = ctx;
  const router = Router();

  // Most urgent first: priority, then the earliest due, then id so that paging is stable.
  router.get('/queues/:queue/tasks', async (req, res) => {
    const queue = parseInput(taskQueueParam, req.params.queue, ['queue']);
    const query = parseInput(taskListQuery, req.query);
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const after = decodeCursor(taskCursor, query.cursor);
    const where: Prisma.TaskWhereInput[] = [{ queue }, { status: { in: query.status ?? WORKABLE } }];
    if (query.kind) where.push({ kind: query.kind });
    if (query.payerId) where.push({ claim: { payerId: query.payerId } });
    if (after) {
      const d = new Date(after.d);
      where.push({
        OR: [
          { priority: { lt: after.p } },
          { priority: after.p, dueAt: { gt: d } },
          { priority: after.p, dueAt: d, id: { gt: after.id } },
        ],
      });
    }
    const rows = await prisma.task.findMany({
      where: { AND: where },
      orderBy: [{ priority: 'desc' }, { dueAt: 'asc' }, { id: 'asc' }],
      take: limit + 1,
    });
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    const nextCursor =
      rows.length > limit && last ? encodeCursor({ p: last.priority, d: last.dueAt.toISOString(), id: last.id }) : null;
    const now = new Date();
    res.json({ items: page.map((t) => taskView(t, now)), nextCursor });
  });

  router.get('/tasks/:id', async (req, res) => {
    const task = await prisma.task.findUnique({ where: { id: req.params.id } });
    if (!task) throw new NotFoundError('task');
    await recordAudit(prisma, { actor: callerId(res), action: 'task.read', entity: 'task', entityId: task.id, claimId: task.claimId });
    res.json(taskView(task));
  });

  router.post('/tasks/:id/complete', async (req, res) => {
    const { outcome } = parseInput(completeTaskBody, req.body);
    const userId = callerId(res);
    const task = await prisma.task.findUnique({ where: { id: req.params.id } });
    if (!task) throw new NotFoundError('task');
    if (task.status === 'DONE' || task.status === 'CANCELLED') {
      throw new ConflictError('TASK_NOT_OPEN', `the task is ${task.status.toLowerCase()}`);
    }
    // Whether the outcome fits the task (its kind's actions, the claim's current codes) is the workflow
    // validator's call alone: one authority, one wording of the refusal.
    const handle = temporal.workflow.getHandle(task.workflowId);
    let result: CompleteTaskResult;
    try {
      result = await callTemporal(temporal, timeouts.updateMs, 'update completeTask', log, () =>
        handle.executeUpdate(completeTaskUpdate, { args: [{ taskId: task.id, userId, outcome }] }),
      );
    } catch (err) {
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
      actor: userId,
      action: 'task.complete',
      entity: 'task',
      entityId: task.id,
      claimId: task.claimId,
      detail: { kind: task.kind, action: outcome.action, state: result.state },
    });
    res.json(result);
  });

  return router;
}
