// 837P charge import: a practice system's claim file (005010X222), read by domain/x12/read837p.ts, as the
// source claims importPlan.ts checks and writes. Each problem names its segment, the segment's position in
// the file and the source claim (CLM01). A file that cannot be read as 837P at all is refused whole.
import type { Prisma, PrismaClient } from '../../generated/prisma/client';
import type { Claim837, PartyName } from '../../domain/x12/837pModel';
import { read837P, type Claim837Sources, type Warning837 } from '../../domain/x12/read837p';
import { readTransactions, X12SyntaxError } from '../../domain/x12/reader';
import { formatX12Amount } from '../../domain/x12/money';
import {
  defined,
  planImport,
  type ImportFormat,
  type ImportPlan,
  type ImportProblem,
  type ProblemPlace,
  type SourceClaim,
  type SourceField,
} from './importPlan';

/** InboundMessage kind of a practice system's claim imported from an 837P; externalId `${organizationId}:${submitter}:${CLM01}`. */
export const X12_837P_CLAIM_KIND = 'x12.837p.claim';

export const X12_837P_FORMAT: ImportFormat = {
  sourceKind: X12_837P_CLAIM_KIND,
  claimWord: 'claim',
  electronicPayerIds: true,
  auditSource: 'x12-837p',
  registersProviders: true,
};

export interface X12FileProblem {
  code: string;
  message: string;
  segment: string;
  /** 1-based ordinal of the segment in the file; 0 when no segment could be read */
  position: number;
  element?: number;
}

/** The file cannot be taken at all (its envelopes do not check out, or it is not an 837P): nothing of it is planned. */
export class Unreadable837Error extends Error {
  constructor(
    readonly status: 400 | 422,
    readonly code: 'X12_SYNTAX' | 'X12_UNSUPPORTED',
    message: string,
    readonly first: X12FileProblem,
    readonly errors: X12FileProblem[],
  ) {
    super(message);
    this.name = 'Unreadable837Error';
  }
}

const fileProblem = (e: X12SyntaxError): X12FileProblem => ({
  code: `X12_${e.code.toUpperCase().replace(/-/g, '_')}`,
  message: e.message,
  segment: e.segmentId,
  position: e.segmentIndex,
  ...(e.element !== undefined ? { element: e.element } : {}),
});

export interface Read837pFile {
  sources: SourceClaim[];
  problems: ImportProblem[];
}

/**
 * Every claim of every 837P transaction of the file (any number of ISA/GS/ST envelopes), with the problems
 * the reading found. Throws Unreadable837Error for a file whose envelopes do not check out or that holds
 * anything but 837P transactions: a file is taken whole or not at all.
 */
export function read837pFile(text: string, options: { controlTotals?: boolean } = {}): Read837pFile {
  const read = readTransactions(text, { controlTotals: options.controlTotals ?? true });
  if (read.errors.length > 0) {
    const errors = read.errors.map(fileProblem);
    throw new Unreadable837Error(400, 'X12_SYNTAX', `the file cannot be read: ${read.errors[0].message}`, errors[0], errors);
  }
  if (read.transactions.length === 0) {
    const none: X12FileProblem = { code: 'X12_ENVELOPE', message: 'the file holds no transaction (ST..SE)', segment: '', position: 0 };
    throw new Unreadable837Error(400, 'X12_SYNTAX', none.message, none, [none]);
  }
  const out: Read837pFile = { sources: [], problems: [] };
  for (const t of read.transactions) {
    const st = t.segments[0];
    const implementation = t.implementation ?? '';
    if (t.setId !== '837' || !implementation.startsWith('005010X222')) {
      const what = t.setId === '837' ? `an 837 of implementation ${implementation || '(none)'}` : `transaction set ${t.setId}`;
      const unsupported: X12FileProblem = {
        code: 'X12_UNSUPPORTED',
        message: `${what} is not taken: only 837P professional claims (005010X222) are imported; 837I (X223) and 837D (X224) are not`,
        segment: st.id,
        position: st.index,
        element: t.setId === '837' ? 3 : 1,
      };
      throw new Unreadable837Error(422, 'X12_UNSUPPORTED', unsupported.message, unsupported, [unsupported]);
    }
    let claims: Claim837[];
    let warnings: Warning837[];
    let sources: Claim837Sources[];
    try {
      ({ claims, warnings, sources } = read837P(t));
    } catch (err) {
      if (!(err instanceof X12SyntaxError)) throw err;
      const p = fileProblem(err);
      throw new Unreadable837Error(400, 'X12_SYNTAX', `the file cannot be read: ${err.message}`, p, [p]);
    }
    claims.forEach((c, i) => {
      const source = sourceOf(c, sources[i]);
      out.sources.push(source);
      out.problems.push(...claimProblems(c, sources[i], warnings, source.at));
    });
  }
  return out;
}

