// What goes in each box of a CMS-1500 (02/12) paper claim, from the 837P model of the same claim (the paper
// and the electronic claim say the same thing). Pure: no layout here (render.ts places these values), no I/O.
// Every value is upper-case printable ASCII, as the NUCC 1500 instruction manual and the payers' scanners want.
import type { Cents, IsoDate } from '../clearinghouse';
import type { Address, Claim837, PersonName, ServiceLine } from '../x12/837pModel';

/** Box 24 has six service lines; a claim with more goes on more pages, each a complete form. */
export const LINES_PER_PAGE = 6;
/** Box 21 has twelve diagnoses, A to L. */
export const MAX_DIAGNOSES = 12;

/** A claim the form cannot carry (more diagnoses than box 21 has, a pointer to none of them). */
export class Cms1500Error extends Error {
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
    this.name = 'Cms1500Error';
  }
}

/** What the form needs beyond the 837P model: things the 837P carries elsewhere, or the read model holds beside it. */
export interface Cms1500Input {
  claim: Claim837;
  /** The patient's other coverage (the secondary when we bill the primary): boxes 9, 9a, 9d and 11d. */
  otherCoverage?: { insured: PersonName; policyNumber: string; planName: string };
  /** Box 17: DN referring, DK ordering, DQ supervising. */
  referringProvider?: { qualifier: 'DN' | 'DK' | 'DQ'; name: PersonName; npi: string };
  /** Box 32: where the services were rendered. */
  serviceFacility?: { name: string; address: Address; npi?: string };
  /** Box 33's phone, 10 digits. */
  billingPhone?: string;
  /** Box 31's date: the day the form is printed (signed). */
  signedOn: IsoDate;
}

/** An amount split the way the form's money boxes are: dollars left of the dotted line, cents right of it. */
export interface FormMoney {
  dollars: string;
  cents: string;
}

/** MM, DD and YY (24A, 31) or YYYY (3, 11a) in their separate columns. */
export interface FormDate {
  mm: string;
  dd: string;
  yy: string;
}

export interface FormAddress {
  street: string;
  city: string;
  state: string;
  zip: string;
}

export type InsuranceType = 'MEDICARE' | 'MEDICAID' | 'TRICARE' | 'CHAMPVA' | 'GROUP HEALTH PLAN' | 'FECA BLK LUNG' | 'OTHER';
export type PatientRelationship = 'SELF' | 'SPOUSE' | 'CHILD' | 'OTHER';

/** One service line of box 24. */
export interface FormLine {
  /** 24A */
  from: FormDate;
  to: FormDate;
  /** 24B */
  placeOfService: string;
  /** 24D */
  procedureCode: string;
  modifiers: string[];
  /** 24E: letters of box 21, the primary first, no commas */
  diagnosisPointers: string;
  /** 24F */
  charge: FormMoney;
  /** 24G */
  units: string;
  /** 24I and 24J shaded: ZZ and the rendering provider's taxonomy */
  otherIdQualifier?: 'ZZ';
  otherId?: string;
  /** 24J */
  renderingNpi: string;
}

/** One printed page: a complete form with up to six lines and its own totals. */
export interface Cms1500Page {
  pageNumber: number;
  pageCount: number;
  /** the payer's name (and address when known), top right */
  carrier: string[];
  /** 1 */
  insuranceType: InsuranceType;
  /** 1a */
  insuredId: string;
  /** 2 */
  patientName: string;
  /** 3 */
  patientBirthDate: FormDate;
  patientSex?: 'M' | 'F';
  /** 4 */
  insuredName: string;
  /** 5 */
  patientAddress: FormAddress;
  /** 6 */
  relationship: PatientRelationship;
  /** 7: the insured's address; the read model has it only when the patient is the insured */
  insuredAddress?: FormAddress;
  /** 9, 9a, 9d */
  otherInsuredName?: string;
  otherInsuredPolicy?: string;
  otherInsuredPlan?: string;
  /** 10a-10c: claimflow records no employment or accident claims, so each is NO */
  employmentRelated: boolean;
  autoAccident: boolean;
  otherAccident: boolean;
  /** 11 */
  insuredGroupNumber?: string;
  /** 11a */
  insuredBirthDate?: FormDate;
  insuredSex?: 'M' | 'F';
  /** 11c */
  insurancePlanName: string;
  /** 11d */
  anotherPlan: boolean;
  /** 12, 13 */
  patientSignature: string;
  insuredSignature?: string;
  /** 17, 17b */
  referringProvider?: { qualifier: string; name: string; npi: string };
  /** 21 */
  icdIndicator: '0';
  diagnoses: string[];
  /** 22 */
  resubmission?: { code: '7' | '8'; originalReference: string };
  /** 24 */
  lines: FormLine[];
  /** 25 */
  federalTaxId: string;
  federalTaxIdType: 'EIN';
  /** 26 */
  patientAccountNumber: string;
  /** 27 */
  acceptAssignment: boolean;
  /** 28: this page's lines */
  totalCharge: FormMoney;
  /** 29: what other payers paid on this page's lines */
  amountPaid: FormMoney;
  /** 31 */
  physicianSignature: string;
  physicianSignedOn: FormDate;
  /** 32, 32a */
  serviceFacility?: { name: string; street: string; cityStateZip: string; npi?: string };
  /** 33, 33a */
  billingProvider: { phone?: { area: string; number: string }; name: string; street: string; cityStateZip: string; npi: string };
}

