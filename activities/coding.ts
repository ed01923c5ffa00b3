// Coding review: suggest ICD-10-CM codes from the documentation; apply what the coder confirmed.
import { ApplicationFailure } from '@temporalio/activity';
import { suggestCodes } from '../domain/codeSearch';
import type { ActivityDeps } from './deps';
import type { ApplyCodingInput, CodeSuggestion } from '../workflows/activities';
import { audit } from './audit';

export function codingActivities({ prisma, icd10 }: ActivityDeps) {
  return {
    async suggestCodes({ claimId }: { claimId: string }): Promise<{ suggestions: CodeSuggestion[] }> {
      const claim = await prisma.claim.findUnique({ where: { id: claimId }, include: { encounter: true } });
      if (!claim) throw ApplicationFailure.nonRetryable(`claim ${claimId} does not exist`, 'NotFound');
      return { suggestions: suggestCodes(icd10, claim.encounter.documentation, 8) };
    },

    async applyCoding(input: ApplyCodingInput): Promise<{ totalChargeCents: number }> {
      return prisma.$transaction(async (tx) => {
        const claim = await tx.claim.findUnique({ where: { id: input.claimId }, include: { lines: true } });
        if (!claim) throw ApplicationFailure.nonRetryable(`claim ${input.claimId} does not exist`, 'NotFound');
        if (input.diagnoses) {
          await tx.claimDiagnosis.deleteMany({ where: { claimId: claim.id } });
          await tx.claimDiagnosis.createMany({
            data: input.diagnoses.map((code, i) => ({ claimId: claim.id, seq: i + 1, code: code.toUpperCase() })),
          });
        }
        let total = claim.totalChargeCents;
        if (input.lines) {
          await tx.claimLine.deleteMany({ where: { claimId: claim.id } });
          await tx.claimLine.createMany({
            data: input.lines.map((l, i) => ({
              claimId: claim.id,
              lineNo: i + 1,
              procedureCode: l.procedureCode.toUpperCase(),
              modifiers: l.modifiers ?? [],
              units: l.units,
              chargeCents: l.chargeCents,
              diagnosisPointers: l.diagnosisPointers,
            })),
          });
          total = input.lines.reduce((s, l) => s + l.chargeCents, 0);
          const settled = claim.paidCents + claim.adjustedCents + claim.patientRespCents + claim.writtenOffCents;
          await tx.claim.update({ where: { id: claim.id }, data: { totalChargeCents: total, balanceCents: total - settled } });
        }
        await audit(tx, {
          actor: input.userId,
          action: 'claim.coded',
          entity: 'claim',
          entityId: claim.id,
          claimId: claim.id,
          detail: { diagnoses: input.diagnoses ?? null, lineCount: input.lines?.length ?? null },
        });
        return { totalChargeCents: total };
      });
    },
  };
}
