// Human task rows: the workflow opens them, people work them from queues, the workflow closes them.
import type { Prisma } from '../generated/prisma/client';
import type { ActivityDeps } from './deps';
import type { CloseTaskInput, OpenTaskInput } from '../workflows/activities';
import { audit } from './audit';

export function taskActivities({ prisma }: ActivityDeps) {
  return {
    async openTask(t: OpenTaskInput): Promise<void> {
      await prisma.$transaction(async (tx) => {
        if (await tx.task.findUnique({ where: { id: t.taskId }, select: { id: true } })) return;
        // The claim's practice owns its tasks: only its people see them in their queues.
        const claim = await tx.claim.findUnique({ where: { id: t.claimId }, select: { organizationId: true } });
        await tx.task.create({
          data: {
            id: t.taskId,
            claimId: t.claimId,
            organizationId: claim?.organizationId ?? null,
            workflowId: t.workflowId,
            queue: t.queue,
            kind: t.kind,
            priority: t.priority,
            dueAt: new Date(t.dueAt),
            context: t.context as Prisma.InputJsonValue,
            escalatedFromId: t.escalatedFromId,
          },
        });
        await audit(tx, {
          actor: 'workflow',
          action: 'task.opened',
          entity: 'task',
          entityId: t.taskId,
          claimId: t.claimId,
          detail: { kind: t.kind, queue: t.queue },
        });
      });
    },

    async closeTask(c: CloseTaskInput): Promise<void> {
      await prisma.$transaction(async (tx) => {
        const done = await tx.task.updateMany({
          where: { id: c.taskId, status: { in: ['OPEN', 'CLAIMED'] } },
          data: {
            status: c.status,
            outcome: (c.outcome ?? undefined) as Prisma.InputJsonValue | undefined,
            doneAt: new Date(),
            doneById: c.userId,
          },
        });
        if (done.count === 0) return;
        const task = await tx.task.findUniqueOrThrow({ where: { id: c.taskId }, select: { claimId: true, kind: true } });
        await audit(tx, {
          actor: c.userId ?? 'workflow',
          action: c.status === 'DONE' ? 'task.completed' : 'task.cancelled',
          entity: 'task',
          entityId: c.taskId,
          claimId: task.claimId ?? undefined,
          detail: { kind: task.kind, action: c.outcome?.action ?? null },
        });
      });
    },

    async raiseTaskPriority({ taskId, priority }: { taskId: string; priority: number }): Promise<void> {
      await prisma.task.updateMany({
        where: { id: taskId, status: { in: ['OPEN', 'CLAIMED'] } },
        data: { priority, escalatedAt: new Date() },
      });
    },
  };
}
