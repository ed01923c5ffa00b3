// The 837P of a claim names its practice: the practice's billing address in 2010AA, and for a group that bills as
// itself the group's NPI and tax id there with the provider who saw the patient in 2310B. Written and read back.
import { describe, expect, it } from 'vitest';
import { parse837P } from '../domain/x12/read837p';
import { readTransactions } from '../domain/x12/reader';
import { x12Identity } from '../domain/x12/claim837From';
import { render837, type ClaimFor837 } from './claim837';

const identity = x12Identity({
  x12SenderId: 'CLAIMFLOW',
  x12ReceiverId: 'CFSIMULATOR',
  x12SubmitterName: 'CLAIMFLOW BILLING',
  x12ContactName: 'BILLING OFFICE',
  x12ContactPhone: '5035550100',
  x12ReceiverName: 'CLEARINGHOUSE',
  x12Usage: 'T',
});

const practice = {
  id: 'org-lakeside',
  name: 'Lakeside Pediatrics',
  npi: null as string | null,
  taxId: null as string | null,
  addressLine: '250 LAKE SHORE DR',
  city: 'FAIRHAVEN',
  state: 'OR',
  zip9: '974020000',
  submitterId: null as string | null,
  submitterName: null as string | null,
  createdAt: new Date('2026-12-01T00:00:00Z'),
};

function claimOf(organization: typeof practice): ClaimFor837 {
  return {
    id: 'CFGROUP0001',
    organizationId: organization.id,
    totalChargeCents: 14_500,
    payerClaimControlNo: null,
    organization,
    provider: {
      id: 'prov-lakeside-pediatrics',
      npi: '1384629501',
      name: 'Lakeside Pediatric Clinicians',
      taxonomy: '208000000X',
      taxId: '844567890',
    },
    payer: { id: 'payer-blue-peak', name: 'Blue Peak Health Plan', electronicPayerId: 'BPK47', payerGroup: 'COMMERCIAL' },
    patient: {
      id: 'pat-21',
      firstName: 'Milo',
      lastName: 'Okafor',
      birthDate: new Date('2017-04-09T00:00:00Z'),
      sex: 'M',
      addressLine: '15 Heron Way',
      city: 'Fairhaven',
      state: 'OR',
      postalCode: '97402',
    },
    coverage: { id: 'cov-21-p', memberId: 'BPK12345601', groupNumber: 'GRP-40411', priority: 'PRIMARY', relationship: '18' },
    encounter: { id: 'enc-1', dateOfService: new Date('2026-11-16T00:00:00Z'), placeOfService: '11', documentation: '' },
    lines: [{ lineNo: 1, procedureCode: '99213', modifiers: [], units: 1, chargeCents: 14_500, diagnosisPointers: [1] }],
    diagnoses: [{ seq: 1, code: 'J06.9' }],
  } as unknown as ClaimFor837;
}

function writtenAndRead(organization: typeof practice) {
  const x12 = render837(
    claimOf(organization),
    identity,
    { frequencyCode: '1', interchangeControlNumber: 41, transactionControlNumber: '0041' },
    new Date('2026-12-07T10:00:00Z'),
  );
  const { transactions, errors } = readTransactions(x12);
  expect(errors).toEqual([]);
  return { x12, claim: parse837P(transactions[0])[0] };
}

describe("the 837P's billing provider is the claim's practice", () => {
  it('a practice whose providers bill in their own names: the provider in 2010AA at the practice address, no 2310B', () => {
    const { claim } = writtenAndRead(practice);
    expect(claim.billingProvider).toMatchObject({
      name: { organization: 'LAKESIDE PEDIATRIC CLINICIANS' },
      npi: '1384629501',
      taxId: '844567890',
      address: { line1: '250 LAKE SHORE DR', city: 'FAIRHAVEN', state: 'OR', postalCode: '974020000' },
    });
    expect(claim.claim.renderingProvider).toBeUndefined();
    expect(claim.submitter).toMatchObject({ id: 'CLAIMFLOW', name: { organization: 'CLAIMFLOW BILLING' } });
  });

  it('a group that bills as itself: its NPI and tax id in 2010AA, the provider who saw the patient in 2310B', () => {
    const { claim, x12 } = writtenAndRead({ ...practice, npi: '1528307469', taxId: '844567890' });
    expect(claim.billingProvider).toMatchObject({ name: { organization: 'LAKESIDE PEDIATRICS' }, npi: '1528307469', taxId: '844567890' });
    expect(claim.claim.renderingProvider).toMatchObject({ npi: '1384629501', taxonomy: '208000000X' });
    expect(x12).toContain('NM1*82*2*LAKESIDE PEDIATRIC CLINICIANS*****XX*1384629501~');
  });

  it('a practice enrolled under its own submitter id names it in 1000A', () => {
    const { claim } = writtenAndRead({ ...practice, submitterId: 'LAKE01', submitterName: 'LAKESIDE PEDIATRICS' });
    expect(claim.submitter).toMatchObject({ id: 'LAKE01', name: { organization: 'LAKESIDE PEDIATRICS' } });
  });
});
