// Queue health: depth, oldest open task, overdue tasks, tasks done per user per day, handling time per kind.
import { z } from 'zod';
import { handlingTimeByKind, throughputByUserDay } from '../../domain/metrics';
import { inPractices, type PracticeScope } from '../auth/practices';
import type { ApiContext } from '../http/context';
import { queueHealthQuery } from './schemas';
import { round1 } from './shared';

const QUEUES = ['CODER', 'BILLER', 'SUPERVISOR'] as const;

export async function queueHealth(ctx: ApiContext, q: z.output<typeof queueHealthQuery>, scope: PracticeScope) {
  const { prisma, config } = ctx;
  const dayMs = config.dayMs;
  const now = q.asOf ? new Date(q.asOf) : new Date();
  const days = q.days ?? 7;
  // Whole day buckets: today's (so far) and the days before it.
  const from = new Date((Math.floor(now.getTime() / dayMs) - (days - 1)) * dayMs);
  const workable = { in: ['OPEN', 'CLAIMED'] as ('OPEN' | 'CLAIMED')[] };
  const mine = inPractices(scope);

  const [depth, oldest, overdue, claimedBy, done] = await Promise.all([
    prisma.task.groupBy({ by: ['queue', 'status'], where: { status: workable, ...mine }, _count: { _all: true } }),
    prisma.task.groupBy({ by: ['queue'], where: { status: 'OPEN', ...mine }, _min: { createdAt: true } }),
    prisma.task.groupBy({ by: ['queue'], where: { status: workable, dueAt: { lt: now }, ...mine }, _count: { _all: true } }),
    prisma.task.groupBy({ by: ['queue', 'assigneeId'], where: { status: 'CLAIMED', ...mine }, _count: { _all: true } }),
    prisma.task.findMany({
      where: { status: 'DONE', doneAt: { gte: from, lte: now }, ...mine },
      select: { kind: true, doneById: true, createdAt: true, claimedAt: true, doneAt: true },
    }),
  ]);

  const queues = QUEUES.map((queue) => {
    const count = (status: string) => depth.find((d) => d.queue === queue && d.status === status)?._count._all ?? 0;
    const oldestAt = oldest.find((o) => o.queue === queue)?._min.createdAt ?? null;
    return {
      queue,
      open: count('OPEN'),
      claimed: count('CLAIMED'),
      overdue: overdue.find((o) => o.queue === queue)?._count._all ?? 0,
      oldestOpenCreatedAt: oldestAt?.toISOString() ?? null,
      oldestOpenAgeDays: oldestAt ? round1(Math.max(0, now.getTime() - oldestAt.getTime()) / dayMs) : null,
      claimedBy: claimedBy
        .filter((c) => c.queue === queue && c.assigneeId)
        .map((c) => ({ userId: c.assigneeId!, claimed: c._count._all }))
        .sort((a, b) => b.claimed - a.claimed || a.userId.localeCompare(b.userId)),
    };
  });

  const doneTasks = done.filter((t): t is typeof t & { doneAt: Date } => t.doneAt !== null);
  const perUserDay = throughputByUserDay(doneTasks, dayMs);
  const perUser = new Map<string, number>();
  for (const d of perUserDay) perUser.set(d.userId, (perUser.get(d.userId) ?? 0) + d.done);
  return {
    asOf: now.toISOString(),
    dayMs,
    queues,
    throughput: {
      days,
      from: from.toISOString(),
      to: now.toISOString(),
      perUserDay: perUserDay.map((d) => ({ userId: d.userId, day: d.day.toISOString(), done: d.done })),
      perUser: [...perUser.entries()]
        .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
        .map(([userId, n]) => ({ userId, done: n, perDay: round1(n / days) })),
    },
    handlingTime: handlingTimeByKind(doneTasks).map((h) => ({
      ...h,
      basis: 'claimed (or opened, if never claimed) to done, tasks done in the period',
    })),
  };
}
