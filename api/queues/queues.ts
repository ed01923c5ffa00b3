// Work queues: a queue's listing in rank order with filters, keyset pages and each task's priority explained;
// "get next", which hands the caller the most urgent open task they may take; and the routing rules that
// say who may take what.
import { Router } from 'express';
import { z } from 'zod';
import { Prisma, type PrismaClient, type TaskQueue, type TaskStatus } from '../../generated/prisma/client';
import { DEFAULT_TASK_SLA_DAYS, TASK_KINDS, type TaskKind } from '../../workflows/contract';
import { ANY_PAYER_GROUP, ANY_PRACTICE, assertMayWorkQueue, isOverseer, mostSpecificRule, ROLES, type TakerScope } from '../auth/access';
import { recordAudit } from '../http/audit';
import { callerId, callerRole, callerScope, requireRole } from '../auth/auth';
import { callerPractices, maySee, type PracticeScope } from '../auth/practices';
import type { ApiContext } from '../http/context';
import { ApiError, ForbiddenError, NotFoundError, parseInput, UnprocessableError } from '../http/errors';
import { decodeCursor, DEFAULT_PAGE_SIZE, encodeCursor } from '../http/paging';
import {
  routingRuleBody,
  routingRuleKey,
  routingRuleQuery,
  taskListQuery,
  taskQueueParam,
  type queuePageResponse,
  type routingRule,
  type routingRuleListResponse,
} from './schemas';
import { queueItemView, taskView } from '../http/views';

const taskCursor = z.object({ p: z.int(), d: z.iso.datetime(), id: z.string() });
const WORKABLE: TaskStatus[] = ['OPEN', 'CLAIMED'];

/** 404 with its own code: the queue exists, it just has nothing the caller may take. */
export class QueueEmptyError extends ApiError {
  constructor(queue: TaskQueue) {
    super(404, 'QUEUE_EMPTY', `the ${queue} queue has no open task you may take`);
  }
}

type ListQuery = z.output<typeof taskListQuery>;
export interface Keyset {
  p: number;
  d: Date;
  id: string;
}

/**
 * One page of a queue in rank order (priority desc, due asc, id): the ids. Each status, and on later pages each
 * side of the cursor's priority, is its own index range on Task(queue, status, priority desc, dueAt, id), so a
 * deep page costs what the first one does: at most `take` rows per range before the filters.
 */
export function queuePageSql(
  queue: TaskQueue,
  statuses: TaskStatus[],
  { filters, needsClaim }: ListFilters,
  after: Keyset | undefined,
  take: number,
): Prisma.Sql {
  const from = needsClaim ? Prisma.sql`"Task" t JOIN "Claim" c ON c.id = t."claimId"` : Prisma.sql`"Task" t`;
  const ranges: Prisma.Sql[] = [];
  for (const status of statuses) {
    const sides = after
      ? [Prisma.sql`t.priority = ${after.p} AND (t."dueAt", t.id) > (${after.d}, ${after.id})`, Prisma.sql`t.priority < ${after.p}`]
      : [Prisma.sql`TRUE`];
    for (const side of sides) {
      const where = Prisma.join(
        [Prisma.sql`t.queue = ${queue}::"TaskQueue"`, Prisma.sql`t.status = ${status}::"TaskStatus"`, side, ...filters],
        ' AND ',
      );
      ranges.push(Prisma.sql`(SELECT t.id, t.priority, t."dueAt" FROM ${from} WHERE ${where}
        ORDER BY t.priority DESC, t."dueAt" ASC, t.id ASC LIMIT ${take})`);
    }
  }
  return Prisma.sql`SELECT u.id FROM (${Prisma.join(ranges, ' UNION ALL ')}) u
    ORDER BY u.priority DESC, u."dueAt" ASC, u.id ASC LIMIT ${take}`;
}

export interface ListFilters {
  /** conditions on `t` (Task) and, when needsClaim, `c` (its Claim) */
  filters: Prisma.Sql[];
  needsClaim: boolean;
}

/** Tasks of the practices the caller sees; a task of no practice only for those who see every practice. */
export function practiceSql(scope: PracticeScope): Prisma.Sql[] {
  return scope.all ? [] : [Prisma.sql`t."organizationId" = ANY(${[...scope.ids]}::text[])`];
}

