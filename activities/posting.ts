// Posts payer money to claims and lines, moves patient responsibility to the patient, writes off.
// Posting is guarded by ClaimPayment.postedAt inside one transaction: the same payment never posts twice.
import { ApplicationFailure } from '@temporalio/activity';
import type { ActivityDeps } from './deps';
import type { PostingResult } from '../workflows/activities';
import { activityKey, audit } from './audit';
import { findUnderpayment, type UnderpaymentFinding } from '../domain/expectedPayment';
import type { Prisma } from '../generated/prisma/client';

export function postingActivities({ prisma, underpaymentTolerance }: ActivityDeps) {
  /**
   * The claim's lines as all its payments left them against their contracted amounts. Computed on a repeated posting
   * too: an activity retried after its commit must still tell the workflow about the underpayment.
   */
  async function underpaymentAfter(
    tx: Prisma.TransactionClient,
    payment: { claimId: string; statusCode: string; adjustments: { lineNo: number | null; groupCode: string; carc: string }[] },
  ): Promise<UnderpaymentFinding | undefined> {
    // A denial is reviewed as a denial, a reversal is followed by its correction: only a payment is compared.
    if (payment.statusCode === '4' || payment.statusCode === '22') return undefined;
    const lines = await tx.claimLine.findMany({ where: { claimId: payment.claimId }, orderBy: { lineNo: 'asc' } });
    return findUnderpayment(
      lines.map((l) => ({
        lineNo: l.lineNo,
        procedureCode: l.procedureCode,
        expectedAllowedCents: l.expectedAllowedCents,
        paidCents: l.paidCents,
        patientRespCents: l.patientRespCents,
        carcs: payment.adjustments.filter((a) => a.lineNo === l.lineNo).map((a) => `${a.groupCode}-${a.carc}`),
      })),
      underpaymentTolerance,
    );
  }

  return {
    async postPayment({ claimPaymentId }: { claimPaymentId: string }): Promise<PostingResult> {
      return prisma.$transaction(async (tx) => {
        const claimed = await tx.claimPayment.updateMany({ where: { id: claimPaymentId, postedAt: null }, data: { postedAt: new Date() } });
        const payment = await tx.claimPayment.findUnique({
          where: { id: claimPaymentId },
          include: { adjustments: true, lines: true, claim: true },
        });
        if (!payment) throw ApplicationFailure.nonRetryable(`claim payment ${claimPaymentId} does not exist`, 'NotFound');
        const claim = payment.claim;
        if (claimed.count === 0) {
          const underpayment = await underpaymentAfter(tx, payment);
          return {
            posted: false,
            paidCents: 0,
            adjustedCents: 0,
            patientRespCents: 0,
            balanceCents: claim.balanceCents,
            ...(underpayment ? { underpayment } : {}),
          };
        }
        // A denial records its reasons but leaves the balance open for a correction or an appeal.
        const denied = payment.statusCode === '4';
        const patientResp = payment.adjustments.filter((a) => a.groupCode === 'PR').reduce((s, a) => s + a.amountCents, 0);
        const adjusted = denied ? 0 : payment.adjustments.filter((a) => a.groupCode !== 'PR').reduce((s, a) => s + a.amountCents, 0);
        const paid = payment.paidCents;
        const balance = claim.balanceCents - paid - adjusted - patientResp;
        await tx.claim.update({
          where: { id: claim.id },
          data: {
            paidCents: { increment: paid },
            adjustedCents: { increment: adjusted },
            patientRespCents: { increment: patientResp },
            balanceCents: balance,
            payerClaimControlNo: payment.payerClaimControlNo ?? claim.payerClaimControlNo,
          },
        });
        if (!denied) {
          for (const line of payment.lines) {
            const lineAdj = payment.adjustments.filter((a) => a.lineNo === line.lineNo);
            await tx.claimLine.updateMany({
              where: { claimId: claim.id, lineNo: line.lineNo },
              data: {
                paidCents: { increment: line.paidCents },
                adjustedCents: { increment: lineAdj.filter((a) => a.groupCode !== 'PR').reduce((s, a) => s + a.amountCents, 0) },
                patientRespCents: { increment: lineAdj.filter((a) => a.groupCode === 'PR').reduce((s, a) => s + a.amountCents, 0) },
              },
            });
          }
        }
        if (patientResp !== 0)
          await tx.patient.update({ where: { id: claim.patientId }, data: { balanceCents: { increment: patientResp } } });
        await audit(tx, {
          actor: 'workflow',
          action: payment.statusCode === '22' ? 'payment.reversed' : 'payment.posted',
          entity: 'claimPayment',
          entityId: payment.id,
          claimId: claim.id,
          detail: { paid, adjusted, patientResp, balance, statusCode: payment.statusCode },
        });
        const underpayment = await underpaymentAfter(tx, payment);
        if (underpayment)
          await audit(
            tx,
            {
              actor: 'workflow',
              action: 'payment.underpaid',
              entity: 'claimPayment',
              entityId: payment.id,
              claimId: claim.id,
              detail: { differenceCents: underpayment.differenceCents, lines: underpayment.lines.map((l) => l.lineNo) },
            },
            activityKey(':underpaid'),
          );
        return {
          posted: true,
          paidCents: paid,
          adjustedCents: adjusted,
          patientRespCents: patientResp,
          balanceCents: balance,
          ...(underpayment ? { underpayment } : {}),
        };
      });
    },

    async producePatientStatement({ claimId, claimPaymentId }: { claimId: string; claimPaymentId: string }) {
      return prisma.$transaction(async (tx) => {
        const existing = await tx.patientStatement.findUnique({ where: { claimPaymentId } });
        if (existing) return { statementId: existing.id, amountCents: existing.amountCents };
        const payment = await tx.claimPayment.findUnique({ where: { id: claimPaymentId }, include: { claim: true, adjustments: true } });
        if (!payment) throw ApplicationFailure.nonRetryable(`claim payment ${claimPaymentId} does not exist`, 'NotFound');
        const amount = payment.adjustments.filter((a) => a.groupCode === 'PR').reduce((s, a) => s + a.amountCents, 0);
        const st = await tx.patientStatement.create({
          data: { patientId: payment.claim.patientId, claimId, claimPaymentId, amountCents: amount },
        });
        await audit(tx, {
          actor: 'workflow',
          action: 'statement.produced',
          entity: 'patientStatement',
          entityId: st.id,
          claimId,
          detail: { amountCents: amount },
        });
        return { statementId: st.id, amountCents: amount };
      });
    },

    async writeOffBalance({ claimId, reason, approvedBy }: { claimId: string; reason: string; approvedBy?: string }) {
      return prisma.$transaction(async (tx) => {
        const claim = await tx.claim.findUnique({ where: { id: claimId } });
        if (!claim) throw ApplicationFailure.nonRetryable(`claim ${claimId} does not exist`, 'NotFound');
        const amount = claim.balanceCents;
        if (amount !== 0) {
          await tx.claim.update({ where: { id: claimId }, data: { writtenOffCents: { increment: amount }, balanceCents: 0 } });
          await audit(tx, {
            actor: approvedBy ?? 'workflow',
            action: 'claim.written-off',
            entity: 'claim',
            entityId: claimId,
            claimId,
            detail: { amountCents: amount, reason },
          });
        }
        return { amountCents: amount };
      });
    },
  };
}
