// Registers a patient and their coverages inside the caller's transaction, with the audit row: what the FHIR
// intake shares with POST /api/patients' checks (the body is held to createPatientBody before it gets here).
import type { Prisma } from '../../generated/prisma/client';
import { memberIdKey, nameKey } from '../../domain/search';
import { recordAudit } from '../http/audit';
import { dateFromIso } from '../http/dates';
import { newCoverageId, newPatientId } from '../http/ids';
import type { CreatePatientBody } from './schemas';

export interface WrittenPatient {
  patientId: string;
  coverages: { id: string; payerId: string; priority: string }[];
}

export async function writePatient(
  tx: Prisma.TransactionClient,
  organizationId: string,
  body: CreatePatientBody,
  actor: string,
  /** where the registration came from, for the audit row: api, csv, fhir */
  source: string,
): Promise<WrittenPatient> {
  const patientId = newPatientId();
  const coverages = body.coverages.map((c) => ({
    id: newCoverageId(),
    payerId: c.payerId,
    memberId: c.memberId,
    memberIdKey: memberIdKey(c.memberId),
    groupNumber: c.groupNumber ?? null,
    priority: c.priority,
    relationship: c.relationship ?? '18',
  }));
  await tx.patient.create({
    data: {
      id: patientId,
      organizationId,
      firstName: body.firstName,
      lastName: body.lastName,
      firstNameKey: nameKey(body.firstName),
      lastNameKey: nameKey(body.lastName),
      birthDate: dateFromIso(body.birthDate),
      sex: body.sex,
      addressLine: body.addressLine,
      city: body.city,
      state: body.state,
      postalCode: body.postalCode,
      coverages: { create: coverages },
    },
  });
  await recordAudit(tx, {
    actor,
    action: 'patient.create',
    entity: 'patient',
    entityId: patientId,
    detail: { coverages: coverages.length, organizationId, source },
  });
  return { patientId, coverages: coverages.map((c) => ({ id: c.id, payerId: c.payerId, priority: c.priority })) };
}
