// PHI stays out of Temporal in plain text: a claim's whole workflow history, read back from the server
// without our keys, holds no patient name, birth date, member id, date of service, diagnosis or note.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PATIENT_IDS, USER_IDS } from '../app/seed';
import { workflowIdForClaim } from '../workflows/contract';
import { startHarness, type Harness } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ timeSkipping: true });
});
afterAll(async () => {
  await h?.shutdown();
});

describe('PHI in Temporal history', () => {
  it('finds none of the patient identifiers in a claim history fetched from the server', async () => {
    const patientId = PATIENT_IDS[1];
    const patient = await h.db.prisma.patient.findUniqueOrThrow({ where: { id: patientId }, include: { coverages: true } });
    const claimId = await h.createClaim({ patientId, documentation: 'Patient reports persistent cough for two weeks.' });
    await h.forceScenario(claimId, 'CODING_DENIAL');
    const review = await h.waitForTask(claimId, 'CODE_REVIEW');
    await h.completeTask(
      review.id,
      { action: 'CONFIRM_CODES', diagnoses: ['R05.9', 'I10'], note: `spoke with ${patient.firstName}` },
      USER_IDS.coder1,
    );
    await h.waitForState(claimId, 'SUBMITTED');
    await h.deliver(claimId, 'acknowledgement');
    await h.deliver(claimId, 'remittance');
    await h.waitForTask(claimId, 'CHART_AUDIT');

    // The test environment's own client has no keys: it sees what the server stores.
    const history = await h.env.client.workflow.getHandle(workflowIdForClaim(claimId)).fetchHistory();
    const raw = JSON.stringify(history, (_k, v) => (v instanceof Uint8Array ? Buffer.from(v).toString('latin1') : v));
    expect(raw.length).toBeGreaterThan(5_000);
    const claim = await h.db.prisma.claim.findUniqueOrThrow({ where: { id: claimId }, include: { encounter: true } });
    const dos = claim.encounter.dateOfService.toISOString().slice(0, 10);
    const secrets = [
      patient.firstName,
      patient.lastName,
      patient.birthDate.toISOString().slice(0, 10),
      patient.addressLine,
      ...patient.coverages.map((c) => c.memberId),
      dos,
      'R05.9',
      'persistent cough',
    ];
    for (const s of secrets) expect(raw, `history contains ${s}`).not.toContain(s);
    // ...while our own client reads the same history in full
    const status = await h.status(claimId);
    expect(status.state).toBe('DENIED');
  });
});
