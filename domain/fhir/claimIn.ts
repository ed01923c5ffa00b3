// Reads a FHIR R4 Claim, alone (its parties contained or named by reference) or in a transaction Bundle as EHRs
// send it, into what claimflow needs to make a claim: the source's claim identifier, the facts to find or register
// the patient and coverage, the rendering practitioner, and the claim as POST /api/claims takes it. Pure: what
// exists in claimflow is decided by the caller, which names a refused element with `fhirPathOf`.
import type {
  Bundle,
  BundleEntry,
  Claim,
  CodeableConcept,
  Coverage,
  Money,
  Patient,
  Practitioner,
  Reference,
  Resource,
} from '@medplum/fhirtypes';
import { HCPCS_SYSTEMS, PROCEDURE_SYSTEMS, SYSTEMS } from './systems';

/** A FHIR element that is missing, malformed or not supported; `expression` is its FHIRPath, e.g. Claim.item[1].productOrService. */
export class FhirInputError extends Error {
  constructor(
    readonly expression: string,
    message: string,
    /** OperationOutcome issue type: structure (not FHIR as expected), required, value, not-supported */
    readonly issueType: 'structure' | 'required' | 'value' | 'not-supported' = 'value',
  ) {
    super(message);
    this.name = 'FhirInputError';
  }
}

export interface SourceIdentifier {
  system: string;
  value: string;
}

/** What the message says of the patient; `path` is where the resource (or reference) sits. */
export interface PatientFacts {
  path: string;
  /** a patient claimflow already has, named by urn:claimflow:patient or a literal Patient/<id> the Bundle does not hold */
  claimflowId?: string;
  firstName?: string;
  lastName?: string;
  birthDate?: string;
  sex?: string;
  addressLine?: string;
  city?: string;
  state?: string;
  postalCode?: string;
}

export interface CoverageFacts {
  path: string;
  /** claimflow's Payer.id, from Coverage.payor's identifier (or Organization/<payer id>) */
  payerId: string;
  memberId: string;
  groupNumber?: string;
  /** X12 individual relationship code */
  relationship: string;
}

export interface PractitionerFacts {
  path: string;
  npi?: string;
  /** a provider claimflow already has, named by a literal Practitioner/<id> the Bundle does not hold */
  claimflowId?: string;
}

export interface ClaimLineIn {
  procedureCode: string;
  modifiers: string[];
  units: number;
  chargeCents: number;
  diagnosisPointers: number[];
}

export interface ClaimIntake {
  identifier: SourceIdentifier;
  patient: PatientFacts;
  coverage: CoverageFacts;
  practitioner: PractitionerFacts;
  /** the claim as POST /api/claims takes it, without its parties */
  claim: {
    dateOfService: string;
    placeOfService: string;
    documentation: string;
    diagnoses: string[];
    lines: ClaimLineIn[];
  };
  /** claimflow field (dateOfService, lines[1].procedureCode, ...) → the FHIRPath it was read from */
  paths: Record<string, string>;
  /** the Bundle's entries in order, for the transaction-response; empty for a Claim posted alone */
  entries: { resourceType: string; path: string }[];
  /** where the Claim sits: Claim, or Bundle.entry[n].resource */
  claimPath: string;
}

const MAX_IDENTIFIER = 200;
const SUPPORTED_IN_BUNDLE = new Set(['Patient', 'Coverage', 'Encounter', 'Practitioner', 'PractitionerRole', 'Organization', 'Claim']);

interface Located<R extends Resource = Resource> {
  resource: R;
  path: string;
}

/** Resources a reference can name: the Bundle's entries by fullUrl and by type/id, and a resource's contained ones by #id. */
class Resolver {
  private readonly byUrl = new Map<string, Located>();

  add(key: string | undefined, found: Located): void {
    if (key) this.byUrl.set(key, found);
  }

