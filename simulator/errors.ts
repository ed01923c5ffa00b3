// The simulator's errors, each with a code a caller can act on; server.ts maps them to HTTP once.

export class SimulatorError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly httpStatus: number,
    readonly field?: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The request body broke the contract; `field` is a dotted path such as `lines.0.chargeCents`. */
export class ValidationError extends SimulatorError {
  constructor(message: string, field?: string) {
    super('VALIDATION_FAILED', message, 400, field);
  }
}

export class NotFoundError extends SimulatorError {
  constructor(message: string) {
    super('NOT_FOUND', message, 404);
  }
}

/** The request is valid but the simulator cannot act on it as configured. */
export class ConflictError extends SimulatorError {
  constructor(code: string, message: string) {
    super(code, message, 409);
  }
}

/** No token, or not the simulator's. */
export class UnauthorizedError extends SimulatorError {
  constructor() {
    super('UNAUTHENTICATED', 'the simulator wants its token (Authorization: Bearer <SIMULATOR_TOKEN>)', 401);
  }
}

/** Answered by the chaos knob instead of the real handler. */
export class InjectedFaultError extends SimulatorError {
  constructor(status: number) {
    super('INJECTED_FAULT', 'fault injected by /admin/faults', status);
  }
}

/** Bad environment or options at start-up, or a state file that does not fit them. */
export class SimulatorConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SimulatorConfigError';
  }
}
