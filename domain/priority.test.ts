import { describe, expect, it } from 'vitest';
import { escalatedPriority, explainPriority, explainTaskRank, taskPriority } from './priority';

const DAY = 86_400_000;
const KINDS = ['CODE_REVIEW', 'DENIAL_REVIEW', 'TIMELY_FILING_RISK', 'OVERDUE_TASK', 'NOT_A_KIND'];

describe('explainPriority', () => {
  it('adds up to exactly what taskPriority computes, for every kind, amount and deadline', () => {
    for (const kind of KINDS) {
      for (const amountCents of [-500, 0, 999, 1_000, 25_000, 19_999, 20_000, 10_000_000]) {
        for (const deadlineInDays of [undefined, -3, 0, 1, 7, 8, 30, 31, 400]) {
          const input = { kind, amountCents, deadlineInDays };
          expect(explainPriority(input).priority, JSON.stringify(input)).toBe(taskPriority(input));
        }
      }
    }
  });

  it('names each component with its points', () => {
    expect(explainPriority({ kind: 'DENIAL_REVIEW', amountCents: 25_000, deadlineInDays: 5, deadlineName: 'appeal deadline' })).toEqual({
      priority: 90,
      reasons: ['denial review base 50', '$250.00 at stake +20', 'appeal deadline in 5 days +20'],
    });
    expect(explainPriority({ kind: 'CODE_REVIEW', amountCents: 500 }).reasons).toEqual(['code review base 30']);
    expect(explainPriority({ kind: 'TIMELY_FILING_RISK', amountCents: 50_000, deadlineInDays: -1 })).toEqual({
      priority: 100,
      reasons: ['timely filing risk base 70', '$500.00 at stake +20', 'deadline passed 1 day ago +30', 'capped at 100 -20'],
    });
  });
});

describe('explainTaskRank', () => {
  const now = new Date('2026-11-25T12:00:00Z');
  const base = { kind: 'DENIAL_REVIEW', amountCents: 25_000, dueAt: new Date(now.getTime() + DAY), workable: true };

  it('reads the deadline from the task and says how far off it is', () => {
    const rank = explainTaskRank(
      { ...base, priority: 90, deadline: { name: 'appeal deadline', at: new Date(now.getTime() + 5 * DAY) } },
      now,
    );
    expect(rank).toEqual({ priority: 90, reasons: ['denial review base 50', '$250.00 at stake +20', 'appeal deadline in 5 days +20'] });
  });

  it('says overdue without adding points: the sort by due date puts it first among equals', () => {
    const rank = explainTaskRank({ ...base, priority: 70, dueAt: new Date(now.getTime() - 2 * DAY - 1000) }, now);
    expect(rank).toEqual({ priority: 70, reasons: ['denial review base 50', '$250.00 at stake +20', 'overdue by 2 days'] });
    const notWorkable = explainTaskRank({ ...base, priority: 70, workable: false, dueAt: new Date(now.getTime() - 3 * DAY) }, now);
    expect(notWorkable.reasons).not.toContain('overdue by 3 days');
  });

  it("explains the workflow's escalation and a supervisor's override", () => {
    const escalated = escalatedPriority(taskPriority({ kind: 'DENIAL_REVIEW', amountCents: 25_000 }));
    expect(explainTaskRank({ ...base, priority: escalated, escalatedAt: now }, now).reasons).toEqual([
      'denial review base 50',
      '$250.00 at stake +20',
      'escalated when overdue +25',
    ]);
    const overridden = explainTaskRank(
      { ...base, priority: 99, escalatedAt: new Date(now.getTime() - DAY), prioritySetAt: now, prioritySetById: 'supervisor-1' },
      now,
    );
    expect(overridden).toEqual({ priority: 99, reasons: ['set to 99 by supervisor-1'] });
  });

  it('names a deadline it cannot date by its points, and what it cannot account for as such', () => {
    expect(explainTaskRank({ ...base, priority: 80 }, now).reasons.at(-1)).toBe('deadline within 30 days +10');
    expect(explainTaskRank({ ...base, amountCents: undefined, priority: 60 }, now).reasons).toEqual([
      'denial review base 50',
      'amount at stake and deadline +10',
    ]);
  });

  it('always adds up to the stored priority', () => {
    for (const priority of [0, 35, 50, 64, 70, 95, 100]) {
      const rank = explainTaskRank({ ...base, priority }, now);
      const points = rank.reasons.map((r) => Number(/(?:base |[+-])(\d+)$/.exec(r)?.[1] ?? 0) * (/ -\d+$/.test(r) ? -1 : 1));
      expect(
        points.reduce((a, b) => a + b, 0),
        rank.reasons.join('; '),
      ).toBe(priority);
    }
  });
});
