import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { memberIdKey, nameKey } from '../../domain/search';
import { ORGANIZATION_IDS, PATIENT_IDS, PAYER_IDS, USER_IDS } from '../../app/seed';
import { workflowIdForClaim } from '../../workflows/contract';
import { useApiFixture, type ApiFixture } from '../testSupport';
import { CSV_ENCOUNTER_KIND } from './chargeImport';
import { chargeDryRunResponse, chargeImportRefusal, chargeImportResponse } from './schemas';

const f: ApiFixture = useApiFixture();

const NPI = { familyMedicine: '1457293011', internalMedicine: '1673840256', lakeside: '1384629501' };
const HEADER = [
  'encounter_id',
  'patient_id',
  'patient_last_name',
  'patient_first_name',
  'patient_birth_date',
  'patient_sex',
  'patient_address',
  'patient_city',
  'patient_state',
  'patient_zip',
  'payer_id',
  'member_id',
  'group_number',
  'provider_npi',
  'date_of_service',
  'place_of_service',
  'diagnoses',
  'procedure_code',
  'modifiers',
  'units',
  'charge',
  'diagnosis_pointers',
  'documentation',
];
type Row = Partial<Record<string, string>>;
const csvField = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
/** A file as a spreadsheet exports it: byte order mark, CRLF. */
const csv = (rows: Row[]) =>
  `\ufeff${[HEADER.join(','), ...rows.map((r) => HEADER.map((c) => csvField(r[c] ?? '')).join(','))].join('\r\n')}\r\n`;

const NEW_PATIENT: Row = {
  patient_last_name: "O'Hara",
  patient_first_name: 'Maeve',
  patient_birth_date: '05/06/1980',
  patient_sex: 'F',
  patient_address: '12 Elm St, Apt 4',
  patient_city: 'Fairhaven',
  patient_state: 'OR',
  patient_zip: '97401',
  payer_id: PAYER_IDS.bluePeak,
  member_id: 'BPK-990001-01',
  group_number: 'GRP77',
};

/** Three encounters, five lines: pat-01 by id, a new patient, pat-02 matched by its member id (dashes added). */
async function goodRows(prefix: string): Promise<Row[]> {
  const pat02 = await f.db.prisma.patient.findUniqueOrThrow({ where: { id: PATIENT_IDS[1] }, include: { coverages: true } });
  const cov = pat02.coverages.find((c) => c.priority === 'PRIMARY')!;
  const dashed = `${cov.memberId.slice(0, 3)}-${cov.memberId.slice(3)}`;
  return [
    {
      encounter_id: `${prefix}-100`,
      patient_id: PATIENT_IDS[0],
      provider_npi: NPI.familyMedicine,
      date_of_service: '10/20/2026',
      place_of_service: '11',
      diagnoses: 'I10;E11.9',
      procedure_code: '99213',
      units: '1',
      charge: '145.00',
      diagnosis_pointers: '1;2',
      documentation: 'Follow-up, "stable"; BP 128/80.\nReturn in 3 months.',
    },
    { encounter_id: `${prefix}-100`, procedure_code: '93000', charge: '75', diagnosis_pointers: '1' },
    {
      encounter_id: `${prefix}-101`,
      ...NEW_PATIENT,
      provider_npi: NPI.internalMedicine,
      date_of_service: '2026-10-21',
      place_of_service: '11',
      diagnoses: 'J06.9',
      procedure_code: '99203',
      units: '1',
      charge: '210.50',
      diagnosis_pointers: '1',
    },
    {
      encounter_id: `${prefix}-102`,
      patient_last_name: pat02.lastName,
      patient_first_name: pat02.firstName,
      patient_birth_date: pat02.birthDate.toISOString().slice(0, 10),
      payer_id: cov.payerId,
      member_id: dashed,
      provider_npi: NPI.internalMedicine,
      date_of_service: '2026-10-22',
      place_of_service: '11',
      diagnoses: 'E78.5|I10',
      procedure_code: '99214',
      modifiers: '25',
      charge: '200.00',
      diagnosis_pointers: '1|2',
    },
    { encounter_id: `${prefix}-102`, procedure_code: '36415', units: '2', charge: '12.34', diagnosis_pointers: '1' },
  ];
}
const GOOD_TOTAL = 14_500 + 7_500 + 21_050 + 20_000 + 1_234;

