// A claimflow claim as a FHIR R4 Claim: what an EHR reads back after sending one (GET /fhir/Claim/:id). Pure.
import type { Claim, CodeableConcept, Identifier, Money } from '@medplum/fhirtypes';
import type { SourceIdentifier } from './claimIn';
import { SYSTEMS } from './systems';

/** The claim as claimflow keeps it, without PHI beyond ids. */
export interface ClaimRecord {
  id: string;
  state: string;
  /** ISO 8601 instant */
  createdAt: string;
  patientId: string;
  providerId: string;
  providerNpi: string;
  payerId: string;
  payerName: string;
  coverageId: string;
  dateOfService: string;
  placeOfService: string;
  totalChargeCents: number;
  /** the EHR's own identifier, when the claim came in as FHIR */
  sourceIdentifier?: SourceIdentifier;
  diagnoses: { seq: number; code: string }[];
  lines: { lineNo: number; procedureCode: string; modifiers: string[]; units: number; chargeCents: number; diagnosisPointers: number[] }[];
}

export const usd = (cents: number): Money => ({ value: cents / 100, currency: 'USD' });
export const coded = (system: string, code: string, display?: string): CodeableConcept => ({
  coding: [{ system, code, ...(display ? { display } : {}) }],
});
export const PROFESSIONAL = coded(SYSTEMS.claimType, 'professional');

export function claimIdentifiers(c: Pick<ClaimRecord, 'id' | 'sourceIdentifier'>): Identifier[] {
  return [...(c.sourceIdentifier ? [c.sourceIdentifier] : []), { system: SYSTEMS.claimflowClaim, value: c.id }];
}

export function procedureConcept(code: string): CodeableConcept {
  // CPT codes are five digits (or four and a letter for category II/III); HCPCS Level II starts with a letter.
  return coded(/^[A-Z]/.test(code) ? SYSTEMS.hcpcs : SYSTEMS.cpt, code);
}

export function claimOut(c: ClaimRecord): Claim {
  return {
    resourceType: 'Claim',
    id: c.id,
    identifier: claimIdentifiers(c),
    status: c.state === 'VOIDED' ? 'cancelled' : 'active',
    type: PROFESSIONAL,
    use: 'claim',
    patient: { reference: `Patient/${c.patientId}` },
    billablePeriod: { start: c.dateOfService, end: c.dateOfService },
    created: c.createdAt,
    insurer: {
      reference: `Organization/${c.payerId}`,
      identifier: { system: SYSTEMS.claimflowPayer, value: c.payerId },
      display: c.payerName,
    },
    provider: { reference: `Practitioner/${c.providerId}`, identifier: { system: SYSTEMS.npi, value: c.providerNpi } },
    priority: coded('http://terminology.hl7.org/CodeSystem/processpriority', 'normal'),
    insurance: [{ sequence: 1, focal: true, coverage: { reference: `Coverage/${c.coverageId}` } }],
    diagnosis: c.diagnoses.map((d) => ({ sequence: d.seq, diagnosisCodeableConcept: coded(SYSTEMS.icd10cm, d.code) })),
    item: c.lines.map((l) => ({
      sequence: l.lineNo,
      diagnosisSequence: l.diagnosisPointers,
      productOrService: procedureConcept(l.procedureCode),
      ...(l.modifiers.length > 0 ? { modifier: l.modifiers.map((m) => ({ coding: [{ code: m }] })) } : {}),
      servicedDate: c.dateOfService,
      locationCodeableConcept: coded(SYSTEMS.placeOfService, c.placeOfService),
      quantity: { value: l.units },
      unitPrice: usd(Math.round(l.chargeCents / l.units)),
      net: usd(l.chargeCents),
    })),
    total: usd(c.totalChargeCents),
  };
}
