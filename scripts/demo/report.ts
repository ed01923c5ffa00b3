// The demo's closing summary: where every claim ended, which paths they took to get there (from their state
// histories and tasks), and what the people did.
import type { PrismaClient } from '../../generated/prisma/client';
import { CLAIM_STATES, TASK_KINDS, type TaskKind } from '../../workflows/contract';
import type { DeskStats } from './desks';

export interface ClaimPath {
  id: string;
  state: string;
  /** states entered, in order, from the claim.transition audit events */
  states: string[];
  tasks: { kind: TaskKind; status: string; action?: string }[];
  appeals: { level: number; status: string }[];
}

/** Each claim's history, read from the read model in three queries (claims, transitions, tasks). */
export async function loadPaths(prisma: PrismaClient, claimIds: string[]): Promise<{ paths: ClaimPath[]; missing: string[] }> {
  const [claims, transitions, tasks] = await Promise.all([
    prisma.claim.findMany({
      where: { id: { in: claimIds } },
      select: { id: true, state: true, appeals: { select: { level: true, status: true } } },
    }),
    prisma.auditEvent.findMany({
      where: { claimId: { in: claimIds }, action: 'claim.transition' },
      orderBy: { id: 'asc' },
      select: { claimId: true, detail: true },
    }),
    prisma.task.findMany({
      where: { claimId: { in: claimIds } },
      orderBy: { createdAt: 'asc' },
      select: { claimId: true, kind: true, status: true, outcome: true },
    }),
  ]);
  const byId = new Map<string, ClaimPath>(
    claims.map((c) => [
      c.id,
      { id: c.id, state: c.state, states: [], tasks: [], appeals: c.appeals.map((a) => ({ level: a.level, status: a.status })) },
    ]),
  );
  for (const t of transitions) {
    const to = (t.detail as { to?: string } | null)?.to;
    if (to && t.claimId) byId.get(t.claimId)?.states.push(to);
  }
  for (const t of tasks) {
    if (t.claimId)
      byId
        .get(t.claimId)
        ?.tasks.push({ kind: t.kind as TaskKind, status: t.status, action: (t.outcome as { action?: string } | null)?.action });
  }
  return { paths: [...byId.values()], missing: claimIds.filter((id) => !byId.has(id)) };
}

const count = <T>(items: T[], pred: (t: T) => boolean) => items.filter(pred).length;
const pad = (s: string, n: number) => s.padEnd(n);
const avg = (total: number, n: number) => (n ? Math.round(total / n) : 0);

