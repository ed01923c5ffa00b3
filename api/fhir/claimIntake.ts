// A FHIR claim's database side: its practitioner, practice, patient and coverage found (or the patient registered),
// the claim held to POST /api/claims' schema and written with writeClaimRows, all in one transaction, once per
// source identifier: the same Claim.identifier again answers the claim it made the first time.
import type { Prisma, PrismaClient } from '../../generated/prisma/client';
import { fhirPathOf, patientFieldPath, type ClaimIntake } from '../../domain/fhir/claimIn';
import { memberIdKey, nameKey } from '../../domain/search';
import { inPractices, type PracticeScope } from '../auth/practices';
import { writeClaimRows } from '../claims/createClaim';
import { createClaimBody } from '../claims/schemas';
import { recordAudit } from '../http/audit';
import { dateFromIso } from '../http/dates';
import { isUniqueViolation } from '../http/errors';
import { createPatientBody } from '../patients/schemas';
import { writePatient } from '../patients/writePatient';
import { unprocessable } from './errors';

/** InboundMessage kind of a FHIR claim; its externalId is `${organizationId}|${system}|${value}`. */
export const FHIR_CLAIM_KIND = 'fhir.claim';
export const fhirClaimKey = (organizationId: string, id: { system: string; value: string }): string =>
  `${organizationId}|${id.system}|${id.value}`;

export interface FhirClaimTaken {
  claimId: string;
  /** true when this identifier had made a claim before: that claim, nothing new written */
  replayed: boolean;
  patientId: string;
  patientCreated: boolean;
  coverageId: string;
  providerId: string;
  encounterId: string;
}

type Tx = Prisma.TransactionClient;

export async function takeFhirClaim(
  prisma: PrismaClient,
  intake: ClaimIntake,
  userId: string,
  scope: PracticeScope,
): Promise<FhirClaimTaken> {
  // A concurrent delivery of the same identifier loses on the unique key: then it is a replay.
  for (let attempt = 1; ; attempt++) {
    try {
      return await prisma.$transaction((tx) => takeOnce(tx, intake, userId, scope));
    } catch (err) {
      if (!isUniqueViolation(err) || attempt >= 3) throw err;
    }
  }
}

async function takeOnce(tx: Tx, intake: ClaimIntake, userId: string, scope: PracticeScope): Promise<FhirClaimTaken> {
  const provider = await findProvider(tx, intake, scope);
  const organizationId = provider.organizationId;
  const externalId = fhirClaimKey(organizationId, intake.identifier);
  const seen = await tx.inboundMessage.findUnique({ where: { kind_externalId: { kind: FHIR_CLAIM_KIND, externalId } } });
  if (seen?.claimId) {
    const claim = await tx.claim.findUniqueOrThrow({ where: { id: seen.claimId } });
    return {
      claimId: claim.id,
      replayed: true,
      patientId: claim.patientId,
      patientCreated: false,
      coverageId: claim.coverageId,
      providerId: claim.providerId,
      encounterId: claim.encounterId,
    };
  }
  const payer = await tx.payer.findUnique({ where: { id: intake.coverage.payerId }, select: { id: true } });
  if (!payer) throw unprocessable(`${intake.coverage.path}.payor`, "no such payer: name it by claimflow's payer id");
  const party = await findOrRegisterPatient(tx, intake, organizationId, userId);

  const body = createClaimBody.safeParse({ patientId: party.patientId, providerId: provider.id, ...intake.claim });
  if (!body.success) {
    const issue = body.error.issues[0];
    throw unprocessable(fhirPathOf(intake, issue.path), issue.message, 'VALIDATION_FAILED');
  }
  const claimId = await writeClaimRows(tx, {
    organizationId,
    patientId: party.patientId,
    providerId: provider.id,
    coverage: party.coverage,
    claim: body.data,
    userId,
  });
  await tx.inboundMessage.create({
    data: {
      kind: FHIR_CLAIM_KIND,
      externalId,
      claimId,
      body: { system: intake.identifier.system, value: intake.identifier.value, userId },
    },
  });
  const claim = await tx.claim.findUniqueOrThrow({ where: { id: claimId }, select: { encounterId: true } });
  await recordAudit(tx, {
    actor: userId,
    action: 'claim.fhirIntake',
    entity: 'claim',
    entityId: claimId,
    claimId,
    detail: { organizationId, patientCreated: party.created, entries: intake.entries.length },
  });
  return {
    claimId,
    replayed: false,
    patientId: party.patientId,
    patientCreated: party.created,
    coverageId: party.coverage.id,
    providerId: provider.id,
    encounterId: claim.encounterId,
  };
}

