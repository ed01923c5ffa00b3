// Charge import, the database's side, whatever the file's format (a CSV export, an 837P): each source claim
// held to what POST /api/claims and POST /api/patients hold, its patient, coverage and provider found in the
// practice (or planned for creation), then all of it written in one transaction or none of it. Source claim
// ids are remembered per practice and format, so a file imported twice creates nothing the second time.
import type { z } from 'zod';
import type { Prisma, PrismaClient } from '../../generated/prisma/client';
import { memberIdKey, nameKey } from '../../domain/search';
import { writeClaimRows, type ClaimRows } from '../claims/createClaim';
import { createClaimBody } from '../claims/schemas';
import { recordAudit } from '../http/audit';
import { dateFromIso } from '../http/dates';
import type { LineInputs } from '../http/fields';
import { newCoverageId, newPatientId, newProviderId } from '../http/ids';
import { createPatientBody, type CreatePatientBody } from '../patients/schemas';
import type { chargeDryRunResponse, chargeImportProblem } from './schemas';

/** What a report lists at most: past that, a file has a systematic problem and the rest would say the same. */
export const MAX_PROBLEMS = 500;

/** A problem and where it is: a CSV's row and column, or an X12 file's segment, its position and the claim (CLM01). */
export type ImportProblem = z.output<typeof chargeImportProblem>;
export type ProblemPlace = Omit<ImportProblem, 'message'>;

/** The fields of a source claim a problem can be about; `at` maps each to where the file holds it. */
export type SourceField =
  | 'sourceId'
  | 'patientId'
  | PatientField
  | 'payerId'
  | 'memberId'
  | 'groupNumber'
  | 'providerNpi'
  | 'dateOfService'
  | 'placeOfService'
  | 'documentation'
  | 'diagnoses'
  | keyof LineInputs[number];
type PatientField = 'lastName' | 'firstName' | 'birthDate' | 'sex' | 'addressLine' | 'city' | 'state' | 'postalCode';

/** A provider the file describes, registered in the practice when the file's billing provider is the practice. */
export interface ProviderOffer {
  name: string;
  taxonomy: string;
  taxId: string;
  /** the file's billing provider (837P 2010AA): the practice's group NPI or one of its providers', or no registration */
  billingNpi: string;
}

/** One claim of a file, read but not checked: the format adapters (chargeImport.ts, import837p.ts) make these. */
export interface SourceClaim {
  /** the source system's id of the claim: with the practice and the format, the import's idempotency key */
  sourceId: string;
  /** an existing claimflow patient the file names (the CSV's patient_id) */
  patientId?: string;
  patient: Partial<Record<PatientField, string>>;
  /** payer: a claimflow payer id, or (when the format says so) an electronic payer id */
  coverage: { payer?: string; memberId?: string; groupNumber?: string; relationship?: string };
  provider: { npi?: string; offer?: ProviderOffer };
  claim: {
    dateOfService?: string;
    placeOfService?: string;
    documentation: string;
    diagnoses: string[];
    lines: LineInputs;
  };
  /** the claim's own total when the file states one (837P CLM02): what the figures add up; a claim whose lines disagree is refused by its format */
  billedCents?: number;
  /** false when some of the source's lines could not be read (and are reported): checks over the rest would mislead */
  complete: boolean;
  /** where the file holds a field; `line` is the 0-based line for line fields */
  at(field: SourceField, line?: number): ProblemPlace;
}

export interface ImportFormat {
  /** InboundMessage kind of a source claim imported from such a file; its externalId is `${organizationId}:${sourceId}` */
  sourceKind: string;
  /** names the claim in messages: "the encounter's claim" */
  claimWord: string;
  /** true: a payer is named by its electronic payer id (837P 2010BB) as well as by its claimflow id */
  electronicPayerIds: boolean;
  /** the audit rows' source */
  auditSource: string;
  /** true: the file describes its providers, and an unknown one may be registered (resolveProvider) */
  registersProviders: boolean;
}

