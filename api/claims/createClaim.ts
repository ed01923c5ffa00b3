// Charge capture: one encounter and its claim (lines, diagnoses, audit) written in one transaction, and
// an optional Idempotency-Key remembered with it so a retried request finds the first claim.
import { createHash } from 'node:crypto';
import type { Prisma, PrismaClient } from '../../generated/prisma/client';
import type { ClaimState } from '../../workflows/contract';
import { inPractices, type PracticeScope } from '../auth/practices';
import { recordAudit } from '../http/audit';
import { dateFromIso } from '../http/dates';
import { ConflictError, isUniqueViolation, UnprocessableError } from '../http/errors';
import { newClaimId, newEncounterId } from '../http/ids';
import type { CreateClaimBody } from './schemas';

export const CLAIM_CREATE_KIND = 'claim.create';
const INITIAL_STATE: ClaimState = 'CODING';

export interface CreatedClaim {
  claimId: string;
  /** true when the Idempotency-Key had been used before: the first claim is returned, nothing new written */
  replayed: boolean;
}

export async function createClaim(
  prisma: PrismaClient,
  body: CreateClaimBody,
  userId: string,
  scope: PracticeScope,
  idempotencyKey?: string,
): Promise<CreatedClaim> {
  const requestHash = createHash('sha256').update(JSON.stringify(body)).digest('hex');
  if (idempotencyKey) {
    const earlier = await findByIdempotencyKey(prisma, idempotencyKey, requestHash, scope);
    if (earlier) return { claimId: earlier, replayed: true };
  }
  // A fresh claim id can, very rarely, collide; a concurrent request can take the same key first.
  for (let attempt = 1; ; attempt++) {
    try {
      const claimId = await prisma.$transaction((tx) => writeClaim(tx, body, userId, scope, idempotencyKey, requestHash));
      return { claimId, replayed: false };
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      if (idempotencyKey) {
        const earlier = await findByIdempotencyKey(prisma, idempotencyKey, requestHash, scope);
        if (earlier) return { claimId: earlier, replayed: true };
      }
      if (attempt >= 3) throw err;
    }
  }
}

async function findByIdempotencyKey(prisma: PrismaClient, key: string, requestHash: string, scope: PracticeScope): Promise<string | null> {
  const seen = await prisma.inboundMessage.findUnique({
    where: { kind_externalId: { kind: CLAIM_CREATE_KIND, externalId: key } },
  });
  if (!seen?.claimId) return null;
  if ((seen.body as { requestSha256?: string } | null)?.requestSha256 !== requestHash) {
    throw new ConflictError('IDEMPOTENCY_KEY_REUSED', 'this Idempotency-Key was used for a different claim');
  }
  // The same key and body from someone who may not see the first claim's practice get nothing of it.
  const visible = await prisma.claim.findFirst({ where: { id: seen.claimId, ...inPractices(scope) }, select: { id: true } });
  if (!visible) throw new ConflictError('IDEMPOTENCY_KEY_REUSED', 'this Idempotency-Key was used for a different claim');
  return seen.claimId;
}

/** Who a claim is for, by whom and billed to which coverage; all of them of one of the caller's practices, or 422 naming the field. */
export async function claimParties(
  db: PrismaClient | Prisma.TransactionClient,
  body: Pick<CreateClaimBody, 'patientId' | 'providerId' | 'coverageId'>,
  scope: PracticeScope,
) {
  const patient = await db.patient.findFirst({ where: { id: body.patientId, ...inPractices(scope) }, include: { coverages: true } });
  if (!patient) throw new UnprocessableError('UNKNOWN_REFERENCE', 'no such patient', 'patientId');
  const provider = await db.provider.findFirst({
    where: { id: body.providerId, ...inPractices(scope) },
    select: { id: true, organizationId: true, npi: true },
  });
  if (!provider) throw new UnprocessableError('UNKNOWN_REFERENCE', 'no such provider', 'providerId');
  // The claim is the practice's: it bills under the practice's providers for the practice's patients.
  if (provider.organizationId !== patient.organizationId) {
    throw new UnprocessableError('PRACTICE_MISMATCH', "the provider does not work for the patient's practice", 'providerId');
  }
  const coverage = body.coverageId
    ? patient.coverages.find((c) => c.id === body.coverageId)
    : patient.coverages.find((c) => c.priority === 'PRIMARY');
  if (!coverage) {
    throw new UnprocessableError(
      'UNKNOWN_REFERENCE',
      body.coverageId ? 'the patient has no such coverage' : 'the patient has no primary coverage',
      'coverageId',
    );
  }
  return { patient, provider, coverage, organizationId: patient.organizationId };
}

async function writeClaim(
  tx: Prisma.TransactionClient,
  body: CreateClaimBody,
  userId: string,
  scope: PracticeScope,
  idempotencyKey: string | undefined,
  requestHash: string,
): Promise<string> {
  const { patient, provider, coverage, organizationId } = await claimParties(tx, body, scope);
  const claimId = await writeClaimRows(tx, {
    organizationId,
    patientId: patient.id,
    providerId: provider.id,
    coverage,
    claim: body,
    userId,
  });
  if (idempotencyKey) {
    await tx.inboundMessage.create({
      data: { kind: CLAIM_CREATE_KIND, externalId: idempotencyKey, claimId, body: { requestSha256: requestHash, userId } },
    });
  }
  return claimId;
}

/** A claim whose patient, provider and coverage are settled (and of one practice): what charge capture and the CSV import share. */
export interface ClaimRows {
  organizationId: string;
  patientId: string;
  providerId: string;
  coverage: { id: string; payerId: string };
  claim: Pick<CreateClaimBody, 'dateOfService' | 'placeOfService' | 'documentation' | 'lines' | 'diagnoses'>;
  userId: string;
}

/** Writes the encounter, the claim with its lines and diagnoses, and its audit row, inside the caller's transaction. */
export async function writeClaimRows(tx: Prisma.TransactionClient, c: ClaimRows): Promise<string> {
  const { organizationId, claim: body, coverage } = c;
  const encounterId = newEncounterId();
  await tx.encounter.create({
    data: {
      id: encounterId,
      organizationId,
      patientId: c.patientId,
      providerId: c.providerId,
      dateOfService: dateFromIso(body.dateOfService),
      placeOfService: body.placeOfService,
      documentation: body.documentation,
    },
  });
  const claimId = newClaimId();
  const totalChargeCents = body.lines.reduce((sum, l) => sum + l.chargeCents, 0);
  await tx.claim.create({
    data: {
      id: claimId,
      organizationId,
      encounterId,
      patientId: c.patientId,
      payerId: coverage.payerId,
      coverageId: coverage.id,
      providerId: c.providerId,
      state: INITIAL_STATE,
      stateEnteredAt: new Date(),
      totalChargeCents,
      balanceCents: totalChargeCents,
      lines: {
        create: body.lines.map((l, i) => ({
          lineNo: i + 1,
          procedureCode: l.procedureCode,
          modifiers: l.modifiers ?? [],
          units: l.units,
          chargeCents: l.chargeCents,
          diagnosisPointers: l.diagnosisPointers,
        })),
      },
      diagnoses: { create: (body.diagnoses ?? []).map((code, i) => ({ seq: i + 1, code })) },
    },
  });
  await recordAudit(tx, {
    actor: c.userId,
    action: 'claim.create',
    entity: 'claim',
    entityId: claimId,
    claimId,
    detail: { lines: body.lines.length, diagnoses: body.diagnoses?.length ?? 0, totalChargeCents, payerId: coverage.payerId },
  });
  return claimId;
}
