// CSV charge import, the database's side: each encounter of a file (domain/chargeCsv.ts) held to what POST
// /api/claims and POST /api/patients hold, its patient, coverage and provider found in the practice (or the
// patient and coverage planned for creation), then all of it written in one transaction or none of it.
// Source encounter ids are remembered per practice, so a file imported twice creates nothing the second time.
import type { z } from 'zod';
import type { Prisma, PrismaClient } from '../../generated/prisma/client';
import { readChargeFile, type ChargeEncounter, type ChargeFile, type ChargeProblem, MAX_PROBLEMS } from '../../domain/chargeCsv';
import { memberIdKey, nameKey } from '../../domain/search';
import { writeClaimRows, type ClaimRows } from '../claims/createClaim';
import { createClaimBody } from '../claims/schemas';
import { recordAudit } from '../http/audit';
import { dateFromIso } from '../http/dates';
import { newCoverageId, newPatientId } from '../http/ids';
import { createPatientBody, type CreatePatientBody } from '../patients/schemas';
import type { chargeDryRunResponse } from './schemas';

/** InboundMessage kind of a source encounter imported from a file; its externalId is `${organizationId}:${encounter_id}`. */
export const CSV_ENCOUNTER_KIND = 'csv.encounter';
export const sourceKey = (organizationId: string, encounterId: string): string => `${organizationId}:${encounterId}`;

type Db = PrismaClient | Prisma.TransactionClient;
type CoverageRef = { id: string; payerId: string };

interface PlannedClaim {
  encounterId: string;
  providerId: string;
  /** an existing patient and coverage, or the key of a patient this import registers */
  patient: { patientId: string; coverage: CoverageRef } | { newPatient: string };
  claim: ClaimRows['claim'];
}

export interface ChargePlan {
  organizationId: string;
  claims: PlannedClaim[];
  newPatients: Map<string, CreatePatientBody>;
  duplicates: string[];
  /** encounters of the file not imported before: the claims it makes */
  encounters: number;
  lines: number;
  totalCents: number;
  problems: ChargeProblem[];
}

const LINE_COLUMN: Record<string, string> = {
  procedureCode: 'procedure_code',
  modifiers: 'modifiers',
  units: 'units',
  chargeCents: 'charge',
  diagnosisPointers: 'diagnosis_pointers',
};
const CLAIM_COLUMN = {
  dateOfService: 'date_of_service',
  placeOfService: 'place_of_service',
  documentation: 'documentation',
  diagnoses: 'diagnoses',
} as const;
const PATIENT_COLUMN = {
  firstName: 'patient_first_name',
  lastName: 'patient_last_name',
  birthDate: 'patient_birth_date',
  sex: 'patient_sex',
  addressLine: 'patient_address',
  city: 'patient_city',
  state: 'patient_state',
  postalCode: 'patient_zip',
} as const;
const COVERAGE_COLUMN = { payerId: 'payer_id', memberId: 'member_id', groupNumber: 'group_number' } as const;

/** Problems in file order, one per row and column: the first thing wrong with a cell is the one to fix. */
class Problems {
  readonly list: ChargeProblem[] = [];
  private readonly seen = new Set<string>();

  constructor(initial: ChargeProblem[]) {
    for (const p of initial) this.add(p);
  }

  add(p: ChargeProblem): void {
    const key = `${p.row}:${p.column ?? ''}`;
    if (this.seen.has(key) || this.list.length >= MAX_PROBLEMS) return;
    this.seen.add(key);
    this.list.push(p);
  }

  sorted(): ChargeProblem[] {
    return [...this.list].sort((a, b) => a.row - b.row);
  }
}

/** Reads, checks and resolves a file against the practice's records. Writes nothing. */
export async function planChargeImport(db: Db, organizationId: string, text: string): Promise<ChargePlan> {
  const file = readChargeFile(text);
  const problems = new Problems(file.problems);
  const plan: ChargePlan = {
    organizationId,
    claims: [],
    newPatients: new Map(),
    duplicates: [],
    encounters: 0,
    lines: 0,
    totalCents: 0,
    problems: [],
  };
  // A file whose header is wrong has no rows worth reading.
  if (file.problems.some((p) => p.row === 1)) {
    plan.problems = problems.sorted();
    return plan;
  }
  const refs = await loadReferences(db, organizationId, file);
  for (const enc of file.encounters) {
    if (refs.imported.has(enc.encounterId)) {
      plan.duplicates.push(enc.encounterId);
      continue;
    }
    const claim = checkClaim(enc, problems);
    const providerId = refs.providers.get(enc.values.provider_npi ?? '');
    if (enc.values.provider_npi !== undefined && !providerId) {
      problems.add({ row: enc.at.provider_npi!, column: 'provider_npi', message: 'no provider with this NPI works for the practice' });
    }
    const patient = resolvePatient(enc, refs, plan, problems, organizationId);
    plan.encounters++;
    plan.lines += enc.lines.length;
    plan.totalCents += enc.lines.reduce((sum, l) => sum + l.chargeCents, 0);
    if (claim && providerId && patient) plan.claims.push({ encounterId: enc.encounterId, providerId, patient, claim });
  }
  plan.problems = problems.sorted();
  return plan;
}

