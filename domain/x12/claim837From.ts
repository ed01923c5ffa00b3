// The 837P model of one claim from its stored record (patient, coverage, payer, provider, practice, encounter,
// lines, diagnoses): what the 837P file is written from and what the CMS-1500 paper claim is drawn from. Pure:
// the caller loads the record (activities/claim837.ts for submissions, api/claims/cms1500.ts for paper).
import type { Claim837, Relationship, Sex } from './837pModel';
import type { EnvelopeParty } from './envelopeWriter';

/** The fields of a stored claim (the read model's rows) the 837P model is built from. */
export interface ClaimRecord {
  id: string;
  totalChargeCents: number;
  patient: {
    firstName: string;
    lastName: string;
    birthDate: Date;
    sex: string;
    addressLine: string;
    city: string;
    state: string;
    postalCode: string;
  };
  coverage: { memberId: string; groupNumber: string | null; relationship: string };
  payer: { name: string; electronicPayerId: string; payerGroup: string | null };
  provider: { name: string; npi: string; taxId: string; taxonomy: string };
  encounter: { dateOfService: Date; placeOfService: string };
  organization: {
    name: string;
    npi: string | null;
    taxId: string | null;
    addressLine: string;
    city: string;
    state: string;
    zip9: string;
    submitterId: string | null;
    submitterName: string | null;
  };
  diagnoses: { code: string }[];
  lines: { procedureCode: string; modifiers: string[]; chargeCents: number; units: number; diagnosisPointers: number[] }[];
}

/**
 * Who we are in X12 terms, from the configuration: the interchange's sender and receiver and the default
 * submitter. The billing provider (its address, and for a group its NPI and tax id) is the claim's practice.
 */
export interface X12Identity {
  sender: EnvelopeParty;
  receiver: EnvelopeParty;
  submitterName: string;
  contactName: string;
  contactPhone: string;
  receiverName: string;
  usage: 'T' | 'P';
}

/** The settings x12Identity reads: Config's CLAIMFLOW_X12_* (defaults in infra/config.ts). */
export interface X12Settings {
  x12SenderId: string;
  x12ReceiverId: string;
  x12SubmitterName: string;
  x12ContactName: string;
  x12ContactPhone: string;
  x12ReceiverName: string;
  x12Usage: 'T' | 'P';
}

export function x12Identity(s: X12Settings): X12Identity {
  return {
    sender: { qualifier: 'ZZ', id: s.x12SenderId },
    receiver: { qualifier: 'ZZ', id: s.x12ReceiverId },
    submitterName: s.x12SubmitterName,
    contactName: s.x12ContactName,
    contactPhone: s.x12ContactPhone,
    receiverName: s.x12ReceiverName,
    usage: s.x12Usage,
  };
}

const RELATIONSHIPS = new Set(['01', '19', '20', '21', '39', '40', '53', 'G8']);
const FILING_BY_GROUP: Record<string, string> = { MEDICARE: 'MB', MEDICAID: 'MC' };

const iso = (d: Date) => d.toISOString().slice(0, 10);
const sexOf = (s: string): Sex => (s === 'F' || s === 'M' ? s : 'U');
const zip = (z: string) => z.replace(/\D/g, '');

export function claim837From(
  claim: ClaimRecord,
  id: X12Identity,
  submission: { frequencyCode: '1' | '7' | '8'; originalPayerClaimControlNo?: string },
): Claim837 {
  const p = claim.patient;
  const address = { line1: p.addressLine, city: p.city, state: p.state, postalCode: zip(p.postalCode) };
  const self = claim.coverage.relationship === '18' || !RELATIONSHIPS.has(claim.coverage.relationship);
  const person = { last: p.lastName, first: p.firstName };
  const dateOfService = iso(claim.encounter.dateOfService);
  const org = claim.organization;
  const billingAddress = { line1: org.addressLine, city: org.city, state: org.state, postalCode: org.zip9 };
  // A group with its own NPI and tax id bills as itself and names the provider who saw the patient (2310B);
  // otherwise the provider bills in their own name.
  const group = org.npi && org.taxId ? { npi: org.npi, taxId: org.taxId } : null;
  return {
    submitter: {
      name: { organization: org.submitterName ?? id.submitterName },
      id: org.submitterId ?? id.sender.id,
      contact: { name: id.contactName, phone: id.contactPhone },
    },
    receiver: { name: id.receiverName, id: id.receiver.id },
    billingProvider: group
      ? { name: { organization: org.name }, npi: group.npi, taxId: group.taxId, address: billingAddress }
      : {
          name: { organization: claim.provider.name },
          npi: claim.provider.npi,
          taxId: claim.provider.taxId.replace(/\D/g, ''),
          ...(claim.provider.taxonomy ? { taxonomy: claim.provider.taxonomy } : {}),
          address: billingAddress,
        },
    subscriber: {
      memberId: claim.coverage.memberId,
      // The read model has no subscriber demographics apart from the patient's: a dependant's subscriber
      // goes out with the member id and the family name only.
      name: self ? person : { last: p.lastName },
      ...(self ? { birthDate: iso(p.birthDate), sex: sexOf(p.sex), address } : {}),
      ...(claim.coverage.groupNumber ? { groupNumber: claim.coverage.groupNumber } : {}),
      claimFilingIndicator: FILING_BY_GROUP[claim.payer.payerGroup ?? ''] ?? 'CI',
      // Secondary and tertiary claims need the earlier payers' adjudication (COB), not modelled yet.
      payerResponsibility: 'P',
    },
    ...(self
      ? {}
      : {
          patient: {
            relationship: claim.coverage.relationship as Exclude<Relationship, '18'>,
            name: person,
            birthDate: iso(p.birthDate),
            sex: sexOf(p.sex),
            address,
          },
        }),
    payer: { name: claim.payer.name, id: claim.payer.electronicPayerId },
    claim: {
      patientControlNumber: claim.id,
      totalChargeCents: claim.totalChargeCents,
      placeOfService: claim.encounter.placeOfService,
      frequencyCode: submission.frequencyCode,
      ...(submission.frequencyCode !== '1' && submission.originalPayerClaimControlNo
        ? { originalPayerClaimControlNumber: submission.originalPayerClaimControlNo }
        : {}),
      providerSignature: 'Y',
      assignment: 'A',
      benefitsAssigned: 'Y',
      releaseOfInformation: 'Y',
      dateOfService,
      diagnoses: claim.diagnoses.map((d) => d.code),
      ...(group && claim.provider.npi !== group.npi
        ? {
            renderingProvider: {
              name: { organization: claim.provider.name },
              npi: claim.provider.npi,
              ...(claim.provider.taxonomy ? { taxonomy: claim.provider.taxonomy } : {}),
            },
          }
        : {}),
      lines: claim.lines.map((l) => ({
        procedureCode: l.procedureCode,
        modifiers: l.modifiers,
        chargeCents: l.chargeCents,
        units: l.units,
        diagnosisPointers: l.diagnosisPointers,
      })),
    },
  };
}