  /** The resource a reference names, or what it names outside the message (a logical identifier, a literal type/id). */
  resolve(
    ref: Reference | undefined,
    at: string,
    contained: Map<string, Located>,
  ): { found: Located } | { identifier: SourceIdentifier } | { literal: { type: string; id: string } } {
    if (!isObject(ref)) throw new FhirInputError(at, 'is required', 'required');
    if (typeof ref.reference === 'string') {
      const r = ref.reference;
      if (r.startsWith('#')) {
        const found = contained.get(r.slice(1));
        if (!found) throw new FhirInputError(`${at}.reference`, `names no contained resource ${r}`);
        return { found };
      }
      const found = this.byUrl.get(r);
      if (found) return { found };
      const literal = /^([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})$/.exec(r);
      if (literal) return { literal: { type: literal[1], id: literal[2] } };
      throw new FhirInputError(
        `${at}.reference`,
        'names nothing in this message (a fullUrl of the Bundle, #id of a contained resource, or Type/id)',
      );
    }
    if (isObject(ref.identifier) && typeof ref.identifier.value === 'string') {
      return { identifier: { system: ref.identifier.system ?? '', value: ref.identifier.value } };
    }
    throw new FhirInputError(at, 'must have a reference or an identifier', 'required');
  }
}

/** A transaction Bundle holding one Claim and the resources it references (fullUrl urn:uuid references). */
export function readClaimBundle(input: unknown): ClaimIntake {
  if (!isObject(input) || input.resourceType !== 'Bundle') {
    throw new FhirInputError('Bundle.resourceType', 'must be Bundle', 'structure');
  }
  const bundle = input as Bundle;
  if (bundle.type !== 'transaction') throw new FhirInputError('Bundle.type', 'must be transaction', 'value');
  if (!Array.isArray(bundle.entry) || bundle.entry.length === 0) {
    throw new FhirInputError('Bundle.entry', 'must hold the Claim and the resources it references', 'required');
  }
  const resolver = new Resolver();
  const entries: ClaimIntake['entries'] = [];
  let claim: Located<Claim> | undefined;
  bundle.entry.forEach((entry: BundleEntry, i) => {
    const path = `Bundle.entry[${i}].resource`;
    if (!isObject(entry) || !isObject(entry.resource) || typeof entry.resource.resourceType !== 'string') {
      throw new FhirInputError(`Bundle.entry[${i}].resource`, 'is required', 'required');
    }
    const resource = entry.resource;
    if (!SUPPORTED_IN_BUNDLE.has(resource.resourceType)) {
      throw new FhirInputError(
        `${path}.resourceType`,
        `${resource.resourceType} is not taken here (${[...SUPPORTED_IN_BUNDLE].join(', ')})`,
        'not-supported',
      );
    }
    const method = entry.request?.method;
    if (method !== undefined && method !== 'POST' && method !== 'PUT') {
      throw new FhirInputError(`Bundle.entry[${i}].request.method`, 'must be POST or PUT', 'not-supported');
    }
    const found = { resource, path };
    resolver.add(entry.fullUrl, found);
    if (resource.id) resolver.add(`${resource.resourceType}/${resource.id}`, found);
    entries.push({ resourceType: resource.resourceType, path });
    if (resource.resourceType === 'Claim') {
      if (claim) throw new FhirInputError(path, 'a Bundle carries one Claim; send each claim in a Bundle of its own', 'not-supported');
      claim = found as Located<Claim>;
    }
  });
  if (!claim) throw new FhirInputError('Bundle.entry', 'holds no Claim', 'required');
  return { ...readClaimAt(claim, resolver), entries };
}

/** A Claim posted alone: its parties are contained, or named by identifier or by claimflow's ids. */
export function readClaimResource(input: unknown): ClaimIntake {
  if (!isObject(input) || input.resourceType !== 'Claim') throw new FhirInputError('Claim.resourceType', 'must be Claim', 'structure');
  return { ...readClaimAt({ resource: input as Claim, path: 'Claim' }, new Resolver()), entries: [] };
}