/** The claim as POST /api/claims would take it, checked by the same schema; its issues named by row and column. */
function checkClaim(enc: ChargeEncounter, problems: Problems): ClaimRows['claim'] | undefined {
  const body = {
    // Placeholders: the patient and provider are resolved from the file's own columns, not ids.
    patientId: 'csv',
    providerId: 'csv',
    dateOfService: enc.dateOfService,
    placeOfService: enc.values.place_of_service,
    // A practice system's export seldom carries notes; the claim still needs some, so it says where it came from.
    documentation: enc.values.documentation ?? `Charge import, source encounter ${enc.encounterId}`,
    lines: enc.lines.map(({ row: _row, ...line }) => line),
    ...(enc.diagnoses.length > 0 ? { diagnoses: enc.diagnoses } : {}),
  };
  const result = createClaimBody.safeParse(body);
  if (result.success) return enc.lines.length === enc.rows.length ? result.data : undefined;
  // Rows whose line could not be read are already reported; counts and totals over the rest would mislead.
  const linesDropped = enc.lines.length !== enc.rows.length;
  for (const issue of result.error.issues) {
    const [head, index, field] = issue.path;
    if (head === 'lines' && typeof index === 'number') {
      const column = typeof field === 'string' ? (LINE_COLUMN[field] ?? 'procedure_code') : 'procedure_code';
      problems.add({ row: enc.lines[index].row, column, message: issue.message });
    } else if (head === 'lines') {
      if (!linesDropped) problems.add({ row: enc.firstRow, column: 'encounter_id', message: `the encounter's claim: ${issue.message}` });
    } else if (typeof head === 'string' && head in CLAIM_COLUMN) {
      const column = CLAIM_COLUMN[head as keyof typeof CLAIM_COLUMN];
      problems.add({ row: enc.at[column] ?? enc.firstRow, column, message: issue.message });
    } else {
      problems.add({ row: enc.firstRow, column: 'encounter_id', message: issue.message });
    }
  }
  return undefined;
}

// ---- references -----------------------------------------------------------------------------------

type PatientWithCoverages = Prisma.PatientGetPayload<{ include: { coverages: true } }>;

interface References {
  imported: Set<string>;
  /** NPI → provider id, the practice's providers only */
  providers: Map<string, string>;
  payers: Set<string>;
  byId: Map<string, PatientWithCoverages>;
  /** `${payerId}|${memberIdKey}` → the practice's coverages with that member id */
  byMember: Map<string, { id: string; payerId: string; patientId: string }[]>;
  /** `${lastNameKey}|${firstNameKey}|${birthDate}` → the practice's patients */
  byName: Map<string, PatientWithCoverages[]>;
}

const memberKeyOf = (payerId: string, memberId: string) => `${payerId}|${memberIdKey(memberId)}`;
const nameKeyOf = (last: string, first: string, birthDate: string) => `${nameKey(last)}|${nameKey(first)}|${birthDate}`;

