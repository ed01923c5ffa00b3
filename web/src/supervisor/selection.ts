// The tasks a supervisor has ticked for reassignment, gathered from stuck claims and queue listings alike.
import { useCallback, useState } from 'react';
import type { SelectedTask } from './types';

export interface Selection {
  tasks: SelectedTask[];
  has(taskId: string): boolean;
  toggle(task: SelectedTask, on: boolean): void;
  setMany(tasks: SelectedTask[], on: boolean): void;
  clear(): void;
}

export function useSelection(): Selection {
  const [byId, setById] = useState<ReadonlyMap<string, SelectedTask>>(new Map());
  const setMany = useCallback((tasks: SelectedTask[], on: boolean) => {
    setById((prev) => {
      const next = new Map(prev);
      for (const t of tasks) {
        if (on) next.set(t.id, t);
        else next.delete(t.id);
      }
      return next;
    });
  }, []);
  const toggle = useCallback((task: SelectedTask, on: boolean) => setMany([task], on), [setMany]);
  const clear = useCallback(() => setById(new Map()), []);
  return { tasks: [...byId.values()], has: (id) => byId.has(id), toggle, setMany, clear };
}

/**
 * Which roles work each queue, as api/auth/access.ts QUEUE_ROLES has it: the dialog offers only users who could
 * take every chosen task. The API still decides (routing rules, skills, payer groups) and says why it refuses.
 */
export const QUEUE_ROLES: Record<string, readonly string[]> = {
  CODER: ['CODER', 'SUPERVISOR', 'ADMIN'],
  BILLER: ['BILLER', 'SUPERVISOR', 'ADMIN'],
  SUPERVISOR: ['SUPERVISOR', 'ADMIN'],
};

export function mayWorkAll(role: string, queues: Iterable<string>): boolean {
  for (const q of queues) if (!(QUEUE_ROLES[q] ?? []).includes(role)) return false;
  return true;
}
