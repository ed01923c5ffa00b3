// The expected allowed amount of each claim line, from the practice's contracted fee schedule, written on the lines
// when the claim is submitted (docs/fee-schedules.md): posting compares the payer's 835 with it.
import type { Prisma } from '../generated/prisma/client';
import { expectedAllowed, type ContractRate } from '../domain/expectedPayment';

interface ClaimToPrice {
  id: string;
  organizationId: string;
  payerId: string;
  provider: { npi: string };
  encounter: { dateOfService: Date };
  lines: { lineNo: number; procedureCode: string; modifiers: string[]; units: number; chargeCents: number }[];
}

const isoDate = (d: Date) => d.toISOString().slice(0, 10);

/** Writes every line's expected allowed amount, null where no rate covers it; returns how many lines were priced. */
export async function storeExpectedAllowed(tx: Prisma.TransactionClient, claim: ClaimToPrice): Promise<number> {
  const dateOfService = claim.encounter.dateOfService;
  const stored = await tx.feeScheduleRate.findMany({
    where: {
      organizationId: claim.organizationId,
      payerId: claim.payerId,
      procedureCode: { in: [...new Set(claim.lines.map((l) => l.procedureCode))] },
      providerNpi: { in: ['', claim.provider.npi] },
      effectiveFrom: { lte: dateOfService },
      OR: [{ effectiveTo: null }, { effectiveTo: { gte: dateOfService } }],
    },
  });
  const rates: ContractRate[] = stored.map((r) => ({
    payerId: r.payerId,
    ...(r.providerNpi ? { providerNpi: r.providerNpi } : {}),
    procedureCode: r.procedureCode,
    ...(r.modifier ? { modifier: r.modifier } : {}),
    allowedCents: r.allowedCents,
    effectiveFrom: isoDate(r.effectiveFrom),
    ...(r.effectiveTo ? { effectiveTo: isoDate(r.effectiveTo) } : {}),
  }));
  const service = { payerId: claim.payerId, providerNpi: claim.provider.npi, dateOfService: isoDate(dateOfService) };
  let priced = 0;
  for (const line of claim.lines) {
    const expected = expectedAllowed(rates, service, line);
    if (expected) priced++;
    await tx.claimLine.update({
      where: { claimId_lineNo: { claimId: claim.id, lineNo: line.lineNo } },
      data: { expectedAllowedCents: expected?.expectedAllowedCents ?? null },
    });
  }
  return priced;
}
