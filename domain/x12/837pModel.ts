// The 837P claim (005010X222A1, professional): the model write837p.ts writes from and read837p.ts reads into.
// Optional fields are left out (never undefined) when read back, so a claim that went out and came back
// deep-equals the one we started from.
import type { Cents, IsoDate } from '../clearinghouse';

export interface PersonName {
  last: string;
  first?: string;
  middle?: string;
  suffix?: string;
}
export interface OrganizationName {
  organization: string;
}
/** NM102 1 (person) or 2 (organisation). */
export type PartyName = PersonName | OrganizationName;

export interface Address {
  line1: string;
  line2?: string;
  city: string;
  state: string;
  /** 5 or 9 digits; the billing provider's must be 9. */
  postalCode: string;
}

/** PER: at most three of phone (with extension), email, fax fit in one segment. */
export interface Contact {
  name: string;
  phone?: string;
  extension?: string;
  email?: string;
  fax?: string;
}

export interface Submitter {
  name: PartyName;
  id: string;
  contact: Contact;
}

export interface Receiver {
  name: string;
  id: string;
}

export interface BillingProvider {
  name: PartyName;
  npi: string;
  /** EIN, 9 digits without the hyphen (REF*EI). */
  taxId: string;
  taxonomy?: string;
  address: Address;
}

export type Sex = 'M' | 'F' | 'U';
export type PayerResponsibility = 'P' | 'S' | 'T';
/** SBR02 / PAT01 individual relationship codes: 01 spouse, 18 self, 19 child, 20 employee, 21 unknown, 39/40 donors, 53 life partner, G8 other. */
export type Relationship = '01' | '18' | '19' | '20' | '21' | '39' | '40' | '53' | 'G8';

/**
 * The insured person (loop 2000B/2010BA). Whether the subscriber is the patient is not a field: a claim
 * without `patient` is the subscriber's own (SBR02 = 18); one with `patient` goes in loop 2000C.
 */
export interface Subscriber {
  memberId: string;
  name: PersonName;
  /** birthDate, sex and address are required when the subscriber is the patient. */
  birthDate?: IsoDate;
  sex?: Sex;
  address?: Address;
  groupNumber?: string;
  groupName?: string;
  /** SBR09: MB Medicare Part B, MC Medicaid, CI commercial, BL Blue Cross, HM HMO, 12-16 Medicare secondary... */
  claimFilingIndicator: string;
  payerResponsibility: PayerResponsibility;
}

/** The patient when not the subscriber (loop 2000C/2010CA). */
export interface Patient {
  relationship: Exclude<Relationship, '18'>;
  name: PersonName;
  birthDate: IsoDate;
  sex: Sex;
  address: Address;
}

export interface Payer {
  name: string;
  /** Electronic payer id (NM109 with qualifier PI). */
  id: string;
  address?: Address;
}

/** Loop 2310B. Left out of the file when its NPI is the billing provider's (TR3: only when they differ), so it does not come back. */
export interface RenderingProvider {
  name: PartyName;
  npi: string;
  taxonomy?: string;
}

export type AdjustmentGroup = 'CO' | 'PR' | 'OI' | 'PI' | 'CR';

/** One CAS reason: written grouped by group code (in order of first appearance), read back flat. */
export interface Adjustment {
  group: AdjustmentGroup;
  /** CARC */
  reason: string;
  amountCents: Cents;
  quantity?: number;
}

/** A payer that adjudicated this claim before the one we are billing (loops 2320, 2330A, 2330B). */
export interface OtherPayer {
  payerResponsibility: PayerResponsibility;
  /** Patient's relationship to the other payer's subscriber. */
  relationship: Relationship;
  groupNumber?: string;
  claimFilingIndicator: string;
  subscriber: { name: PersonName; memberId: string };
  payer: { name: string; id: string };
  /** AMT*D */
  paidCents: Cents;
  /** Claim-level CAS. */
  adjustments: Adjustment[];
  /** 2330B DTP*573: for an adjudication given at claim level only (no 2430 lines). */
  adjudicationDate?: IsoDate;
}

/** Loop 2430: what another payer did with this line. */
export interface LineAdjudication {
  /** Matches an OtherPayer's payer.id. */
  payerId: string;
  paidCents: Cents;
  adjustments: Adjustment[];
  adjudicationDate: IsoDate;
}

export interface ServiceLine {
  procedureCode: string;
  modifiers: string[];
  /** SV101-7, for not-otherwise-classified codes. */
  description?: string;
  chargeCents: Cents;
  units: number;
  /** Omitted: UN (units). MJ: anesthesia minutes. */
  unitOfMeasure?: 'MJ';
  /** Only when different from the claim's place of service. */
  placeOfService?: string;
  /** 1-based into the claim's diagnoses, at most 4. */
  diagnosisPointers: number[];
  /** Omitted: the claim's dateOfService. */
  serviceDate?: IsoDate;
  /** Present: a date range (RD8) from serviceDate (or the claim's date) to this. */
  serviceDateEnd?: IsoDate;
  adjudications?: LineAdjudication[];
}

export type FrequencyCode = '1' | '7' | '8';

export interface ClaimDetails {
  /** CLM01: our claim id, at most 20 characters; the payer echoes it in the 277CA and 835. */
  patientControlNumber: string;
  /** Must equal the sum of the lines' charges. */
  totalChargeCents: Cents;
  placeOfService: string;
  /** 1 original, 7 replacement, 8 void. */
  frequencyCode: FrequencyCode;
  /** REF*F8, the payer's claim control number of the claim a 7 or 8 replaces or voids. */
  originalPayerClaimControlNumber?: string;
  providerSignature: 'Y' | 'N';
  assignment: 'A' | 'B' | 'C';
  benefitsAssigned: 'Y' | 'N' | 'W';
  releaseOfInformation: 'Y' | 'I';
  /** The earliest date of service of the lines; 837P has no claim-level service date, each line carries one. */
  dateOfService: IsoDate;
  /** ICD-10-CM with dots ("E11.9"); the first is the principal diagnosis. At most 12. */
  diagnoses: string[];
  /** Only set when reading old files that carry ICD-9-CM (BK/BF); we never send ICD-9. */
  diagnosisCodeSystem?: 'ICD-9-CM';
  renderingProvider?: RenderingProvider;
  otherPayers?: OtherPayer[];
  lines: ServiceLine[];
}

export interface Claim837 {
  submitter: Submitter;
  receiver: Receiver;
  billingProvider: BillingProvider;
  subscriber: Subscriber;
  patient?: Patient;
  payer: Payer;
  claim: ClaimDetails;
}