function readClaimAt(at: Located<Claim>, resolver: Resolver): Omit<ClaimIntake, 'entries'> {
  const claim = at.resource;
  const p = at.path;
  const contained = new Map<string, Located>();
  (Array.isArray(claim.contained) ? claim.contained : []).forEach((r, i) => {
    if (isObject(r) && typeof r.id === 'string') contained.set(r.id, { resource: r, path: `${p}.contained[${i}]` });
  });
  if (claim.status !== undefined && claim.status !== 'active') throw new FhirInputError(`${p}.status`, 'must be active', 'not-supported');
  if (claim.use !== undefined && claim.use !== 'claim') {
    throw new FhirInputError(`${p}.use`, 'must be claim (predeterminations and preauthorizations are not taken)', 'not-supported');
  }
  const type = claim.type?.coding?.find((c) => c.system === SYSTEMS.claimType)?.code;
  if (type !== undefined && type !== 'professional') {
    throw new FhirInputError(`${p}.type`, 'claimflow bills professional claims (837P) only', 'not-supported');
  }
  const identifier = sourceIdentifier(claim, p);
  const paths: Record<string, string> = {};

  const patient = patientFacts(resolver.resolve(claim.patient, `${p}.patient`, contained), `${p}.patient`);
  const coverage = coverageFacts(claim, p, resolver, contained);
  const practitioner = practitionerFacts(claim, p, resolver, contained);

  const { diagnoses, positionOfSequence } = readDiagnoses(claim, p, paths);
  const items = Array.isArray(claim.item) ? claim.item : [];
  if (items.length === 0) throw new FhirInputError(`${p}.item`, 'at least one item is required', 'required');
  paths.lines = `${p}.item`;
  const dates = new Set<string>();
  const places = new Set<string>();
  const lines = items.map((item, i): ClaimLineIn => {
    const ip = `${p}.item[${i}]`;
    if (!isObject(item)) throw new FhirInputError(ip, 'must be an object', 'structure');
    paths[`lines[${i}]`] = ip;
    paths[`lines[${i}].procedureCode`] = `${ip}.productOrService`;
    paths[`lines[${i}].modifiers`] = `${ip}.modifier`;
    paths[`lines[${i}].units`] = `${ip}.quantity`;
    paths[`lines[${i}].chargeCents`] = item.net !== undefined ? `${ip}.net` : `${ip}.unitPrice`;
    paths[`lines[${i}].diagnosisPointers`] = `${ip}.diagnosisSequence`;
    const procedure = item.productOrService?.coding?.find((c) => PROCEDURE_SYSTEMS.includes(c.system ?? ''));
    if (!procedure?.code) {
      throw new FhirInputError(
        `${ip}.productOrService`,
        `needs a coding of ${SYSTEMS.cpt} (CPT) or ${HCPCS_SYSTEMS[0]} (HCPCS)`,
        'required',
      );
    }
    const modifiers = (Array.isArray(item.modifier) ? item.modifier : []).map((m, j) => {
      const code = firstCode(m);
      if (!code) throw new FhirInputError(`${ip}.modifier[${j}]`, 'needs a coding with a code', 'required');
      return code;
    });
    const units = item.quantity?.value ?? 1;
    if (typeof units !== 'number' || !Number.isInteger(units)) {
      throw new FhirInputError(`${ip}.quantity.value`, 'must be a whole number of units', 'value');
    }
    const chargeCents = itemCharge(item.net, item.unitPrice, units, ip);
    const diagnosisPointers = (Array.isArray(item.diagnosisSequence) ? item.diagnosisSequence : []).map((seq, j) => {
      const position = positionOfSequence.get(seq);
      if (position === undefined)
        throw new FhirInputError(`${ip}.diagnosisSequence[${j}]`, `names no Claim.diagnosis with sequence ${seq}`);
      return position;
    });
    const date = item.servicedDate ?? item.servicedPeriod?.start;
    if (date !== undefined) {
      if (typeof date !== 'string') throw new FhirInputError(`${ip}.servicedDate`, 'must be a date', 'value');
      dates.add(date.slice(0, 10));
      paths.dateOfService ??= item.servicedDate !== undefined ? `${ip}.servicedDate` : `${ip}.servicedPeriod.start`;
    }
    const place =
      item.locationCodeableConcept?.coding?.find((c) => c.system === SYSTEMS.placeOfService)?.code ??
      firstCode(item.locationCodeableConcept);
    if (place !== undefined) {
      places.add(place);
      paths.placeOfService ??= `${ip}.locationCodeableConcept`;
    }
    return { procedureCode: procedure.code.toUpperCase(), modifiers, units, chargeCents, diagnosisPointers };
  });
  if (dates.size > 1)
    throw new FhirInputError(
      `${p}.item`,
      'claimflow bills one date of service per claim: every item must have the same servicedDate',
      'not-supported',
    );
  if (places.size > 1)
    throw new FhirInputError(
      `${p}.item`,
      'claimflow bills one place of service per claim: every item must have the same locationCodeableConcept',
      'not-supported',
    );
  const dateOfService = [...dates][0] ?? claimDate(claim, p, paths, resolver, contained);
  const placeOfService = [...places][0];
  if (placeOfService === undefined) {
    throw new FhirInputError(`${p}.item[0].locationCodeableConcept`, `needs the place of service (${SYSTEMS.placeOfService})`, 'required');
  }
  paths.documentation = `${p}.supportingInfo`;
  const notes = (Array.isArray(claim.supportingInfo) ? claim.supportingInfo : [])
    .map((s) => (isObject(s) && typeof s.valueString === 'string' ? s.valueString.trim() : ''))
    .filter((s) => s !== '');
  const documentation = notes.length > 0 ? notes.join('\n\n') : `Received as a FHIR Claim (${identifier.value}) without notes.`;

  return {
    identifier,
    patient,
    coverage,
    practitioner,
    claim: { dateOfService, placeOfService, documentation, diagnoses, lines },
    paths,
    claimPath: p,
  };
}

