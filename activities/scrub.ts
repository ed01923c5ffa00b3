// Runs the claim edits against the stored claim and the code set.
import { ApplicationFailure } from '@temporalio/activity';
import { scrub } from '../domain/scrub';
import type { ActivityDeps } from './deps';
import type { ScrubResult } from './types';

export function scrubActivities({ prisma, icd10 }: ActivityDeps) {
  return {
    async scrubClaim({ claimId, asOf }: { claimId: string; asOf: string }): Promise<ScrubResult> {
      const claim = await prisma.claim.findUnique({
        where: { id: claimId },
        include: { lines: { orderBy: { lineNo: 'asc' } }, diagnoses: { orderBy: { seq: 'asc' } }, coverage: true, provider: true, payer: true, encounter: true },
      });
      if (!claim) throw ApplicationFailure.nonRetryable(`claim ${claimId} does not exist`, 'NotFound');
      const { failures, editsRun } = scrub(
        {
          billingNpi: claim.provider.npi,
          memberId: claim.coverage.memberId,
          dateOfService: claim.encounter.dateOfService.toISOString().slice(0, 10),
          placeOfService: claim.encounter.placeOfService,
          timelyFilingDays: claim.payer.timelyFilingDays,
          diagnoses: claim.diagnoses.map((d) => d.code),
          lines: claim.lines,
        },
        { today: asOf, lookupDiagnosis: (code) => icd10.byCode.get(code.toUpperCase()) },
      );
      return { passed: !failures.some((f) => f.severity === 'ERROR'), failures, editsRun };
    },
  };
}
