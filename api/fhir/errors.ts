// Errors of the /fhir routes: every refusal is an OperationOutcome whose issue names the FHIR element at fault
// (ApiError.field holds its FHIRPath), answered as application/fhir+json.
import { FhirInputError } from '../../domain/fhir/claimIn';
import { issueTypeOfStatus, operationOutcome, type IssueType } from '../../domain/fhir/operationOutcome';
import { ApiError, type ErrorRenderer } from '../http/errors';

export const FHIR_JSON = 'application/fhir+json';

/** A refusal that knows its OperationOutcome issue type (required, value, not-supported...). */
export class FhirRefusal extends ApiError {
  constructor(
    status: number,
    code: string,
    message: string,
    expression: string | undefined,
    readonly issueType: IssueType,
  ) {
    super(status, code, message, expression);
  }
}

/** A message that is not the FHIR claimflow reads: 400 naming the element. */
export function refusalOf(err: FhirInputError): FhirRefusal {
  return new FhirRefusal(400, 'INVALID_RESOURCE', err.message, err.expression, err.issueType);
}

/** Well-formed FHIR naming something claimflow does not have (or that does not add up): 422 naming the element. */
export function unprocessable(expression: string, message: string, code = 'UNKNOWN_REFERENCE'): FhirRefusal {
  return new FhirRefusal(422, code, message, expression, 'business-rule');
}

export const renderOperationOutcome: ErrorRenderer = (err, res) => {
  const outcome = operationOutcome({
    code: err instanceof FhirRefusal ? err.issueType : issueTypeOfStatus(err.status),
    diagnostics: err.message,
    errorCode: err.code,
    ...(err.field ? { expression: err.field } : {}),
  });
  res.status(err.status).type(FHIR_JSON).send(JSON.stringify(outcome));
};
