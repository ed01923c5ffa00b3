// What every activity module needs from the outside world, built once by the worker.
// Settings come in here too, read once at start (infra/config.ts): activities never read the environment.
import type { PrismaClient } from '../generated/prisma/client';
import type { Clearinghouse } from '../domain/clearinghouse';
import type { CodeIndex } from '../domain/codeSearch';
import type { CodeSetRegistry } from '../domain/codesets/registry';
import type { UnderpaymentTolerance } from '../domain/expectedPayment';
import type { X12Identity } from '../domain/x12/claim837From';

export interface ActivityDeps {
  prisma: PrismaClient;
  clearinghouse: Clearinghouse;
  icd10: CodeIndex;
  /** the code sets the scrubber checks claims against (loadCodeSets) */
  codeSets: CodeSetRegistry;
  /** what submitClaim sends: an 837P file, or the JSON ClaimSubmission (CLAIMFLOW_SUBMISSION_FORMAT=json) */
  submissionFormat: 'x12' | 'json';
  /** who we are in the 837P files (x12Identity) */
  x12: X12Identity;
  /** how far below the contracted amount a posted line may be allowed before it is an underpayment */
  underpaymentTolerance: UnderpaymentTolerance;
}