/** The object without its undefined values: optional fields left out, as the schemas want them. */
export function defined<T extends object>(o: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(o).filter(([, value]) => value !== undefined)) as { [K in keyof T]?: Exclude<T[K], undefined> };
}

export const sourceKey = (organizationId: string, sourceId: string): string => `${organizationId}:${sourceId}`;

type Db = PrismaClient | Prisma.TransactionClient;
type CoverageRef = { id: string; payerId: string };

interface PlannedClaim {
  sourceId: string;
  /** an existing provider, or the NPI of one this import registers */
  provider: { providerId: string } | { newProvider: string };
  /** an existing patient and coverage, or the key of a patient this import registers */
  patient: { patientId: string; coverage: CoverageRef } | { newPatient: string };
  claim: ClaimRows['claim'];
}

export interface NewProvider {
  npi: string;
  name: string;
  taxonomy: string;
  taxId: string;
}

export interface ImportPlan {
  organizationId: string;
  format: ImportFormat;
  claims: PlannedClaim[];
  newPatients: Map<string, CreatePatientBody>;
  newProviders: Map<string, NewProvider>;
  duplicates: string[];
  /** source claims of the file not imported before: the claims it makes */
  claimCount: number;
  lines: number;
  totalCents: number;
  problems: ImportProblem[];
  /** the file's name, kept with each source claim imported (a mailbox's file; never logged or audited, it may name a patient) */
  sourceName?: string;
}

/** Problems in file order, one per place: the first thing wrong with a cell (or with a claim's segment) is the one to fix. */
export class Problems {
  readonly list: ImportProblem[] = [];
  private readonly seen = new Set<string>();

  constructor(initial: ImportProblem[] = []) {
    for (const p of initial) this.add(p);
  }

  add(p: ImportProblem): void {
    const key = p.row !== undefined ? `${p.row}:${p.column ?? ''}` : `${p.claim ?? ''}:${p.position ?? ''}`;
    if (this.seen.has(key) || this.list.length >= MAX_PROBLEMS) return;
    this.seen.add(key);
    this.list.push(p);
  }

  sorted(): ImportProblem[] {
    return [...this.list].sort((a, b) => (a.row ?? a.position ?? 0) - (b.row ?? b.position ?? 0));
  }
}

const LINE_FIELDS = new Set<string>(['procedureCode', 'modifiers', 'units', 'chargeCents', 'diagnosisPointers']);
const CLAIM_FIELDS = new Set<string>(['dateOfService', 'placeOfService', 'documentation', 'diagnoses']);
const PATIENT_FIELDS = new Set<string>(['lastName', 'firstName', 'birthDate', 'sex', 'addressLine', 'city', 'state', 'postalCode']);
const COVERAGE_FIELDS: Record<string, SourceField> = { payerId: 'payerId', memberId: 'memberId', groupNumber: 'groupNumber' };

/**
 * Checks and resolves a file's claims against the practice's records; writes nothing. `problems` are those the
 * format's reader found already; a source claim among them is still checked, so that one report lists everything.
 */
export async function planImport(
  db: Db,
  organizationId: string,
  format: ImportFormat,
  sources: SourceClaim[],
  readProblems: ImportProblem[],
): Promise<ImportPlan> {
  const problems = new Problems(readProblems);
  const plan: ImportPlan = {
    organizationId,
    format,
    claims: [],
    newPatients: new Map(),
    newProviders: new Map(),
    duplicates: [],
    claimCount: 0,
    lines: 0,
    totalCents: 0,
    problems: [],
  };
  const refs = await loadReferences(db, organizationId, format, sources);
  const inFile = new Set<string>();
  for (const src of sources) {
    if (refs.imported.has(src.sourceId)) {
      plan.duplicates.push(src.sourceId);
      continue;
    }
    plan.claimCount++;
    plan.lines += src.claim.lines.length;
    plan.totalCents += src.billedCents ?? src.claim.lines.reduce((sum, l) => sum + l.chargeCents, 0);
    // A practice system's claim is taken once: the same id twice in one file is two claims under one key.
    if (inFile.has(src.sourceId)) {
      problems.add({ ...src.at('sourceId'), message: `${format.claimWord} ${src.sourceId} is in the file more than once` });
      continue;
    }
    inFile.add(src.sourceId);
    const claim = checkClaim(src, format, problems);
    const provider = resolveProvider(src, refs, plan, problems);
    const patient = resolvePatient(src, refs, plan, problems, organizationId);
    if (claim && provider && patient) plan.claims.push({ sourceId: src.sourceId, provider, patient, claim });
  }
  plan.problems = problems.sorted();
  return plan;
}