/** Reads, checks and resolves an 837P file against the practice's records. Writes nothing. */
export async function plan837pImport(
  db: PrismaClient | Prisma.TransactionClient,
  organizationId: string,
  file: Read837pFile,
): Promise<ImportPlan> {
  return planImport(db, organizationId, X12_837P_FORMAT, file.sources, file.problems);
}

const nameOf = (n: PartyName): string =>
  'organization' in n ? n.organization : [n.first, n.middle, n.last, n.suffix].filter((x) => x !== undefined && x !== '').join(' ');
const given = (v: string | undefined): string | undefined => (v === undefined || v.trim() === '' ? undefined : v.trim());

function sourceOf(c: Claim837, src: Claim837Sources): SourceClaim {
  const k = c.claim;
  const clm01 = k.patientControlNumber;
  const person = c.patient ?? c.subscriber;
  const dependent = c.patient !== undefined;
  const place = (segment: string, position: number | undefined): ProblemPlace =>
    position === undefined ? { segment: 'CLM', position: src.claim, claim: clm01 } : { segment, position, claim: clm01 };
  const personAt = dependent ? src.patient : src.subscriber;
  const firstDated = src.lines.find((l) => l.serviceDate !== undefined)?.serviceDate;
  const at = (field: SourceField, line?: number): ProblemPlace => {
    switch (field) {
      case 'lastName':
      case 'firstName':
        return place('NM1', personAt);
      case 'birthDate':
      case 'sex':
        return place('DMG', (dependent ? src.patientDemographics : src.subscriberDemographics) ?? personAt);
      case 'addressLine':
        return place('N3', dependent ? src.patientAddress : src.subscriberAddress);
      case 'city':
      case 'state':
      case 'postalCode':
        return place('N4', dependent ? src.patientPlace : src.subscriberPlace);
      case 'payerId':
        return place('NM1', src.payer);
      case 'memberId':
        return place('NM1', src.subscriber);
      case 'groupNumber':
        return place('SBR', src.subscriberLevel);
      case 'providerNpi':
        return place('NM1', src.renderingProvider ?? src.billingProvider);
      case 'dateOfService':
        return place('DTP', firstDated ?? src.serviceDate);
      case 'diagnoses':
        return place('HI', src.diagnoses);
      case 'procedureCode':
      case 'modifiers':
      case 'units':
      case 'chargeCents':
      case 'diagnosisPointers':
        return place('SV1', src.lines[line ?? 0]?.service);
      default:
        return place('CLM', src.claim);
    }
  };
  const address = person.address;
  const rendering = k.renderingProvider;
  const bp = c.billingProvider;
  return {
    sourceId: `${c.submitter.id}:${clm01}`,
    patient: defined({
      lastName: given(person.name.last),
      firstName: given(person.name.first),
      birthDate: given(person.birthDate),
      sex: given(person.sex),
      addressLine: given(address ? [address.line1, address.line2].filter((l) => given(l) !== undefined).join(', ') : undefined),
      city: given(address?.city),
      state: given(address?.state),
      postalCode: given(address?.postalCode),
    }),
    coverage: defined({
      payer: given(c.payer.id),
      memberId: given(c.subscriber.memberId),
      groupNumber: given(c.subscriber.groupNumber),
      relationship: dependent ? given(c.patient!.relationship) : '18',
    }),
    provider: {
      ...(given(rendering?.npi ?? bp.npi) !== undefined ? { npi: given(rendering?.npi ?? bp.npi) } : {}),
      offer: {
        name: nameOf(rendering?.name ?? bp.name),
        // A rendering provider's own specialty; the billing provider's only when it is the one who rendered.
        taxonomy: (rendering ? rendering.taxonomy : bp.taxonomy) ?? '',
        taxId: bp.taxId,
        billingNpi: bp.npi,
      },
    },
    claim: {
      ...(given(k.dateOfService) !== undefined ? { dateOfService: k.dateOfService } : {}),
      ...(given(k.placeOfService) !== undefined ? { placeOfService: k.placeOfService } : {}),
      documentation: `Imported from an 837P: claim ${clm01} of submitter ${c.submitter.id}`,
      // ICD-9 codes are a problem of the claim (claimProblems), not a format issue of each code.
      diagnoses: k.diagnosisCodeSystem === 'ICD-9-CM' ? [] : k.diagnoses,
      lines: k.lines.map((l) => ({
        procedureCode: l.procedureCode,
        ...(l.modifiers.length > 0 ? { modifiers: l.modifiers } : {}),
        units: l.units,
        chargeCents: l.chargeCents,
        diagnosisPointers: l.diagnosisPointers,
      })),
    },
    billedCents: k.totalChargeCents,
    complete: true,
    at,
  };
}

