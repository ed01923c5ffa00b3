// The answers the dashboard reads. Those the API describes with zod (api/supervisor/schemas.ts, api/auth/users.ts)
// are taken from there with `import type`: when the API changes, this build fails instead of the screen.
import type { z } from 'zod';
import type { userListResponse } from '../../../api/auth/users';
import type {
  arResponse,
  queueHealthResponse,
  retryActivityResponse,
  stuckClaimsResponse,
  stuckReason,
} from '../../../api/supervisor/schemas';
import type { ClaimDetail, TaskView } from '../types';

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

export type { ClaimDetail, TaskView };

export interface TaskPage {
  items: TaskView[];
  nextCursor: string | null;
}

/** What the dashboard keeps about a task chosen for reassignment. */
export interface SelectedTask {
  id: string;
  kind: string;
  queue: string;
  claimId: string | null;
  assigneeId: string | null;
}
