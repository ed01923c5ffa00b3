// JSON the API passes through as it was stored (a task's context and outcome, a claim transition's detail). Its
// type is any JSON value, so screens read it key by key and check what they find instead of trusting a shape.
import type { TaskView } from './types';

export type StoredJson = TaskView['context'];

/** The object a stored value holds, or an empty one. */
export function storedObject(value: StoredJson): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? value : {};
}

const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** What a claim transition's detail says ({ from, to, at, reason } as the workflow records it). */
export function transitionOf(detail: StoredJson): { to?: string; reason?: string } {
  const d = storedObject(detail);
  return { to: text(d.to), reason: text(d.reason) };
}

/** The action a finished task's outcome names, if any. */
export function outcomeAction(outcome: StoredJson): string | undefined {
  return text(storedObject(outcome).action);
}