// ---- text as the form wants it ----

/** Upper-case printable ASCII: accents dropped (É → E), anything else unprintable dropped, spaces collapsed. */
export function formText(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[^\x20-\x7e]/g, '')
    .toUpperCase()
    .replace(/\s+/g, ' ')
    .trim();
}

/** Names: "LAST, FIRST, M" with commas between the parts, hyphens kept, no periods (NUCC item 2). */
export function formName(n: PersonName): string {
  const clean = (s: string) => formText(s.replace(/[.,]/g, ' '));
  const last = [n.last, n.suffix]
    .filter(Boolean)
    .map((s) => clean(s!))
    .join(' ');
  const parts = [last];
  if (n.first) parts.push(clean(n.first));
  if (n.first && n.middle) parts.push(clean(n.middle).slice(0, 1));
  return parts.filter(Boolean).join(', ');
}

/** Addresses: no punctuation ("123 N MAIN STREET 101", NUCC item 5). */
const addressText = (s: string) => formText(s.replace(/[.,#]/g, ' '));

/** Five digits, or ZIP+4 with its hyphen (NUCC items 5, 32, 33); an all-zero +4 is a placeholder, not printed. */
export function formZip(postalCode: string): string {
  const digits = postalCode.replace(/\D/g, '');
  if (digits.length === 9 && !digits.endsWith('0000')) return `${digits.slice(0, 5)}-${digits.slice(5)}`;
  return digits.slice(0, 5);
}

function formAddress(a: Address): FormAddress {
  return {
    street: addressText([a.line1, a.line2].filter(Boolean).join(' ')),
    city: addressText(a.city),
    state: formText(a.state),
    zip: formZip(a.postalCode),
  };
}

const cityStateZip = (a: FormAddress) => `${a.city} ${a.state} ${a.zip}`;

/** 123456 cents → { dollars: '1234', cents: '56' }; no $, no commas, cents always two digits. */
export function formMoney(cents: Cents): FormMoney {
  if (!Number.isSafeInteger(cents) || cents < 0) throw new Cms1500Error(`an amount the form cannot print: ${cents}`, 'cents');
  return { dollars: String(Math.floor(cents / 100)), cents: String(cents % 100).padStart(2, '0') };
}

/** YYYY-MM-DD → MM DD YY (or YYYY when `fullYear`). */
export function formDate(date: IsoDate, fullYear = false): FormDate {
  const [y, m, d] = date.split('-');
  return { mm: m, dd: d, yy: fullYear ? y : y.slice(2) };
}

const sexBox = (sex: string | undefined): 'M' | 'F' | undefined => (sex === 'M' || sex === 'F' ? sex : undefined);

// ---- the boxes ----

/** SBR09 claim filing indicator → box 1. A commercial plan with a group number is a group health plan. */
function insuranceTypeOf(claim: Claim837): InsuranceType {
  switch (claim.subscriber.claimFilingIndicator) {
    case 'MA':
    case 'MB':
      return 'MEDICARE';
    case 'MC':
      return 'MEDICAID';
    case 'CH':
      return 'TRICARE';
    case 'VA':
      return 'CHAMPVA';
    case 'FI':
      return 'FECA BLK LUNG';
    default:
      return claim.subscriber.groupNumber ? 'GROUP HEALTH PLAN' : 'OTHER';
  }
}

function relationshipOf(claim: Claim837): PatientRelationship {
  if (!claim.patient) return 'SELF';
  if (claim.patient.relationship === '01') return 'SPOUSE';
  if (claim.patient.relationship === '19') return 'CHILD';
  return 'OTHER';
}

const POINTER_LETTERS = 'ABCDEFGHIJKL';

function lineOf(claim: Claim837, line: ServiceLine, lineNo: number): FormLine {
  const from = line.serviceDate ?? claim.claim.dateOfService;
  const pointers = line.diagnosisPointers.slice(0, 4).map((p) => {
    if (!Number.isInteger(p) || p < 1 || p > claim.claim.diagnoses.length) {
      throw new Cms1500Error(`line ${lineNo} points at diagnosis ${p}, which box 21 does not have`, `lines.${lineNo}.diagnosisPointers`);
    }
    return POINTER_LETTERS[p - 1];
  });
  const rendering = claim.claim.renderingProvider;
  // The provider who billed in their own name rendered the service too: their NPI goes in 24J as well as 33a.
  const taxonomy = rendering ? rendering.taxonomy : claim.billingProvider.taxonomy;
  return {
    from: formDate(from),
    to: formDate(line.serviceDateEnd ?? from),
    placeOfService: formText(line.placeOfService ?? claim.claim.placeOfService),
    procedureCode: formText(line.procedureCode),
    modifiers: line.modifiers.slice(0, 4).map(formText),
    diagnosisPointers: pointers.join(''),
    charge: formMoney(line.chargeCents),
    units: String(line.units),
    ...(taxonomy ? { otherIdQualifier: 'ZZ' as const, otherId: formText(taxonomy) } : {}),
    renderingNpi: rendering?.npi ?? claim.billingProvider.npi,
  };
}

/** Other payers' payments on these lines (loop 2430), or the claim-level ones (2320) on the first page. */
function paidOn(claim: Claim837, lines: ServiceLine[], firstPage: boolean): Cents {
  const lineLevel = lines.flatMap((l) => l.adjudications ?? []).reduce((sum, a) => sum + a.paidCents, 0);
  const anyLineLevel = claim.claim.lines.some((l) => (l.adjudications ?? []).length > 0);
  if (anyLineLevel || !firstPage) return lineLevel;
  return (claim.claim.otherPayers ?? []).reduce((sum, p) => sum + p.paidCents, 0);
}

/**
 * The pages of a claim's CMS-1500: six lines a page, every page a complete form with its own box 28 and 29 (each
 * page's lines only, as Medicare wants a paper claim totalled on every form, never "continued").
 */
export function cms1500Pages(input: Cms1500Input): Cms1500Page[] {
  const { claim } = input;
  if (claim.claim.diagnoses.length > MAX_DIAGNOSES) {
    throw new Cms1500Error(`box 21 holds ${MAX_DIAGNOSES} diagnoses; the claim has ${claim.claim.diagnoses.length}`, 'diagnoses');
  }
  if (claim.claim.lines.length === 0) throw new Cms1500Error('a claim without service lines has nothing for box 24', 'lines');

  const subscriber = claim.subscriber;
  const patientName = claim.patient?.name ?? subscriber.name;
  const patientBirthDate = claim.patient?.birthDate ?? subscriber.birthDate;
  const patientAddress = claim.patient?.address ?? subscriber.address;
  if (!patientBirthDate || !patientAddress) throw new Cms1500Error("the patient's birth date and address are required", 'patient');
  const isMedicare = subscriber.claimFilingIndicator === 'MB' || subscriber.claimFilingIndicator === 'MA';
  const billing = claim.billingProvider;
  const billingAddress = formAddress(billing.address);
  const billingName = 'organization' in billing.name ? formText(billing.name.organization) : formName(billing.name);
  const facility = input.serviceFacility;
  const facilityAddress = facility ? formAddress(facility.address) : undefined;
  const phone = input.billingPhone?.replace(/\D/g, '');
  const frequency = claim.claim.frequencyCode;

  const shared: Omit<Cms1500Page, 'pageNumber' | 'pageCount' | 'lines' | 'totalCharge' | 'amountPaid'> = {
    carrier: [
      formText(claim.payer.name),
      ...(claim.payer.address
        ? [addressText(claim.payer.address.line1), cityStateZip(formAddress(claim.payer.address))]
        : [`PAYER ID ${formText(claim.payer.id)}`]),
    ],
    insuranceType: insuranceTypeOf(claim),
    insuredId: formText(subscriber.memberId),
    patientName: formName(patientName),
    patientBirthDate: formDate(patientBirthDate, true),
    patientSex: sexBox(claim.patient?.sex ?? subscriber.sex),
    insuredName: formName(subscriber.name),
    patientAddress: formAddress(patientAddress),
    relationship: relationshipOf(claim),
    ...(subscriber.address ? { insuredAddress: formAddress(subscriber.address) } : {}),
    ...(input.otherCoverage
      ? {
          otherInsuredName: formName(input.otherCoverage.insured),
          otherInsuredPolicy: formText(input.otherCoverage.policyNumber),
          otherInsuredPlan: formText(input.otherCoverage.planName),
        }
      : {}),
    employmentRelated: false,
    autoAccident: false,
    otherAccident: false,
    // Medicare returns a paper claim whose item 11 is empty: NONE says no insurance is primary to Medicare.
    ...(subscriber.groupNumber
      ? { insuredGroupNumber: formText(subscriber.groupNumber) }
      : isMedicare && subscriber.payerResponsibility === 'P'
        ? { insuredGroupNumber: 'NONE' }
        : {}),
    ...(subscriber.birthDate ? { insuredBirthDate: formDate(subscriber.birthDate, true) } : {}),
    ...(sexBox(subscriber.sex) ? { insuredSex: sexBox(subscriber.sex) } : {}),
    insurancePlanName: formText(claim.payer.name),
    anotherPlan: input.otherCoverage !== undefined,
    patientSignature: claim.claim.releaseOfInformation === 'Y' ? 'SIGNATURE ON FILE' : '',
    ...(claim.claim.benefitsAssigned === 'Y' ? { insuredSignature: 'SIGNATURE ON FILE' } : {}),
    ...(input.referringProvider
      ? {
          referringProvider: {
            qualifier: input.referringProvider.qualifier,
            // Box 17 reads first name, middle initial, last name (NUCC item 17), unlike box 2.
            name: formText(
              [input.referringProvider.name.first, input.referringProvider.name.middle?.slice(0, 1), input.referringProvider.name.last]
                .filter(Boolean)
                .join(' ')
                .replace(/[.,]/g, ' '),
            ),
            npi: input.referringProvider.npi,
          },
        }
      : {}),
    icdIndicator: '0',
    // The decimal point is implied in box 21 (NUCC item 21): E11.9 prints as E119.
    diagnoses: claim.claim.diagnoses.map((d) => formText(d.replace('.', ''))),
    ...(frequency === '7' || frequency === '8'
      ? { resubmission: { code: frequency, originalReference: formText(claim.claim.originalPayerClaimControlNumber ?? '') } }
      : {}),
    federalTaxId: billing.taxId.replace(/\D/g, ''),
    federalTaxIdType: 'EIN',
    patientAccountNumber: formText(claim.claim.patientControlNumber),
    acceptAssignment: claim.claim.assignment === 'A',
    physicianSignature: claim.claim.providerSignature === 'Y' ? 'SIGNATURE ON FILE' : '',
    physicianSignedOn: formDate(input.signedOn),
    ...(facility && facilityAddress
      ? {
          serviceFacility: {
            name: formText(facility.name),
            street: facilityAddress.street,
            cityStateZip: cityStateZip(facilityAddress),
            ...(facility.npi ? { npi: facility.npi } : {}),
          },
        }
      : {}),
    billingProvider: {
      ...(phone && phone.length === 10 ? { phone: { area: phone.slice(0, 3), number: phone.slice(3) } } : {}),
      name: billingName,
      street: billingAddress.street,
      cityStateZip: cityStateZip(billingAddress),
      npi: billing.npi,
    },
  };

  const chunks: ServiceLine[][] = [];
  for (let i = 0; i < claim.claim.lines.length; i += LINES_PER_PAGE) chunks.push(claim.claim.lines.slice(i, i + LINES_PER_PAGE));
  return chunks.map((lines, page) => ({
    ...shared,
    pageNumber: page + 1,
    pageCount: chunks.length,
    lines: lines.map((l, i) => lineOf(claim, l, page * LINES_PER_PAGE + i + 1)),
    totalCharge: formMoney(lines.reduce((sum, l) => sum + l.chargeCents, 0)),
    amountPaid: formMoney(paidOn(claim, lines, page === 0)),
  }));
}
