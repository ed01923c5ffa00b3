// claimflow's side of the clearinghouse contract over HTTP: the payer simulator today, the same JSON shape a
// real clearinghouse adapter would sit behind. Errors say whether retrying can help, and never carry PHI.
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type {
  AppealFiling,
  AppealReceipt,
  Clearinghouse,
  ClaimSubmission,
  StatusAnswer,
  StatusInquiry,
  SubmissionReceipt,
} from '../domain/clearinghouse';

/** The clearinghouse could not be reached or failed on its side: Temporal retries the activity. */
export class ClearinghouseUnavailableError extends Error {
  constructor(
    message: string,
    readonly httpStatus?: number,
  ) {
    super(message);
    // Temporal reports an activity's plain Error under its name as the failure type.
    this.name = 'ClearinghouseUnavailable';
  }
}

/** The ApplicationFailure type for a request the clearinghouse refused: resending it unchanged cannot succeed. */
export const CLEARINGHOUSE_REJECTED_REQUEST = 'ClearinghouseRejectedRequest';

export interface HttpClearinghouseOptions {
  /** per-request timeout; a timeout is retryable (the clearinghouse dedupes by idempotency key) */
  timeoutMs?: number;
  /** claimflow's credential at the clearinghouse, sent as Authorization: Bearer */
  token?: string;
}

export class HttpClearinghouse implements Clearinghouse {
  private readonly baseUrl: string;
  private readonly timeoutMs: number;
  private readonly authorization: Record<string, string>;

  constructor(baseUrl: string, opts: HttpClearinghouseOptions = {}) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
    this.timeoutMs = opts.timeoutMs ?? 15_000;
    this.authorization = opts.token ? { authorization: `Bearer ${opts.token}` } : {};
  }

  /** An 837P file when the submission carries one (Idempotency-Key: claimId:attempt), else the JSON form. */
  submitClaim(submission: ClaimSubmission): Promise<SubmissionReceipt> {
    const isReceipt = (b: Record<string, unknown>) => typeof b.clearinghouseRef === 'string' && typeof b.duplicate === 'boolean';
    if (submission.x12 !== undefined) {
      return this.post('/claims', submission.x12, isReceipt, {
        'content-type': 'application/edi-x12',
        'idempotency-key': submission.idempotencyKey,
      });
    }
    return this.post('/claims', submission, isReceipt);
  }

  checkStatus(inquiry: StatusInquiry): Promise<StatusAnswer> {
    return this.post('/status', inquiry, (b) => typeof b.category === 'string' && typeof b.statusCode === 'string');
  }

  fileAppeal(filing: AppealFiling): Promise<AppealReceipt> {
    return this.post('/appeals', filing, (b) => typeof b.appealRef === 'string' && typeof b.duplicate === 'boolean');
  }

  /** POST /eligibility with the 270 file; the 271 comes back as the body. */
  checkEligibility(x12: string): Promise<string> {
    return this.exchangeX12('/eligibility', x12);
  }

  /** POST /status with the 276 file; the 277 comes back as the body. */
  inquireStatus(x12: string): Promise<string> {
    return this.exchangeX12('/status', x12);
  }

  /** An X12 file out, an X12 file back: an answer that is not an interchange is the clearinghouse's fault, retried. */
  private async exchangeX12(path: string, x12: string): Promise<string> {
    const response = await this.send(path, x12, { 'content-type': 'application/edi-x12', accept: 'application/edi-x12' });
    const text = await response.text().catch(() => '');
    this.refuseFailures(path, response.status, response.status >= 400 ? safeJson(text) : undefined);
    if (!text.trimStart().startsWith('ISA')) {
      throw new ClearinghouseUnavailableError(
        `clearinghouse POST ${path} answered HTTP ${response.status} with something other than X12`,
        response.status,
      );
    }
    return text;
  }

  private async post<T>(
    path: string,
    body: unknown,
    isAnswer: (b: Record<string, unknown>) => boolean,
    headers: Record<string, string> = { 'content-type': 'application/json' },
  ): Promise<T> {
    const response = await this.send(path, typeof body === 'string' ? body : JSON.stringify(body), {
      ...headers,
      accept: 'application/json',
    });
    const payload = await response.json().catch(() => undefined);
    const status = response.status;
    this.refuseFailures(path, status, payload);
    if (!payload || typeof payload !== 'object' || !isAnswer(payload as Record<string, unknown>)) {
      // A proxy or a misrouted URL answering 2xx with something else: retrying lets an operator fix it.
      throw new ClearinghouseUnavailableError(`clearinghouse POST ${path} answered HTTP ${status} with an unexpected body`, status);
    }
    return payload as T;
  }

  private async send(path: string, body: string, headers: Record<string, string>): Promise<Response> {
    const cancelled = activityCancellation();
    const timeout = AbortSignal.timeout(this.timeoutMs);
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}${path}`, {
        method: 'POST',
        headers: { ...headers, ...this.authorization },
        body,
        signal: cancelled ? AbortSignal.any([timeout, cancelled]) : timeout,
      });
    } catch (err) {
      // Cancellation of the activity is not an outage: let the worker see the cancellation itself.
      if (cancelled?.aborted) throw cancelled.reason;
      const why = timeout.aborted ? `timed out after ${this.timeoutMs} ms` : `unreachable (${networkCause(err)})`;
      throw new ClearinghouseUnavailableError(`clearinghouse POST ${path} ${why}`);
    }
    return response;
  }

  private refuseFailures(path: string, status: number, payload: unknown): void {
    // 408 and 429 mean "not now", not "never": retry them like an outage. So do 401 and 403: our credential is
    // the operator's to fix (SIMULATOR_TOKEN), and the claim must still go out once it is.
    if (status >= 500 || status === 408 || status === 429 || status === 401 || status === 403) {
      throw new ClearinghouseUnavailableError(`clearinghouse POST ${path} answered HTTP ${status}${errorCode(payload)}`, status);
    }
    if (status >= 400) {
      throw ApplicationFailure.nonRetryable(
        `clearinghouse POST ${path} refused the request: HTTP ${status}${errorCode(payload)}`,
        CLEARINGHOUSE_REJECTED_REQUEST,
        { httpStatus: status, ...errorDetails(payload) },
      );
    }
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

export function createClearinghouse(url: string, opts?: HttpClearinghouseOptions): Clearinghouse {
  return new HttpClearinghouse(url, opts);
}

/** The running activity's cancellation signal, when called from inside an activity. */
function activityCancellation(): AbortSignal | undefined {
  try {
    return Context.current().cancellationSignal;
  } catch {
    return undefined;
  }
}

function networkCause(err: unknown): string {
  const cause = (err as { cause?: { code?: string } })?.cause;
  return cause?.code ?? (err instanceof Error ? err.name : 'error');
}

/** Only the error's code and field travel on; the simulator's message never holds values, but a real one might. */
function errorDetails(payload: unknown): { code?: string; field?: string } {
  const error = (payload as { error?: { code?: unknown; field?: unknown } } | undefined)?.error;
  return {
    ...(typeof error?.code === 'string' ? { code: error.code } : {}),
    ...(typeof error?.field === 'string' ? { field: error.field } : {}),
  };
}

function errorCode(payload: unknown): string {
  const { code, field } = errorDetails(payload);
  return code ? ` ${code}${field ? ` (field ${field})` : ''}` : '';
}
