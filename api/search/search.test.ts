// The one search box, against the seeded practices: names in either order and any case, birth dates in two
// formats, member ids with or without their dashes, claim ids, dates of service; only the caller's practices.
import { beforeAll, describe, expect, it } from 'vitest';
import { LAKESIDE_PATIENT_IDS, PATIENT_IDS, PROVIDER_IDS, USER_IDS } from '../../app/seed';
import { useApiFixture } from '../testSupport';
import { searchResponse } from './schemas';

const f = useApiFixture();
const LAKE_BILLER = 'search-lake-biller';

const search = async (q: string, user: string = USER_IDS.supervisor, extra = '') => {
  const res = await f.api.request('GET', `/api/search?q=${encodeURIComponent(q)}${extra}`, { user });
  expect(res.status, res.text).toBe(200);
  expect(searchResponse.parse(res.body)).toEqual(res.body);
  return res.body as { patients: { id: string }[]; claims: { id: string }[]; understood: object; more: object };
};
const patientIds = (body: { patients: { id: string }[] }) => body.patients.map((p) => p.id);

let riverClaim: string;
let lakeClaim: string;

beforeAll(async () => {
  await f.db.prisma.user.create({ data: { id: LAKE_BILLER, name: 'Lake Biller', role: 'BILLER', organizationIds: ['org-lakeside'] } });
  const body = (patientId: string, providerId: string, dateOfService: string) => ({
    patientId,
    providerId,
    dateOfService,
    placeOfService: '11',
    documentation: 'Acute upper respiratory infection.',
    lines: [{ procedureCode: '99213', units: 1, chargeCents: 14_500, diagnosisPointers: [1] }],
    diagnoses: ['J06.9'],
  });
  const river = await f.api.request('POST', '/api/claims', {
    user: USER_IDS.biller2,
    body: body(PATIENT_IDS[0], PROVIDER_IDS.familyMedicine, '2026-11-03'),
  });
  const lake = await f.api.request('POST', '/api/claims', {
    user: USER_IDS.biller2,
    body: body(LAKESIDE_PATIENT_IDS[0], PROVIDER_IDS.lakesidePediatrics, '2026-11-04'),
  });
  riverClaim = river.body.id;
  lakeClaim = lake.body.id;
}, 120_000);

describe('GET /api/search', () => {
  it('finds a patient by last name, by first name, by both in either order, in any case, with their claims', async () => {
    for (const q of ['okafor', 'OKAFOR', 'milo', 'milo okafor', 'Okafor, Milo', 'okaf mi']) {
      const body = await search(q);
      expect(patientIds(body), q).toEqual([LAKESIDE_PATIENT_IDS[0]]);
      expect(
        body.claims.map((c) => c.id),
        q,
      ).toEqual([lakeClaim]);
    }
    expect(patientIds(await search('okafor evelyn'))).toEqual([]);
  });

  it('finds by birth date (YYYY-MM-DD or MM/DD/YYYY), alone or with a name, and a date alone also by date of service', async () => {
    // pat-01, Evelyn Marsh, born 1948-03-14
    for (const q of ['1948-03-14', '3/14/1948', 'marsh 1948-03-14']) {
      expect(patientIds(await search(q)), q).toEqual([PATIENT_IDS[0]]);
    }
    expect(patientIds(await search('marsh 1950-01-01'))).toEqual([]);
    const byDos = await search('2026-11-03');
    expect(byDos.claims.map((c) => c.id)).toEqual([riverClaim]);
    expect(byDos).toMatchObject({ understood: { date: '2026-11-03', names: [] } });
  });

  it('finds by member id with or without its dashes, and by claim id', async () => {
    // pat-01's Unity Mutual secondary is UM-107919-37
    for (const q of ['UM-107919-37', 'um10791937']) expect(patientIds(await search(q)), q).toEqual([PATIENT_IDS[0]]);
    const byClaim = await search(lakeClaim.toLowerCase());
    expect(byClaim.claims.map((c) => c.id)).toEqual([lakeClaim]);
  });

  it("searches only the caller's practices", async () => {
    expect(patientIds(await search('okafor', USER_IDS.biller1))).toEqual([]);
    expect((await search(lakeClaim, USER_IDS.biller1)).claims).toEqual([]);
    expect((await search('2026-11-04', USER_IDS.biller1)).claims).toEqual([]);
    expect(patientIds(await search('marsh', LAKE_BILLER))).toEqual([]);
    expect(patientIds(await search('okafor', LAKE_BILLER))).toEqual([LAKESIDE_PATIENT_IDS[0]]);
  });

  it('matches names without their accents and punctuation', async () => {
    const created = await f.api.request('POST', '/api/patients', {
      user: USER_IDS.biller1,
      body: {
        firstName: 'José',
        lastName: "Núñez-O'Brien",
        birthDate: '1990-02-03',
        sex: 'M',
        addressLine: '5 Elm St',
        city: 'Fairhaven',
        state: 'OR',
        postalCode: '97401',
        coverages: [{ payerId: 'payer-blue-peak', memberId: 'BPK-555-0101' }],
      },
    });
    expect(created.status).toBe(201);
    for (const q of ['nunez', 'NÚÑEZ-O', "nunezo'b", 'jose nunez', 'bpk5550101']) {
      expect(patientIds(await search(q, USER_IDS.biller1)), q).toEqual([created.body.id]);
    }
  });

  it('says when more matched than it returned', async () => {
    const many = await search('ma', USER_IDS.supervisor, '&limit=1');
    expect(many.patients).toHaveLength(1);
    expect(many.more).toMatchObject({ patients: true });
    const one = await search('1948-03-14 marsh', USER_IDS.supervisor, '&limit=1');
    expect(one.more).toEqual({ patients: false, claims: false });
  });

  it('refuses an empty, unreadable or repeated query with 400 naming the field, and audits what it showed, not what was asked', async () => {
    for (const [query, field] of [
      ['', 'q'],
      ['q=%20', 'q'],
      ['q=?!', 'q'],
      ['q=marsh&q=evelyn', 'q'],
      ['q=marsh&limit=0', 'limit'],
      ['q=marsh&limit=51', 'limit'],
      ['q=marsh&name=x', 'name'],
    ]) {
      const res = await f.api.request('GET', `/api/search?${query}`, { user: USER_IDS.biller1 });
      expect(res.status, query).toBe(400);
      expect(res.body.error.field, query).toBe(field);
    }
    await search('evelyn marsh', USER_IDS.biller1);
    const audit = await f.db.prisma.auditEvent.findFirstOrThrow({
      where: { action: 'patient.search', actor: USER_IDS.biller1 },
      orderBy: { id: 'desc' },
    });
    expect(audit.detail).toMatchObject({ patientIds: [PATIENT_IDS[0]], claimIds: [riverClaim] });
    expect(JSON.stringify(audit.detail).toLowerCase()).not.toContain('marsh');
  });
});