async function loadReferences(db: Db, organizationId: string, file: ChargeFile): Promise<References> {
  const values = <K extends keyof ChargeEncounter['values']>(k: K) =>
    [...new Set(file.encounters.flatMap((e) => (e.values[k] === undefined ? [] : [e.values[k]])))] as string[];
  const withMember = file.encounters.filter((e) => e.values.payer_id !== undefined && e.values.member_id !== undefined);
  const named = file.encounters.filter((e) => e.values.patient_id === undefined && e.birthDate && e.values.patient_last_name);
  const [imported, providers, payers, byId, coverages, namesakes] = await Promise.all([
    db.inboundMessage.findMany({
      where: { kind: CSV_ENCOUNTER_KIND, externalId: { in: file.encounters.map((e) => sourceKey(organizationId, e.encounterId)) } },
      select: { externalId: true },
    }),
    db.provider.findMany({ where: { npi: { in: values('provider_npi') }, organizationId }, select: { id: true, npi: true } }),
    db.payer.findMany({ where: { id: { in: values('payer_id') } }, select: { id: true } }),
    db.patient.findMany({ where: { id: { in: values('patient_id') }, organizationId }, include: { coverages: true } }),
    withMember.length === 0
      ? []
      : db.coverage.findMany({
          where: {
            memberIdKey: { in: [...new Set(withMember.map((e) => memberIdKey(e.values.member_id!)))] },
            patient: { organizationId },
          },
          select: { id: true, payerId: true, patientId: true, memberIdKey: true },
        }),
    named.length === 0
      ? []
      : db.patient.findMany({
          where: {
            organizationId,
            OR: named.map((e) => ({
              lastNameKey: nameKey(e.values.patient_last_name!),
              firstNameKey: nameKey(e.values.patient_first_name ?? ''),
              birthDate: dateFromIso(e.birthDate!),
            })),
          },
          include: { coverages: true },
        }),
  ]);
  const prefix = `${organizationId}:`;
  const byMember = new Map<string, { id: string; payerId: string; patientId: string }[]>();
  for (const c of coverages) {
    const key = `${c.payerId}|${c.memberIdKey}`;
    byMember.set(key, [...(byMember.get(key) ?? []), c]);
  }
  const byName = new Map<string, PatientWithCoverages[]>();
  for (const p of namesakes) {
    const key = `${p.lastNameKey}|${p.firstNameKey}|${p.birthDate.toISOString().slice(0, 10)}`;
    byName.set(key, [...(byName.get(key) ?? []), p]);
  }
  return {
    imported: new Set(imported.map((m) => m.externalId.slice(prefix.length))),
    providers: new Map(providers.map((p) => [p.npi, p.id])),
    payers: new Set(payers.map((p) => p.id)),
    byId: new Map(byId.map((p) => [p.id, p])),
    byMember,
    byName,
  };
}

/**
 * The encounter's patient and coverage: patient_id when given; else the practice's patient holding this
 * member id with this payer; else the one patient with these names and birth date; else a new patient with
 * that coverage. A name match whose coverage disagrees with the file is a problem, not a second patient.
 */
function resolvePatient(
  enc: ChargeEncounter,
  refs: References,
  plan: ChargePlan,
  problems: Problems,
  organizationId: string,
): PlannedClaim['patient'] | undefined {
  const v = enc.values;
  const at = (column: keyof ChargeEncounter['at']) => enc.at[column] ?? enc.firstRow;
  if (v.payer_id !== undefined && !refs.payers.has(v.payer_id)) {
    problems.add({ row: at('payer_id'), column: 'payer_id', message: 'no such payer' });
    return undefined;
  }
  const coverageOf = (p: PatientWithCoverages, how: string): PlannedClaim['patient'] | undefined => {
    const coverage =
      v.payer_id !== undefined ? p.coverages.find((c) => c.payerId === v.payer_id) : p.coverages.find((c) => c.priority === 'PRIMARY');
    if (coverage) return { patientId: p.id, coverage };
    problems.add(
      v.payer_id !== undefined
        ? {
            row: at('payer_id'),
            column: 'payer_id',
            message: `the patient ${how} has no coverage with this payer: add it in claimflow first`,
          }
        : { row: at('patient_id'), column: 'patient_id', message: `the patient ${how} has no primary coverage` },
    );
    return undefined;
  };

  if (v.patient_id !== undefined) {
    const p = refs.byId.get(v.patient_id);
    if (!p) {
      problems.add({ row: at('patient_id'), column: 'patient_id', message: 'no such patient in the practice' });
      return undefined;
    }
    return coverageOf(p, 'named by patient_id');
  }
  if (v.payer_id !== undefined && v.member_id !== undefined) {
    const holders = refs.byMember.get(memberKeyOf(v.payer_id, v.member_id)) ?? [];
    if (new Set(holders.map((c) => c.patientId)).size > 1) {
      problems.add({
        row: at('member_id'),
        column: 'member_id',
        message: 'several patients of the practice have this member id: name patient_id',
      });
      return undefined;
    }
    if (holders.length > 0) return { patientId: holders[0].patientId, coverage: holders[0] };
  }
  if (!enc.birthDate || v.patient_last_name === undefined || v.patient_first_name === undefined) return undefined;
  const namesakes = refs.byName.get(nameKeyOf(v.patient_last_name, v.patient_first_name, enc.birthDate)) ?? [];
  if (namesakes.length > 1) {
    problems.add({
      row: at('patient_last_name'),
      column: 'patient_last_name',
      message: 'several patients of the practice have these names and birth date: name patient_id',
    });
    return undefined;
  }
  if (namesakes.length === 1) {
    if (v.payer_id !== undefined && namesakes[0].coverages.some((c) => c.payerId === v.payer_id)) {
      problems.add({
        row: at('member_id'),
        column: 'member_id',
        message: 'the patient matched by name and birth date has another member id with this payer: correct one of them first',
      });
      return undefined;
    }
    return coverageOf(namesakes[0], 'matched by name and birth date');
  }
  if (v.payer_id === undefined || v.member_id === undefined) {
    problems.add({
      row: at('patient_last_name'),
      column: 'payer_id',
      message: 'no patient of the practice matches: payer_id and member_id are needed to register one',
    });
    return undefined;
  }
  const key = memberKeyOf(v.payer_id, v.member_id);
  if (!plan.newPatients.has(key)) {
    const patient = checkNewPatient(enc, problems, organizationId);
    if (!patient) return undefined;
    plan.newPatients.set(key, patient);
  }
  return { newPatient: key };
}