/** Reader warnings that make a claim one claimflow cannot take as read. */
const REFUSED_WARNINGS = new Set(['HL_NUMBERING', 'HL_PARENT', 'HL_LEVEL']);
/** Segments whose INVALID/MISSING warnings mean a value of the claim was dropped or guessed. */
const VALUE_SEGMENTS = new Set(['SV1', 'DTP', 'DMG', 'HI']);

/** What the 837P says that claimflow cannot take, beyond what createClaimBody and createPatientBody check. */
function claimProblems(c: Claim837, src: Claim837Sources, warnings: Warning837[], at: SourceClaim['at']): ImportProblem[] {
  const k = c.claim;
  const claim = k.patientControlNumber;
  const out: ImportProblem[] = [];
  const add = (place: ProblemPlace, message: string) => out.push({ ...place, message });
  const clm = { segment: 'CLM', position: src.claim, claim };
  if (claim === '') add(clm, 'CLM01 (the patient control number) is missing: it is the claim’s id in the import');
  if (c.submitter.id === '')
    add(src.submitter ? { segment: 'NM1', position: src.submitter, claim } : clm, 'the submitter id (1000A NM109) is missing');
  if (k.diagnosisCodeSystem === 'ICD-9-CM') {
    add(at('diagnoses'), 'the diagnoses are ICD-9-CM (BK/BF qualifiers): claimflow takes ICD-10-CM (ABK/ABF) only');
  }
  const sum = k.lines.reduce((s, l) => s + l.chargeCents, 0);
  if (sum !== k.totalChargeCents) {
    add(clm, `CLM02 is ${formatX12Amount(k.totalChargeCents)} but the lines add up to ${formatX12Amount(sum)}`);
  }
  if (k.frequencyCode === '7' || k.frequencyCode === '8') {
    add(clm, `a replacement or void (CLM05-3 ${k.frequencyCode}) is not imported: correct or void the claim in claimflow`);
  }
  if (c.subscriber.payerResponsibility !== 'P' || (k.otherPayers?.length ?? 0) > 0) {
    add(
      src.subscriberLevel !== undefined ? { segment: 'SBR', position: src.subscriberLevel, claim } : clm,
      'a claim to a secondary or tertiary payer (SBR01 S or T, or another payer’s adjudication in loop 2320) is not imported: claimflow bills the primary payer',
    );
  }
  // One claim, one date of service: lines on other dates are a claim of their own.
  const dated = k.lines.findIndex((l) => l.serviceDate !== undefined && l.serviceDate !== k.dateOfService);
  if (dated >= 0) {
    const position = src.lines[dated]?.serviceDate ?? src.lines[dated]?.service ?? src.claim;
    add(
      { segment: 'DTP', position, claim },
      `line ${dated + 1} is on ${k.lines[dated].serviceDate}, the claim on ${k.dateOfService}: a claimflow claim has one date of service, so split the claim`,
    );
  }
  const inClaim = (i: number) => src.ranges.some(([from, to]) => i >= from && i <= to);
  for (const w of warnings) {
    if (w.segmentIndex < 1 || !inClaim(w.segmentIndex)) continue;
    if (REFUSED_WARNINGS.has(w.code) || ((w.code === 'INVALID' || w.code === 'MISSING') && VALUE_SEGMENTS.has(w.segmentId))) {
      add({ segment: w.segmentId, position: w.segmentIndex, claim }, w.message);
    }
  }
  return out;
}
