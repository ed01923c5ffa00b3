// FHIR R4 in and out, all real (Temporal's time-skipping server with the claim worker, PostgreSQL, the API, the
// simulator): an EHR's transaction Bundle (docs/examples/fhir-claim-bundle.json) becomes a claim once however often
// it comes, a bad one is refused naming its element with nothing written, and after the payer's 835 the claim's
// ClaimResponse and ExplanationOfBenefit show the adjudication; an EHR sees only its own practices, and only /fhir.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueToken } from '../api/auth/accounts';
import { ORGANIZATION_IDS, USER_IDS } from '../app/seed';
import type { RemittanceMessage } from '../domain/clearinghouse';
import { startHarness, type Harness } from './harness';

let h: Harness;
const tokens = { riverbend: '', lakeside: '' };
const EXAMPLE = JSON.parse(fs.readFileSync(path.resolve(import.meta.dirname, '../docs/examples/fhir-claim-bundle.json'), 'utf8'));
const CLAIM_ENTRY = 5;

beforeAll(async () => {
  h = await startHarness({ timeSkipping: true });
  for (const [key, organizationId] of [
    ['riverbend', ORGANIZATION_IDS.riverbend],
    ['lakeside', ORGANIZATION_IDS.lakeside],
  ] as const) {
    // An administrator makes each EHR and its token through the admin routes, as for any user.
    const user = await h.api(
      'POST',
      '/api/admin/users',
      { id: `ehr-${key}`, name: `EHR of ${key}`, role: 'EHR', organizationIds: [organizationId] },
      USER_IDS.admin,
    );
    expect(user.status, JSON.stringify(user.body)).toBe(201);
    const token = await h.api('POST', `/api/admin/users/ehr-${key}/tokens`, { name: 'fhir test' }, USER_IDS.admin);
    expect(token.status).toBe(201);
    tokens[key] = token.body.token;
  }
}, 120_000);
afterAll(async () => {
  await h?.shutdown();
});

/** The example Bundle with its own claim identifier, member id and today's date of service (timely filing holds). */
function bundle(claimNumber: string, memberId = `BPK-${claimNumber}`): any {
  const b = structuredClone(EXAMPLE);
  const today = new Date().toISOString().slice(0, 10);
  const claim = b.entry[CLAIM_ENTRY].resource;
  claim.identifier[0].value = claimNumber;
  for (const item of claim.item) item.servicedDate = today;
  b.entry[2].resource.subscriberId = memberId;
  b.entry[0].resource.name[0].given = [`Jamie${claimNumber.replace(/\W/g, '').toLowerCase()}`];
  return b;
}

async function fhir(method: string, url: string, o: { token?: string; body?: unknown; contentType?: string } = {}) {
  const res = await fetch(`${h.apiUrl}${url}`, {
    method,
    headers: {
      authorization: `Bearer ${o.token ?? tokens.riverbend}`,
      ...(o.body !== undefined ? { 'content-type': o.contentType ?? 'application/fhir+json' } : {}),
    },
    body: o.body === undefined ? undefined : typeof o.body === 'string' ? o.body : JSON.stringify(o.body),
  });
  const text = await res.text();
  return {
    status: res.status,
    contentType: res.headers.get('content-type') ?? '',
    location: res.headers.get('location'),
    body: text ? JSON.parse(text) : undefined,
  };
}

const counts = async () => ({
  claims: await h.db.prisma.claim.count(),
  encounters: await h.db.prisma.encounter.count(),
  patients: await h.db.prisma.patient.count(),
  coverages: await h.db.prisma.coverage.count(),
  intakes: await h.db.prisma.inboundMessage.count({ where: { kind: 'fhir.claim' } }),
});

const claimIdOf = (res: { body: any }): string => res.body.entry[CLAIM_ENTRY].response.location.split('/')[1];

