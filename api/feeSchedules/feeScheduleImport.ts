// A fee schedule file against the practice's stored contracts: which payers and providers it names, which rates it
// adds or replaces, and every problem by row. The import writes all of it in one transaction or nothing.
import type { z } from 'zod';
import type { Prisma, PrismaClient } from '../../generated/prisma/client';
import { overlappingRows, rateKey, readFeeScheduleFile, type FeeScheduleProblem, type FeeScheduleRow } from '../../domain/feeScheduleCsv';
import type { ContractRate } from '../../domain/expectedPayment';
import { MAX_PROBLEMS } from '../../domain/chargeCsv';
import { auditRows } from '../http/audit';
import type { feeScheduleDryRunResponse, feeScheduleImportRefusal, feeScheduleImportResponse } from './schemas';

type Db = PrismaClient | Prisma.TransactionClient;

interface FeeSchedulePlan {
  rows: FeeScheduleRow[];
  /** stored rates a row replaces (same rate, same start) */
  replacedIds: string[];
  problems: FeeScheduleProblem[];
}

export type FeeScheduleImportAnswer =
  | { status: 200; body: z.output<typeof feeScheduleDryRunResponse> | z.output<typeof feeScheduleImportResponse> }
  | { status: 422; body: z.output<typeof feeScheduleImportRefusal> };

const isoDate = (d: Date) => d.toISOString().slice(0, 10);
const dateOf = (iso: string) => new Date(`${iso}T00:00:00Z`);

async function planFeeScheduleImport(db: Db, organizationId: string, text: string): Promise<FeeSchedulePlan> {
  const file = readFeeScheduleFile(text);
  const problems = [...file.problems];
  const payerIds = [...new Set(file.rows.map((r) => r.payerId))];
  const npis = [...new Set(file.rows.flatMap((r) => (r.providerNpi ? [r.providerNpi] : [])))];
  // One after another: inside the import's transaction the queries share one connection.
  const payers = await db.payer.findMany({ where: { id: { in: payerIds } }, select: { id: true } });
  const providers = await db.provider.findMany({ where: { organizationId, npi: { in: npis } }, select: { npi: true } });
  const stored = await db.feeScheduleRate.findMany({
    where: { organizationId, payerId: { in: payerIds }, procedureCode: { in: [...new Set(file.rows.map((r) => r.procedureCode))] } },
  });
  const knownPayers = new Set(payers.map((p) => p.id));
  const knownNpis = new Set(providers.map((p) => p.npi));
  const rows: FeeScheduleRow[] = [];
  for (const r of file.rows) {
    const before = problems.length;
    if (!knownPayers.has(r.payerId)) problems.push({ row: r.row, column: 'payer_id', message: 'no such payer' });
    // Another practice's provider is answered like an unknown one: NPIs of other practices are not probed here.
    if (r.providerNpi && !knownNpis.has(r.providerNpi))
      problems.push({ row: r.row, column: 'provider_npi', message: 'no provider of the practice has this NPI' });
    if (problems.length === before) rows.push(r);
  }
  const storedRates = stored.map((s) => ({
    id: s.id,
    payerId: s.payerId,
    ...(s.providerNpi ? { providerNpi: s.providerNpi } : {}),
    procedureCode: s.procedureCode,
    ...(s.modifier ? { modifier: s.modifier } : {}),
    allowedCents: s.allowedCents,
    effectiveFrom: isoDate(s.effectiveFrom),
    ...(s.effectiveTo ? { effectiveTo: isoDate(s.effectiveTo) } : {}),
  })) satisfies (ContractRate & { id: string })[];
  problems.push(...overlappingRows(rows, storedRates));
  const incoming = new Set(file.rows.map((r) => `${rateKey(r)}|${r.effectiveFrom}`));
  const replacedIds = storedRates.filter((s) => incoming.has(`${rateKey(s)}|${s.effectiveFrom}`)).map((s) => s.id);
  problems.sort((a, b) => a.row - b.row);
  return { rows: file.rows, replacedIds, problems: problems.slice(0, MAX_PROBLEMS) };
}

const figuresOf = (organizationId: string, plan: FeeSchedulePlan) => ({
  organizationId,
  rates: plan.rows.length,
  toCreate: plan.rows.length - plan.replacedIds.length,
  toReplace: plan.replacedIds.length,
  problems: plan.problems,
});

const WRITE_SLICE = 1_000;

/** A file of thousands of rates is written in one transaction: more than the default 5 s. */
const IMPORT_TRANSACTION = { timeout: 120_000, maxWait: 10_000 };

export async function importFeeSchedule(
  prisma: PrismaClient,
  req: { organizationId: string; actor: string; dryRun: boolean; text: string },
): Promise<FeeScheduleImportAnswer> {
  const { organizationId } = req;
  if (req.dryRun) {
    const plan = await planFeeScheduleImport(prisma, organizationId, req.text);
    return { status: 200, body: { dryRun: true, ...figuresOf(organizationId, plan) } };
  }
  return prisma.$transaction(async (tx) => {
    // One import per practice at a time: two files checked apart could otherwise store overlapping rates.
    await tx.$queryRaw`SELECT 1 AS locked FROM pg_advisory_xact_lock(hashtext(${`fee-schedule:${organizationId}`}))`;
    const plan = await planFeeScheduleImport(tx, organizationId, req.text);
    const figures = figuresOf(organizationId, plan);
    if (plan.problems.length > 0) {
      return {
        status: 422 as const,
        body: {
          error: {
            code: 'IMPORT_REFUSED' as const,
            message: `the file has ${plan.problems.length} problem(s); nothing was imported`,
          },
          dryRun: false as const,
          ...figures,
        },
      };
    }
    for (let i = 0; i < plan.replacedIds.length; i += WRITE_SLICE)
      await tx.feeScheduleRate.deleteMany({ where: { id: { in: plan.replacedIds.slice(i, i + WRITE_SLICE) } } });
    // In slices: one createMany of 20,000 rows takes twice as long as twenty of 1,000 (measured).
    for (let i = 0; i < plan.rows.length; i += WRITE_SLICE) {
      await tx.feeScheduleRate.createMany({
        data: plan.rows.slice(i, i + WRITE_SLICE).map((r) => ({
          organizationId,
          payerId: r.payerId,
          providerNpi: r.providerNpi ?? '',
          procedureCode: r.procedureCode,
          modifier: r.modifier ?? '',
          allowedCents: r.allowedCents,
          effectiveFrom: dateOf(r.effectiveFrom),
          effectiveTo: r.effectiveTo ? dateOf(r.effectiveTo) : null,
        })),
      });
    }
    await tx.auditEvent.createMany({
      data: auditRows([
        {
          actor: req.actor,
          action: 'feeSchedule.imported',
          entity: 'organization',
          entityId: organizationId,
          detail: { rates: figures.rates, created: figures.toCreate, replaced: figures.toReplace },
        },
      ]),
    });
    return { status: 200 as const, body: { dryRun: false as const, ...figures } };
  }, IMPORT_TRANSACTION);
}