export function listFilters(query: ListQuery, caller: string, now: Date, dayMs: number, scope: PracticeScope): ListFilters {
  const f: Prisma.Sql[] = [...practiceSql(scope)];
  if (query.kind) f.push(Prisma.sql`t.kind = ${query.kind}`);
  if (query.payerId) f.push(Prisma.sql`c."payerId" = ${query.payerId}`);
  if (query.createdAfter) f.push(Prisma.sql`t."createdAt" >= ${query.createdAfter}`);
  if (query.createdBefore) f.push(Prisma.sql`t."createdAt" < ${query.createdBefore}`);
  if (query.minAgeDays !== undefined) f.push(Prisma.sql`t."createdAt" <= ${new Date(now.getTime() - query.minAgeDays * dayMs)}`);
  if (query.minBalanceCents !== undefined) f.push(Prisma.sql`c."balanceCents" >= ${query.minBalanceCents}`);
  if (query.maxBalanceCents !== undefined) f.push(Prisma.sql`c."balanceCents" <= ${query.maxBalanceCents}`);
  if (query.dueBefore) f.push(Prisma.sql`t."dueAt" < ${query.dueBefore}`);
  if (query.overdue) f.push(Prisma.sql`t."dueAt" < ${now}`);
  if (query.assigneeId) f.push(Prisma.sql`t."assigneeId" = ${query.assigneeId}`);
  if (query.mine) f.push(Prisma.sql`t."assigneeId" = ${caller}`);
  if (query.unassigned) f.push(Prisma.sql`t."assigneeId" IS NULL`);
  const needsClaim = query.payerId !== undefined || query.minBalanceCents !== undefined || query.maxBalanceCents !== undefined;
  return { filters: f, needsClaim };
}

/**
 * The most urgent OPEN task in `queue` that `who` may take, locked; rows other transactions hold are skipped.
 * Overseers take anything in the queue; others only what their skills and payer groups allow (routing rules).
 */
export function nextTaskSql(queue: TaskQueue, who: TakerScope, scope: PracticeScope): Prisma.Sql {
  const practices = Prisma.join([Prisma.sql`TRUE`, ...practiceSql(scope)], ' AND ');
  if (isOverseer(who.role)) {
    return Prisma.sql`SELECT t.id FROM "Task" t
      WHERE t.queue = ${queue}::"TaskQueue" AND t.status = 'OPEN'::"TaskStatus" AND ${practices}
      ORDER BY t.priority DESC, t."dueAt" ASC, t.id ASC
      LIMIT 1 FOR UPDATE OF t SKIP LOCKED`;
  }
  return Prisma.sql`SELECT t.id FROM "Task" t
    LEFT JOIN "Claim" c ON c.id = t."claimId"
    LEFT JOIN "Payer" p ON p.id = c."payerId"
    LEFT JOIN LATERAL (
      SELECT r."requiredSkill" FROM "RoutingRule" r
      WHERE r.kind = t.kind AND r."payerGroup" IN (COALESCE(p."payerGroup", ${ANY_PAYER_GROUP}), ${ANY_PAYER_GROUP})
        AND r."organizationId" IN (COALESCE(t."organizationId", ${ANY_PRACTICE}), ${ANY_PRACTICE})
      ORDER BY r."organizationId" = ${ANY_PRACTICE} ASC, r."payerGroup" = ${ANY_PAYER_GROUP} ASC LIMIT 1
    ) rule ON TRUE
    WHERE t.queue = ${queue}::"TaskQueue" AND t.status = 'OPEN'::"TaskStatus" AND ${practices}
      AND (rule."requiredSkill" IS NULL OR rule."requiredSkill" = ANY(${who.skills}::text[]))
      AND (cardinality(${who.payerGroups}::text[]) = 0 OR t."claimId" IS NULL OR p."payerGroup" = ANY(${who.payerGroups}::text[]))
    ORDER BY t.priority DESC, t."dueAt" ASC, t.id ASC
    LIMIT 1 FOR UPDATE OF t SKIP LOCKED`;
}