const post = (text: string, query: string, options: { user?: string; contentType?: string } = {}) =>
  f.api.request('POST', `/api/imports/charges?${query}`, {
    rawBody: text,
    headers: { 'Content-Type': options.contentType ?? 'text/csv' },
    ...(options.user ? { user: options.user } : {}),
  });

async function counts() {
  const p = f.db.prisma;
  return {
    patients: await p.patient.count(),
    coverages: await p.coverage.count(),
    encounters: await p.encounter.count(),
    claims: await p.claim.count(),
    lines: await p.claimLine.count(),
    sources: await p.inboundMessage.count({ where: { kind: CSV_ENCOUNTER_KIND } }),
  };
}

describe('POST /api/imports/charges: a good file', () => {
  it('dry run: reports 3 claims, 5 lines, the total and one patient to create, writing nothing', async () => {
    const text = csv(await goodRows('G'));
    const before = await counts();
    const res = await post(text, 'dryRun=true');
    expect(res.status, res.text).toBe(200);
    expect(chargeDryRunResponse.parse(res.body)).toEqual({
      dryRun: true,
      claims: 3,
      lines: 5,
      totalCents: GOOD_TOTAL,
      patientsToCreate: 1,
      duplicates: [],
      problems: [],
    });
    expect(await counts()).toEqual(before);
  });

  it('imports exactly those claims, each with a started workflow; the same file again creates nothing', async () => {
    const text = csv(await goodRows('G'));
    const before = await counts();
    const res = await post(text, 'dryRun=false');
    expect(res.status, res.text).toBe(200);
    const body = chargeImportResponse.parse(res.body);
    expect(body).toMatchObject({ dryRun: false, duplicates: [], patientsCreated: 1, workflowsPending: [] });
    expect(body.created).toHaveLength(3);
    expect(await counts()).toEqual({
      patients: before.patients + 1,
      coverages: before.coverages + 1,
      encounters: before.encounters + 3,
      claims: before.claims + 3,
      lines: before.lines + 5,
      sources: before.sources + 3,
    });

    const claims = await Promise.all(
      body.created.map((id) =>
        f.db.prisma.claim.findUniqueOrThrow({
          where: { id },
          include: { lines: { orderBy: { lineNo: 'asc' } }, diagnoses: { orderBy: { seq: 'asc' } }, encounter: true, patient: true },
        }),
      ),
    );
    const [a, b, c] = claims;
    for (const claim of claims) {
      expect(claim.organizationId).toBe(ORGANIZATION_IDS.riverbend);
      expect(claim.encounter.organizationId).toBe(ORGANIZATION_IDS.riverbend);
      expect(claim.state).toBe('CODING');
      expect(claim.balanceCents).toBe(claim.totalChargeCents);
    }
    expect(a.patientId).toBe(PATIENT_IDS[0]);
    expect(a.totalChargeCents).toBe(22_000);
    expect(a.lines.map((l) => [l.procedureCode, l.units, l.chargeCents, l.diagnosisPointers])).toEqual([
      ['99213', 1, 14_500, [1, 2]],
      ['93000', 1, 7_500, [1]],
    ]);
    expect(a.diagnoses.map((d) => d.code)).toEqual(['I10', 'E11.9']);
    expect(a.encounter.dateOfService.toISOString().slice(0, 10)).toBe('2026-10-20');
    expect(a.encounter.documentation).toBe('Follow-up, "stable"; BP 128/80.\nReturn in 3 months.');
    expect(a.payerId).toBe(PAYER_IDS.medicare);

    // The new patient, with the search keys and the coverage from the file.
    expect(b.totalChargeCents).toBe(21_050);
    expect(b.patient).toMatchObject({
      organizationId: ORGANIZATION_IDS.riverbend,
      lastName: "O'Hara",
      lastNameKey: nameKey("O'Hara"),
      firstNameKey: 'maeve',
      addressLine: '12 Elm St, Apt 4',
    });
    const newCoverage = await f.db.prisma.coverage.findUniqueOrThrow({ where: { id: b.coverageId } });
    expect(newCoverage).toMatchObject({
      payerId: PAYER_IDS.bluePeak,
      memberId: 'BPK-990001-01',
      memberIdKey: memberIdKey('BPK-990001-01'),
      groupNumber: 'GRP77',
      priority: 'PRIMARY',
    });
    expect(b.encounter.documentation).toBe('Charge import, source encounter G-101');

    expect(c.patientId).toBe(PATIENT_IDS[1]);
    expect(c.totalChargeCents).toBe(21_234);
    expect(c.lines.map((l) => [l.procedureCode, l.modifiers, l.units, l.chargeCents])).toEqual([
      ['99214', ['25'], 1, 20_000],
      ['36415', [], 2, 1_234],
    ]);

    for (const id of body.created) {
      const description = await f.env.client.workflow.getHandle(workflowIdForClaim(id)).describe();
      expect(description.status.name).toBe('RUNNING');
    }
    const audit = await f.db.prisma.auditEvent.findFirstOrThrow({ where: { action: 'charge.import' }, orderBy: { at: 'desc' } });
    expect(audit.detail).toMatchObject({
      claims: 3,
      patientsCreated: 1,
      claimIds: body.created,
      organizationId: ORGANIZATION_IDS.riverbend,
    });
    expect(JSON.stringify(audit.detail)).not.toMatch(/O'Hara|Maeve/);

    // The same file again: nothing new, the three encounters reported as duplicates.
    const afterFirst = await counts();
    const again = await post(text, 'dryRun=false');
    expect(again.status, again.text).toBe(200);
    expect(again.body).toEqual({
      dryRun: false,
      created: [],
      duplicates: ['G-100', 'G-101', 'G-102'],
      patientsCreated: 0,
      workflowsPending: [],
    });
    expect(await counts()).toEqual(afterFirst);
    const dry = await post(text, 'dryRun=true');
    expect(dry.body).toMatchObject({
      claims: 0,
      lines: 0,
      totalCents: 0,
      patientsToCreate: 0,
      duplicates: ['G-100', 'G-101', 'G-102'],
      problems: [],
    });
  });
});

describe('POST /api/imports/charges: a file with bad rows', () => {
  it('is refused whole with 422, naming the row and column of each problem, and writes no row of it', async () => {
    const rows = await goodRows('B');
    rows[1] = { ...rows[1], charge: '75.005' }; // row 3
    rows[3] = { ...rows[3], procedure_code: '9921' }; // row 5
    const before = await counts();
    const dry = await post(csv(rows), 'dryRun=true');
    expect(dry.status).toBe(200);
    const expected = [
      { row: 3, column: 'charge', message: 'must have at most 2 decimals (cents), such as 145.00' },
      { row: 5, column: 'procedure_code', message: 'must be a 5-character CPT or HCPCS code' },
    ];
    expect(dry.body.problems).toEqual(expected);

    const res = await post(csv(rows), 'dryRun=false');
    expect(res.status, res.text).toBe(422);
    const refusal = chargeImportRefusal.parse(res.body);
    expect(refusal.error.code).toBe('IMPORT_REFUSED');
    expect(refusal.problems).toEqual(expected);
    expect(await counts()).toEqual(before);
    expect(await f.db.prisma.patient.count({ where: { lastNameKey: nameKey("O'Hara"), firstNameKey: 'maeve' } })).toBe(1);
  });

  it("holds each claim to the rules of POST /api/claims: pointers within the diagnoses, known payer, the practice's providers", async () => {
    const rows: Row[] = [
      {
        encounter_id: 'R-1',
        patient_id: PATIENT_IDS[0],
        provider_npi: NPI.lakeside,
        date_of_service: '2026-10-20',
        place_of_service: '11',
        diagnoses: 'I10',
        procedure_code: '99213',
        charge: '145.00',
        diagnosis_pointers: '2',
      },
      {
        encounter_id: 'R-2',
        ...NEW_PATIENT,
        member_id: 'X-1',
        payer_id: 'payer-nope',
        patient_state: 'Oregon',
        provider_npi: NPI.familyMedicine,
        date_of_service: '2026-10-20',
        place_of_service: '1',
        procedure_code: '99213',
        charge: '-3.00',
      },
    ];
    const res = await post(csv(rows), 'dryRun=true');
    expect(res.status, res.text).toBe(200);
    expect(res.body.problems).toEqual([
      { row: 2, column: 'diagnosis_pointers', message: 'points at diagnosis 2 but only 1 diagnoses are listed' },
      { row: 2, column: 'provider_npi', message: 'no provider with this NPI works for the practice' },
      { row: 3, column: 'charge', message: 'must not be negative' },
      { row: 3, column: 'place_of_service', message: 'must be a 2-digit place-of-service code' },
      { row: 3, column: 'payer_id', message: 'no such payer' },
    ]);
  });
});

describe('POST /api/imports/charges: practices and the request itself', () => {
  it("refuses a practice that is not the caller's (422 naming organizationId), writing nothing", async () => {
    const text = csv(await goodRows('P'));
    const before = await counts();
    const res = await post(text, `dryRun=false&organizationId=${ORGANIZATION_IDS.lakeside}`, { user: USER_IDS.biller1 });
    expect(res.status, res.text).toBe(422);
    expect(res.body.error).toMatchObject({ code: 'UNKNOWN_REFERENCE', field: 'organizationId' });
    expect(await counts()).toEqual(before);
  });

  it('asks someone of several practices to name one', async () => {
    const res = await post(csv(await goodRows('P')), 'dryRun=true', { user: USER_IDS.supervisor });
    expect(res.status, res.text).toBe(422);
    expect(res.body.error).toMatchObject({ code: 'PRACTICE_REQUIRED', field: 'organizationId' });
  });

  it('answers 415 for anything but text/csv, 400 for a missing dryRun or an empty file, 403 for a coder', async () => {
    const text = csv(await goodRows('C'));
    // JSON is read by the API's JSON parser first: a JSON body reaches the route, and is refused there.
    for (const [type, body] of [
      ['application/json', '{}'],
      ['text/plain', text],
      ['application/octet-stream', text],
    ]) {
      const res = await post(body, 'dryRun=true', { contentType: type });
      expect(res.status, type).toBe(415);
      expect(res.body.error).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE', field: 'Content-Type' });
    }
    const noDryRun = await post(text, '');
    expect(noDryRun.status).toBe(400);
    expect(noDryRun.body.error.field).toBe('dryRun');
    const empty = await post('', 'dryRun=true');
    expect(empty.status).toBe(400);
    const coder = await post(text, 'dryRun=true', { user: USER_IDS.coder1 });
    expect(coder.status).toBe(403);
  });

  it('reports a missing header column on row 1', async () => {
    const res = await post(
      'encounter_id,patient_id,provider_npi,date_of_service,place_of_service,procedure_code\nA,pat-01,1457293011,2026-10-20,11,99213\n',
      'dryRun=false',
    );
    expect(res.status).toBe(422);
    expect(res.body.problems).toEqual([{ row: 1, column: 'charge', message: 'missing column' }]);
  });
});

describe('GET /api/imports/charges/template.csv', () => {
  it('is the header row of docs/charge-import.md as a CSV download that imports once filled in, for billing roles only', async () => {
    const res = await f.api.request('GET', '/api/imports/charges/template.csv', { user: USER_IDS.biller1 });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename=claimflow-charges-template.csv');
    const doc = fs.readFileSync(path.join(import.meta.dirname, '..', '..', 'docs', 'charge-import.md'), 'utf8');
    const documented = /```csv\n([^\n]+)\n/.exec(doc)?.[1];
    expect(res.text).toBe(`${documented}\r\n`);
    expect(res.text.trimEnd().split(',')).toEqual(HEADER);

    const filled = csv(await goodRows('T')).replace(/^\ufeff[^\r]*\r\n/, res.text);
    const dry = await post(filled, 'dryRun=true');
    expect(dry.status, dry.text).toBe(200);
    expect(dry.body).toMatchObject({ claims: 3, lines: 5, problems: [] });

    expect((await f.api.request('GET', '/api/imports/charges/template.csv', { user: USER_IDS.coder1 })).status).toBe(403);
    expect((await f.api.request('GET', '/api/imports/charges/template.csv', { user: null })).status).toBe(401);
  });
});
