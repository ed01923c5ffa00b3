import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, eventLog, REDACTED, temporalLogger } from './log';

/** A logger writing into memory, and its lines parsed. */
function capture(level: 'trace' | 'info' | 'warn' = 'info') {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      text += chunk.toString('utf8');
      done();
    },
  });
  const logger = createLogger({ level, destination: stream, base: { component: 'test' } });
  const lines = () =>
    text
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  return { logger, lines, text: () => text };
}

const PATIENT = {
  firstName: 'Evelyn',
  lastName: 'Marsh',
  birthDate: '1948-03-14',
  addressLine: '12 Larch Lane',
  memberId: '9DM107919X1',
};

describe('the log (pino)', () => {
  it('writes one JSON object per line: level as a word, an ISO time, the message and the fields', () => {
    const { logger, lines } = capture();
    logger.info({ claimId: 'clm-1', state: 'SUBMITTED' }, 'claim moved');
    const [line] = lines();
    expect(line).toMatchObject({ level: 'info', component: 'test', claimId: 'clm-1', state: 'SUBMITTED', msg: 'claim moved' });
    expect(line.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('redacts PHI fields wherever they sit: top level, nested objects, arrays', () => {
    const { logger, lines, text } = capture();
    logger.info(
      {
        claimId: 'clm-1',
        ...PATIENT,
        patient: { firstName: 'Evelyn' },
        request: { body: { documentation: 'persistent cough' } },
        claims: [{ claimId: 'clm-2', subscriber: { memberId: '9DM107919X1' }, note: 'spoke with Evelyn' }],
        encounter: { visit: { detail: { dateOfService: '2026-05-01', diagnoses: ['R05.9'] } } },
        headers: { authorization: 'Bearer cf_secret' },
      },
      'everything a careless caller could pass',
    );
    const [line] = lines();
    expect(line).toMatchObject({
      claimId: 'clm-1',
      firstName: REDACTED,
      lastName: REDACTED,
      birthDate: REDACTED,
      addressLine: REDACTED,
      memberId: REDACTED,
      patient: REDACTED,
      request: { body: REDACTED },
      claims: [{ claimId: 'clm-2', subscriber: REDACTED, note: REDACTED }],
      encounter: { visit: { detail: { dateOfService: REDACTED, diagnoses: REDACTED } } },
      headers: { authorization: REDACTED },
    });
    for (const value of [...Object.values(PATIENT), 'persistent cough', 'R05.9', '2026-05-01', 'cf_secret', 'spoke with']) {
      expect(text(), value).not.toContain(value);
    }
  });

  it("writes an error's kind and code, never its message or stack (they can quote a request)", () => {
    const { logger, text } = capture();
    const err = Object.assign(new TypeError(`no patient named ${PATIENT.lastName}`), { code: 'E_LOOKUP' });
    logger.error({ err }, 'lookup failed');
    expect(JSON.parse(text())).toMatchObject({ err: { type: 'TypeError', code: 'E_LOOKUP' }, msg: 'lookup failed' });
    expect(text()).not.toContain(PATIENT.lastName);
  });

  it("keeps the API's Log calls working: an event with its fields, at warn unless the call names a level", () => {
    const { logger, lines } = capture();
    const log = eventLog(logger);
    log('signal not delivered: workflow closed', { claimId: 'clm-1', signal: 'remittance' });
    log('request failed', { route: '/api/claims/:id', status: 500, lastName: 'Marsh' }, 'error');
    expect(lines()).toMatchObject([
      { level: 'warn', msg: 'signal not delivered: workflow closed', claimId: 'clm-1', signal: 'remittance' },
      { level: 'error', msg: 'request failed', route: '/api/claims/:id', status: 500, lastName: REDACTED },
    ]);
  });

  it("takes the Temporal SDK's log entries, at the logger's level, their metadata as fields (redacted too)", () => {
    const { logger, lines } = capture('trace');
    const sdk = temporalLogger(logger.child({}, { level: 'info' }));
    sdk.debug('Activity started', { activityType: 'scrubClaim' });
    sdk.info('Activity completed', { activityType: 'scrubClaim', workflowId: 'claim-clm-1', durationMs: 12 });
    sdk.log('WARN', 'Workflow task failed', { workflowId: 'claim-clm-1', memberId: '9DM107919X1' });
    expect(lines()).toMatchObject([
      { level: 'info', msg: 'Activity completed', activityType: 'scrubClaim', workflowId: 'claim-clm-1', durationMs: 12 },
      { level: 'warn', msg: 'Workflow task failed', memberId: REDACTED },
    ]);
  });
});
