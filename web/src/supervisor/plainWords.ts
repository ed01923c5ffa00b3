// The API's refusals in the words a supervisor reads: its own message (it is written for people), with what
// the dashboard knows added where the code alone would leave the reader guessing.
import { ApiError } from '../api';
import type { SelectedTask } from './types';
import { kindWords } from './format';

export function taskLabel(t: Pick<SelectedTask, 'kind' | 'claimId' | 'id'>): string {
  return `${kindWords(t.kind)} task${t.claimId ? ` on claim ${t.claimId}` : ` ${t.id.slice(0, 8)}`}`;
}

/** A refused reassignment: which task it was about, and that nothing changed (the bulk route is all or nothing). */
export function reassignRefusal(err: unknown, tasks: SelectedTask[]): string {
  if (!(err instanceof ApiError)) return `The reassignment failed: ${(err as Error).message}`;
  const nothing = tasks.length > 1 ? ' Nothing was reassigned: the tasks go together or not at all.' : '';
  const index = /^taskIds\[(\d+)\]$/.exec(err.field ?? '')?.[1];
  const about = index !== undefined && tasks[Number(index)] ? `The ${taskLabel(tasks[Number(index)])} cannot go there: ` : '';
  switch (err.code) {
    case 'ASSIGNEE_NOT_ELIGIBLE':
      return `${about || 'Not allowed: '}${err.message}.${nothing}`;
    case 'TASK_NOT_OPEN':
      return `${about}${capital(err.message)}: only open or claimed tasks can be reassigned. Refresh to see where it is now.${nothing}`;
    case 'UNKNOWN_REFERENCE':
      return err.field === 'userId'
        ? `That user does not exist or is no longer active.${nothing}`
        : `${about || ''}That task no longer exists.${nothing}`;
    case 'NOT_FOUND':
      return `That task no longer exists.${nothing}`;
    case 'FORBIDDEN':
      return `You may not reassign tasks: ${err.message}`;
    case 'NETWORK':
      return `${err.message}. Nothing was sent, or the answer was lost: refresh to check.`;
    default:
      return `${about}${capital(err.message)} (${err.code}).${nothing}`;
  }
}

/** A refused retry of a failing workflow step. */
export function retryRefusal(err: unknown): string {
  if (!(err instanceof ApiError)) return `The retry failed: ${(err as Error).message}`;
  switch (err.code) {
    case 'NOTHING_TO_RETRY':
      return `Nothing to retry: ${err.message}.`;
    case 'WORKFLOW_NOT_RUNNING':
      return `Cannot retry: ${err.message}.`;
    case 'RETRY_NOT_SUPPORTED':
      return `This Temporal server cannot retry a step on request. ${capital(err.message)}.`;
    default:
      return `${capital(err.message)} (${err.code}).`;
  }
}

export function loadFailure(what: string, err: Error | undefined): string | null {
  if (!err) return null;
  return `Could not load ${what}: ${err.message}${err instanceof ApiError ? ` (${err.code})` : ''}`;
}

function capital(s: string): string {
  return s ? s[0].toUpperCase() + s.slice(1) : s;
}
