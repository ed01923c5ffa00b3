// The API's one error model: every failure a caller can act on is an ApiError with an HTTP status and a
// code, and one express handler turns it (or anything unexpected) into { error: { code, message, field? } }.
import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import type { z } from 'zod';
import { Prisma } from '../../generated/prisma/client';
import { routePattern } from './routes';

export interface ErrorBody {
  error: { code: string; message: string; field?: string };
}

export class ApiError extends Error {
  /** set by errors a caller should retry after a pause: the answer carries it as Retry-After */
  readonly retryAfterS?: number;

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The request itself is malformed: the caller must change it. */
export class ValidationError extends ApiError {
  constructor(message: string, field?: string) {
    super(400, 'VALIDATION_FAILED', message, field);
  }
}

export class UnauthenticatedError extends ApiError {
  constructor(message = 'a valid bearer token is required (Authorization: Bearer <token>)') {
    super(401, 'UNAUTHENTICATED', message);
  }
}

/** Authenticated, but this role may not do this. */
export class ForbiddenError extends ApiError {
  constructor(message: string, code = 'FORBIDDEN', field?: string) {
    super(403, code, message, field);
  }
}

export class NotFoundError extends ApiError {
  constructor(what: string) {
    super(404, 'NOT_FOUND', `${what} not found`);
  }
}

/** The request is well-formed but clashes with the current state of what it addresses. */
export class ConflictError extends ApiError {
  constructor(code: string, message: string) {
    super(409, code, message);
  }
}

/** Well-formed, but it refers to something that does not exist or does not add up (e.g. an unbalanced remittance). */
export class UnprocessableError extends ApiError {
  constructor(code: string, message: string, field?: string) {
    super(422, code, message, field);
  }
}

/** Too many requests from one address to one route within the window; retry after `retryAfterS`. */
export class RateLimitedError extends ApiError {
  constructor(override readonly retryAfterS: number) {
    super(429, 'RATE_LIMITED', `too many requests; retry in ${retryAfterS} s`);
  }
}

/** Temporal could not be reached in time; what was stored stays stored and a retry is safe. */
export class TemporalUnavailableError extends ApiError {
  constructor(message = 'the workflow service is unavailable; retry later', code = 'TEMPORAL_UNAVAILABLE') {
    super(503, code, message);
  }
}

/** The database could not be reached (down, restarting, connections cut): nothing was changed, a retry is safe. */
export class DatabaseUnavailableError extends ApiError {
  /** seconds a caller should wait before retrying: about how long a database restart or failover takes */
  override readonly retryAfterS = 5;
  constructor(message = 'the database is unavailable; try again shortly') {
    super(503, 'DATABASE_UNAVAILABLE', message);
  }
}

/**
 * The database is up but did not answer in time (an interactive transaction hit its deadline, or no pooled
 * connection came free): the transaction was rolled back, so a retry is safe.
 */
export class DatabaseBusyError extends ApiError {
  override readonly retryAfterS = 2;
  constructor(message = 'the database did not answer in time; try again shortly') {
    super(503, 'DATABASE_BUSY', message);
  }
}

// Prisma's codes for "could not talk to the server" (P1001 unreachable, P1002 timed out, P1008 operation
// timed out, P1017 server closed the connection, P2024 no pooled connection in time) and the driver adapter's
// kinds for the same, which arrive under other codes (P2010 for raw queries).
const UNREACHABLE_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024']);
const UNREACHABLE_KINDS = new Set(['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout', 'TooManyConnections']);
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH']);

/** True when `err` says the database could not be reached, as opposed to a query it refused. */
export function isDatabaseUnavailable(err: unknown): boolean {
  if (err instanceof Prisma.PrismaClientInitializationError) return true;
  if (err instanceof Prisma.PrismaClientKnownRequestError) {
    if (UNREACHABLE_CODES.has(err.code)) return true;
    const kind = (err.meta as { driverAdapterError?: { cause?: { kind?: unknown } } } | undefined)?.driverAdapterError?.cause?.kind;
    return typeof kind === 'string' && UNREACHABLE_KINDS.has(kind);
  }
  if (err instanceof Prisma.PrismaClientUnknownRequestError || err instanceof Prisma.PrismaClientRustPanicError) {
    return /connection terminated|server has closed the connection|can't reach database/i.test(err.message);
  }
  // pg itself (token checks and the like that skip Prisma)
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && SOCKET_CODES.has(code);
}

/** `lines[0].chargeCents` from ['lines', 0, 'chargeCents']. */
export function fieldPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out;
}

