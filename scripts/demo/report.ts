// The demo's closing summary: where every claim ended, which paths they took to get there (from their state
// histories and tasks), and what the people did.
import { mapLimit } from '../../infra/process';
import { CLAIM_STATES, TASK_KINDS, type TaskKind } from '../../workflows/contract';
import { errorText, type DemoApi } from './api';
import type { DeskStats } from './desks';

export interface ClaimPath {
  id: string;
  state: string;
  states: string[];
  reasons: string[];
  tasks: { kind: TaskKind; status: string; action?: string }[];
  frequencyCode?: string;
}

export async function loadPaths(api: DemoApi, claimIds: string[]): Promise<{ paths: ClaimPath[]; missing: string[] }> {
  const missing: string[] = [];
  const paths = await mapLimit(claimIds, 8, async (id): Promise<ClaimPath | undefined> => {
    const r = await api.get(`/api/claims/${id}`, 'supervisor-1');
    if (r.status !== 200) {
      missing.push(`${id} (${errorText(r)})`);
      return undefined;
    }
    const c = r.body;
    const states: string[] = (c.history ?? []).map((h: any) => h.detail?.to).filter(Boolean);
    const reasons: string[] = [
      ...(c.history ?? []).map((h: any) => String(h.detail?.reason ?? '')),
      ...(c.workflow?.history ?? []).map((h: any) => String(h.reason ?? '')),
    ];
    return {
      id,
      state: c.state,
      states,
      reasons,
      tasks: (c.tasks ?? []).map((t: any) => ({ kind: t.kind, status: t.status, action: t.outcome?.action })),
      frequencyCode: c.frequencyCode,
    };
  });
  return { paths: paths.filter((p): p is ClaimPath => !!p), missing };
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
  elapsedMs: number;
  timedOut: boolean;
}): string[] {
  const { paths } = o;
  const lines: string[] = [];
  const secs = o.elapsedMs / 1000;
  lines.push('', '================ claimflow demo summary ================');
  lines.push(`claims asked ${o.asked}, created ${o.created}, read back ${paths.length}${o.missing.length ? `, unreadable ${o.missing.length}` : ''}`);
  lines.push(`elapsed ${secs.toFixed(1)} s, ${(o.created / Math.max(secs, 0.001)).toFixed(2)} claims/s${o.timedOut ? '  (TIMED OUT)' : ''}`);

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
    ['paid first time (no rejection, denial or follow-up)', count(paths, (p) => p.state === 'CLOSED' && !saw(p, 'REJECTED') && !saw(p, 'DENIED') && !saw(p, 'WRITTEN_OFF') && !did(p, 'FOLLOW_UP') && !saw(p, 'APPEALED'))],
    ['patient responsibility (partially paid)', count(paths, (p) => saw(p, 'PARTIALLY_PAID'))],
    ['rejected at the front end once', count(paths, (p) => times(p, 'REJECTED') === 1)],
    ['rejected more than once', count(paths, (p) => times(p, 'REJECTED') > 1)],
    ['followed up (payer silent)', count(paths, (p) => did(p, 'FOLLOW_UP'))],
    ['denied', count(paths, (p) => saw(p, 'DENIED'))],
    ['  coding denial -> corrected claim', count(paths, (p) => p.tasks.some((t) => t.action === 'CORRECTED_CLAIM' && t.status === 'DONE'))],
    ['  appealed', count(paths, (p) => saw(p, 'APPEALED'))],
    ['  appealed twice', count(paths, (p) => times(p, 'APPEALED') > 1 || p.reasons.some((r) => /appeal level 2 filed/.test(r)))],
    ['  appeal overturned', count(paths, (p) => p.reasons.some((r) => /overturned/.test(r)))],
    ['  appeal upheld', count(paths, (p) => p.reasons.some((r) => /upheld/.test(r)))],
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
  for (const d of o.desks) for (const [k, n] of Object.entries(d.stats.completed)) total[k as TaskKind] = (total[k as TaskKind] ?? 0) + (n ?? 0);
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
  if (o.missing.length) lines.push('', `unreadable claims: ${o.missing.slice(0, 5).join('; ')}${o.missing.length > 5 ? ' ...' : ''}`);
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
