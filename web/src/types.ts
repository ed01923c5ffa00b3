// The API's answers as the workspace reads them, taken from the API's zod response schemas with `import type`
// (each feature's schemas.ts; the views themselves in api/http/viewSchemas.ts): when the API changes, this build
// fails instead of the screen.
import type { z } from 'zod';
import type { claimDetailResponse } from '../../api/claims/schemas';
import type { patientResponse } from '../../api/patients/schemas';
import type { queuePageResponse } from '../../api/queues/schemas';
import type { icd10SearchResponse, payerListResponse, reasonCodesResponse } from '../../api/reference/schemas';
import type { timelineResponse } from '../../api/supervisor/schemas';
import type { taskNoteResponse, taskResponse, taskWithNotesResponse } from '../../api/tasks/schemas';

export type TaskView = z.output<typeof taskResponse>;
export type QueueName = TaskView['queue'];
export type TaskWithNotes = z.output<typeof taskWithNotesResponse>;
export type TaskNote = z.output<typeof taskNoteResponse>;
export type QueuePage = z.output<typeof queuePageResponse>;
export type QueueItem = QueuePage['items'][number];

export type ClaimDetail = z.output<typeof claimDetailResponse>;
export type ClaimLine = ClaimDetail['lines'][number];
export type Adjustment = ClaimDetail['payments'][number]['adjustments'][number];
export type Timeline = z.output<typeof timelineResponse>;
export type TimelineEntry = Timeline['entries'][number];

export type PayerList = z.output<typeof payerListResponse>;
export type Payer = PayerList['items'][number];
export type Patient = z.output<typeof patientResponse>;
export type CodeSearch = z.output<typeof icd10SearchResponse>;
export type CodeResult = CodeSearch['results'][number];
export type ReasonCodes = z.output<typeof reasonCodesResponse>;