/** Parses with a zod schema, turning the first issue into a 400 that names the field. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, prefix: PropertyKey[] = []): z.output<S> {
  // express.json leaves the body undefined unless the request says Content-Type: application/json.
  if (value === undefined && prefix.length === 0) {
    throw new ValidationError('a JSON body is required (Content-Type: application/json)');
  }
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = [...prefix, ...issue.path];
  // An unknown key is reported on the object; name the key itself so the caller sees the typo.
  if (issue.code === 'unrecognized_keys' && issue.keys.length > 0) path.push(issue.keys[0]);
  const field = fieldPath(path);
  throw new ValidationError(issue.message, field || undefined);
}

export function isUniqueViolation(err: unknown): boolean {
  return err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002';
}

export const unknownRoute: RequestHandler = (req, _res, next) => {
  next(new ApiError(404, 'NOT_FOUND', `no route for ${req.method} ${req.path}`));
};

/** An event and its fields (ids, codes, counts: never PHI), at `warn` unless `level` says otherwise. */
export type Log = (msg: string, fields?: object, level?: 'info' | 'warn' | 'error') => void;

/** Writes an error's answer: claimflow's { error } body, or another shape (the /fhir routes' OperationOutcome). */
export type ErrorRenderer = (error: ApiError, res: Response) => void;

const renderErrorBody: ErrorRenderer = (apiError, res) => {
  const body: ErrorBody = { error: { code: apiError.code, message: apiError.message } };
  if (apiError.field) body.error.field = apiError.field;
  res.status(apiError.status).json(body);
};

/**
 * Maps every error to the error body. Unexpected errors are logged by name and Prisma code only:
 * their messages and stacks can carry request values (PHI), so neither leaves the process.
 */
export function errorHandler(log: Log, render: ErrorRenderer = renderErrorBody): ErrorRequestHandler {
  return (err, req, res, next) => {
    if (res.headersSent) return next(err);
    const apiError = toApiError(err);
    if (apiError.status >= 500) {
      log(
        'request failed',
        {
          method: req.method,
          route: routePattern(req),
          status: apiError.status,
          code: apiError.code,
          error: err instanceof Error ? err.name : typeof err,
          prismaCode: err instanceof Prisma.PrismaClientKnownRequestError ? err.code : undefined,
        },
        'error',
      );
    }
    if (apiError.retryAfterS !== undefined) res.set('Retry-After', String(apiError.retryAfterS));
    render(apiError, res);
  };
}

function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (isDatabaseUnavailable(err)) return new DatabaseUnavailableError();
  // P2028: a transaction past its timeout or maxWait, which Prisma rolled back
  if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2028') return new DatabaseBusyError();
  // body-parser's errors carry a `type`; only their kind is reported, never the offending text.
  const type = (err as { type?: unknown } | null)?.type;
  if (type === 'entity.parse.failed') return new ApiError(400, 'MALFORMED_JSON', 'the request body is not valid JSON');
  if (type === 'entity.too.large') return new ApiError(413, 'PAYLOAD_TOO_LARGE', 'the request body is too large');
  if (type === 'encoding.unsupported' || type === 'charset.unsupported') {
    return new ApiError(415, 'UNSUPPORTED_ENCODING', 'the request body encoding is not supported');
  }
  // express's router and body-parser mark the caller's mistakes with a 4xx `status`; their messages quote the
  // request (a path segment can be a name), so only the kind is reported.
  const status = (err as { status?: unknown } | null)?.status;
  if (err instanceof URIError && status === 400) return new ApiError(400, 'MALFORMED_URL', 'the request URL is not valid percent-encoding');
  if (typeof status === 'number' && Number.isInteger(status) && status >= 400 && status < 500) {
    return new ApiError(status, 'BAD_REQUEST', 'the request could not be read');
  }
  return new ApiError(500, 'INTERNAL', 'internal error');
}
