// /api/imports: charges from a practice system's CSV export (docs/charge-import.md). A dry run reports what the
// file would do and every row's problems; the import writes all of it in one transaction or nothing, then starts
// each new claim's workflow as POST /api/claims does.
import express, { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { ApiContext } from '../http/context';
import { ROLES } from '../auth/access';
import { callerId } from '../auth/auth';
import { callerPractices } from '../auth/practices';
import { startClaimWorkflow } from '../claims/claimWorkflow';
import { ApiError, isUniqueViolation, parseInput, TemporalUnavailableError, ValidationError } from '../http/errors';
import { isStorableText } from '../http/storableText';
import { callTemporal } from '../http/temporal';
import { addRoute, describeRoute } from '../openapi/openapi';
import { practiceFor } from '../patients/practiceFor';
import { figuresOf, planChargeImport, writeChargeImport, type ChargeImportResult, type ChargePlan } from './chargeImport';
import {
  chargeImportAnswer,
  CSV_CONTENT_TYPE,
  importChargesQuery,
  type chargeDryRunResponse,
  type chargeImportRefusal,
  type chargeImportResponse,
} from './schemas';

const MOUNT = '/api/imports';

/** 5 MB: tens of thousands of charge lines, more than a practice's month; a bigger export is split. */
const readCsv = express.text({ type: CSV_CONTENT_TYPE, limit: '5mb' });

/** A file of thousands of claims is written in one transaction: more than the default 5 s. */
const IMPORT_TRANSACTION = { timeout: 120_000, maxWait: 10_000 };

const routes = {
  charges: describeRoute({
    method: 'post',
    path: `${MOUNT}/charges`,
    roles: ROLES.billing,
    tag: 'claims',
    summary: 'Charge import: claims from a CSV file, checked by a dry run, then written all or nothing',
    description:
      'The columns are described in docs/charge-import.md: one claim line per row, rows grouped into one claim by encounter_id. ' +
      '?dryRun=true answers what the file would create and every problem by row (the header is row 1) and column, writing nothing. ' +
      '?dryRun=false writes every claim in one transaction, or, when the file has any problem, answers 422 IMPORT_REFUSED with the ' +
      "same report and writes nothing. An encounter_id imported before into the practice is skipped and listed in duplicates. Each new claim's " +
      'workflow is started after the commit; one that cannot be started yet is listed in workflowsPending and started later.',
    query: importChargesQuery,
    body: z.string().describe('the CSV file (UTF-8, a byte order mark allowed)'),
    bodyMediaTypes: [CSV_CONTENT_TYPE],
    response: chargeImportAnswer,
  }),
};

export function importsRouter(ctx: ApiContext): Router {
  const router = Router();
  addRoute(router, MOUNT, routes.charges, async (req, res) => {
    const query = parseInput(importChargesQuery, req.query);
    const text = await csvBody(req, res);
    const userId = callerId(res);
    const organizationId = await practiceFor(ctx.prisma, callerPractices(res), query.organizationId);
    if (query.dryRun) {
      const plan = await planChargeImport(ctx.prisma, organizationId, text);
      const answer: z.output<typeof chargeDryRunResponse> = { dryRun: true, ...figuresOf(plan) };
      res.json(answer);
      return;
    }
    const outcome = await importOnce(ctx, organizationId, text, userId);
    if ('refused' in outcome) {
      const plan = outcome.refused;
      const refusal: z.output<typeof chargeImportRefusal> = {
        error: {
          code: 'IMPORT_REFUSED',
          message: `the file has ${plan.problems.length} problem(s); nothing was imported`,
        },
        dryRun: false,
        ...figuresOf(plan),
      };
      res.status(422).json(refusal);
      return;
    }
    const workflowsPending = await startWorkflows(ctx, outcome.result.created);
    const answer: z.output<typeof chargeImportResponse> = { dryRun: false, ...outcome.result, workflowsPending };
    res.json(answer);
  });
  return router;
}

/** The body as text: text/csv only (never a type a web page may post without a CORS preflight); anything else is a 415, unread. */
async function csvBody(req: Request, res: Response): Promise<string> {
  // false: a body of another type; null: no body at all, answered below
  if (req.is(CSV_CONTENT_TYPE) === false) {
    throw new ApiError(415, 'UNSUPPORTED_MEDIA_TYPE', `a charge file is sent as ${CSV_CONTENT_TYPE}`, 'Content-Type');
  }
  await new Promise<void>((resolve, reject) => readCsv(req, res, (err?: unknown) => (err ? reject(err) : resolve())));
  const text: unknown = req.body;
  if (typeof text !== 'string' || text.trim() === '') {
    throw new ValidationError(`a CSV file is required (Content-Type: ${CSV_CONTENT_TYPE})`);
  }
  // PostgreSQL stores no NUL and no lone surrogate: refused here rather than failing mid-transaction.
  if (!isStorableText(text)) throw new ValidationError('the file holds a NUL character or text that is not valid UTF-8');
  return text;
}

/**
 * Plans and writes inside one transaction, so what was checked is what is written. A unique violation is a
 * concurrent import of the same encounters (or a rare id collision): planned again, those are duplicates now.
 */
async function importOnce(
  ctx: ApiContext,
  organizationId: string,
  text: string,
  userId: string,
): Promise<{ result: ChargeImportResult } | { refused: ChargePlan }> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await ctx.prisma.$transaction(async (tx) => {
        const plan = await planChargeImport(tx, organizationId, text);
        if (plan.problems.length > 0) return { refused: plan };
        return { result: await writeChargeImport(tx, plan, userId) };
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
async function startWorkflows(ctx: ApiContext, claimIds: string[]): Promise<string[]> {
  const pending: string[] = [];
  let reachable = true;
  for (const claimId of claimIds) {
    // Once Temporal is unreachable, each further start would wait out its own deadline for the same answer.
    if (!reachable) {
      pending.push(claimId);
      continue;
    }
    try {
      await callTemporal(ctx.temporal, ctx.timeouts.callMs, 'start', ctx.log, () =>
        startClaimWorkflow(ctx.temporal, ctx.prisma, ctx.config, claimId),
      );
    } catch (err) {
      if (err instanceof TemporalUnavailableError) reachable = false;
      pending.push(claimId);
      ctx.log('charge import: workflow not started', { claimId, error: err instanceof Error ? err.name : typeof err });
    }
  }
  return pending;
}