describe('a transaction Bundle in', () => {
  it('creates the encounter, claim and patient as POST /api/claims would, and starts the workflow', async () => {
    const before = await counts();
    const res = await fhir('POST', '/fhir', { body: bundle('HAR-1001') });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.contentType).toMatch(/^application\/fhir\+json/);
    expect(res.body).toMatchObject({ resourceType: 'Bundle', type: 'transaction-response' });
    expect(res.body.entry.map((e: any) => e.response.status)).toEqual([
      '201 Created',
      '200 OK',
      '201 Created',
      '200 OK',
      '201 Created',
      '201 Created',
    ]);
    const claimId = claimIdOf(res);

    const claim = await h.db.prisma.claim.findUniqueOrThrow({
      where: { id: claimId },
      include: { lines: { orderBy: { lineNo: 'asc' } }, diagnoses: true, encounter: true, patient: true, coverage: true },
    });
    expect(claim).toMatchObject({
      organizationId: ORGANIZATION_IDS.riverbend,
      providerId: 'prov-internal-medicine',
      payerId: 'payer-blue-peak',
      totalChargeCents: 22_000,
      balanceCents: 22_000,
    });
    expect(claim.lines.map((l) => [l.procedureCode, l.units, l.chargeCents, l.diagnosisPointers])).toEqual([
      ['99213', 1, 14_500, [1]],
      ['93000', 1, 7_500, [1]],
    ]);
    expect(claim.diagnoses.map((d) => d.code)).toEqual(['I10']);
    expect(claim.encounter.dateOfService.toISOString().slice(0, 10)).toBe(new Date().toISOString().slice(0, 10));
    expect(claim.encounter.placeOfService).toBe('11');
    expect(claim.encounter.documentation).toMatch(/^Hypertension follow-up/);
    expect(claim.patient).toMatchObject({ lastName: 'Rivera', sex: 'F', city: 'Fairhaven', state: 'OR', postalCode: '97401' });
    expect(claim.coverage).toMatchObject({ memberId: 'BPK-HAR-1001', groupNumber: 'GRP-7731', priority: 'PRIMARY', relationship: '18' });
    expect(await counts()).toEqual({
      claims: before.claims + 1,
      encounters: before.encounters + 1,
      patients: before.patients + 1,
      coverages: before.coverages + 1,
      intakes: before.intakes + 1,
    });
    const intake = await h.db.prisma.inboundMessage.findFirstOrThrow({ where: { kind: 'fhir.claim', claimId } });
    expect(intake.externalId).toBe(`${ORGANIZATION_IDS.riverbend}|urn:oid:1.2.840.114350.1.13.0.1.7.2.798268|HAR-1001`);
    // The workflow runs: the claim waits for its code review like one made through POST /api/claims.
    await h.waitForTask(claimId, 'CODE_REVIEW');
    expect((await h.status(claimId)).state).toBe('CODING');
    // Read back as a FHIR Claim, with the EHR's identifier beside claimflow's.
    const read = await fhir('GET', `/fhir/Claim/${claimId}`);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({
      resourceType: 'Claim',
      id: claimId,
      status: 'active',
      identifier: [{ value: 'HAR-1001' }, { system: 'urn:claimflow:claim', value: claimId }],
      total: { value: 220, currency: 'USD' },
      provider: { identifier: { system: 'http://hl7.org/fhir/sid/us-npi', value: '1673840256' } },
    });
    expect(read.body.item.map((i: any) => [i.productOrService.coding[0].code, i.net.value, i.diagnosisSequence])).toEqual([
      ['99213', 145, [1]],
      ['93000', 75, [1]],
    ]);
  });

  it('the same Bundle again creates nothing and answers the same claim; so does the Claim posted alone', async () => {
    const first = await fhir('POST', '/fhir', { body: bundle('HAR-1002') });
    expect(first.status).toBe(200);
    const before = await counts();
    const again = await fhir('POST', '/fhir', { body: bundle('HAR-1002'), contentType: 'application/json' });
    expect(again.status).toBe(200);
    expect(claimIdOf(again)).toBe(claimIdOf(first));
    expect(again.body.entry.map((e: any) => e.response.status)).toEqual(Array(6).fill('200 OK'));
    expect(await counts()).toEqual(before);

    // The Claim alone, naming the patient claimflow now has and the practitioner by NPI: still the same claim.
    const claim = structuredClone(bundle('HAR-1002').entry[CLAIM_ENTRY].resource);
    const firstClaim = await h.db.prisma.claim.findUniqueOrThrow({ where: { id: claimIdOf(first) } });
    claim.patient = { identifier: { system: 'urn:claimflow:patient', value: firstClaim.patientId } };
    claim.provider = { identifier: { system: 'http://hl7.org/fhir/sid/us-npi', value: '1673840256' } };
    claim.contained = [{ ...bundle('HAR-1002').entry[2].resource, id: 'cov', payor: [{ identifier: { value: 'payer-blue-peak' } }] }];
    claim.insurance = [{ sequence: 1, focal: true, coverage: { reference: '#cov' } }];
    for (const item of claim.item) delete item.encounter;
    const alone = await fhir('POST', '/fhir/Claim', { body: claim });
    expect(alone.status, JSON.stringify(alone.body)).toBe(200);
    expect(alone.body.id).toBe(claimIdOf(first));
    expect(await counts()).toEqual(before);

    // A new identifier makes a new claim for the patient matched by member id: no second patient.
    claim.identifier[0].value = 'HAR-1003';
    const created = await fhir('POST', '/fhir/Claim', { body: claim });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.location).toBe(`/fhir/Claim/${created.body.id}`);
    expect(await counts()).toMatchObject({ claims: before.claims + 1, patients: before.patients });
  });

  it('a bad Bundle answers an OperationOutcome naming the element, and writes nothing', async () => {
    const before = await counts();
    // Read as FHIR: the second item has no CPT/HCPCS coding.
    const uncoded = bundle('HAR-2001');
    uncoded.entry[CLAIM_ENTRY].resource.item[1].productOrService = { text: 'ECG' };
    const res = await fhir('POST', '/fhir', { body: uncoded });
    expect(res.status).toBe(400);
    expect(res.contentType).toMatch(/^application\/fhir\+json/);
    expect(res.body).toMatchObject({
      resourceType: 'OperationOutcome',
      issue: [{ severity: 'error', code: 'required', expression: [`Bundle.entry[${CLAIM_ENTRY}].resource.item[1].productOrService`] }],
    });

    // Checked against claimflow's rules after the patient was planned: still nothing of it stays.
    const badCode = bundle('HAR-2002', 'BPK-NEW-2002');
    badCode.entry[CLAIM_ENTRY].resource.item[1].productOrService.coding[0].code = '9300';
    const refused = await fhir('POST', '/fhir', { body: badCode });
    expect(refused.status).toBe(422);
    expect(refused.body.issue[0]).toMatchObject({
      code: 'business-rule',
      expression: [`Bundle.entry[${CLAIM_ENTRY}].resource.item[1].productOrService`],
      diagnostics: 'must be a 5-character CPT or HCPCS code',
    });

    const fractional = bundle('HAR-2003');
    fractional.entry[CLAIM_ENTRY].resource.item[0].net.value = 145.005;
    expect((await fhir('POST', '/fhir', { body: fractional })).body.issue[0].expression).toEqual([
      `Bundle.entry[${CLAIM_ENTRY}].resource.item[0].net.value`,
    ]);

    const unknownPayer = bundle('HAR-2004');
    unknownPayer.entry[1].resource.identifier[0].value = 'payer-nobody';
    const payerRefused = await fhir('POST', '/fhir', { body: unknownPayer });
    expect(payerRefused.status).toBe(422);
    expect(payerRefused.body.issue[0].expression).toEqual(['Bundle.entry[2].resource.payor']);

    const noBirthDate = bundle('HAR-2005', 'BPK-NEW-2005');
    delete noBirthDate.entry[0].resource.birthDate;
    const patientRefused = await fhir('POST', '/fhir', { body: noBirthDate });
    expect(patientRefused.status).toBe(422);
    expect(patientRefused.body.issue[0].expression).toEqual(['Bundle.entry[0].resource.birthDate']);

    const notJson = await fhir('POST', '/fhir', { body: 'resourceType=Bundle', contentType: 'text/plain' });
    expect(notJson.status).toBe(400);
    expect(notJson.body.resourceType).toBe('OperationOutcome');
    expect(await counts()).toEqual(before);
  });
});

