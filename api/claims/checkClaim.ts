// The scrubber's answer on a claim before it is sent: the same parties createClaim resolves (the caller's
// practices only) and the same edits, with the same code sets, the workflow's scrub step runs on the saved
// claim (activities/scrub.ts). Nothing is written: a biller may check as often as they like.
import type { z } from 'zod';
import type { PrismaClient } from '../../generated/prisma/client';
import { scrub } from '../../domain/scrub';
import { loadCodeSets, type CodeSetSettings } from '../../infra/codesets';
import type { PracticeScope } from '../auth/practices';
import { todayIso } from '../http/dates';
import { claimParties } from './createClaim';
import type { claimCheckResponse, CreateClaimBody } from './schemas';

export async function checkClaim(
  prisma: PrismaClient,
  settings: CodeSetSettings,
  body: CreateClaimBody,
  scope: PracticeScope,
  now = new Date(),
): Promise<z.output<typeof claimCheckResponse>> {
  const { coverage, provider, organizationId } = await claimParties(prisma, body, scope);
  const [payer, organization] = await Promise.all([
    prisma.payer.findUniqueOrThrow({ where: { id: coverage.payerId } }),
    prisma.organization.findUniqueOrThrow({ where: { id: organizationId }, select: { npi: true, taxId: true } }),
  ]);
  const outcome = scrub(
    {
      // A group bills under its own NPI (activities/claim837.ts), as the workflow's scrub step checks it.
      billingNpi: organization.npi && organization.taxId ? organization.npi : provider.npi,
      memberId: coverage.memberId,
      dateOfService: body.dateOfService,
      placeOfService: body.placeOfService,
      timelyFilingDays: payer.timelyFilingDays,
      diagnoses: body.diagnoses ?? [],
      lines: body.lines.map((l, i) => ({
        lineNo: i + 1,
        procedureCode: l.procedureCode,
        modifiers: l.modifiers ?? [],
        units: l.units,
        chargeCents: l.chargeCents,
        diagnosisPointers: l.diagnosisPointers,
      })),
    },
    { today: todayIso(now), codeSets: loadCodeSets(settings) },
  );
  return {
    passed: !outcome.failures.some((f) => f.severity === 'ERROR'),
    ...outcome,
    payer: { id: payer.id, name: payer.name },
    coverage: { id: coverage.id, priority: coverage.priority, memberId: coverage.memberId },
    totalChargeCents: body.lines.reduce((sum, l) => sum + l.chargeCents, 0),
  };
}
