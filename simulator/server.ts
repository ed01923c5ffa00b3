// The payer/clearinghouse simulator as an HTTP service: the three clearinghouse calls claimflow makes, plus
// admin endpoints a test or a demo uses to steer it (force a scenario, deliver now, inject faults, inspect).
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type NextFunction, type Request, type Response } from 'express';
import { ConflictError, InjectedFaultError, NotFoundError, SimulatorConfigError, SimulatorError, UnauthorizedError } from './errors';
import { type DeliveryFilter, type DeliveryMode, type DeliveryResult, type Logger, Outbox, type OutboundFormat } from './outbox';
import { Payer } from './payer';
import { eligibilityDesk } from './eligibility';
import { statusDesk } from './claimStatus';
import { DEFAULT_SCENARIO_WEIGHTS, type Scenario, simulatorIds } from './scenarios';
import { ValidationError } from './errors';
import { factsFrom837, read837File, submissionFrom837 } from './x12';
import type { X12FileRecord } from './state';
import { emptyState, loadStateFile, type SimulatorState, StateFile } from './state';
import {
  type FaultsRequest,
  parseAppealFiling,
  parseClaimSubmission,
  parseDeliverRequest,
  parseFaults,
  parseForceScenario,
  parseStatusInquiry,
} from './validation';

export interface SimulatorOptions {
  /**
   * The bearer token every route but /health requires: the claims API (claimflow is the one submitter) and the
   * admin routes that force outcomes and deliveries. Without it anyone on the machine could steer the payer.
   */
  token: string;
  /** claimflow's token for its inbound routes (a CLEARINGHOUSE sender's), sent with every delivery */
  inboundToken?: string;
  seed?: number;
  /** length of one simulated day in ms; every delay is a number of days */
  dayMs?: number;
  /** claimflow's API base URL, e.g. http://127.0.0.1:3000; without it nothing is delivered */
  inboundUrl?: string;
  delivery?: DeliveryMode;
  /** what acknowledgements and remittances go out as: X12 files (default) or the JSON contract */
  outboundFormat?: OutboundFormat;
  stateFile?: string;
  scenarioWeights?: Partial<Record<Scenario, number>>;
  now?: () => number;
  log?: Logger;
  retryBaseMs?: number;
  retryCapMs?: number;
  deliveryTimeoutMs?: number;
}

export interface RunningSimulator {
  port: number;
  url: string;
  close(): Promise<void>;
}

export interface SimulatorStats {
  submissionsReceived: number;
  distinctIdempotencyKeys: number;
  duplicates: number;
  submissionsPerKey: Record<string, number>;
  statusInquiries: number;
  duplicateStatusInquiries: number;
  /** patients asked about in 270s since the simulator started (not kept in the state file) */
  eligibilityInquiries: number;
  appealsReceived: number;
  duplicateAppeals: number;
  deliveries: { made: number; failedAttempts: number; dropped: number; pending: number };
  faultedRequests: number;
}

export interface Simulator {
  app: express.Express;
  start(port?: number, host?: string): Promise<RunningSimulator>;
  deliverNow(filter?: DeliveryFilter): Promise<DeliveryResult[]>;
  stats(): SimulatorStats;
  /** stops delivery timers and waits for the last state write */
  stop(): Promise<void>;
}

interface Faults {
  failNext: number;
  status: number;
  delayMs: number;
  slowNext: number;
  failAfterNext: number;
}

export const jsonLogger: Logger = (event, fields = {}) => {
  process.stdout.write(`${JSON.stringify({ at: new Date().toISOString(), service: 'simulator', event, ...fields })}\n`);
};