describe('malformed FHIR', () => {
  it('answers every malformed message with a 4xx OperationOutcome, never a 5xx, writing nothing', async () => {
    const before = await counts();
    const claimAt = (mutate: (claim: any) => void) => {
      const b = bundle('HAR-5001');
      mutate(b.entry[CLAIM_ENTRY].resource);
      return b;
    };
    const bodies: unknown[] = [
      [],
      null,
      'null',
      { resourceType: 'Bundle', type: 'transaction', entry: [null] },
      { resourceType: 'Bundle', type: 'batch', entry: [] },
      { resourceType: 'Bundle', type: 'transaction', entry: [{ resource: { resourceType: 'Medication' } }] },
      claimAt((c) => (c.item = 'everything')),
      claimAt((c) => (c.item = [null])),
      claimAt((c) => (c.item[0].quantity = { value: 1.5 })),
      claimAt((c) => (c.item[0].diagnosisSequence = [7])),
      claimAt((c) => (c.diagnosis = [{ sequence: 'one' }])),
      claimAt((c) => (c.patient = { reference: 'urn:uuid:nobody' })),
      claimAt((c) => (c.patient = { reference: 'Patient/x\u0000' })),
      claimAt((c) => (c.identifier = [{ system: 'urn:x', value: 'v'.repeat(500) }])),
      claimAt((c) => (c.item[0].net = { value: -5, currency: 'USD' })),
      claimAt((c) => (c.item[0].net = { value: 1e12, currency: 'USD' })),
      claimAt((c) => (c.item[0].net = { value: 145, currency: 'EUR' })),
      claimAt((c) => (c.item[1].servicedDate = '2026-01-01')),
      claimAt((c) => (c.use = 'preauthorization')),
    ];
    for (const body of bodies) {
      const res = await fhir('POST', '/fhir', { body });
      const input = JSON.stringify(body).slice(0, 120);
      expect(res.status, `${input}: ${JSON.stringify(res.body)}`).toBeGreaterThanOrEqual(400);
      expect(res.status, input).toBeLessThan(500);
      expect(res.body?.resourceType, input).toBe('OperationOutcome');
    }
    expect(await counts()).toEqual(before);
  });
});

