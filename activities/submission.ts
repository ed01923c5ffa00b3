// Sends claims to the clearinghouse and asks it about them. Every call carries an idempotency key
// derived from the workflow's attempt number, so a retried activity never submits twice.
import { ApplicationFailure } from '@temporalio/activity';
import type { StatusAnswer } from '../domain/clearinghouse';
import type { ActivityDeps } from './deps';
import type { StatusCheckInput, SubmitInput, SubmitResult } from '../workflows/activities';
import { audit } from './audit';
import { storeExpectedAllowed } from './expectedPayment';
import { CLAIM_837_INCLUDE, render837 } from './claim837';
import { X12GenerationError } from '../domain/x12/generationError';
import { INQUIRY_CLAIM_INCLUDE } from '../infra/x12Parties';
import { inquireInX12 } from './statusInquiry';

// ISA13 and ST02 come from ControlSequence rows; 999,999,999 wraps to 1 (see domain/x12/controlNumbers.ts).
// A missing ST02 row starts at the ISA13 just allocated, so it never repeats the ST02 of an older submission.

/** `submissionFormat` json (CLAIMFLOW_SUBMISSION_FORMAT) sends the JSON ClaimSubmission instead of an 837P file. */
export function submissionActivities({ prisma, clearinghouse, submissionFormat, x12: identity }: ActivityDeps) {
  return {
    async submitClaim(input: SubmitInput): Promise<SubmitResult> {
      const idempotencyKey = `${input.claimId}:${input.attempt}`;
      const claim = await prisma.claim.findUnique({
        where: { id: input.claimId },
        include: CLAIM_837_INCLUDE,
      });
      if (!claim) throw ApplicationFailure.nonRetryable(`claim ${input.claimId} does not exist`, 'NotFound');

      // The submission row and its interchange control number are written once, before the call goes out.
      const submission = await prisma.$transaction(async (tx) => {
        const existing = await tx.submission.findUnique({ where: { idempotencyKey } });
        if (existing) return existing;
        const [{ value }] = await tx.$queryRaw<{ value: number }[]>`
          INSERT INTO "ControlSequence" (name, value) VALUES ('ISA13', 1)
          ON CONFLICT (name) DO UPDATE SET value = CASE WHEN "ControlSequence".value >= 999999999 THEN 1 ELSE "ControlSequence".value + 1 END
          RETURNING value`;
        const [{ value: st }] = await tx.$queryRaw<{ value: number }[]>`
          INSERT INTO "ControlSequence" (name, value) VALUES ('ST02', ${value})
          ON CONFLICT (name) DO UPDATE SET value = CASE WHEN "ControlSequence".value >= 999999999 THEN 1 ELSE "ControlSequence".value + 1 END
          RETURNING value`;
        await tx.claim.update({ where: { id: claim.id }, data: { frequencyCode: input.frequencyCode } });
        // Priced with the claim as sent: a corrected claim's new lines get their own contracted amounts.
        const pricedLines = await storeExpectedAllowed(tx, claim);
        await audit(tx, {
          actor: 'workflow',
          action: 'claim.submitted',
          entity: 'claim',
          entityId: claim.id,
          claimId: claim.id,
          detail: {
            attempt: input.attempt,
            frequencyCode: input.frequencyCode,
            interchangeControlNumber: value,
            transactionControlNumber: String(st).padStart(4, '0'),
            pricedLines,
          },
        });
        return tx.submission.create({
          data: {
            claimId: claim.id,
            attempt: input.attempt,
            frequencyCode: input.frequencyCode,
            idempotencyKey,
            interchangeControlNumber: value,
            transactionControlNumber: String(st).padStart(4, '0'),
          },
        });
      });

      const originalPayerClaimControlNo =
        input.frequencyCode === '1' ? undefined : (input.payerClaimControlNo ?? claim.payerClaimControlNo ?? undefined);
      let x12: string | undefined;
      if (submissionFormat === 'x12') {
        try {
          x12 = render837(
            claim,
            identity,
            {
              frequencyCode: input.frequencyCode,
              originalPayerClaimControlNo,
              interchangeControlNumber: submission.interchangeControlNumber,
              transactionControlNumber: submission.transactionControlNumber,
            },
            new Date(),
          );
        } catch (err) {
          if (!(err instanceof X12GenerationError)) throw err;
          // The field, never the value: a bad value may be a name or a member id.
          throw ApplicationFailure.nonRetryable(
            `claim ${claim.id} cannot be written as an 837P: ${err.field} is not valid`,
            'X12Generation',
            { field: err.field },
          );
        }
      }
      const receipt = await clearinghouse.submitClaim({
        ...(x12 ? { x12 } : {}),
        idempotencyKey,
        claimId: claim.id,
        attempt: input.attempt,
        frequencyCode: input.frequencyCode,
        originalPayerClaimControlNo,
        payerElectronicId: claim.payer.electronicPayerId,
        billingProviderNpi: claim.organization.npi && claim.organization.taxId ? claim.organization.npi : claim.provider.npi,
        dateOfService: claim.encounter.dateOfService.toISOString().slice(0, 10),
        totalChargeCents: claim.totalChargeCents,
        diagnoses: claim.diagnoses.map((d) => d.code),
        lines: claim.lines.map((l) => ({
          lineNo: l.lineNo,
          procedureCode: l.procedureCode,
          modifiers: l.modifiers,
          units: l.units,
          chargeCents: l.chargeCents,
          diagnosisPointers: l.diagnosisPointers,
        })),
        interchangeControlNumber: submission.interchangeControlNumber,
      });
      await prisma.submission.update({ where: { id: submission.id }, data: { clearinghouseRef: receipt.clearinghouseRef } });
      return {
        submissionId: submission.id,
        interchangeControlNumber: submission.interchangeControlNumber,
        clearinghouseRef: receipt.clearinghouseRef,
        duplicate: receipt.duplicate,
      };
    },

    async checkClaimStatus({ claimId, inquiry }: StatusCheckInput): Promise<StatusAnswer> {
      const claim = await prisma.claim.findUnique({ where: { id: claimId }, include: INQUIRY_CLAIM_INCLUDE });
      if (!claim) throw ApplicationFailure.nonRetryable(`claim ${claimId} does not exist`, 'NotFound');
      const answer =
        submissionFormat === 'x12'
          ? await inquireInX12(prisma, clearinghouse, identity, claim, inquiry)
          : await clearinghouse.checkStatus({
              claimId,
              payerElectronicId: claim.payer.electronicPayerId,
              idempotencyKey: `${claimId}:status:${inquiry}`,
            });
      await prisma.$transaction((tx) =>
        audit(tx, {
          actor: 'workflow',
          action: 'claim.status-checked',
          entity: 'claim',
          entityId: claimId,
          claimId,
          detail: { ...answer },
        }),
      );
      return answer;
    },
  };
}