/** The rendering provider among the caller's practices: by NPI, or by claimflow id. Its practice is the claim's. */
async function findProvider(tx: Tx, intake: ClaimIntake, scope: PracticeScope) {
  const { npi, claimflowId, path } = intake.practitioner;
  const provider = await tx.provider.findFirst({
    where: { ...(npi !== undefined ? { npi } : { id: claimflowId }), ...inPractices(scope) },
    select: { id: true, organizationId: true },
  });
  if (!provider) {
    throw unprocessable(
      npi !== undefined ? `${path}.identifier` : path,
      npi !== undefined ? 'no practitioner with this NPI works for your practices' : 'no such practitioner among your practices',
    );
  }
  return provider;
}

interface Party {
  patientId: string;
  coverage: { id: string; payerId: string };
  created: boolean;
}

/**
 * The patient and the coverage billed, in the practice: the patient claimflow's id names; else the one holding
 * this member id with this payer; else the one with these names and birth date (who must then hold this payer's
 * coverage with this member id); else a patient registered from the message, with this coverage as primary.
 */
async function findOrRegisterPatient(tx: Tx, intake: ClaimIntake, organizationId: string, userId: string): Promise<Party> {
  const { patient: facts, coverage } = intake;
  if (facts.claimflowId !== undefined) {
    const found = await tx.patient.findFirst({ where: { id: facts.claimflowId, organizationId }, include: { coverages: true } });
    if (!found) throw unprocessable(facts.path, "no such patient in the practitioner's practice");
    return { patientId: found.id, coverage: coverageOf(found.coverages, intake, 'named'), created: false };
  }
  const holders = await tx.coverage.findMany({
    where: { payerId: coverage.payerId, memberIdKey: memberIdKey(coverage.memberId), patient: { organizationId } },
    select: { id: true, payerId: true, patientId: true },
  });
  if (new Set(holders.map((c) => c.patientId)).size > 1) {
    throw unprocessable(
      `${coverage.path}.subscriberId`,
      'several patients of the practice hold this member id: name the patient by claimflow id',
    );
  }
  if (holders.length > 0) return { patientId: holders[0].patientId, coverage: holders[0], created: false };

  if (
    facts.lastName !== undefined &&
    facts.firstName !== undefined &&
    facts.birthDate !== undefined &&
    /^\d{4}-\d{2}-\d{2}$/.test(facts.birthDate)
  ) {
    const namesakes = await tx.patient.findMany({
      where: {
        organizationId,
        lastNameKey: nameKey(facts.lastName),
        firstNameKey: nameKey(facts.firstName),
        birthDate: dateFromIso(facts.birthDate),
      },
      include: { coverages: true },
    });
    if (namesakes.length > 1) {
      throw unprocessable(facts.path, 'several patients of the practice have these names and birth date: name the patient by claimflow id');
    }
    if (namesakes.length === 1) {
      if (namesakes[0].coverages.some((c) => c.payerId === coverage.payerId)) {
        throw unprocessable(
          `${coverage.path}.subscriberId`,
          'the patient matched by name and birth date has another member id with this payer: correct one of them first',
        );
      }
      return {
        patientId: namesakes[0].id,
        coverage: coverageOf(namesakes[0].coverages, intake, 'matched by name and birth date'),
        created: false,
      };
    }
  }
  const body = createPatientBody.safeParse({
    organizationId,
    firstName: facts.firstName,
    lastName: facts.lastName,
    birthDate: facts.birthDate,
    sex: facts.sex,
    addressLine: facts.addressLine,
    city: facts.city,
    state: facts.state,
    postalCode: facts.postalCode,
    coverages: [
      {
        payerId: coverage.payerId,
        memberId: coverage.memberId,
        relationship: coverage.relationship,
        ...(coverage.groupNumber !== undefined ? { groupNumber: coverage.groupNumber } : {}),
      },
    ],
  });
  if (!body.success) {
    const issue = body.error.issues[0];
    const missing = issue.code === 'invalid_type' && issue.input === undefined;
    throw unprocessable(
      patientFieldPath(facts, coverage, issue.path),
      missing ? 'is required to register the patient (no patient of the practice matches)' : issue.message,
      'VALIDATION_FAILED',
    );
  }
  const written = await writePatient(tx, organizationId, body.data, userId, 'fhir');
  return { patientId: written.patientId, coverage: written.coverages[0], created: true };
}

function coverageOf(coverages: { id: string; payerId: string }[], intake: ClaimIntake, how: string): { id: string; payerId: string } {
  const found = coverages.find((c) => c.payerId === intake.coverage.payerId);
  if (!found) {
    throw unprocessable(`${intake.coverage.path}.payor`, `the patient ${how} has no coverage with this payer: add it in claimflow first`);
  }
  return found;
}
