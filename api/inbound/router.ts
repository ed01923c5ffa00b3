// /api/inbound: what the clearinghouse and payers send us, as JSON messages or X12 files. The sender is
// authenticated (a CLEARINGHOUSE token) before this router runs (api/app.ts); the bodies are read only here.
import express, { Router, type RequestHandler } from 'express';
import { callerSender } from '../auth/auth';
import type { ApiContext } from '../http/context';
import { ApiError, parseInput } from '../http/errors';
import { refuseUnstorableText } from '../http/storableText';
import { acknowledgementMessage, appealDecisionMessage, remittanceMessage } from '../schemas';
import { processAcknowledgement, processAppealDecision, processRemittance } from './intake';
import { handleX12, x12BodyParser } from './x12';

/** Remittances carry hundreds of claims; the default 100 kB is too small for them. Text the database cannot store is refused. */
const parseJson = express.json({ limit: '10mb' });
const jsonBody: RequestHandler = (req, res, next) =>
  parseJson(req, res, (err?: unknown) => {
    if (err) return next(err);
    try {
      refuseUnstorableText(req, res, next);
    } catch (refusal) {
      next(refusal);
    }
  });

export function inboundRouter(ctx: ApiContext): Router {
  const router = Router();

  router.post('/acknowledgements', jsonBody, async (req, res) => {
    const message = parseInput(acknowledgementMessage, req.body);
    const { duplicate } = await processAcknowledgement(ctx, callerSender(res), message);
    res.status(202).json({ accepted: true, duplicate });
  });

  router.post('/appeal-decisions', jsonBody, async (req, res) => {
    const message = parseInput(appealDecisionMessage, req.body);
    const { duplicate } = await processAppealDecision(ctx, callerSender(res), message);
    res.status(202).json({ accepted: true, duplicate });
  });

  router.post('/remittances', jsonBody, async (req, res) => {
    const message = parseInput(remittanceMessage, req.body);
    const result = await processRemittance(ctx, callerSender(res), message);
    res.status(202).json({ accepted: true, ...result });
  });

  // X12 files (999, 277CA, 835): x12.ts; the body stays text.
  router.post('/x12', x12BodyParser, (req, res) => handleX12(ctx, callerSender(res), req, res));

  // Unknown inbound paths answer 404 here rather than fall through to the user check meant for people.
  router.use((req, _res, next) => next(new ApiError(404, 'NOT_FOUND', `no route for ${req.method} ${req.baseUrl}${req.path}`)));
  return router;
}
