// Runs the claim edits against the stored claim and the code sets in effect on its date of service.
import { ApplicationFailure } from '@temporalio/activity';
import { scrub } from '../domain/scrub';
import type { ActivityDeps } from './deps';
import type { ScrubResult } from '../workflows/activities';

/** `codeSets`: the process's registry (loadCodeSets: shipped demo data or CLAIMFLOW_CODESETS_DIR). */
export function scrubActivities({ prisma, codeSets }: ActivityDeps) {
  return {
    async scrubClaim({ claimId, asOf }: { claimId: string; asOf: string }): Promise<ScrubResult> {
      const claim = await prisma.claim.findUnique({
        where: { id: claimId },
        include: {
          lines: { orderBy: { lineNo: 'asc' } },
          diagnoses: { orderBy: { seq: 'asc' } },
          coverage: true,
          provider: true,
          payer: true,
          encounter: true,
          organization: true,
        },
      });
      if (!claim) throw ApplicationFailure.nonRetryable(`claim ${claimId} does not exist`, 'NotFound');
      const { failures, editsRun, editsSkipped, codeSetVersions } = scrub(
        {
          // A group bills under its own NPI (activities/claim837.ts): that is the one the payer checks.
          billingNpi: claim.organization.npi && claim.organization.taxId ? claim.organization.npi : claim.provider.npi,
          memberId: claim.coverage.memberId,
          dateOfService: claim.encounter.dateOfService.toISOString().slice(0, 10),
          placeOfService: claim.encounter.placeOfService,
          timelyFilingDays: claim.payer.timelyFilingDays,
          diagnoses: claim.diagnoses.map((d) => d.code),
          lines: claim.lines,
        },
        { today: asOf, codeSets },
      );
      return { passed: !failures.some((f) => f.severity === 'ERROR'), failures, editsRun, editsSkipped, codeSetVersions };
    },
  };
}