/** The claim as POST /api/claims would take it, checked by the same schema; its issues named where the file holds them. */
function checkClaim(src: SourceClaim, format: ImportFormat, problems: Problems): ClaimRows['claim'] | undefined {
  const body = {
    // Placeholders: the patient and provider are resolved from the file's own fields, not ids.
    patientId: 'import',
    providerId: 'import',
    dateOfService: src.claim.dateOfService,
    placeOfService: src.claim.placeOfService,
    documentation: src.claim.documentation,
    lines: src.claim.lines,
    ...(src.claim.diagnoses.length > 0 ? { diagnoses: src.claim.diagnoses } : {}),
  };
  const result = createClaimBody.safeParse(body);
  if (result.success) return src.complete ? result.data : undefined;
  for (const issue of result.error.issues) {
    const [head, index, field] = issue.path;
    if (head === 'lines' && typeof index === 'number') {
      const f = typeof field === 'string' && LINE_FIELDS.has(field) ? (field as SourceField) : 'procedureCode';
      problems.add({ ...src.at(f, index), message: issue.message });
    } else if (head === 'lines') {
      // Lines that could not be read are already reported; a count or total over the rest would mislead.
      if (src.complete) problems.add({ ...src.at('sourceId'), message: `${format.claimWord}: ${issue.message}` });
    } else if (typeof head === 'string' && CLAIM_FIELDS.has(head)) {
      problems.add({ ...src.at(head as SourceField), message: issue.message });
    } else {
      problems.add({ ...src.at('sourceId'), message: issue.message });
    }
  }
  return undefined;
}

// ---- references -----------------------------------------------------------------------------------

type PatientWithCoverages = Prisma.PatientGetPayload<{ include: { coverages: true } }>;
type MemberCoverage = {
  id: string;
  payerId: string;
  patientId: string;
  patient: { lastNameKey: string; firstNameKey: string; birthDate: Date };
};

interface References {
  imported: Set<string>;
  /** NPI → provider id, the practice's providers only */
  providers: Map<string, string>;
  /** NPIs the practice bills under: its group NPI and its providers' */
  billingNpis: Set<string>;
  /** NPIs of the file that are another practice's providers: they cannot be registered here */
  takenNpis: Set<string>;
  /** the file's payer (a claimflow id, or an electronic payer id) → claimflow payer id */
  payers: Map<string, string>;
  byId: Map<string, PatientWithCoverages>;
  /** `${payerId}|${memberIdKey}` → the practice's coverages with that member id */
  byMember: Map<string, MemberCoverage[]>;
  /** `${lastNameKey}|${firstNameKey}|${birthDate}` → the practice's patients */
  byName: Map<string, PatientWithCoverages[]>;
}

const memberKeyOf = (payerId: string, memberId: string) => `${payerId}|${memberIdKey(memberId)}`;
const nameKeyOf = (last: string, first: string, birthDate: string) => `${nameKey(last)}|${nameKey(first)}|${birthDate}`;
const isIsoDate = (d: string | undefined): d is string => d !== undefined && /^\d{4}-\d{2}-\d{2}$/.test(d);