export function formatSummary(o: {
  asked: number;
  created: number;
  paths: ClaimPath[];
  missing: string[];
  desks: { queue: string; userId: string; stats: DeskStats }[];
  /** from start until every claim was final (or until the wait ended) */
  elapsedMs: number;
  timedOut: boolean;
}): string[] {
  const { paths } = o;
  const lines: string[] = [];
  const secs = o.elapsedMs / 1000;
  lines.push('', '================ claimflow demo summary ================');
  lines.push(`claims asked ${o.asked}, created ${o.created}${o.missing.length ? `, missing from the database ${o.missing.length}` : ''}`);
  lines.push(
    `elapsed ${secs.toFixed(1)} s (start-up included), ${(o.created / Math.max(secs, 0.001)).toFixed(2)} claims/s${o.timedOut ? '  (TIMED OUT)' : ''}`,
  );

  lines.push('', 'claims by state:');
  for (const s of CLAIM_STATES) {
    const n = count(paths, (p) => p.state === s);
    if (n) lines.push(`  ${pad(s, 24)}${n}`);
  }

  const saw = (p: ClaimPath, s: string) => p.states.includes(s);
  const times = (p: ClaimPath, s: string) => p.states.filter((x) => x === s).length;
  const did = (p: ClaimPath, kind: TaskKind, action?: string) =>
    p.tasks.some((t) => t.kind === kind && t.status === 'DONE' && (!action || t.action === action));
  const pathRows: [string, number][] = [
    [
      'paid first time (no rejection, denial or follow-up)',
      count(
        paths,
        (p) =>
          p.state === 'CLOSED' &&
          !saw(p, 'REJECTED') &&
          !saw(p, 'DENIED') &&
          !saw(p, 'WRITTEN_OFF') &&
          !did(p, 'FOLLOW_UP') &&
          !saw(p, 'APPEALED'),
      ),
    ],
    ['patient responsibility (partially paid)', count(paths, (p) => saw(p, 'PARTIALLY_PAID'))],
    ['rejected at the front end once', count(paths, (p) => times(p, 'REJECTED') === 1)],
    ['rejected more than once', count(paths, (p) => times(p, 'REJECTED') > 1)],
    ['followed up (payer silent)', count(paths, (p) => did(p, 'FOLLOW_UP'))],
    ['denied', count(paths, (p) => saw(p, 'DENIED'))],
    ['  coding denial -> corrected claim', count(paths, (p) => p.tasks.some((t) => t.action === 'CORRECTED_CLAIM' && t.status === 'DONE'))],
    ['  appealed', count(paths, (p) => saw(p, 'APPEALED'))],
    ['  appealed at a second level', count(paths, (p) => p.appeals.some((a) => a.level > 1))],
    ['  appeal overturned', count(paths, (p) => p.appeals.some((a) => a.status === 'OVERTURNED'))],
    ['  appeal upheld (at any level)', count(paths, (p) => p.appeals.some((a) => a.status === 'UPHELD'))],
    ['written off', count(paths, (p) => saw(p, 'WRITTEN_OFF'))],
    ['  with supervisor approval', count(paths, (p) => did(p, 'WRITE_OFF_APPROVAL', 'APPROVE'))],
    ['voided', count(paths, (p) => p.state === 'VOIDED')],
    ['had an overdue task escalated', count(paths, (p) => p.tasks.some((t) => t.kind === 'OVERDUE_TASK'))],
    ['had a timely-filing warning', count(paths, (p) => p.tasks.some((t) => t.kind === 'TIMELY_FILING_RISK'))],
  ];
  lines.push('', 'paths seen (claims):');
  for (const [label, n] of pathRows) lines.push(`  ${pad(label, 52)}${n}`);

  lines.push('', 'tasks completed per kind:');
  const total: Partial<Record<TaskKind, number>> = {};
  for (const d of o.desks)
    for (const [k, n] of Object.entries(d.stats.completed)) total[k as TaskKind] = (total[k as TaskKind] ?? 0) + (n ?? 0);
  for (const kind of Object.keys(TASK_KINDS) as TaskKind[]) {
    if (total[kind]) lines.push(`  ${pad(kind, 24)}${pad(String(total[kind]), 6)}(${TASK_KINDS[kind].queue})`);
  }
  const cancelled = paths.reduce((n, p) => n + count(p.tasks, (t) => t.status === 'CANCELLED'), 0);
  const stillOpen = paths.reduce((n, p) => n + count(p.tasks, (t) => t.status === 'OPEN' || t.status === 'CLAIMED'), 0);
  lines.push(`  cancelled by the workflow ${cancelled}, still open ${stillOpen}`);

  lines.push('', 'desks:');
  for (const d of o.desks) {
    const done = Object.values(d.stats.completed).reduce((a, b) => a + (b ?? 0), 0);
    lines.push(
      `  ${pad(d.queue, 11)}${pad(d.userId, 14)}completed ${done}, 409 stale ${d.stats.stale}, 409 refused ${d.stats.refused}, ` +
        `fallbacks ${d.stats.fallbacks}, errors ${d.stats.errors}, ` +
        `avg complete ${avg(d.stats.requestMs, d.stats.requests)} ms, avg claim read ${avg(d.stats.readMs, d.stats.reads)} ms${d.stats.lastError && (d.stats.errors || d.stats.refused) ? `  (last: ${d.stats.lastError})` : ''}`,
    );
  }
  if (o.missing.length)
    lines.push('', `claims missing from the database: ${o.missing.slice(0, 5).join('; ')}${o.missing.length > 5 ? ' ...' : ''}`);
  const notFinal = paths.filter((p) => p.state !== 'CLOSED' && p.state !== 'VOIDED');
  if (notFinal.length) {
    lines.push('', `claims not in a final state (${notFinal.length}), first few:`);
    for (const p of notFinal.slice(0, 5)) {
      const open = p.tasks.filter((t) => t.status === 'OPEN' || t.status === 'CLAIMED').map((t) => t.kind);
      lines.push(`  ${p.id} ${p.state} via ${p.states.join(' > ')}${open.length ? `; open tasks: ${open.join(', ')}` : ''}`);
    }
  }
  lines.push('=========================================================');
  return lines;
}
