// One path for every charge import, whatever the file's format: a dry run answers the plan's figures; an
// import plans again inside one transaction and writes all of it or (422) none of it, then starts each new
// claim's workflow after the commit. No HTTP here: a mailbox poller calls import837pFile as the route does.
import type { z } from 'zod';
import type { Prisma } from '../../generated/prisma/client';
import { startClaimWorkflow } from '../claims/claimWorkflow';
import type { ApiContext } from '../http/context';
import { isUniqueViolation, TemporalUnavailableError } from '../http/errors';
import { callTemporal } from '../http/temporal';
import { figuresOf, writeImport, type ImportPlan, type ImportResult } from './importPlan';
import { plan837pImport, read837pFile } from './import837p';
import type { chargeDryRunResponse, chargeImportRefusal, chargeImportResponse } from './schemas';

/** What an import needs of the API's context: no request, no response. */
export type ImportDeps = Pick<ApiContext, 'prisma' | 'temporal' | 'config' | 'log' | 'timeouts'>;

export type ImportAnswer =
  | { status: 200; body: z.output<typeof chargeDryRunResponse> | z.output<typeof chargeImportResponse> }
  | { status: 422; body: z.output<typeof chargeImportRefusal> };

/** A file of thousands of claims is written in one transaction: more than the default 5 s. */
const IMPORT_TRANSACTION = { timeout: 120_000, maxWait: 10_000 };

export interface ImportRequest {
  organizationId: string;
  /** who imports: a user id, or the name a machine caller is audited under */
  actor: string;
  dryRun: boolean;
  /** the plan of the file against a database handle: read once, planned again inside the import's transaction */
  plan: (db: ImportDeps['prisma'] | Prisma.TransactionClient) => Promise<ImportPlan>;
}

export async function runImport(deps: ImportDeps, req: ImportRequest): Promise<ImportAnswer> {
  if (req.dryRun) {
    const plan = await req.plan(deps.prisma);
    return { status: 200, body: { dryRun: true, ...figuresOf(plan) } };
  }
  const outcome = await importOnce(deps, req);
  if ('refused' in outcome) {
    const plan = outcome.refused;
    return {
      status: 422,
      body: {
        error: { code: 'IMPORT_REFUSED', message: `the file has ${plan.problems.length} problem(s); nothing was imported` },
        dryRun: false,
        ...figuresOf(plan),
      },
    };
  }
  const workflowsPending = await startWorkflows(deps, outcome.result.created);
  return { status: 200, body: { dryRun: false, ...outcome.result, workflowsPending } };
}

/**
 * An 837P file from a practice system, imported (or dry-run) into a practice: what POST /api/imports/837p
 * does, callable without HTTP (an SFTP mailbox). Throws Unreadable837Error for a file that cannot be read
 * as 837P; `sourceName` (the file's name) goes into the audit, never into a log.
 */
export async function import837pFile(
  deps: ImportDeps,
  input: { organizationId: string; text: string; sourceName: string; actor: string; dryRun: boolean; controlTotals?: boolean },
): Promise<ImportAnswer> {
  const file = read837pFile(input.text, { controlTotals: input.controlTotals });
  return runImport(deps, {
    organizationId: input.organizationId,
    actor: input.actor,
    dryRun: input.dryRun,
    plan: async (db) => ({ ...(await plan837pImport(db, input.organizationId, file)), sourceName: input.sourceName }),
  });
}

/**
 * Plans and writes inside one transaction, so what was checked is what is written. A unique violation is a
 * concurrent import of the same claims (or a rare id collision): planned again, those are duplicates now.
 */
async function importOnce(deps: ImportDeps, req: ImportRequest): Promise<{ result: ImportResult } | { refused: ImportPlan }> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await deps.prisma.$transaction(async (tx) => {
        const plan = await req.plan(tx);
        if (plan.problems.length > 0) return { refused: plan };
        return { result: await writeImport(tx, plan, req.actor) };
      }, IMPORT_TRANSACTION);
    } catch (err) {
      if (!isUniqueViolation(err) || attempt >= 3) throw err;
    }
  }
}

/**
 * Starts each claim's workflow. The claims are committed already: a start that fails leaves the claim for
 * the start sweep (app/mainJob.ts) or its first signal (claimSignals.ts), and is reported, not thrown.
 */
async function startWorkflows(deps: ImportDeps, claimIds: string[]): Promise<string[]> {
  const pending: string[] = [];
  let reachable = true;
  for (const claimId of claimIds) {
    // Once Temporal is unreachable, each further start would wait out its own deadline for the same answer.
    if (!reachable) {
      pending.push(claimId);
      continue;
    }
    try {
      await callTemporal(deps.temporal, deps.timeouts.callMs, 'start', deps.log, () =>
        startClaimWorkflow(deps.temporal, deps.prisma, deps.config, claimId),
      );
    } catch (err) {
      if (err instanceof TemporalUnavailableError) reachable = false;
      pending.push(claimId);
      deps.log('charge import: workflow not started', { claimId, error: err instanceof Error ? err.name : typeof err });
    }
  }
  return pending;
}