/** The FHIRPath a claimflow field was read from: the longest known prefix of `field`, else the Claim itself. */
export function fhirPathOf(intake: Pick<ClaimIntake, 'paths' | 'claimPath'>, field: readonly PropertyKey[]): string {
  for (let n = field.length; n > 0; n--) {
    const key = field
      .slice(0, n)
      .map((part, i) => (typeof part === 'number' ? `[${part}]` : i === 0 ? String(part) : `.${String(part)}`))
      .join('');
    const found = intake.paths[key];
    if (found) return typeof field[n] === 'number' && /(modifier|diagnosisSequence)$/.test(found) ? `${found}[${String(field[n])}]` : found;
  }
  return intake.claimPath;
}

/** Where a field of a patient registered from the message was read from (POST /api/patients' field names). */
export function patientFieldPath(facts: PatientFacts, coverage: CoverageFacts, field: readonly PropertyKey[]): string {
  const [head, , sub] = field;
  if (head === 'coverages') {
    if (sub === 'memberId') return `${coverage.path}.subscriberId`;
    if (sub === 'groupNumber') return `${coverage.path}.class`;
    if (sub === 'relationship') return `${coverage.path}.relationship`;
    return `${coverage.path}.payor`;
  }
  const PATIENT_PATHS: Record<string, string> = {
    firstName: 'name[0].given',
    lastName: 'name[0].family',
    birthDate: 'birthDate',
    sex: 'gender',
    addressLine: 'address[0].line',
    city: 'address[0].city',
    state: 'address[0].state',
    postalCode: 'address[0].postalCode',
  };
  return `${facts.path}.${PATIENT_PATHS[String(head)] ?? 'name'}`;
}

// ---- the parts -----------------------------------------------------------------------------------

