// /api/imports: charges from a practice system, as a CSV export (docs/charge-import.md) or an 837P file
// (docs/837p-intake.md). A dry run reports what the file would do and every problem; the import writes all of
// it in one transaction or nothing, then starts each new claim's workflow as POST /api/claims does. Both
// formats go through one path (runImport.ts) and answer alike.
import express, { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { ApiContext } from '../http/context';
import { ROLES } from '../auth/access';
import { callerId } from '../auth/auth';
import { callerPractices } from '../auth/practices';
import { ApiError, parseInput, ValidationError } from '../http/errors';
import { isStorableText } from '../http/storableText';
import { addRoute, describeRoute } from '../openapi/openapi';
import { practiceFor } from '../patients/practiceFor';
import { CHARGE_COLUMNS } from '../../domain/chargeCsv';
import { planChargeImport } from './chargeImport';
import { Unreadable837Error } from './import837p';
import { import837pFile, runImport } from './runImport';
import {
  chargeImportAnswer,
  CSV_CONTENT_TYPE,
  import837pQuery,
  importChargesQuery,
  X12_IMPORT_CONTENT_TYPES,
  type x12ImportRefusal,
} from './schemas';

const MOUNT = '/api/imports';

/** 5 MB: tens of thousands of charge lines, more than a practice's month; a bigger export is split. */
const CSV_LIMIT_BYTES = 5 * 1024 * 1024;
/** 10 MB: some 30,000 claims of a few lines each (the 820-claim test file is 330 kB); a bigger file is split. */
const X12_LIMIT_BYTES = 10 * 1024 * 1024;

/**
 * The template's header: every column of the layout (domain/chargeCsv.ts), the visit note last as in the
 * documented example, since it is the long free text a spreadsheet shows best at the right.
 */
export const TEMPLATE_COLUMNS: readonly string[] = [...CHARGE_COLUMNS.filter((c) => c !== 'documentation'), 'documentation'];
const TEMPLATE_FILE_NAME = 'claimflow-charges-template.csv';

const routes = {
  template: describeRoute({
    method: 'get',
    path: `${MOUNT}/charges/template.csv`,
    roles: ROLES.billing,
    tag: 'claims',
    summary: 'Charge import: an empty CSV file with the header row of every column the import reads',
    description:
      'The header row of docs/charge-import.md, generated from the layout the import reads, as a file to download ' +
      '(Content-Disposition: attachment): fill in one row per claim line and send it to POST /api/imports/charges.',
    response: z.string().describe('the header row, CRLF-terminated'),
    responseMediaType: CSV_CONTENT_TYPE,
  }),
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
    bodyLimitBytes: CSV_LIMIT_BYTES,
    response: chargeImportAnswer,
  }),
  x12: describeRoute({
    method: 'post',
    path: `${MOUNT}/837p`,
    roles: ROLES.billing,
    tag: 'claims',
    summary: "Charge import: claims from a practice system's 837P file, checked by a dry run, then written all or nothing",
    description:
      'docs/837p-intake.md: every 2300 claim of every ISA/GS/ST envelope becomes a claim of the practice, its patient, coverage and ' +
      "provider matched or registered. The answer is the CSV import's; a problem names its segment, the segment's position in the " +
      'file (1-based) and the claim (CLM01). A file whose envelopes do not check out is a 400 X12_SYNTAX naming segment and position; ' +
      'anything but 837P (005010X222) a 422 X12_UNSUPPORTED; nothing of either is written. A claim imported before (same submitter and ' +
      'CLM01, 1000A NM109) is skipped and listed in duplicates as submitter:CLM01.',
    query: import837pQuery,
    body: z.string().describe('the X12 file'),
    bodyMediaTypes: X12_IMPORT_CONTENT_TYPES,
    bodyLimitBytes: X12_LIMIT_BYTES,
    response: chargeImportAnswer,
  }),
};

const readCsv = express.text({ type: CSV_CONTENT_TYPE, limit: CSV_LIMIT_BYTES });
const readX12 = express.text({ type: X12_IMPORT_CONTENT_TYPES, limit: X12_LIMIT_BYTES });

export function importsRouter(ctx: ApiContext): Router {
  const router = Router();
  addRoute(router, MOUNT, routes.template, (_req, res) => {
    res
      .type(`${CSV_CONTENT_TYPE}; charset=utf-8`)
      .attachment(TEMPLATE_FILE_NAME)
      .send(`${TEMPLATE_COLUMNS.join(',')}\r\n`);
  });
  addRoute(router, MOUNT, routes.charges, async (req, res) => {
    const query = parseInput(importChargesQuery, req.query);
    const text = await textBody(req, res, [CSV_CONTENT_TYPE], readCsv, 'a charge file', 'a CSV file');
    const organizationId = await practiceFor(ctx.prisma, callerPractices(res), query.organizationId);
    const answer = await runImport(ctx, {
      organizationId,
      actor: callerId(res),
      dryRun: query.dryRun,
      plan: (db) => planChargeImport(db, organizationId, text),
    });
    res.status(answer.status).json(answer.body);
  });
  addRoute(router, MOUNT, routes.x12, async (req, res) => {
    const query = parseInput(import837pQuery, req.query);
    const text = await textBody(req, res, X12_IMPORT_CONTENT_TYPES, readX12, 'an 837P file', 'an X12 file');
    // The practice first: a file for a practice that is not the caller's is not read at all.
    const organizationId = await practiceFor(ctx.prisma, callerPractices(res), query.organizationId);
    try {
      const answer = await import837pFile(ctx, {
        organizationId,
        text,
        sourceName: 'POST /api/imports/837p',
        actor: callerId(res),
        dryRun: query.dryRun,
        controlTotals: query.controlTotals,
      });
      res.status(answer.status).json(answer.body);
    } catch (err) {
      if (!(err instanceof Unreadable837Error)) throw err;
      const body: z.output<typeof x12ImportRefusal> = {
        error: {
          code: err.code,
          message: err.message,
          segment: err.first.segment,
          position: err.first.position,
          ...(err.first.element !== undefined ? { element: err.first.element } : {}),
          errors: err.errors,
        },
      };
      res.status(err.status).json(body);
    }
  });
  return router;
}

/** The body as text, of the route's types only (anything else is a 415, unread); empty or unstorable text is a 400. */
export async function textBody(
  req: Request,
  res: Response,
  types: string[],
  read: ReturnType<typeof express.text>,
  what: string,
  required: string,
): Promise<string> {
  // false: a body of another type; null: no body at all, answered below
  if (req.is(types) === false) {
    throw new ApiError(415, 'UNSUPPORTED_MEDIA_TYPE', `${what} is sent as ${types.join(' or ')}`, 'Content-Type');
  }
  await new Promise<void>((resolve, reject) => read(req, res, (err?: unknown) => (err ? reject(err) : resolve())));
  const text: unknown = req.body;
  if (typeof text !== 'string' || text.trim() === '') {
    throw new ValidationError(`${required} is required (Content-Type: ${types.join(' or ')})`);
  }
  // PostgreSQL stores no NUL and no lone surrogate: refused here rather than failing mid-transaction.
  if (!isStorableText(text)) throw new ValidationError('the file holds a NUL character or text that is not valid UTF-8');
  return text;
}
