// The one error shape of the /fhir routes: an OperationOutcome whose issue names the FHIR element at fault. Pure.
import type { OperationOutcome, OperationOutcomeIssue } from '@medplum/fhirtypes';

export type IssueType = OperationOutcomeIssue['code'];

/** The issue type of an HTTP status, when the error itself does not say (e.g. 404 → not-found). */
export function issueTypeOfStatus(status: number): IssueType {
  if (status === 401) return 'login';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not-found';
  if (status === 409) return 'conflict';
  if (status === 413) return 'too-long';
  if (status === 415) return 'not-supported';
  if (status === 422) return 'business-rule';
  if (status === 429) return 'throttled';
  if (status >= 500) return status === 503 ? 'transient' : 'exception';
  return 'invalid';
}

export function operationOutcome(issue: {
  code: IssueType;
  diagnostics: string;
  /** the FHIRPath of the element at fault, e.g. Claim.item[1].productOrService */
  expression?: string;
  /** claimflow's error code (VALIDATION_FAILED, UNKNOWN_REFERENCE, ...), as the issue's details */
  errorCode?: string;
  severity?: OperationOutcomeIssue['severity'];
}): OperationOutcome {
  return {
    resourceType: 'OperationOutcome',
    issue: [
      {
        severity: issue.severity ?? 'error',
        code: issue.code,
        ...(issue.errorCode ? { details: { coding: [{ system: 'urn:claimflow:error', code: issue.errorCode }] } } : {}),
        diagnostics: issue.diagnostics,
        ...(issue.expression ? { expression: [issue.expression] } : {}),
      },
    ],
  };
}
