// POST /api/claims/check: the scrubber's findings on a claim before it is sent, from the same parties and
// code sets the workflow's scrub step uses, within the caller's practices, and nothing written.
import { describe, expect, it } from 'vitest';
import { LAKESIDE_PATIENT_IDS, PATIENT_IDS, PAYER_IDS, PROVIDER_IDS } from '../../app/seed';
import { useApiFixture } from '../testSupport';
import { claimCheckResponse } from './schemas';

const f = useApiFixture();

const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);

// pat-01 is a Medicare patient of Riverbend (see app/seed.ts); biller-1, the default caller, works Riverbend only.
const claimBody = () => ({
  patientId: PATIENT_IDS[0],
  providerId: PROVIDER_IDS.familyMedicine,
  dateOfService: daysAgo(3),
  placeOfService: '11',
  documentation: 'Follow-up for type 2 diabetes mellitus without complications; hypertension stable.',
  lines: [
    { procedureCode: '99214', units: 1, chargeCents: 21_000, diagnosisPointers: [1, 2] },
    { procedureCode: '36415', units: 1, chargeCents: 2_500, diagnosisPointers: [1] },
  ],
  diagnoses: ['E11.9', 'I10'],
});

/** Every table a check could write to. */
async function countRows() {
  const p = f.db.prisma;
  return {
    claims: await p.claim.count(),
    encounters: await p.encounter.count(),
    lines: await p.claimLine.count(),
    diagnoses: await p.claimDiagnosis.count(),
    inbound: await p.inboundMessage.count(),
    audit: await p.auditEvent.count(),
  };
}

async function check(body: unknown, user?: string) {
  const before = await countRows();
  const res = await f.api.request('POST', '/api/claims/check', { body, user });
  expect(await countRows()).toEqual(before);
  return res;
}

describe('POST /api/claims/check', () => {
  it('passes a clean claim, says whom it would bill and what it checked against, and writes nothing', async () => {
    const res = await check(claimBody());
    expect(res.status, res.text).toBe(200);
    const answer = claimCheckResponse.parse(res.body);
    expect(answer).toMatchObject({ passed: true, failures: [], payer: { id: PAYER_IDS.medicare }, totalChargeCents: 23_500 });
    expect(answer.coverage.priority).toBe('PRIMARY');
    expect(answer.editsRun).toEqual(expect.arrayContaining(['DX-002', 'DX-003', 'PTR-001', 'CHG-001']));
    expect(answer.codeSetVersions.some((v) => v.startsWith('ICD-10-CM'))).toBe(true);
  });

  it('names a diagnosis the ICD-10-CM version does not have, and a category header, by their fields', async () => {
    const res = await check({ ...claimBody(), diagnoses: ['E11.99', 'E11'] });
    expect(res.status, res.text).toBe(200);
    expect(res.body.passed).toBe(false);
    expect(res.body.failures).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ editId: 'DX-002', severity: 'ERROR', route: 'CODER', field: 'diagnoses[0]' }),
        expect.objectContaining({ editId: 'DX-003', severity: 'ERROR', route: 'CODER', field: 'diagnoses[1]' }),
      ]),
    );
  });

  it('finds lines pointing at no diagnosis when none are listed, and a date of service in the future', async () => {
    const body = { ...claimBody(), diagnoses: undefined, dateOfService: daysAgo(-2), lines: [claimBody().lines[1]] };
    const res = await check(body);
    expect(res.status, res.text).toBe(200);
    expect(res.body.passed).toBe(false);
    const ids = res.body.failures.map((x: { editId: string }) => x.editId);
    expect(ids).toEqual(expect.arrayContaining(['DX-001', 'PTR-001', 'DOS-001']));
    expect(res.body.failures.find((x: { editId: string }) => x.editId === 'DOS-001').field).toBe('dateOfService');
  });

  it("answers 422 for another practice's patient, as for one that does not exist, and 400 for a bad body", async () => {
    const other = await check({ ...claimBody(), patientId: LAKESIDE_PATIENT_IDS[0], providerId: PROVIDER_IDS.lakesidePediatrics });
    expect(other.status).toBe(422);
    expect(other.body.error).toMatchObject({ code: 'UNKNOWN_REFERENCE', field: 'patientId' });
    const missing = await check({ ...claimBody(), patientId: 'pat-nobody' });
    expect(missing.status).toBe(422);
    expect(missing.body.error.message).toBe(other.body.error.message);
    // Someone who works for both practices may check the Lakeside claim.
    const allowed = await check(
      { ...claimBody(), patientId: LAKESIDE_PATIENT_IDS[0], providerId: PROVIDER_IDS.lakesidePediatrics },
      'biller-2',
    );
    expect(allowed.status, allowed.text).toBe(200);
    const mismatch = await check({ ...claimBody(), providerId: PROVIDER_IDS.lakesidePediatrics }, 'biller-2');
    expect(mismatch.body.error).toMatchObject({ code: 'PRACTICE_MISMATCH', field: 'providerId' });
    const bad = await check({ ...claimBody(), lines: [{ ...claimBody().lines[0], chargeCents: 12.5 }] });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'lines[0].chargeCents' });
  });

  it('is for billing roles: a coder is refused', async () => {
    const res = await check(claimBody(), 'coder-1');
    expect(res.status).toBe(403);
  });
});
