// The answers the dashboard reads, taken from the API's zod schemas with `import type` (the supervisor's own in
// api/supervisor/schemas.ts, the users' and tasks' from their features, the claim's and the task's from ../types):
// when the API changes, this build fails instead of the screen.
import type { z } from 'zod';
import type { userListResponse } from '../../../api/auth/users';
import type { taskListResponse } from '../../../api/tasks/schemas';
import type {
  arResponse,
  queueHealthResponse,
  retryActivityResponse,
  stuckClaimsResponse,
  stuckReason,
} from '../../../api/supervisor/schemas';
import type { ClaimDetail, QueuePage, TaskView } from '../types';

export type StuckClaims = z.output<typeof stuckClaimsResponse>;
export type StuckClaim = StuckClaims['items'][number];
export type StuckReason = z.output<typeof stuckReason>;
export type ApiLink = Extract<StuckReason, { code: 'ACTIVITY_FAILING' }>['retry'];
export type QueueHealth = z.output<typeof queueHealthResponse>;
export type ArMeasures = z.output<typeof arResponse>;
export type AgingRow = ArMeasures['aging']['total'];
export type AgingBucket = AgingRow['buckets'][number];
export type RetryAnswer = z.output<typeof retryActivityResponse>;
export type AssignableUser = z.output<typeof userListResponse>['items'][number];

export type ReassignedTasks = z.output<typeof taskListResponse>;

export type { ClaimDetail, TaskView };

/** A queue's listing: the supervisor reads it as the queue screen does. */
export type TaskPage = QueuePage;

/** What the dashboard keeps about a task chosen for reassignment. */
export interface SelectedTask {
  id: string;
  kind: string;
  queue: string;
  claimId: string | null;
  assigneeId: string | null;
}
