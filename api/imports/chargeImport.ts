// CSV charge import: a file of domain/chargeCsv.ts's layout as the source claims importPlan.ts checks and
// writes, each problem named by its row and column.
import type { Prisma, PrismaClient } from '../../generated/prisma/client';
import { readChargeFile, type ChargeEncounter } from '../../domain/chargeCsv';
import {
  defined,
  planImport,
  type ImportFormat,
  type ImportPlan,
  type ProblemPlace,
  type SourceClaim,
  type SourceField,
} from './importPlan';

/** InboundMessage kind of a source encounter imported from a file; its externalId is `${organizationId}:${encounter_id}`. */
export const CSV_ENCOUNTER_KIND = 'csv.encounter';

export const CSV_FORMAT: ImportFormat = {
  sourceKind: CSV_ENCOUNTER_KIND,
  claimWord: "the encounter's claim",
  electronicPayerIds: false,
  auditSource: 'csv',
  registersProviders: false,
};

type Column = keyof ChargeEncounter['at'];
const LINE_COLUMN: Partial<Record<SourceField, string>> = {
  procedureCode: 'procedure_code',
  modifiers: 'modifiers',
  units: 'units',
  chargeCents: 'charge',
  diagnosisPointers: 'diagnosis_pointers',
};
const COLUMN: Partial<Record<SourceField, Column>> = {
  sourceId: 'encounter_id',
  patientId: 'patient_id',
  lastName: 'patient_last_name',
  firstName: 'patient_first_name',
  birthDate: 'patient_birth_date',
  sex: 'patient_sex',
  addressLine: 'patient_address',
  city: 'patient_city',
  state: 'patient_state',
  postalCode: 'patient_zip',
  payerId: 'payer_id',
  memberId: 'member_id',
  groupNumber: 'group_number',
  providerNpi: 'provider_npi',
  dateOfService: 'date_of_service',
  placeOfService: 'place_of_service',
  documentation: 'documentation',
  diagnoses: 'diagnoses',
};

/** Reads, checks and resolves a CSV file against the practice's records. Writes nothing. */
export async function planChargeImport(
  db: PrismaClient | Prisma.TransactionClient,
  organizationId: string,
  text: string,
): Promise<ImportPlan> {
  const file = readChargeFile(text);
  // A file whose header is wrong has no rows worth reading.
  const headerWrong = file.problems.some((p) => p.row === 1);
  const sources = headerWrong ? [] : file.encounters.map(sourceOf);
  return planImport(db, organizationId, CSV_FORMAT, sources, file.problems);
}

function sourceOf(enc: ChargeEncounter): SourceClaim {
  const v = enc.values;
  const at = (field: SourceField, line?: number): ProblemPlace => {
    const lineColumn = LINE_COLUMN[field];
    if (lineColumn !== undefined) return { row: enc.lines[line ?? 0]?.row ?? enc.firstRow, column: lineColumn };
    const column = COLUMN[field] ?? 'encounter_id';
    // A problem about a value the row left out is reported where the encounter starts.
    return { row: enc.at[column] ?? enc.firstRow, column };
  };
  return {
    sourceId: enc.encounterId,
    ...(v.patient_id !== undefined ? { patientId: v.patient_id } : {}),
    patient: defined({
      lastName: v.patient_last_name,
      firstName: v.patient_first_name,
      birthDate: enc.birthDate,
      sex: v.patient_sex,
      addressLine: v.patient_address,
      city: v.patient_city,
      state: v.patient_state,
      postalCode: v.patient_zip,
    }),
    coverage: defined({ payer: v.payer_id, memberId: v.member_id, groupNumber: v.group_number }),
    provider: defined({ npi: v.provider_npi }),
    claim: {
      dateOfService: enc.dateOfService,
      placeOfService: v.place_of_service,
      // A practice system's export seldom carries notes; the claim still needs some, so it says where it came from.
      documentation: v.documentation ?? `Charge import, source encounter ${enc.encounterId}`,
      diagnoses: enc.diagnoses,
      lines: enc.lines.map(({ row: _row, ...line }) => line),
    },
    complete: enc.lines.length === enc.rows.length,
    at,
  };
}
