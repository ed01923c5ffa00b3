// /api/inbound: what the clearinghouse and payers send us, as JSON messages or X12 files. The sender is
// authenticated (a CLEARINGHOUSE token) before this router runs (api/app.ts); the bodies are read only here.
import express, { Router, type RequestHandler } from 'express';
import { callerSender } from '../auth/auth';
import type { ApiContext } from '../http/context';
import { ApiError, parseInput } from '../http/errors';
import { refuseUnstorableText } from '../http/storableText';
import { acknowledgementMessage, appealDecisionMessage, remittanceMessage } from './schemas';
import { countInbound, failureOutcome, processAcknowledgement, processAppealDecision, processRemittance } from './intake';
import { handleX12, x12BodyParser } from './x12';

/** Remittances carry hundreds of claims; the default 100 kB is too small for them. Text the database cannot store is refused. */
const parseJson = express.json({ limit: '10mb' });

export function inboundRouter(ctx: ApiContext): Router {
  const router = Router();
  /** The body of a `kind` message; one that cannot be read is counted as refused. */
  const jsonBody =
    (kind: string): RequestHandler =>
    (req, res, next) => {
      const refuse = (err: unknown) => {
        ctx.metrics.inboundMessages.inc({ kind, outcome: failureOutcome(err) });
        next(err);
      };
      parseJson(req, res, (err?: unknown) => {
        if (err) return refuse(err);
        try {
          refuseUnstorableText(req, res, next);
        } catch (refusal) {
          refuse(refusal);
        }
      });
    };

  router.post('/acknowledgements', jsonBody('acknowledgement'), async (req, res) => {
    const { duplicate } = await countInbound(ctx, 'acknowledgement', () =>
      processAcknowledgement(ctx, callerSender(res), parseInput(acknowledgementMessage, req.body)),
    );
    res.status(202).json({ accepted: true, duplicate });
  });

  router.post('/appeal-decisions', jsonBody('appeal-decision'), async (req, res) => {
    const { duplicate } = await countInbound(ctx, 'appeal-decision', () =>
      processAppealDecision(ctx, callerSender(res), parseInput(appealDecisionMessage, req.body)),
    );
    res.status(202).json({ accepted: true, duplicate });
  });

  router.post('/remittances', jsonBody('remittance'), async (req, res) => {
    const result = await countInbound(ctx, 'remittance', () =>
      processRemittance(ctx, callerSender(res), parseInput(remittanceMessage, req.body)),
    );
    res.status(202).json({ accepted: true, ...result });
  });

  // X12 files (999, 277CA, 835): x12.ts; the body stays text.
  router.post('/x12', x12BodyParser, (req, res) => handleX12(ctx, callerSender(res), req, res));

  // Unknown inbound paths answer 404 here rather than fall through to the user check meant for people.
  router.use((req, _res, next) => next(new ApiError(404, 'NOT_FOUND', `no route for ${req.method} ${req.baseUrl}${req.path}`)));
  return router;
}
