// End to end on the Temporal CLI's dev server: claims move through their lifecycle while the worker
// process is killed with SIGKILL and replaced, and every claim still closes, submitted and paid once.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PATIENT_IDS, USER_IDS } from '../app/seed';
import { startHarness, type Harness } from './harness';

let h: Harness;
const children: ChildProcess[] = [];

beforeAll(async () => {
  // One "day" is a minute here: no follow-up or SLA timer fires during the test; the test drives the payer.
  h = await startHarness({ timeSkipping: false, dayMs: 60_000 });
  await h.stopWorker();
});
afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  await h?.shutdown();
});

function spawnWorker(): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.resolve('worker/main.ts')], {
    env: {
      ...process.env,
      TEMPORAL_ADDRESS: h.env.address,
      TEMPORAL_NAMESPACE: 'default',
      DATABASE_URL: h.db.url,
      SIMULATOR_URL: h.simulatorUrl,
      SIMULATOR_TOKEN: h.simulatorToken,
      CLAIMFLOW_PAYLOAD_KEYS: h.payloadKeySpec,
      // several workers on this machine: no fixed metrics port each
      CLAIMFLOW_WORKER_METRICS_ADDRESS: '',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (d: Buffer) => {
      output += d.toString();
      if (output.includes('polling task queue')) resolve(child);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`worker exited early (${code}): ${output.slice(-2000)}`)));
  });
}

describe('worker crash on the dev server', () => {
  it('kills the worker mid-lifecycle, starts another, and every claim still closes', async () => {
    const first = await spawnWorker();
    const claims: string[] = [];
    for (let i = 0; i < 6; i++) {
      const id = await h.createClaim({ patientId: PATIENT_IDS[i] });
      await h.forceScenario(id, i % 2 === 0 ? 'PAY_IN_FULL' : 'PARTIAL_PATIENT_RESP');
      claims.push(id);
    }
    for (const id of claims) {
      const review = await h.waitForTask(id, 'CODE_REVIEW', 60_000);
      expect((await h.completeTask(review.id, { action: 'CONFIRM_CODES', diagnoses: ['E11.9', 'I10'] }, USER_IDS.coder1)).status).toBe(200);
    }
    // Kill it while the scrub and submit activities of these claims are in flight.
    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));

    // The payer keeps answering while no worker runs: the signals wait in Temporal.
    const second = await spawnWorker();
    for (const id of claims) await h.waitForState(id, 'SUBMITTED', 90_000);
    for (const id of claims) await h.deliver(id, 'acknowledgement');
    second.kill('SIGKILL');
    await new Promise((r) => second.once('exit', r));
    for (const id of claims) await h.deliver(id, 'remittance');
    await spawnWorker();
    for (const id of claims) await h.waitForState(id, 'CLOSED', 90_000);

    const stats = h.simulator.stats();
    for (const id of claims) {
      expect(stats.submissionsPerKey[`${id}:1`], `claim ${id} forwarded once`).toBeGreaterThanOrEqual(1);
      const subs = await h.db.prisma.submission.findMany({ where: { claimId: id } });
      expect(subs).toHaveLength(1);
      const payments = await h.db.prisma.claimPayment.findMany({ where: { claimId: id } });
      expect(payments).toHaveLength(1);
      expect(payments[0].postedAt).not.toBeNull();
      const claim = await h.db.prisma.claim.findUniqueOrThrow({ where: { id } });
      expect(claim.balanceCents).toBe(0);
      expect(claim.paidCents + claim.adjustedCents + claim.patientRespCents).toBe(claim.totalChargeCents);
      const posted = await h.db.prisma.auditEvent.count({ where: { claimId: id, action: 'payment.posted' } });
      expect(posted).toBe(1);
    }
    expect(stats.distinctIdempotencyKeys).toBeGreaterThanOrEqual(claims.length);
    // the claims are findable by state through the search attributes the workflow keeps
    await expect
      .poll(
        async () => {
          let n = 0;
          for await (const _ of h.client.workflow.list({ query: `ClaimState = 'CLOSED'` })) n++;
          return n;
        },
        { timeout: 15_000 },
      )
      .toBe(claims.length);
  });
});
