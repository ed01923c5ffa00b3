import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApplicationFailure } from '@temporalio/common';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimSubmission, SIM_TOKEN, startSimulator, type StartedSimulator } from '../simulator/testSupport';
import { ClearinghouseUnavailableError, createClearinghouse, HttpClearinghouse } from './clearinghouse';

let sim: StartedSimulator;
let clearinghouse: HttpClearinghouse;

beforeAll(async () => {
  sim = await startSimulator();
  clearinghouse = new HttpClearinghouse(`${sim.url}/`, { timeoutMs: 2_000, token: SIM_TOKEN });
});
afterAll(async () => {
  await sim.running.close();
});

async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected the call to fail');
}

const retryable = (err: Error) => !(err instanceof ApplicationFailure && err.nonRetryable);

describe('HttpClearinghouse against the running simulator', () => {
  it('submits a claim once: the same idempotency key again gets the first receipt, marked duplicate', async () => {
    const claim = claimSubmission('ADP-1');
    const first = await clearinghouse.submitClaim(claim);
    const again = await createClearinghouse(sim.url, { token: SIM_TOKEN }).submitClaim(claim);
    expect(first.duplicate).toBe(false);
    expect(again).toEqual({ clearinghouseRef: first.clearinghouseRef, duplicate: true });
    expect((await sim.get('/admin/stats')).body.submissionsPerKey['ADP-1:1']).toBe(2);
  });

  it('checks status and files an appeal', async () => {
    await sim.post('/admin/scenarios', { claimId: 'ADP-2', scenario: 'DENY_APPEAL_UPHELD' });
    await clearinghouse.submitClaim(claimSubmission('ADP-2'));
    const answer = await clearinghouse.checkStatus({ claimId: 'ADP-2', payerElectronicId: 'SIMPAYER1', idempotencyKey: 'ADP-2:status:1' });
    expect(answer).toMatchObject({ category: 'PENDING', statusCode: 'A1' });
    const receipt = await clearinghouse.fileAppeal({
      idempotencyKey: 'ADP-2:appeal:1',
      claimId: 'ADP-2',
      level: 1,
      payerElectronicId: 'SIMPAYER1',
      packet: 'appeal packet',
    });
    expect(receipt).toEqual({ appealRef: expect.any(String), duplicate: false });
  });

  it('turns a refused request (4xx) into a non-retryable ClearinghouseRejectedRequest without echoing the data', async () => {
    const claim = claimSubmission('ADP-3', 1, { billingProviderNpi: '999' });
    const err = await failure(clearinghouse.submitClaim(claim));
    expect(err).toBeInstanceOf(ApplicationFailure);
    expect(err).toMatchObject({ nonRetryable: true, type: 'ClearinghouseRejectedRequest' });
    expect(err.message).toContain('HTTP 400 VALIDATION_FAILED (field billingProviderNpi)');
    expect(err.message).not.toContain('999');
    expect(err.message).not.toContain('E11.9');
    expect((err as ApplicationFailure).details).toEqual([{ httpStatus: 400, code: 'VALIDATION_FAILED', field: 'billingProviderNpi' }]);
  });

  it('turns a 5xx into a retryable error, and the retry after the outage goes through', async () => {
    await sim.post('/admin/faults', { failNextRequests: 1, status: 503 });
    const claim = claimSubmission('ADP-4');
    const err = await failure(clearinghouse.submitClaim(claim));
    expect(err).toBeInstanceOf(ClearinghouseUnavailableError);
    expect(retryable(err)).toBe(true);
    expect(err.message).toContain('HTTP 503 INJECTED_FAULT');
    expect(await clearinghouse.submitClaim(claim)).toMatchObject({ duplicate: false });
  });

  it('times out a hung request as retryable; the retry is answered as a duplicate if the first one landed', async () => {
    await sim.post('/admin/faults', { slowNextRequests: 1, delayMs: 400 });
    const impatient = new HttpClearinghouse(sim.url, { timeoutMs: 100, token: SIM_TOKEN });
    const claim = claimSubmission('ADP-5');
    const err = await failure(impatient.submitClaim(claim));
    expect(err).toBeInstanceOf(ClearinghouseUnavailableError);
    expect(err.message).toContain('timed out after 100 ms');
    await new Promise((r) => setTimeout(r, 450));
    expect(await clearinghouse.submitClaim(claim)).toMatchObject({ duplicate: true });
    expect((await sim.get('/admin/stats')).body.submissionsPerKey['ADP-5:1']).toBe(2);
  });

  it('treats an unreachable clearinghouse as retryable', async () => {
    const closed = await freePort();
    const err = await failure(new HttpClearinghouse(`http://127.0.0.1:${closed}`).submitClaim(claimSubmission('ADP-6')));
    expect(err).toBeInstanceOf(ClearinghouseUnavailableError);
    expect(err.message).toContain('unreachable (ECONNREFUSED)');
  });

  it('sends its token, and treats a refused credential (401) as retryable: the operator fixes SIMULATOR_TOKEN, the claim still goes out', async () => {
    const err = await failure(new HttpClearinghouse(sim.url, { token: 'not-the-simulators-token' }).submitClaim(claimSubmission('ADP-8')));
    expect(err).toBeInstanceOf(ClearinghouseUnavailableError);
    expect((err as ClearinghouseUnavailableError).httpStatus).toBe(401);
    expect((await sim.get('/admin/stats')).body.submissionsPerKey['ADP-8:1']).toBeUndefined();
    expect((await clearinghouse.submitClaim(claimSubmission('ADP-8'))).duplicate).toBe(false);
  });

  it('treats a 2xx answer of the wrong shape as retryable (a misrouted URL, not a refusal)', async () => {
    const app = express();
    app.post('/claims', (_req, res) => {
      res.type('html').send('<html>login</html>');
    });
    const server: Server = await new Promise((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const err = await failure(new HttpClearinghouse(url).submitClaim(claimSubmission('ADP-7')));
      expect(err).toBeInstanceOf(ClearinghouseUnavailableError);
      expect(err.message).toContain('unexpected body');
    } finally {
      await new Promise((done) => server.close(() => done(undefined)));
    }
  });
});

async function freePort(): Promise<number> {
  const server: Server = await new Promise((resolve) => {
    const s = express().listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  await new Promise((done) => server.close(() => done(undefined)));
  return port;
}