function sourceIdentifier(claim: Claim, p: string): SourceIdentifier {
  const ids = Array.isArray(claim.identifier) ? claim.identifier : [];
  const i = ids.findIndex((id) => isObject(id) && typeof id.system === 'string' && typeof id.value === 'string' && id.value.trim() !== '');
  if (i < 0) {
    throw new FhirInputError(
      `${p}.identifier`,
      "needs the EHR's own claim identifier (system and value): it makes a repeated Claim harmless",
      'required',
    );
  }
  const { system, value } = ids[i] as { system: string; value: string };
  if (system.length > MAX_IDENTIFIER || value.length > MAX_IDENTIFIER) {
    throw new FhirInputError(`${p}.identifier[${i}]`, `system and value must be at most ${MAX_IDENTIFIER} characters`);
  }
  return { system, value: value.trim() };
}

function patientFacts(ref: ReturnType<Resolver['resolve']>, at: string): PatientFacts {
  if ('literal' in ref) {
    if (ref.literal.type !== 'Patient') throw new FhirInputError(`${at}.reference`, 'must name a Patient');
    return { path: at, claimflowId: ref.literal.id };
  }
  if ('identifier' in ref) {
    if (ref.identifier.system !== SYSTEMS.claimflowPatient) {
      throw new FhirInputError(`${at}.identifier`, `a patient named by identifier alone must be claimflow's (${SYSTEMS.claimflowPatient})`);
    }
    return { path: at, claimflowId: ref.identifier.value };
  }
  const { resource, path } = ref.found;
  if (resource.resourceType !== 'Patient') throw new FhirInputError(`${at}.reference`, 'must name a Patient');
  const patient = resource as Patient;
  const own = patient.identifier?.find((id) => id.system === SYSTEMS.claimflowPatient && typeof id.value === 'string');
  const names = Array.isArray(patient.name) ? patient.name : [];
  const name = names.find((n) => n.use === 'official') ?? names[0];
  const address = Array.isArray(patient.address) ? patient.address[0] : undefined;
  const SEX: Record<string, string> = { female: 'F', male: 'M', other: 'U', unknown: 'U' };
  return {
    path,
    ...(own?.value ? { claimflowId: own.value } : {}),
    ...optional('firstName', name?.given?.[0]),
    ...optional('lastName', name?.family),
    ...optional('birthDate', patient.birthDate),
    ...optional('sex', patient.gender === undefined ? undefined : (SEX[patient.gender] ?? patient.gender)),
    ...optional('addressLine', address?.line?.[0]),
    ...optional('city', address?.city),
    ...optional('state', address?.state),
    ...optional('postalCode', address?.postalCode),
  };
}

const RELATIONSHIP: Record<string, string> = {
  self: '18',
  spouse: '01',
  child: '19',
  parent: 'G8',
  common: 'G8',
  other: 'G8',
  injured: 'G8',
};

function coverageFacts(claim: Claim, p: string, resolver: Resolver, contained: Map<string, Located>): CoverageFacts {
  const insurance = Array.isArray(claim.insurance) ? claim.insurance : [];
  if (insurance.length === 0) throw new FhirInputError(`${p}.insurance`, 'needs the coverage the claim is billed to', 'required');
  const focal = Math.max(
    0,
    insurance.findIndex((ins) => isObject(ins) && ins.focal === true),
  );
  const at = `${p}.insurance[${focal}].coverage`;
  const ref = resolver.resolve(insurance[focal]?.coverage, at, contained);
  if (!('found' in ref) || ref.found.resource.resourceType !== 'Coverage') {
    throw new FhirInputError(at, 'must name a Coverage in this message (contained or a Bundle entry)');
  }
  const coverage = ref.found.resource as Coverage;
  const cp = ref.found.path;
  const payorAt = `${cp}.payor[0]`;
  const payor = resolver.resolve(coverage.payor?.[0], payorAt, contained);
  let payerId: string | undefined;
  if ('literal' in payor) payerId = payor.literal.type === 'Organization' ? payor.literal.id : undefined;
  else if ('identifier' in payor) payerId = payor.identifier.value;
  else if (payor.found.resource.resourceType === 'Organization') {
    const ids = (payor.found.resource as { identifier?: { system?: string; value?: string }[] }).identifier ?? [];
    payerId = (ids.find((id) => id.system === SYSTEMS.claimflowPayer) ?? ids[0])?.value;
  }
  if (!payerId)
    throw new FhirInputError(
      payorAt,
      `must name the payer by claimflow's payer id (an identifier of ${SYSTEMS.claimflowPayer})`,
      'required',
    );
  const memberId = coverage.subscriberId ?? coverage.identifier?.find((id) => typeof id.value === 'string')?.value;
  if (!memberId || memberId.trim() === '')
    throw new FhirInputError(`${cp}.subscriberId`, "is required: the patient's member id with the payer", 'required');
  const relationshipCode = coverage.relationship?.coding?.find((c) => c.system === SYSTEMS.subscriberRelationship)?.code ?? 'self';
  const group = coverage.class?.find((c) => c.type?.coding?.some((t) => t.code === 'group'))?.value;
  return {
    path: cp,
    payerId,
    memberId: memberId.trim(),
    ...(group ? { groupNumber: group } : {}),
    relationship: RELATIONSHIP[relationshipCode] ?? 'G8',
  };
}

