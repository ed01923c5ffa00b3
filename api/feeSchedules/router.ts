// /api/fee-schedules: the practices' contracted fee schedules (docs/fee-schedules.md), what claimflow expects each
// payer to allow. Loaded from a CSV file (dry run first, then all or nothing) by supervisors and administrators;
// listed for the billing roles. Every rate belongs to one practice and is seen only by its staff.
import express, { Router } from 'express';
import { z } from 'zod';
import type { ApiContext } from '../http/context';
import { ROLES } from '../auth/access';
import { callerId } from '../auth/auth';
import { callerPractices, inPractices } from '../auth/practices';
import { parseInput } from '../http/errors';
import { addRoute, describeRoute } from '../openapi/openapi';
import { practiceFor } from '../patients/practiceFor';
import { textBody } from '../imports/router';
import { CSV_CONTENT_TYPE } from '../imports/schemas';
import { importFeeSchedule } from './feeScheduleImport';
import { feeScheduleImportAnswer, feeScheduleImportQuery, feeScheduleListQuery, feeScheduleListResponse } from './schemas';

const MOUNT = '/api/fee-schedules';
/** 5 MB: some 100,000 rates, every payer of a large practice; a bigger file is split. */
const CSV_LIMIT_BYTES = 5 * 1024 * 1024;
/** A listing answers at most this many rates: a payer's whole schedule, filtered further by code. */
const LIST_LIMIT = 5_000;

const routes = {
  import: describeRoute({
    method: 'post',
    path: `${MOUNT}/import`,
    roles: ROLES.oversight,
    tag: 'fee-schedules',
    summary: 'Contracted fee schedules from a CSV file, checked by a dry run, then written all or nothing',
    description:
      'The columns are described in docs/fee-schedules.md: one rate per row (payer_id, provider_npi (empty: every provider), ' +
      'procedure_code, modifier (empty: none), allowed (dollars per unit), effective_from, effective_to (empty: open-ended)). ' +
      '?dryRun=true answers what the file would store and every problem by row (the header is row 1) and column, writing nothing. ' +
      '?dryRun=false writes every rate in one transaction, or, when the file has any problem, answers 422 IMPORT_REFUSED with the ' +
      'same report and writes nothing. A rate stored before with the same payer, provider, code, modifier and effective_from is ' +
      'replaced, so a file imported twice stores nothing new; a rate whose dates overlap another of the same kind is a problem.',
    query: feeScheduleImportQuery,
    body: z.string().describe('the CSV file (UTF-8, a byte order mark allowed)'),
    bodyMediaTypes: [CSV_CONTENT_TYPE],
    bodyLimitBytes: CSV_LIMIT_BYTES,
    response: feeScheduleImportAnswer,
  }),
  list: describeRoute({
    method: 'get',
    path: MOUNT,
    roles: ROLES.billing,
    tag: 'fee-schedules',
    summary: "The contracted rates of the caller's practices, by payer, provider, code, modifier and start",
    query: feeScheduleListQuery,
    response: feeScheduleListResponse,
  }),
};

const readCsv = express.text({ type: CSV_CONTENT_TYPE, limit: CSV_LIMIT_BYTES });
const isoDate = (d: Date) => d.toISOString().slice(0, 10);

export function feeSchedulesRouter(ctx: ApiContext): Router {
  const router = Router();
  addRoute(router, MOUNT, routes.import, async (req, res) => {
    const query = parseInput(feeScheduleImportQuery, req.query);
    const text = await textBody(req, res, [CSV_CONTENT_TYPE], readCsv, 'a fee schedule file', 'a CSV file');
    const organizationId = await practiceFor(ctx.prisma, callerPractices(res), query.organizationId);
    const answer = await importFeeSchedule(ctx.prisma, { organizationId, actor: callerId(res), dryRun: query.dryRun, text });
    res.status(answer.status).json(answer.body);
  });
  addRoute(router, MOUNT, routes.list, async (req, res) => {
    const query = parseInput(feeScheduleListQuery, req.query);
    const scope = callerPractices(res);
    // A named practice that is not the caller's is refused as unknown, like every other practice-owned lookup.
    const practice =
      query.organizationId !== undefined
        ? { organizationId: await practiceFor(ctx.prisma, scope, query.organizationId) }
        : inPractices(scope);
    const rows = await ctx.prisma.feeScheduleRate.findMany({
      where: {
        ...practice,
        ...(query.payerId ? { payerId: query.payerId } : {}),
        ...(query.procedureCode ? { procedureCode: query.procedureCode } : {}),
      },
      orderBy: [
        { organizationId: 'asc' },
        { payerId: 'asc' },
        { procedureCode: 'asc' },
        { providerNpi: 'asc' },
        { modifier: 'asc' },
        { effectiveFrom: 'asc' },
      ],
      take: LIST_LIMIT + 1,
    });
    const body: z.output<typeof feeScheduleListResponse> = {
      rates: rows.slice(0, LIST_LIMIT).map((r) => ({
        id: r.id,
        organizationId: r.organizationId,
        payerId: r.payerId,
        providerNpi: r.providerNpi || null,
        procedureCode: r.procedureCode,
        modifier: r.modifier || null,
        allowedCents: r.allowedCents,
        effectiveFrom: isoDate(r.effectiveFrom),
        effectiveTo: r.effectiveTo ? isoDate(r.effectiveTo) : null,
      })),
      truncated: rows.length > LIST_LIMIT,
    };
    res.json(body);
  });
  return router;
}
