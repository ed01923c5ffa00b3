// The API's answers as the workspace reads them, taken from the API's zod response schemas with `import type`
// (each feature's schemas.ts; the views themselves in api/http/viewSchemas.ts): when the API changes, this build
// fails instead of the screen.
import type { z } from 'zod';
import type { claimCheckResponse, claimDetailResponse, createClaimBody, createdClaimResponse } from '../../api/claims/schemas';
import type { chargeDryRunResponse, chargeImportRefusal, chargeImportResponse } from '../../api/imports/schemas';
import type { organizationListResponse } from '../../api/organizations/schemas';
import type { createPatientBody, patientResponse } from '../../api/patients/schemas';
import type { queuePageResponse } from '../../api/queues/schemas';
import type { icd10SearchResponse, payerListResponse, providerListResponse, reasonCodesResponse } from '../../api/reference/schemas';
import type { searchResponse } from '../../api/search/schemas';
import type { timelineResponse } from '../../api/supervisor/schemas';
import type { taskNoteResponse, taskResponse, taskWithNotesResponse } from '../../api/tasks/schemas';

export type TaskView = z.output<typeof taskResponse>;
export type QueueName = TaskView['queue'];
export type TaskWithNotes = z.output<typeof taskWithNotesResponse>;
export type TaskNote = z.output<typeof taskNoteResponse>;
export type QueuePage = z.output<typeof queuePageResponse>;
export type QueueItem = QueuePage['items'][number];

export type ClaimDetail = z.output<typeof claimDetailResponse>;
export type EligibilityCheck = NonNullable<ClaimDetail['eligibility']>;
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

// Charge entry: what registering a patient and sending a claim take (the request schemas' input) and answer.
export type OrganizationList = z.output<typeof organizationListResponse>;
export type Organization = OrganizationList['items'][number];
export type ProviderList = z.output<typeof providerListResponse>;
export type Provider = ProviderList['items'][number];
export type NewPatient = z.input<typeof createPatientBody>;
export type NewCoverage = NewPatient['coverages'][number];
export type NewClaim = z.input<typeof createClaimBody>;
export type CreatedClaim = z.output<typeof createdClaimResponse>;
export type ClaimCheck = z.output<typeof claimCheckResponse>;
export type CheckFinding = ClaimCheck['failures'][number];

/** GET /api/search: the header's search box. */
export type SearchAnswer = z.output<typeof searchResponse>;

/** POST /api/imports/charges: the dry run's report, the 422 refusal carrying the same report, and the import's answer. */
export type ChargeDryRun = z.output<typeof chargeDryRunResponse>;
export type ChargeImportRefusal = z.output<typeof chargeImportRefusal>;
export type ChargeImportDone = z.output<typeof chargeImportResponse>;