/** The rendering practitioner: Claim.provider when it is a Practitioner, else the first Practitioner of careTeam. */
function practitionerFacts(claim: Claim, p: string, resolver: Resolver, contained: Map<string, Located>): PractitionerFacts {
  const candidates: { ref: Reference | undefined; at: string }[] = [
    { ref: claim.provider, at: `${p}.provider` },
    ...(Array.isArray(claim.careTeam) ? claim.careTeam : []).map((c, i) => ({ ref: c?.provider, at: `${p}.careTeam[${i}].provider` })),
  ];
  if (!isObject(claim.provider)) throw new FhirInputError(`${p}.provider`, 'is required', 'required');
  for (const { ref, at } of candidates) {
    const r = resolver.resolve(ref, at, contained);
    if ('literal' in r) {
      if (r.literal.type === 'Practitioner') return { path: at, claimflowId: r.literal.id };
      continue;
    }
    if ('identifier' in r) {
      if (r.identifier.system === SYSTEMS.npi) return { path: at, npi: r.identifier.value };
      continue;
    }
    let practitioner: Located | undefined = r.found;
    if (r.found.resource.resourceType === 'PractitionerRole') {
      const inner = (r.found.resource as { practitioner?: Reference }).practitioner;
      const resolved = inner ? resolver.resolve(inner, `${r.found.path}.practitioner`, contained) : undefined;
      practitioner = resolved && 'found' in resolved ? resolved.found : undefined;
    }
    if (practitioner?.resource.resourceType !== 'Practitioner') continue;
    const npi = (practitioner.resource as Practitioner).identifier?.find((id) => id.system === SYSTEMS.npi)?.value;
    if (!npi) throw new FhirInputError(`${practitioner.path}.identifier`, `needs the practitioner's NPI (${SYSTEMS.npi})`, 'required');
    return { path: practitioner.path, npi };
  }
  throw new FhirInputError(`${p}.provider`, 'names no Practitioner (directly or through careTeam) with an NPI', 'required');
}