/**
 * Locks and claims the most urgent OPEN task in `queue` that `who` may take, in one transaction: rows other
 * callers hold are skipped (FOR UPDATE SKIP LOCKED), so concurrent callers never get the same task and never
 * wait on each other. Null when there is none.
 */
export async function claimNextTask(prisma: PrismaClient, queue: TaskQueue, who: TakerScope & { id: string }, scope: PracticeScope) {
  return prisma.$transaction(async (tx) => {
    const rows = await tx.$queryRaw<{ id: string }[]>(nextTaskSql(queue, who, scope));
    if (rows.length === 0) return null;
    const task = await tx.task.update({
      where: { id: rows[0].id },
      data: { status: 'CLAIMED', assigneeId: who.id, claimedAt: new Date() },
    });
    await recordAudit(tx, {
      actor: who.id,
      action: 'task.claim',
      entity: 'task',
      entityId: task.id,
      claimId: task.claimId,
      detail: { kind: task.kind, queue, via: 'next' },
    });
    return task;
  });
}

export function queuesRouter(ctx: ApiContext): Router {
  const { prisma, config } = ctx;
  const router = Router();

  // Most urgent first: priority, then the earliest due (so overdue work leads its priority), then id.
  router.get('/queues/:queue/tasks', requireRole(...ROLES.anyone), async (req, res) => {
    const queue = parseInput(taskQueueParam, req.params.queue, ['queue']);
    const query = parseInput(taskListQuery, req.query);
    assertMayWorkQueue(callerRole(res), queue);
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const cursor = decodeCursor(taskCursor, query.cursor);
    const after = cursor && { p: cursor.p, d: new Date(cursor.d), id: cursor.id };
    const now = new Date();
    const statuses = [...new Set(query.status ?? WORKABLE)];
    const sql = queuePageSql(queue, statuses, listFilters(query, callerId(res), now, config.dayMs, callerPractices(res)), after, limit + 1);
    const ids = (await prisma.$queryRaw<{ id: string }[]>(sql)).map((r) => r.id);
    const rows = await prisma.task.findMany({
      where: { id: { in: ids.slice(0, limit) } },
      include: { claim: { select: { payerId: true, balanceCents: true } } },
    });
    const byId = new Map(rows.map((r) => [r.id, r]));
    const page = ids.slice(0, limit).flatMap((id) => byId.get(id) ?? []);
    const last = page.at(-1);
    const nextCursor = ids.length > limit && last ? encodeCursor({ p: last.priority, d: last.dueAt.toISOString(), id: last.id }) : null;
    const answer: z.output<typeof queuePageResponse> = { items: page.map((t) => queueItemView(t, now, config.dayMs)), nextCursor };
    res.json(answer);
  });

  // Get next: 200 with the task now claimed by the caller, or 404 QUEUE_EMPTY.
  router.post('/queues/:queue/next', requireRole(...ROLES.anyone), async (req, res) => {
    const queue = parseInput(taskQueueParam, req.params.queue, ['queue']);
    const role = callerRole(res);
    assertMayWorkQueue(role, queue);
    const task = await claimNextTask(prisma, queue, { id: callerId(res), role, ...callerScope(res) }, callerPractices(res));
    if (!task) throw new QueueEmptyError(queue);
    res.json(taskView(task, new Date(), config.dayMs));
  });

  router.get('/routing-rules', requireRole(...ROLES.anyone), async (_req, res) => {
    const scope = callerPractices(res);
    const rules = await prisma.routingRule.findMany({
      where: scope.all ? {} : { organizationId: { in: [ANY_PRACTICE, ...scope.ids] } },
      orderBy: [{ organizationId: 'asc' }, { kind: 'asc' }, { payerGroup: 'asc' }],
    });
    const answer: z.output<typeof routingRuleListResponse> = { items: rules.map(routingRuleView) };
    res.json(answer);
  });

  // Creates or changes the rule for a kind and payer group ("*": every payer). The queue is the workflow's.
  router.put('/routing-rules/:kind/:payerGroup', requireRole(...ROLES.oversight), async (req, res) => {
    const key = parseInput(routingRuleKey, { kind: req.params.kind, payerGroup: req.params.payerGroup });
    const query = parseInput(routingRuleQuery, req.query);
    const body = parseInput(routingRuleBody, req.body);
    const organizationId = await rulePractice(prisma, callerPractices(res), query.organizationId);
    const kind = key.kind as TaskKind;
    const fallback = mostSpecificRule(
      await prisma.routingRule.findMany({
        where: { kind, payerGroup: ANY_PAYER_GROUP, organizationId: { in: [organizationId, ANY_PRACTICE] } },
      }),
    );
    const rule = await prisma.$transaction(async (tx) => {
      const saved = await tx.routingRule.upsert({
        where: { organizationId_kind_payerGroup: { organizationId, kind, payerGroup: key.payerGroup } },
        create: {
          organizationId,
          kind,
          payerGroup: key.payerGroup,
          queue: TASK_KINDS[kind].queue,
          requiredSkill: body.requiredSkill ?? null,
          slaDays: body.slaDays ?? fallback?.slaDays ?? DEFAULT_TASK_SLA_DAYS[kind],
        },
        update: { requiredSkill: body.requiredSkill, slaDays: body.slaDays },
      });
      await recordAudit(tx, {
        actor: callerId(res),
        action: 'routingRule.update',
        entity: 'routingRule',
        entityId: `${organizationId}/${kind}/${key.payerGroup}`,
        detail: { requiredSkill: saved.requiredSkill, slaDays: saved.slaDays },
      });
      return saved;
    });
    res.json(routingRuleView(rule));
  });

  router.delete('/routing-rules/:kind/:payerGroup', requireRole(...ROLES.oversight), async (req, res) => {
    const key = parseInput(routingRuleKey, { kind: req.params.kind, payerGroup: req.params.payerGroup });
    const organizationId = await rulePractice(prisma, callerPractices(res), parseInput(routingRuleQuery, req.query).organizationId);
    if (key.payerGroup === ANY_PAYER_GROUP && organizationId === ANY_PRACTICE) {
      throw new UnprocessableError('DEFAULT_RULE', 'the rule for every payer stays; change it with PUT instead', 'payerGroup');
    }
    const removed = await prisma.$transaction(async (tx) => {
      const gone = await tx.routingRule.deleteMany({ where: { organizationId, kind: key.kind, payerGroup: key.payerGroup } });
      if (gone.count) {
        await recordAudit(tx, {
          actor: callerId(res),
          action: 'routingRule.delete',
          entity: 'routingRule',
          entityId: `${organizationId}/${key.kind}/${key.payerGroup}`,
        });
      }
      return gone.count;
    });
    if (!removed) throw new NotFoundError('routing rule');
    res.status(204).end();
  });

  return router;
}

