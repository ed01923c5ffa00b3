// Calls from the API into Temporal, each bounded by a deadline: an HTTP request must not hang on a cluster
// that is down. Transport failures become a 503 that is safe to retry; what Temporal itself answers
// (already started, not found, update refused) passes through for the caller to map.
import { isGrpcServiceError, ServiceError, WorkflowUpdateRPCTimeoutOrCancelledError, type Client } from '@temporalio/client';
import { TemporalUnavailableError, type Log } from './errors';

export interface TemporalTimeouts {
  /** starts, signals, describes */
  callMs: number;
  /** executeUpdate waits for the workflow's handler, so it gets longer */
  updateMs: number;
  /** GET /api/claims/:id answers without the workflow's view rather than wait for a worker */
  queryMs: number;
}

export const DEFAULT_TEMPORAL_TIMEOUTS: TemporalTimeouts = { callMs: 5_000, updateMs: 15_000, queryMs: 2_000 };

export function isTemporalUnavailable(err: unknown): boolean {
  return err instanceof ServiceError || err instanceof WorkflowUpdateRPCTimeoutOrCancelledError || isGrpcServiceError(err);
}

/** Runs `fn` under a deadline; a transport failure is logged (gRPC status only) and becomes TemporalUnavailableError. */
export async function callTemporal<T>(temporal: Client, timeoutMs: number, what: string, log: Log, fn: () => Promise<T>): Promise<T> {
  try {
    return await temporal.withDeadline(Date.now() + timeoutMs, fn);
  } catch (err) {
    if (!isTemporalUnavailable(err)) throw err;
    log('temporal call failed', { call: what, error: (err as Error).name, grpcCode: grpcCode(err) });
    // The server answered but no worker ran the update in time: the claim's workflow, not Temporal, is unavailable.
    if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError) {
      throw new TemporalUnavailableError("the claim's workflow did not answer in time; retry later", 'WORKFLOW_UNAVAILABLE');
    }
    throw new TemporalUnavailableError();
  }
}

/** The gRPC status code of a Temporal call's failure, when it has one (5 NOT_FOUND, 12 UNIMPLEMENTED, ...). */
export function grpcCode(err: unknown): number | undefined {
  const candidate = isGrpcServiceError(err) ? err : (err as { cause?: unknown }).cause;
  return isGrpcServiceError(candidate) ? candidate.code : undefined;
}