function readDiagnoses(
  claim: Claim,
  p: string,
  paths: Record<string, string>,
): { diagnoses: string[]; positionOfSequence: Map<number, number> } {
  const list = Array.isArray(claim.diagnosis) ? claim.diagnosis : [];
  paths.diagnoses = `${p}.diagnosis`;
  const read = list.map((d, i) => {
    const at = `${p}.diagnosis[${i}]`;
    if (!isObject(d) || typeof d.sequence !== 'number' || !Number.isInteger(d.sequence) || d.sequence < 1) {
      throw new FhirInputError(`${at}.sequence`, 'must be a whole number from 1', 'value');
    }
    const code = d.diagnosisCodeableConcept?.coding?.find((c) => c.system === SYSTEMS.icd10cm)?.code;
    if (!code) throw new FhirInputError(`${at}.diagnosisCodeableConcept`, `needs a coding of ${SYSTEMS.icd10cm}`, 'required');
    return { sequence: d.sequence, code: icd10WithDot(code.trim().toUpperCase()), index: i };
  });
  const sorted = [...read].sort((a, b) => a.sequence - b.sequence);
  const positionOfSequence = new Map<number, number>();
  sorted.forEach((d, position) => {
    if (positionOfSequence.has(d.sequence))
      throw new FhirInputError(`${p}.diagnosis[${d.index}].sequence`, `repeats sequence ${d.sequence}`);
    positionOfSequence.set(d.sequence, position + 1);
    paths[`diagnoses[${position}]`] = `${p}.diagnosis[${d.index}].diagnosisCodeableConcept`;
  });
  return { diagnoses: sorted.map((d) => d.code), positionOfSequence };
}

/** ICD-10-CM as claimflow writes it (E11.9); FHIR senders may leave the dot out (E119). */
function icd10WithDot(code: string): string {
  return code.length > 3 && !code.includes('.') ? `${code.slice(0, 3)}.${code.slice(3)}` : code;
}

/** An item's charge in cents: net, else unitPrice × quantity; US dollars with at most two decimals. */
function itemCharge(net: Money | undefined, unitPrice: Money | undefined, units: number, ip: string): number {
  const money = net ?? unitPrice;
  const at = net !== undefined ? `${ip}.net` : `${ip}.unitPrice`;
  if (!isObject(money) || typeof money.value !== 'number' || !Number.isFinite(money.value)) {
    throw new FhirInputError(at, 'the charge is required (net, or unitPrice) as a number of US dollars', 'required');
  }
  if (money.currency !== undefined && money.currency !== 'USD') throw new FhirInputError(`${at}.currency`, 'must be USD', 'not-supported');
  const cents = Math.round(money.value * 100);
  if (Math.abs(money.value * 100 - cents) > 1e-6) throw new FhirInputError(`${at}.value`, 'must be whole cents (at most two decimals)');
  return net !== undefined ? cents : cents * units;
}

/** The date of service when no item gives it: Claim.billablePeriod.start, else the Encounter's period.start. */
function claimDate(claim: Claim, p: string, paths: Record<string, string>, resolver: Resolver, contained: Map<string, Located>): string {
  if (typeof claim.billablePeriod?.start === 'string') {
    paths.dateOfService = `${p}.billablePeriod.start`;
    return claim.billablePeriod.start.slice(0, 10);
  }
  const items = Array.isArray(claim.item) ? claim.item : [];
  for (let i = 0; i < items.length; i++) {
    const enc = items[i].encounter?.[0];
    if (!enc) continue;
    const r = resolver.resolve(enc, `${p}.item[${i}].encounter[0]`, contained);
    if ('found' in r && r.found.resource.resourceType === 'Encounter') {
      const start = (r.found.resource as { period?: { start?: string } }).period?.start;
      if (typeof start === 'string') {
        paths.dateOfService = `${r.found.path}.period.start`;
        return start.slice(0, 10);
      }
    }
  }
  throw new FhirInputError(
    `${p}.item[0].servicedDate`,
    'the date of service is required (item.servicedDate, billablePeriod.start or the Encounter period)',
    'required',
  );
}

function firstCode(concept: CodeableConcept | undefined): string | undefined {
  const code = concept?.coding?.find((c) => typeof c.code === 'string')?.code;
  return code?.trim().toUpperCase();
}

function optional<K extends string>(key: K, value: unknown): Partial<Record<K, string>> {
  return typeof value === 'string' && value.trim() !== '' ? ({ [key]: value.trim() } as Record<K, string>) : {};
}

// The message is untrusted JSON typed as FHIR: each element is checked to be an object before it is read.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- narrowed to an object whose elements are then checked one by one
function isObject(v: unknown): v is Record<string, any> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