describe('ClaimResponse and ExplanationOfBenefit out', () => {
  /** A claim from the example Bundle, coded, submitted and acknowledged: waiting for the payer's 835. */
  async function adjudicationPending(claimNumber: string): Promise<string> {
    const res = await fhir('POST', '/fhir', { body: bundle(claimNumber) });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const claimId = claimIdOf(res);
    await h.forceScenario(claimId, 'PAY_IN_FULL');
    const review = await h.waitForTask(claimId, 'CODE_REVIEW');
    expect((await h.completeTask(review.id, { action: 'CONFIRM_CODES', diagnoses: ['I10'] }, USER_IDS.coder1)).status).toBe(200);
    await h.waitForState(claimId, 'SUBMITTED');
    await h.deliver(claimId, 'acknowledgement');
    await h.waitForState(claimId, 'AWAITING_ADJUDICATION');
    return claimId;
  }

  it('before the 835 there is none; after it, the amounts the payer decided, line by line', async () => {
    const claimId = await adjudicationPending('HAR-3001');
    expect((await fhir('GET', `/fhir/ClaimResponse?request=Claim/${claimId}`)).body).toMatchObject({
      type: 'searchset',
      total: 0,
      entry: [],
    });
    expect((await fhir('GET', `/fhir/ClaimResponse/${claimId}`)).status).toBe(404);

    // 99213 allowed 120.00: paid 110.00, 10.00 coinsurance, 25.00 contractual; 93000 allowed 50.00, paid, 25.00 contractual.
    const message: RemittanceMessage = {
      payerElectronicId: 'BPK47',
      traceNumber: `TRN-FHIR-${claimId}`,
      paymentDate: new Date().toISOString().slice(0, 10),
      paymentMethod: 'ACH',
      paymentCents: 16_000,
      claims: [
        {
          claimId,
          statusCode: '1',
          chargeCents: 22_000,
          paidCents: 16_000,
          patientRespCents: 1_000,
          payerClaimControlNo: `BPK-${claimId}`,
          adjustments: [
            { lineNo: 1, groupCode: 'CO', carc: '45', amountCents: 2_500 },
            { lineNo: 1, groupCode: 'PR', carc: '2', amountCents: 1_000 },
            { lineNo: 2, groupCode: 'CO', carc: '45', amountCents: 2_500 },
          ],
          lines: [
            { lineNo: 1, procedureCode: '99213', chargeCents: 14_500, paidCents: 11_000 },
            { lineNo: 2, procedureCode: '93000', chargeCents: 7_500, paidCents: 5_000 },
          ],
        },
      ],
    };
    expect((await h.api('POST', '/api/inbound/remittances', message)).status).toBe(202);
    await h.waitForState(claimId, 'CLOSED');
    const posted = await h.db.prisma.claim.findUniqueOrThrow({ where: { id: claimId } });
    expect(posted).toMatchObject({ paidCents: 16_000, patientRespCents: 1_000, adjustedCents: 5_000, balanceCents: 0 });

    const search = await fhir('GET', `/fhir/ClaimResponse?request=Claim/${claimId}`);
    expect(search.body).toMatchObject({ resourceType: 'Bundle', type: 'searchset', total: 1 });
    const response = search.body.entry[0].resource;
    expect((await fhir('GET', `/fhir/ClaimResponse/${claimId}`)).body).toEqual(response);
    const amount = (adjudication: any[], code: string) => adjudication.find((a) => a.category.coding[0].code === code)?.amount.value;
    expect(response).toMatchObject({
      resourceType: 'ClaimResponse',
      id: claimId,
      outcome: 'complete',
      request: { reference: `Claim/${claimId}`, identifier: { value: 'HAR-3001' } },
      payment: { amount: { value: 160, currency: 'USD' }, date: message.paymentDate, identifier: { value: message.traceNumber } },
      identifier: [{ value: `BPK-${claimId}` }],
    });
    const [line1, line2] = response.item;
    expect([
      amount(line1.adjudication, 'submitted'),
      amount(line1.adjudication, 'eligible'),
      amount(line1.adjudication, 'benefit'),
    ]).toEqual([145, 120, 110]);
    expect(amount(line1.adjudication, 'memberliability')).toBe(10);
    const reasons = (adjudication: any[]) =>
      adjudication.filter((a) => a.reason).map((a) => [a.category.coding[0].code, a.reason.coding[0].code, a.amount.value]);
    expect(reasons(line1.adjudication)).toEqual([
      ['CO', '45', 25],
      ['PR', '2', 10],
    ]);
    expect([
      amount(line2.adjudication, 'submitted'),
      amount(line2.adjudication, 'benefit'),
      amount(line2.adjudication, 'memberliability'),
    ]).toEqual([75, 50, 0]);
    expect(reasons(line2.adjudication)).toEqual([['CO', '45', 25]]);
    expect(Object.fromEntries(response.total.map((t: any) => [t.category.coding[0].code, t.amount.value]))).toEqual({
      submitted: 220,
      eligible: 170,
      benefit: 160,
      memberliability: 10,
    });

    const eob = await fhir('GET', `/fhir/ExplanationOfBenefit?claim=${claimId}`);
    expect(eob.body.total).toBe(1);
    const explanation = eob.body.entry[0].resource;
    expect((await fhir('GET', `/fhir/ExplanationOfBenefit/${claimId}`)).body).toEqual(explanation);
    expect(explanation).toMatchObject({
      resourceType: 'ExplanationOfBenefit',
      outcome: 'complete',
      claim: { reference: `Claim/${claimId}` },
      payment: { amount: { value: 160 } },
      insurance: [{ focal: true, coverage: { reference: `Coverage/${posted.coverageId}` } }],
    });
    expect(explanation.item.map((i: any) => [i.productOrService.coding[0].code, amount(i.adjudication, 'benefit')])).toEqual([
      ['99213', 110],
      ['93000', 50],
    ]);
    // Reads of the adjudication are audited like every read of a claim.
    const audited = await h.db.prisma.auditEvent.findMany({
      where: { claimId, action: { startsWith: 'fhir.' } },
      select: { action: true, actor: true },
    });
    expect(audited).toEqual(expect.arrayContaining([{ action: 'fhir.claimResponse.read', actor: 'ehr-riverbend' }]));
  });

  it('a denial answers outcome error with its reasons', async () => {
    const claimId = await adjudicationPending('HAR-3002');
    const message: RemittanceMessage = {
      payerElectronicId: 'BPK47',
      traceNumber: `TRN-DENY-${claimId}`,
      paymentDate: new Date().toISOString().slice(0, 10),
      paymentMethod: 'NON',
      paymentCents: 0,
      claims: [
        {
          claimId,
          statusCode: '4',
          chargeCents: 22_000,
          paidCents: 0,
          patientRespCents: 0,
          adjustments: [
            { lineNo: 1, groupCode: 'CO', carc: '50', amountCents: 14_500 },
            { lineNo: 2, groupCode: 'CO', carc: '50', amountCents: 7_500 },
          ],
          lines: [
            { lineNo: 1, procedureCode: '99213', chargeCents: 14_500, paidCents: 0 },
            { lineNo: 2, procedureCode: '93000', chargeCents: 7_500, paidCents: 0 },
          ],
        },
      ],
    };
    expect((await h.api('POST', '/api/inbound/remittances', message)).status).toBe(202);
    const response = (await fhir('GET', `/fhir/ClaimResponse/${claimId}`)).body;
    expect(response).toMatchObject({ outcome: 'error', disposition: 'Denied', error: [{ code: { coding: [{ code: '50' }] } }] });
    expect(response.payment).toBeUndefined();
    expect(response.item[0].adjudication.filter((a: any) => a.reason).map((a: any) => a.reason.coding[0].code)).toEqual(['50']);
    expect((await fhir('GET', `/fhir/ExplanationOfBenefit/${claimId}`)).body.outcome).toBe('error');
  });
});