/**
 * The practice a rule change is for. A practice's supervisor changes that practice's rules; the rules for every
 * practice are changed only by someone who works for every practice, since they route every practice's work.
 */
async function rulePractice(prisma: PrismaClient, scope: PracticeScope, named: string | undefined): Promise<string> {
  const organizationId = named ?? ANY_PRACTICE;
  if (organizationId === ANY_PRACTICE) {
    if (!scope.all) {
      throw new ForbiddenError(
        'the rules for every practice are changed by someone who works for every practice; name your practice (organizationId)',
      );
    }
    return ANY_PRACTICE;
  }
  const found = maySee(scope, organizationId) ? await prisma.organization.findUnique({ where: { id: organizationId } }) : null;
  if (!found) throw new UnprocessableError('UNKNOWN_REFERENCE', 'no such practice among yours', 'organizationId');
  return organizationId;
}

function routingRuleView(r: {
  organizationId: string;
  kind: string;
  payerGroup: string;
  queue: TaskQueue;
  requiredSkill: string | null;
  slaDays: number;
  updatedAt: Date;
}): z.output<typeof routingRule> {
  return {
    organizationId: r.organizationId,
    kind: r.kind,
    payerGroup: r.payerGroup,
    queue: r.queue,
    requiredSkill: r.requiredSkill,
    slaDays: r.slaDays,
    updatedAt: r.updatedAt.toISOString(),
  };
}