export function createSimulator(opts: SimulatorOptions): Simulator {
  if (!opts.token || opts.token.length < 16)
    throw new SimulatorConfigError('the simulator needs a token of at least 16 characters (SIMULATOR_TOKEN)');
  const seed = opts.seed ?? 42;
  const dayMs = opts.dayMs ?? 86_400_000;
  const now = opts.now ?? Date.now;
  const log = opts.log ?? jsonLogger;
  const delivery = opts.delivery ?? 'scheduled';

  const state: SimulatorState = (opts.stateFile ? loadStateFile(opts.stateFile, seed) : undefined) ?? emptyState(seed, now());
  const file = opts.stateFile ? new StateFile(opts.stateFile, () => state) : undefined;
  const save = () => file?.save() ?? Promise.resolve();

  let payer: Payer;
  const outbox = new Outbox(state, {
    mode: delivery,
    format: opts.outboundFormat ?? 'x12',
    inboundUrl: opts.inboundUrl,
    inboundToken: opts.inboundToken,
    now,
    log,
    save,
    simulatedDate: (ms) => payer.simulatedDate(ms),
    retryBaseMs: opts.retryBaseMs,
    retryCapMs: opts.retryCapMs,
    requestTimeoutMs: opts.deliveryTimeoutMs,
  });
  payer = new Payer(state, outbox, { dayMs, now, scenarioWeights: { ...DEFAULT_SCENARIO_WEIGHTS, ...opts.scenarioWeights } });
  const today = () => payer.simulatedDate(now());
  const eligibility = eligibilityDesk({ seed, today, nextIsa: () => outbox.nextIsa() });
  const statusX12 = statusDesk({ inquire: (q) => payer.inquire(q), today, nextIsa: () => outbox.nextIsa() });

  const faults: Faults = { failNext: 0, status: 500, delayMs: 0, slowNext: 0, failAfterNext: 0 };

  const stats = (): SimulatorStats => {
    const c = state.counters;
    return {
      submissionsReceived: c.submissionsReceived,
      distinctIdempotencyKeys: Object.keys(state.submissions).length,
      duplicates: c.duplicateSubmissions,
      submissionsPerKey: { ...state.submissionsPerKey },
      statusInquiries: c.statusInquiries,
      duplicateStatusInquiries: c.duplicateStatusInquiries,
      eligibilityInquiries: eligibility.inquiries,
      appealsReceived: c.appealsReceived,
      duplicateAppeals: c.duplicateAppeals,
      deliveries: {
        made: c.deliveriesMade,
        failedAttempts: c.deliveryAttemptsFailed,
        dropped: c.deliveriesDropped,
        pending: outbox.queued().length,
      },
      faultedRequests: c.faultedRequests,
    };
  };

  /** The chaos knob: answers (or delays) the next requests before anything is recorded. */
  const chaos = async (_req: Request, res: Response, next: NextFunction) => {
    if (faults.failNext > 0) {
      faults.failNext -= 1;
      state.counters.faultedRequests += 1;
      if (faults.delayMs > 0) await sleep(faults.delayMs);
      throw new InjectedFaultError(faults.status);
    }
    if (faults.slowNext > 0) {
      faults.slowNext -= 1;
      await sleep(faults.delayMs);
    }
    if (faults.failAfterNext > 0) {
      // The request is handled and recorded, then the answer is lost: the client must retry, and only the
      // idempotency key keeps that retry from being a second claim.
      faults.failAfterNext -= 1;
      state.counters.faultedRequests += 1;
      const status = faults.status;
      const json = res.json.bind(res);
      res.json = (() =>
        json.call(res.status(status), {
          error: { code: 'INJECTED_FAULT', message: 'fault injected by /admin/faults after the request was handled' },
        })) as Response['json'];
    }
    next();
  };

  const app = express();
  app.disable('x-powered-by');
  app.get('/health', (_req, res) => {
    res.json({ status: 'ok', seed, delivery, queued: outbox.queued().length });
  });
  // Nothing else is read, not even a body, before the token is checked.
  app.use(requireToken(opts.token));
  app.use(express.json({ limit: '10mb' }));
  // 837P files: the body stays text; a file may hold many claims.
  app.use(express.text({ type: ['application/edi-x12', 'application/edi', 'application/octet-stream'], limit: '50mb' }));

  /**
   * An 837P file under its Idempotency-Key (claimflow's claimId:attempt). A repeated key is answered with
   * the first receipt and forwards nothing. Each readable claim is submitted to the payer; the file's 999
   * goes out with the first acknowledgement (or alone when no claim could be read).
   */
  const receiveX12 = (text: string, key: string | undefined) => {
    if (!key) throw new ValidationError('an 837 file needs an Idempotency-Key header (our claimId:attempt)', 'Idempotency-Key');
    const files = (state.x12Files ??= {});
    const seen = files[key];
    if (seen) {
      for (const k of seen.claimKeys) {
        state.counters.submissionsReceived += 1;
        state.counters.duplicateSubmissions += 1;
        state.submissionsPerKey[k] = (state.submissionsPerKey[k] ?? 0) + 1;
      }
      return {
        clearinghouseRef: seen.clearinghouseRef,
        duplicate: true,
        claims: seen.claimKeys.map((k) => ({ claimId: state.submissions[k]?.claimId, duplicate: true })),
      };
    }
    const file = read837File(text);
    const record: X12FileRecord = {
      key,
      isa13: file.isa13,
      senderId: file.senderId,
      group: file.group,
      sets: file.sets,
      clearinghouseRef: simulatorIds.clearinghouseRef(seed, key),
      claimIds: file.claims.map((c) => c.claim.claim.patientControlNumber),
      claimKeys: [],
      isa999: outbox.nextIsa(),
      delivered999: false,
    };
    files[key] = record;
    const claims: { claimId: string; clearinghouseRef: string; duplicate: boolean }[] = [];
    for (const { claim, setControlNumber } of file.claims) {
      const derived = submissionFrom837(claim, key, Number(file.isa13) || 0);
      let submission;
      try {
        submission = parseClaimSubmission(derived);
      } catch (err) {
        if (!(err instanceof ValidationError)) throw err;
        // A claim the payer cannot take: its set is rejected in the 999, like a syntax error.
        const set = record.sets.find((x) => x.controlNumber === setControlNumber);
        if (set) {
          set.accepted = false;
          set.errors.push({ segmentId: 'CLM', position: 1, reason: err.message });
        }
        continue;
      }
      const n = claim.billingProvider.name;
      const receipt = payer.submit(submission, {
        fileKey: key,
        interchangeRef: file.isa13,
        senderId: file.senderId,
        billingProvider: { name: 'organization' in n ? n.organization : n.last, npi: claim.billingProvider.npi },
        claim: factsFrom837(claim),
      });
      record.claimKeys.push(submission.idempotencyKey);
      claims.push({ claimId: submission.claimId, ...receipt });
    }
    if (record.claimKeys.length === 0) {
      // Nothing to acknowledge claim by claim: the 999 rejecting the file goes out on its own.
      const m = /^(.+):(\d+)$/.exec(key);
      const claimId = m?.[1] ?? key;
      const id = `${record.clearinghouseRef}-999`;
      const reason = record.sets.flatMap((x) => x.errors)[0]?.reason ?? 'the file could not be read';
      outbox.enqueue({
        id,
        kind: 'acknowledgement',
        claimId,
        attempt: m ? Number(m[2]) : undefined,
        x12File: key,
        only999: true,
        dueAtMs: payer.ackDueFor(claimId, key),
        body: {
          ackId: id,
          claimId,
          attempt: m ? Number(m[2]) : 1,
          accepted: false,
          rejectionCode: '999',
          reason: `837 rejected: ${reason}`.slice(0, 500),
        },
      });
    }
    return { clearinghouseRef: record.clearinghouseRef, duplicate: false, claims };
  };

  app.post('/claims', chaos, async (req, res) => {
    if (typeof req.body === 'string') {
      const receipt = receiveX12(req.body, req.get('idempotency-key'));
      await save();
      res.json(receipt);
      return;
    }
    const receipt = payer.submit(parseClaimSubmission(req.body));
    await save();
    res.json(receipt);
  });

  /** A 270 answered at once with a 271 (a real-time eligibility check). */
  app.post('/eligibility', chaos, async (req, res) => {
    if (typeof req.body !== 'string') throw new ValidationError('send the 270 as application/edi-x12', 'body');
    const answer = eligibility.answer(req.body);
    await save();
    res.type('application/edi-x12').send(answer);
  });

  app.post('/status', chaos, async (req, res) => {
    if (typeof req.body === 'string') {
      // A 276 answered at once with a 277.
      const answer = statusX12.answer(req.body);
      await save();
      res.type('application/edi-x12').send(answer);
      return;
    }
    const answer = payer.inquire(parseStatusInquiry(req.body));
    await save();
    res.json(answer);
  });

  app.post('/appeals', chaos, async (req, res) => {
    const receipt = payer.fileAppeal(parseAppealFiling(req.body));
    await save();
    res.json(receipt);
  });

  app.get('/admin/stats', (_req, res) => {
    res.json(stats());
  });

  app.post('/admin/scenarios', async (req, res) => {
    const { claimId, scenario } = parseForceScenario(req.body);
    payer.forceScenario(claimId, scenario);
    await save();
    res.json({ claimId, scenario });
  });

  app.post('/admin/deliver', async (req, res) => {
    const filter = parseDeliverRequest(req.body);
    if (!opts.inboundUrl) throw new ConflictError('NO_INBOUND_URL', 'CLAIMFLOW_INBOUND_URL is not set: nowhere to deliver');
    const delivered = await outbox.deliverNow(filter);
    res.json({ delivered });
  });

  app.get('/admin/outbox', (req, res) => {
    const claimId = typeof req.query.claimId === 'string' ? req.query.claimId : undefined;
    // A file already rendered names the patient: the admin view shows the facts, not the file.
    res.json({ messages: outbox.queued({ claimId }).map(({ x12Text: _text, ...m }) => m) });
  });

  /** 837 files received as X12: envelope numbers, sets and claim ids (no file contents: they hold PHI). */
  app.get('/admin/x12/files', (req, res) => {
    const claimId = typeof req.query.claimId === 'string' ? req.query.claimId : undefined;
    const files = Object.values(state.x12Files ?? {})
      .filter((f) => !claimId || f.claimIds.includes(claimId))
      .map(({ text999: _text, ...f }) => f);
    res.json({ files });
  });

  app.get('/admin/claims/:claimId', (req, res) => {
    const claim = state.claims[req.params.claimId];
    if (!claim) throw new NotFoundError('the simulator has no record of this claim');
    res.json({
      claimId: claim.claimId,
      scenario: claim.scenario,
      submissions: claim.submissionKeys.map((k) => {
        const { lines: _lines, x12Claim: _claim, ...summary } = state.submissions[k];
        return summary;
      }),
      statusInquiries: claim.inquiryKeys.length,
      appeals: claim.appealKeys.map((k) => state.appeals[k]),
      status: payer.peekStatus(claim.claimId),
    });
  });

  app.post('/admin/faults', (req, res) => {
    const request: FaultsRequest = parseFaults(req.body);
    if (request.failNextRequests !== undefined) faults.failNext = request.failNextRequests;
    if (request.slowNextRequests !== undefined) faults.slowNext = request.slowNextRequests;
    if (request.failAfterNextRequests !== undefined) faults.failAfterNext = request.failAfterNextRequests;
    faults.status = request.status ?? 500;
    faults.delayMs = request.delayMs ?? 0;
    res.json({
      failNextRequests: faults.failNext,
      slowNextRequests: faults.slowNext,
      failAfterNextRequests: faults.failAfterNext,
      status: faults.status,
      delayMs: faults.delayMs,
    });
  });

  app.use((_req, _res) => {
    throw new NotFoundError('no such endpoint');
  });

  // One error model for every route: { error: { code, message, field } }.
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (err instanceof SimulatorError) {
      res.status(err.httpStatus).json({ error: { code: err.code, message: err.message, field: err.field } });
      return;
    }
    const status = (err as { status?: number; type?: string }).status;
    if (status === 400 || status === 413) {
      // express.json's own failures: malformed JSON or an oversized body.
      const code = status === 413 ? 'BODY_TOO_LARGE' : 'INVALID_JSON';
      res.status(status).json({ error: { code, message: 'the request body is not acceptable JSON' } });
      return;
    }
    log('request.failed', { error: err instanceof Error ? err.name : 'unknown' });
    res.status(500).json({ error: { code: 'INTERNAL', message: 'the simulator failed to handle the request' } });
  });

  const stop = async () => {
    await outbox.stop();
    await save();
  };

  return {
    app,
    stats,
    stop,
    deliverNow: (filter) => outbox.deliverNow(filter),
    start: (port = 0, host = '127.0.0.1') =>
      new Promise<RunningSimulator>((resolve, reject) => {
        const server: Server = app.listen(port, host, (err?: Error) => {
          if (err) return reject(err);
          const actual = (server.address() as AddressInfo).port;
          outbox.start();
          log('simulator.listening', { port: actual, seed, delivery, queued: outbox.queued().length });
          resolve({
            port: actual,
            url: `http://${host.includes(':') ? `[${host}]` : host}:${actual}`,
            close: async () => {
              await stop();
              await new Promise<void>((done) => {
                server.close(() => done());
                server.closeAllConnections();
              });
            },
          });
        });
        server.once('error', reject);
      }),
  };
}

/** Everything after it needs `Authorization: Bearer <token>`, compared in constant time. */
function requireToken(token: string): (req: Request, res: Response, next: NextFunction) => void {
  const expected = createHash('sha256').update(token).digest();
  return (req, res, next) => {
    const presented = /^Bearer +(\S+)\s*$/i.exec(req.get('authorization') ?? '')?.[1];
    if (presented === undefined || !timingSafeEqual(createHash('sha256').update(presented).digest(), expected)) {
      res.set('WWW-Authenticate', 'Bearer');
      throw new UnauthorizedError();
    }
    next();
  };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