describe('who may use /fhir', () => {
  it("practice B's EHR can neither read practice A's claims nor create claims into A", async () => {
    const res = await fhir('POST', '/fhir', { body: bundle('HAR-4001') });
    const claimId = claimIdOf(res);
    const before = await counts();
    for (const url of [`/fhir/Claim/${claimId}`, `/fhir/ClaimResponse/${claimId}`, `/fhir/ExplanationOfBenefit/${claimId}`]) {
      const read = await fhir('GET', url, { token: tokens.lakeside });
      expect(read.status, url).toBe(404);
      expect(read.body.issue[0].code).toBe('not-found');
    }
    expect((await fhir('GET', `/fhir/ClaimResponse?request=Claim/${claimId}`, { token: tokens.lakeside })).body.total).toBe(0);
    // The same Bundle (a Riverbend practitioner) from Lakeside's EHR: refused, nothing written, not even a replay.
    const into = await fhir('POST', '/fhir', { body: bundle('HAR-4001'), token: tokens.lakeside });
    expect(into.status).toBe(422);
    expect(into.body.issue[0].expression).toEqual(['Bundle.entry[3].resource.identifier']);
    // Nor by naming A's patient with a Lakeside practitioner.
    const claim = structuredClone(bundle('HAR-4002').entry[CLAIM_ENTRY].resource);
    claim.patient = { reference: `Patient/${(await h.db.prisma.claim.findUniqueOrThrow({ where: { id: claimId } })).patientId}` };
    const lakesideNpi = (await h.db.prisma.provider.findFirstOrThrow({ where: { organizationId: ORGANIZATION_IDS.lakeside } })).npi;
    claim.provider = { identifier: { system: 'http://hl7.org/fhir/sid/us-npi', value: lakesideNpi } };
    claim.contained = [{ ...bundle('HAR-4002').entry[2].resource, id: 'cov', payor: [{ identifier: { value: 'payer-blue-peak' } }] }];
    claim.insurance = [{ sequence: 1, focal: true, coverage: { reference: '#cov' } }];
    for (const item of claim.item) delete item.encounter;
    const crossed = await fhir('POST', '/fhir/Claim', { body: claim, token: tokens.lakeside });
    expect(crossed.status).toBe(422);
    expect(crossed.body.issue[0].expression).toEqual(['Claim.patient']);
    expect(await counts()).toEqual(before);
  });

  it('an EHR token opens /fhir only; a biller may use /fhir, a coder may not', async () => {
    expect((await fhir('GET', '/api/claims')).status).toBe(403);
    expect((await fhir('POST', '/api/claims', { body: {}, contentType: 'application/json' })).status).toBe(403);
    expect((await fhir('GET', '/api/claims/summary')).status).toBe(403);
    const metadata = await fhir('GET', '/fhir/metadata');
    expect(metadata.body).toMatchObject({ resourceType: 'CapabilityStatement', fhirVersion: '4.0.1' });
    expect(metadata.body.rest[0].resource.map((r: any) => r.type)).toEqual(['Claim', 'ClaimResponse', 'ExplanationOfBenefit']);
    const biller = (await issueToken(h.db.prisma, USER_IDS.biller1, { name: 'fhir' }, 'test')).token;
    const coder = (await issueToken(h.db.prisma, USER_IDS.coder1, { name: 'fhir' }, 'test')).token;
    expect((await fhir('GET', '/fhir/metadata', { token: biller })).status).toBe(200);
    const refused = await fhir('GET', '/fhir/metadata', { token: coder });
    expect(refused.status).toBe(403);
    expect(refused.body.issue[0].code).toBe('forbidden');
    const anonymous = await fetch(`${h.apiUrl}/fhir/metadata`);
    expect(anonymous.status).toBe(401);
    expect(((await anonymous.json()) as any).resourceType).toBe('OperationOutcome');
  });
});
