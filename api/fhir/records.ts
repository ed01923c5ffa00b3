// What the FHIR views are built from: a claim as domain/fhir/claimOut.ts reads it, and its payments as
// domain/fhir/claimResponseOut.ts reads them. A claim of a practice the caller does not see is not found.
import type { PrismaClient } from '../../generated/prisma/client';
import type { ClaimRecord } from '../../domain/fhir/claimOut';
import type { AdjudicationRecord } from '../../domain/fhir/claimResponseOut';
import { inPractices, type PracticeScope } from '../auth/practices';
import { isoFromDate } from '../http/dates';
import { FHIR_CLAIM_KIND } from './claimIntake';

export async function loadClaimRecord(prisma: PrismaClient, scope: PracticeScope, claimId: string): Promise<ClaimRecord | null> {
  const c = await prisma.claim.findFirst({
    where: { id: claimId, ...inPractices(scope) },
    include: {
      lines: { orderBy: { lineNo: 'asc' } },
      diagnoses: { orderBy: { seq: 'asc' } },
      encounter: { select: { dateOfService: true, placeOfService: true } },
      provider: { select: { npi: true } },
      payer: { select: { name: true } },
    },
  });
  if (!c) return null;
  const source = await prisma.inboundMessage.findFirst({ where: { kind: FHIR_CLAIM_KIND, claimId }, select: { body: true } });
  const identifier = source?.body as { system?: unknown; value?: unknown } | undefined;
  return {
    id: c.id,
    state: c.state,
    createdAt: c.createdAt.toISOString(),
    patientId: c.patientId,
    providerId: c.providerId,
    providerNpi: c.provider.npi,
    payerId: c.payerId,
    payerName: c.payer.name,
    coverageId: c.coverageId,
    dateOfService: isoFromDate(c.encounter.dateOfService),
    placeOfService: c.encounter.placeOfService,
    totalChargeCents: c.totalChargeCents,
    ...(typeof identifier?.system === 'string' && typeof identifier.value === 'string'
      ? { sourceIdentifier: { system: identifier.system, value: identifier.value } }
      : {}),
    diagnoses: c.diagnoses.map((d) => ({ seq: d.seq, code: d.code })),
    lines: c.lines.map((l) => ({
      lineNo: l.lineNo,
      procedureCode: l.procedureCode,
      modifiers: l.modifiers,
      units: l.units,
      chargeCents: l.chargeCents,
      diagnosisPointers: l.diagnosisPointers,
    })),
  };
}

/** The claim's payments in the order their remittances came, each remittance's in its own order. */
export async function loadAdjudications(prisma: PrismaClient, claimId: string): Promise<AdjudicationRecord[]> {
  const payments = await prisma.claimPayment.findMany({
    where: { claimId },
    include: { remittance: { select: { paymentDate: true, traceNumber: true, receivedAt: true } }, lines: true, adjustments: true },
    orderBy: [{ remittance: { receivedAt: 'asc' } }, { sequence: 'asc' }],
  });
  return payments.map((p) => ({
    statusCode: p.statusCode,
    chargeCents: p.chargeCents,
    paidCents: p.paidCents,
    patientRespCents: p.patientRespCents,
    payerClaimControlNo: p.payerClaimControlNo,
    paymentDate: isoFromDate(p.remittance.paymentDate),
    traceNumber: p.remittance.traceNumber,
    receivedAt: p.remittance.receivedAt.toISOString(),
    lines: p.lines.map((l) => ({ lineNo: l.lineNo, paidCents: l.paidCents })),
    adjustments: p.adjustments.map((a) => ({
      lineNo: a.lineNo,
      groupCode: a.groupCode,
      carc: a.carc,
      rarc: a.rarc,
      amountCents: a.amountCents,
    })),
  }));
}
