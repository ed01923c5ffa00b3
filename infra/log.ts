// The log: JSON lines written by pino, one logger per process made here, and its children for the parts of a
// process (the API, the Temporal worker). Callers pass ids, codes and counts, never PHI; as a safety net the
// fields that would hold PHI are redacted wherever they sit in what is logged (REDACT_PATHS).
import type { LogLevel as TemporalLogLevel, LogMetadata, Logger as TemporalLogger } from '@temporalio/common';
import pino, { type DestinationStream, type Logger } from 'pino';
import type { LogLevel } from './config';

export type { Logger } from 'pino';

/**
 * Field names that hold PHI (or credentials) in claimflow's data: a patient's names, birth date, sex, address and
 * contact, insurance member and group numbers, dates of service, diagnoses, clinical notes, task notes and request
 * bodies. Matched by name at any of the first four levels of a log line's fields.
 */
export const PHI_FIELDS = [
  'firstName',
  'lastName',
  'middleName',
  'fullName',
  'name',
  'patientName',
  'patient',
  'subscriber',
  'birthDate',
  'dateOfBirth',
  'dob',
  'sex',
  'ssn',
  'address',
  'addressLine',
  'addressLine1',
  'addressLine2',
  'city',
  'postalCode',
  'zip',
  'phone',
  'email',
  'memberId',
  'subscriberId',
  'groupNumber',
  'dateOfService',
  'diagnoses',
  'documentation',
  'note',
  'notes',
  'body',
  'authorization',
  'token',
] as const;

/** Every PHI field at depth 0 to 3 (`firstName`, `*.firstName`, `*.*.firstName`, `*.*.*.firstName`); `*` matches array items too. */
export const REDACT_PATHS: readonly string[] = PHI_FIELDS.flatMap((f) => [f, `*.${f}`, `*.*.${f}`, `*.*.*.${f}`]);

export const REDACTED = '[REDACTED]';

export interface LoggerOptions {
  level: LogLevel;
  /** a file (appended to, created if missing) or a stream; stderr when absent */
  destination?: string | DestinationStream;
  /** fields on every line, e.g. { component: 'api' } */
  base?: Record<string, unknown>;
}

/**
 * A process's logger: one JSON object per line with `level` as a word, `time` as an ISO instant and `msg`, PHI
 * fields redacted. Writes are synchronous, so that nothing is lost when a process exits or crashes.
 */
export function createLogger(o: LoggerOptions): Logger {
  const destination =
    typeof o.destination === 'string'
      ? pino.destination({ dest: o.destination, sync: true, append: true, mkdir: true })
      : (o.destination ?? pino.destination({ dest: 2, sync: true }));
  return pino(
    {
      level: o.level,
      base: { pid: process.pid, ...o.base },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: [...REDACT_PATHS], censor: REDACTED },
      // An error's message and stack can quote what a request carried (a name in a path, a value a parser
      // refused): only its kind and code are written, as the API has always done.
      serializers: { err: errorKind },
    },
    destination,
  );
}

function errorKind(err: unknown): { type: string; code?: string } {
  if (!(err instanceof Error)) return { type: typeof err };
  const code = (err as { code?: unknown }).code;
  return { type: err.name, ...(typeof code === 'string' ? { code } : {}) };
}

/** The API's event log (api/http/errors.ts `Log`): an event and its fields, at warn unless told. */
export type EventLog = (msg: string, fields?: object, level?: 'info' | 'warn' | 'error') => void;

export function eventLog(logger: Logger): EventLog {
  return (msg, fields, level = 'warn') => logger[level](fields ?? {}, msg);
}

const TEMPORAL_TO_PINO = { TRACE: 'trace', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error' } as const;

/**
 * The Temporal SDK's Logger over pino, for Runtime.install({ logger }): the worker's own entries, workflow and
 * activity logs and (with log forwarding) the SDK core's, each with its metadata as fields. pino's level decides
 * what is written.
 */
export function temporalLogger(logger: Logger): TemporalLogger {
  const write = (level: TemporalLogLevel, message: string, meta?: LogMetadata) => {
    const method = TEMPORAL_TO_PINO[level] ?? 'info';
    if (!logger.isLevelEnabled(method)) return;
    logger[method]({ ...meta }, message);
  };
  return {
    log: write,
    trace: (message, meta) => write('TRACE', message, meta),
    debug: (message, meta) => write('DEBUG', message, meta),
    info: (message, meta) => write('INFO', message, meta),
    warn: (message, meta) => write('WARN', message, meta),
    error: (message, meta) => write('ERROR', message, meta),
  };
}