/** A patient registered from the file, held to POST /api/patients' schema. */
function checkNewPatient(enc: ChargeEncounter, problems: Problems, organizationId: string): CreatePatientBody | undefined {
  const v = enc.values;
  const input = {
    organizationId,
    firstName: v.patient_first_name,
    lastName: v.patient_last_name,
    birthDate: enc.birthDate,
    sex: v.patient_sex,
    addressLine: v.patient_address,
    city: v.patient_city,
    state: v.patient_state,
    postalCode: v.patient_zip,
    coverages: [{ payerId: v.payer_id, memberId: v.member_id, ...(v.group_number !== undefined ? { groupNumber: v.group_number } : {}) }],
  };
  const result = createPatientBody.safeParse(input);
  if (result.success) return result.data;
  for (const issue of result.error.issues) {
    const [head, , field] = issue.path;
    const column =
      head === 'coverages'
        ? (COVERAGE_COLUMN[(typeof field === 'string' ? field : 'payerId') as keyof typeof COVERAGE_COLUMN] ?? 'payer_id')
        : (PATIENT_COLUMN[head as keyof typeof PATIENT_COLUMN] ?? 'patient_last_name');
    const given = (v as Record<string, string | undefined>)[column] !== undefined;
    problems.add({
      row: enc.at[column as keyof ChargeEncounter['at']] ?? enc.firstRow,
      column,
      message: given ? issue.message : 'is required to register a new patient (no patient of the practice matches)',
    });
  }
  return undefined;
}

// ---- writing ----------------------------------------------------------------------------------------

export interface ChargeImportResult {
  created: string[];
  duplicates: string[];
  patientsCreated: number;
}

/** Writes a plan without problems: new patients with their coverage, then each claim and its source id. */
export async function writeChargeImport(tx: Prisma.TransactionClient, plan: ChargePlan, userId: string): Promise<ChargeImportResult> {
  const registered = new Map<string, { patientId: string; coverage: CoverageRef }>();
  for (const [key, p] of plan.newPatients) {
    const patientId = newPatientId();
    const coverageId = newCoverageId();
    const c = p.coverages[0];
    await tx.patient.create({
      data: {
        id: patientId,
        organizationId: plan.organizationId,
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
      detail: { coverages: 1, organizationId: plan.organizationId, source: 'csv' },
    });
    registered.set(key, { patientId, coverage: { id: coverageId, payerId: c.payerId } });
  }
  const created: string[] = [];
  for (const planned of plan.claims) {
    const patient = 'newPatient' in planned.patient ? registered.get(planned.patient.newPatient)! : planned.patient;
    const claimId = await writeClaimRows(tx, {
      organizationId: plan.organizationId,
      patientId: patient.patientId,
      providerId: planned.providerId,
      coverage: patient.coverage,
      claim: planned.claim,
      userId,
    });
    // The source id is the idempotency key: a concurrent import of the same encounter fails here, on the unique key.
    await tx.inboundMessage.create({
      data: { kind: CSV_ENCOUNTER_KIND, externalId: sourceKey(plan.organizationId, planned.encounterId), claimId, body: { userId } },
    });
    created.push(claimId);
  }
  await recordAudit(tx, {
    actor: userId,
    action: 'charge.import',
    entity: 'claim',
    entityId: '*',
    detail: {
      organizationId: plan.organizationId,
      claims: created.length,
      lines: plan.lines,
      totalCents: plan.totalCents,
      duplicates: plan.duplicates.length,
      patientsCreated: registered.size,
      claimIds: created,
    },
  });
  return { created, duplicates: plan.duplicates, patientsCreated: registered.size };
}

export type ChargeFigures = Omit<z.output<typeof chargeDryRunResponse>, 'dryRun'>;

/** What a dry run reports, and a refused import too. */
export function figuresOf(plan: ChargePlan): ChargeFigures {
  return {
    claims: plan.encounters,
    lines: plan.lines,
    totalCents: plan.totalCents,
    patientsToCreate: plan.newPatients.size,
    duplicates: plan.duplicates,
    problems: plan.problems,
  };
}
