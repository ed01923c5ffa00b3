// X12GenerationError: a value that cannot go into a file we send, named by claim (for an 837P) and field.

export class X12GenerationError extends Error {
  readonly code = 'X12_GENERATION';
  constructor(
    readonly claimId: string | undefined,
    readonly field: string,
    readonly reason: string,
  ) {
    super(claimId === undefined ? `${field} ${reason}` : `claim ${claimId}: ${field} ${reason}`);
    this.name = 'X12GenerationError';
  }
}
