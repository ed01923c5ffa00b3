// Sends claims to the clearinghouse and asks it about them. Every call carries an idempotency key
// derived from the workflow's attempt number, so a retried activity never submits twice.
import { ApplicationFailure } from '@temporalio/activity';
import type { StatusAnswer } from '../domain/clearinghouse';
import type { ActivityDeps } from './deps';
import type { StatusCheckInput, SubmitInput, SubmitResult } from './types';
import { audit } from './audit';

export function submissionActivities({ prisma, clearinghouse }: ActivityDeps) {
  return {
    async submitClaim(input: SubmitInput): Promise<SubmitResult> {
      const idempotencyKey = `${input.claimId}:${input.attempt}`;
      const claim = await prisma.claim.findUnique({
        where: { id: input.claimId },
        include: { lines: { orderBy: { lineNo: 'asc' } }, diagnoses: { orderBy: { seq: 'asc' } }, payer: true, provider: true, encounter: true },
      });
      if (!claim) throw ApplicationFailure.nonRetryable(`claim ${input.claimId} does not exist`, 'NotFound');

      // The submission row and its interchange control number are written once, before the call goes out.
      const submission = await prisma.$transaction(async (tx) => {
        const existing = await tx.submission.findUnique({ where: { idempotencyKey } });
        if (existing) return existing;
        const [{ value }] = await tx.$queryRaw<{ value: number }[]>`
          INSERT INTO "ControlSequence" (name, value) VALUES ('ISA13', 1)
          ON CONFLICT (name) DO UPDATE SET value = "ControlSequence".value + 1 RETURNING value`;
        await tx.claim.update({ where: { id: claim.id }, data: { frequencyCode: input.frequencyCode } });
        await audit(tx, {
          actor: 'workflow', action: 'claim.submitted', entity: 'claim', entityId: claim.id, claimId: claim.id,
          detail: { attempt: input.attempt, frequencyCode: input.frequencyCode, interchangeControlNumber: value },
        });
        return tx.submission.create({
          data: {
            claimId: claim.id, attempt: input.attempt, frequencyCode: input.frequencyCode, idempotencyKey,
            interchangeControlNumber: value, transactionControlNumber: String(value).padStart(4, '0'),
          },
        });
      });

      const receipt = await clearinghouse.submitClaim({
        idempotencyKey, claimId: claim.id, attempt: input.attempt, frequencyCode: input.frequencyCode,
        originalPayerClaimControlNo: input.frequencyCode === '1' ? undefined : input.payerClaimControlNo,
        payerElectronicId: claim.payer.electronicPayerId, billingProviderNpi: claim.provider.npi,
        dateOfService: claim.encounter.dateOfService.toISOString().slice(0, 10), totalChargeCents: claim.totalChargeCents,
        diagnoses: claim.diagnoses.map((d) => d.code),
        lines: claim.lines.map((l) => ({
          lineNo: l.lineNo, procedureCode: l.procedureCode, modifiers: l.modifiers, units: l.units,
          chargeCents: l.chargeCents, diagnosisPointers: l.diagnosisPointers,
        })),
        interchangeControlNumber: submission.interchangeControlNumber,
      });
      await prisma.submission.update({ where: { id: submission.id }, data: { clearinghouseRef: receipt.clearinghouseRef } });
      return {
        submissionId: submission.id, interchangeControlNumber: submission.interchangeControlNumber,
        clearinghouseRef: receipt.clearinghouseRef, duplicate: receipt.duplicate,
      };
    },

    async checkClaimStatus({ claimId, inquiry }: StatusCheckInput): Promise<StatusAnswer> {
      const claim = await prisma.claim.findUnique({ where: { id: claimId }, include: { payer: true } });
      if (!claim) throw ApplicationFailure.nonRetryable(`claim ${claimId} does not exist`, 'NotFound');
      const answer = await clearinghouse.checkStatus({
        claimId, payerElectronicId: claim.payer.electronicPayerId, idempotencyKey: `${claimId}:status:${inquiry}`,
      });
      await prisma.$transaction((tx) =>
        audit(tx, { actor: 'workflow', action: 'claim.status-checked', entity: 'claim', entityId: claimId, claimId, detail: { ...answer } }),
      );
      return answer;
    },
  };
}
