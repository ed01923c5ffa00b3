// What the supervisor's views share.

/** Where the supervisor's routes are mounted: answers link to them (a failing step's retry). */
export const SUPERVISOR_MOUNT = '/api/supervisor';

/** States a claim's lifecycle has ended in (or is about to, for WRITTEN_OFF): not in A/R. */
export const CLOSED_STATES = ['CLOSED', 'VOIDED', 'WRITTEN_OFF'];

export function round1(x: number): number {
  return Math.round(x * 10) / 10;
}