async function loadReferences(db: Db, organizationId: string, format: ImportFormat, sources: SourceClaim[]): Promise<References> {
  const distinct = (values: (string | undefined)[]) => [...new Set(values.filter((v): v is string => v !== undefined && v !== ''))];
  const payerKeys = distinct(sources.map((s) => s.coverage.payer));
  const npis = distinct(sources.map((s) => s.provider.npi));
  const withMember = sources.filter((s) => s.coverage.payer !== undefined && s.coverage.memberId !== undefined);
  const named = sources.filter((s) => s.patientId === undefined && isIsoDate(s.patient.birthDate) && s.patient.lastName !== undefined);
  const [imported, org, practiceProviders, elsewhere, payers, byId, coverages, namesakes] = await Promise.all([
    db.inboundMessage.findMany({
      where: { kind: format.sourceKind, externalId: { in: sources.map((s) => sourceKey(organizationId, s.sourceId)) } },
      select: { externalId: true },
    }),
    db.organization.findUnique({ where: { id: organizationId }, select: { npi: true } }),
    db.provider.findMany({ where: { organizationId }, select: { id: true, npi: true } }),
    db.provider.findMany({ where: { npi: { in: npis }, organizationId: { not: organizationId } }, select: { npi: true } }),
    db.payer.findMany({
      where: format.electronicPayerIds
        ? { OR: [{ id: { in: payerKeys } }, { electronicPayerId: { in: payerKeys } }] }
        : { id: { in: payerKeys } },
      select: { id: true, electronicPayerId: true },
    }),
    db.patient.findMany({ where: { id: { in: distinct(sources.map((s) => s.patientId)) }, organizationId }, include: { coverages: true } }),
    withMember.length === 0
      ? []
      : db.coverage.findMany({
          where: {
            memberIdKey: { in: [...new Set(withMember.map((s) => memberIdKey(s.coverage.memberId!)))] },
            patient: { organizationId },
          },
          select: {
            id: true,
            payerId: true,
            patientId: true,
            memberIdKey: true,
            patient: { select: { lastNameKey: true, firstNameKey: true, birthDate: true } },
          },
        }),
    named.length === 0
      ? []
      : db.patient.findMany({
          where: {
            organizationId,
            OR: named.map((s) => ({
              lastNameKey: nameKey(s.patient.lastName!),
              firstNameKey: nameKey(s.patient.firstName ?? ''),
              birthDate: dateFromIso(s.patient.birthDate!),
            })),
          },
          include: { coverages: true },
        }),
  ]);
  const prefix = `${organizationId}:`;
  const byMember = new Map<string, MemberCoverage[]>();
  for (const c of coverages) {
    const key = `${c.payerId}|${c.memberIdKey}`;
    byMember.set(key, [...(byMember.get(key) ?? []), c]);
  }
  const byName = new Map<string, PatientWithCoverages[]>();
  for (const p of namesakes) {
    const key = `${p.lastNameKey}|${p.firstNameKey}|${p.birthDate.toISOString().slice(0, 10)}`;
    byName.set(key, [...(byName.get(key) ?? []), p]);
  }
  const payerOf = new Map<string, string>();
  // An electronic payer id is what an 837P names; a claimflow id that happens to equal another's electronic id loses.
  for (const p of payers) if (payerKeys.includes(p.id)) payerOf.set(p.id, p.id);
  if (format.electronicPayerIds)
    for (const p of payers) if (payerKeys.includes(p.electronicPayerId)) payerOf.set(p.electronicPayerId, p.id);
  return {
    imported: new Set(imported.map((m) => m.externalId.slice(prefix.length))),
    providers: new Map(practiceProviders.map((p) => [p.npi, p.id])),
    billingNpis: new Set([...(org?.npi ? [org.npi] : []), ...practiceProviders.map((p) => p.npi)]),
    takenNpis: new Set(elsewhere.map((p) => p.npi)),
    payers: payerOf,
    byId: new Map(byId.map((p) => [p.id, p])),
    byMember,
    byName,
  };
}

const NPI = /^\d{10}$/;
const TAXONOMY = /^[0-9]{3}[0-9A-Z]{6}X$/;
const TAX_ID = /^\d{9}$/;

/**
 * The practice's provider with the claim's NPI. An unknown NPI is registered when the file describes the
 * provider and its billing provider is plausibly the practice (the group's NPI, or one of its providers'):
 * a file cannot add a provider to a practice it does not bill for.
 */
