// Files an appeal at a given level: one Appeal row and one filing per level, whatever the retries.
import { ApplicationFailure } from '@temporalio/activity';
import { categorizeCarc } from '../domain/denials';
import type { ActivityDeps } from './deps';
import type { FileAppealInput } from '../workflows/activities';
import { audit } from './audit';

export function appealActivities({ prisma, clearinghouse }: ActivityDeps) {
  return {
    async fileAppeal(input: FileAppealInput): Promise<{ appealId: string }> {
      const idempotencyKey = `${input.claimId}:appeal:${input.level}`;
      const claim = await prisma.claim.findUnique({ where: { id: input.claimId }, include: { payer: true, lines: true } });
      if (!claim) throw ApplicationFailure.nonRetryable(`claim ${input.claimId} does not exist`, 'NotFound');
      const reasons = input.carcs.map((c) => `CARC ${c} (${categorizeCarc(c).toLowerCase().replace(/_/g, ' ')})`).join('; ');
      const packet = [
        `Level ${input.level} appeal for claim ${claim.id}${input.payerClaimControlNo ? ` (payer claim ${input.payerClaimControlNo})` : ''}.`,
        `Denied for: ${reasons || 'no reason given'}.`,
        `We request reconsideration of ${claim.lines.length} service line(s) totalling ${claim.totalChargeCents} cents;`,
        'the medical record supports the services as billed. Supporting documentation is attached.',
      ].join('\n');
      const appeal = await prisma.$transaction(async (tx) => {
        const existing = await tx.appeal.findUnique({ where: { idempotencyKey } });
        if (existing) return existing;
        await audit(tx, {
          actor: 'workflow',
          action: 'claim.appealed',
          entity: 'claim',
          entityId: claim.id,
          claimId: claim.id,
          detail: { level: input.level },
        });
        return tx.appeal.create({
          data: { claimId: claim.id, level: input.level, idempotencyKey, deadline: new Date(`${input.deadline}T00:00:00Z`), packet },
        });
      });
      await clearinghouse.fileAppeal({
        idempotencyKey,
        claimId: claim.id,
        level: input.level,
        payerElectronicId: claim.payer.electronicPayerId,
        payerClaimControlNo: input.payerClaimControlNo,
        packet,
      });
      return { appealId: appeal.id };
    },
  };
}