function resolveProvider(src: SourceClaim, refs: References, plan: ImportPlan, problems: Problems): PlannedClaim['provider'] | undefined {
  const { npi, offer } = src.provider;
  if (npi === undefined || npi === '') {
    problems.add({ ...src.at('providerNpi'), message: 'the provider NPI is missing' });
    return undefined;
  }
  const known = refs.providers.get(npi);
  if (known) return { providerId: known };
  const fail = (message: string) => {
    problems.add({ ...src.at('providerNpi'), message });
    return undefined;
  };
  if (!offer || !plan.format.registersProviders) return fail('no provider with this NPI works for the practice');
  if (!refs.billingNpis.has(offer.billingNpi)) {
    return fail(
      `no provider with this NPI works for the practice, and the billing provider ${offer.billingNpi || '(none)'} is not the practice's NPI or one of its providers': add the provider in claimflow first`,
    );
  }
  if (refs.takenNpis.has(npi)) return fail('this NPI is registered in claimflow for another practice: it cannot be added to this one');
  if (!plan.newProviders.has(npi)) {
    if (!NPI.test(npi)) return fail('must be a 10-digit NPI to register the provider');
    if (!TAXONOMY.test(offer.taxonomy))
      return fail('the provider taxonomy (PRV03) is needed to register the provider, as 10 characters such as 207Q00000X');
    if (!TAX_ID.test(offer.taxId)) return fail("the billing provider's tax id (REF*EI, 9 digits) is needed to register the provider");
    if (offer.name.trim() === '') return fail('the provider name is needed to register the provider');
    plan.newProviders.set(npi, { npi, name: offer.name.trim().slice(0, 100), taxonomy: offer.taxonomy, taxId: offer.taxId });
  }
  return { newProvider: npi };
}

/**
 * The claim's patient and coverage: patientId when given; else the practice's patient holding this member id
 * with this payer (the one with these names and birth date when the file says the patient is not the
 * subscriber, or when several hold it); else the one patient with these names and birth date; else a new
 * patient with that coverage. A name match whose coverage disagrees with the file is a problem, not a second patient.
 */
function resolvePatient(
  src: SourceClaim,
  refs: References,
  plan: ImportPlan,
  problems: Problems,
  organizationId: string,
): PlannedClaim['patient'] | undefined {
  const p = src.patient;
  const { payer, memberId } = src.coverage;
  const payerId = payer === undefined ? undefined : refs.payers.get(payer);
  if (payer !== undefined && payerId === undefined) {
    problems.add({ ...src.at('payerId'), message: 'no such payer' });
    return undefined;
  }
  const coverageOf = (patient: PatientWithCoverages, how: string): PlannedClaim['patient'] | undefined => {
    const coverage =
      payerId !== undefined
        ? patient.coverages.find((c) => c.payerId === payerId)
        : patient.coverages.find((c) => c.priority === 'PRIMARY');
    if (coverage) return { patientId: patient.id, coverage };
    problems.add(
      payerId !== undefined
        ? { ...src.at('payerId'), message: `the patient ${how} has no coverage with this payer: add it in claimflow first` }
        : { ...src.at('patientId'), message: `the patient ${how} has no primary coverage` },
    );
    return undefined;
  };

  if (src.patientId !== undefined) {
    const found = refs.byId.get(src.patientId);
    if (!found) {
      problems.add({ ...src.at('patientId'), message: 'no such patient in the practice' });
      return undefined;
    }
    return coverageOf(found, 'named by patient_id');
  }
  const nameKeyGiven =
    p.lastName !== undefined && isIsoDate(p.birthDate) ? `${nameKey(p.lastName)}|${nameKey(p.firstName ?? '')}|${p.birthDate}` : undefined;
  if (payerId !== undefined && memberId !== undefined) {
    let holders = refs.byMember.get(memberKeyOf(payerId, memberId)) ?? [];
    const dependent = src.coverage.relationship !== undefined && src.coverage.relationship !== '18';
    // A family shares the subscriber's member id: the patient among them is the one with these names and birth date.
    if (dependent || new Set(holders.map((c) => c.patientId)).size > 1) {
      const same = holders.filter(
        (c) => nameKeyGiven === `${c.patient.lastNameKey}|${c.patient.firstNameKey}|${c.patient.birthDate.toISOString().slice(0, 10)}`,
      );
      if (dependent || same.length > 0) holders = same;
    }
    if (new Set(holders.map((c) => c.patientId)).size > 1) {
      problems.add({ ...src.at('memberId'), message: 'several patients of the practice have this member id: name patient_id' });
      return undefined;
    }
    if (holders.length > 0) return { patientId: holders[0].patientId, coverage: holders[0] };
  }
  if (!isIsoDate(p.birthDate) || p.lastName === undefined || p.firstName === undefined) {
    if (p.lastName !== undefined && !isIsoDate(p.birthDate))
      problems.add({ ...src.at('birthDate'), message: 'the birth date is missing or not a date' });
    return undefined;
  }
  const namesakes = refs.byName.get(nameKeyOf(p.lastName, p.firstName, p.birthDate)) ?? [];
  if (namesakes.length > 1) {
    problems.add({ ...src.at('lastName'), message: 'several patients of the practice have these names and birth date: name patient_id' });
    return undefined;
  }
  if (namesakes.length === 1) {
    if (payerId !== undefined && namesakes[0].coverages.some((c) => c.payerId === payerId)) {
      problems.add({
        ...src.at('memberId'),
        message: 'the patient matched by name and birth date has another member id with this payer: correct one of them first',
      });
      return undefined;
    }
    return coverageOf(namesakes[0], 'matched by name and birth date');
  }
  if (payerId === undefined || memberId === undefined) {
    problems.add({
      ...src.at('payerId'),
      message: 'no patient of the practice matches: payer_id and member_id are needed to register one',
    });
    return undefined;
  }
  const key = `${memberKeyOf(payerId, memberId)}|${nameKeyOf(p.lastName, p.firstName, p.birthDate)}`;
  if (!plan.newPatients.has(key)) {
    const patient = checkNewPatient(src, payerId, problems, organizationId);
    if (!patient) return undefined;
    plan.newPatients.set(key, patient);
  }
  return { newPatient: key };
}

/** A patient registered from the file, held to POST /api/patients' schema. */
function checkNewPatient(src: SourceClaim, payerId: string, problems: Problems, organizationId: string): CreatePatientBody | undefined {
  const p = src.patient;
  const c = src.coverage;
  const input = {
    organizationId,
    ...p,
    coverages: [
      {
        payerId,
        memberId: c.memberId,
        ...(c.groupNumber !== undefined ? { groupNumber: c.groupNumber } : {}),
        ...(c.relationship !== undefined ? { relationship: c.relationship } : {}),
      },
    ],
  };
  const result = createPatientBody.safeParse(input);
  if (result.success) return result.data;
  for (const issue of result.error.issues) {
    const [head, , field] = issue.path;
    const f: SourceField =
      head === 'coverages'
        ? (COVERAGE_FIELDS[typeof field === 'string' ? field : 'payerId'] ?? 'payerId')
        : typeof head === 'string' && PATIENT_FIELDS.has(head)
          ? (head as SourceField)
          : 'lastName';
    const given = head === 'coverages' ? true : p[f as PatientField] !== undefined;
    problems.add({
      ...src.at(f),
      message: given ? issue.message : 'is required to register a new patient (no patient of the practice matches)',
    });
  }
  return undefined;
}

// ---- writing ----------------------------------------------------------------------------------------

export interface ImportResult {
  created: string[];
  duplicates: string[];
  patientsCreated: number;
  /** only for a format that registers providers */
  providersCreated?: number;
}

/** Writes a plan without problems: new providers, new patients with their coverage, then each claim and its source id. */
export async function writeImport(tx: Prisma.TransactionClient, plan: ImportPlan, userId: string): Promise<ImportResult> {
  const { organizationId, format } = plan;
  const providers = new Map<string, string>();
  for (const [npi, p] of plan.newProviders) {
    const providerId = newProviderId();
    await tx.provider.create({ data: { id: providerId, organizationId, npi, name: p.name, taxonomy: p.taxonomy, taxId: p.taxId } });
    await recordAudit(tx, {
      actor: userId,
      action: 'provider.create',
      entity: 'provider',
      entityId: providerId,
      detail: { organizationId, npi, source: format.auditSource },
    });
    providers.set(npi, providerId);
  }
  const registered = new Map<string, { patientId: string; coverage: CoverageRef }>();
  for (const [key, p] of plan.newPatients) {
    const patientId = newPatientId();
    const coverageId = newCoverageId();
    const c = p.coverages[0];
    await tx.patient.create({
      data: {
        id: patientId,
        organizationId,
        firstName: p.firstName,
        lastName: p.lastName,
        firstNameKey: nameKey(p.firstName),
        lastNameKey: nameKey(p.lastName),
        birthDate: dateFromIso(p.birthDate),
        sex: p.sex,
        addressLine: p.addressLine,
        city: p.city,
        state: p.state,
        postalCode: p.postalCode,
        coverages: {
          create: {
            id: coverageId,
            payerId: c.payerId,
            memberId: c.memberId,
            memberIdKey: memberIdKey(c.memberId),
            groupNumber: c.groupNumber ?? null,
            priority: c.priority,
            relationship: c.relationship ?? '18',
          },
        },
      },
    });
    await recordAudit(tx, {
      actor: userId,
      action: 'patient.create',
      entity: 'patient',
      entityId: patientId,
      detail: { coverages: 1, organizationId, source: format.auditSource },
    });
    registered.set(key, { patientId, coverage: { id: coverageId, payerId: c.payerId } });
  }
  const created: string[] = [];
  for (const planned of plan.claims) {
    const patient = 'newPatient' in planned.patient ? registered.get(planned.patient.newPatient)! : planned.patient;
    const claimId = await writeClaimRows(tx, {
      organizationId,
      patientId: patient.patientId,
      providerId: 'newProvider' in planned.provider ? providers.get(planned.provider.newProvider)! : planned.provider.providerId,
      coverage: patient.coverage,
      claim: planned.claim,
      userId,
    });
    // The source id is the idempotency key: a concurrent import of the same claim fails here, on the unique key.
    await tx.inboundMessage.create({
      data: {
        kind: format.sourceKind,
        externalId: sourceKey(organizationId, planned.sourceId),
        claimId,
        body: { userId, ...(plan.sourceName !== undefined ? { file: plan.sourceName } : {}) },
      },
    });
    created.push(claimId);
  }
  await recordAudit(tx, {
    actor: userId,
    action: 'charge.import',
    entity: 'claim',
    entityId: '*',
    detail: {
      organizationId,
      source: format.auditSource,
      claims: created.length,
      lines: plan.lines,
      totalCents: plan.totalCents,
      duplicates: plan.duplicates.length,
      patientsCreated: registered.size,
      providersCreated: providers.size,
      claimIds: created,
    },
  });
  return {
    created,
    duplicates: plan.duplicates,
    patientsCreated: registered.size,
    ...(format.registersProviders ? { providersCreated: providers.size } : {}),
  };
}

export type ImportFigures = Omit<z.output<typeof chargeDryRunResponse>, 'dryRun'>;

/** What a dry run reports, and a refused import too. Providers to register are named only by a format that may register them. */
export function figuresOf(plan: ImportPlan): ImportFigures {
  return {
    claims: plan.claimCount,
    lines: plan.lines,
    totalCents: plan.totalCents,
    patientsToCreate: plan.newPatients.size,
    ...(plan.format.registersProviders ? { providersToCreate: plan.newProviders.size } : {}),
    duplicates: plan.duplicates,
    problems: plan.problems,
  };
}
