// The HTTP API: one express app wired from its dependencies. Listening, and building those dependencies,
// belongs to the process that runs it.
import type { Client } from '@temporalio/client';
import express from 'express';
import type { PrismaClient } from '../generated/prisma/client';
import type { Config } from '../infra/config';
import { adminRouter } from './admin';
import { requireUser } from './auth';
import { claimsRouter } from './claims';
import { claimTimelineRouter } from './claimTimeline';
import type { ApiContext } from './context';
import { errorHandler, unknownRoute, type Log } from './errors';
import { inboundRouter } from './inbound';
import { openApiRouter } from './openapi';
import { patientsRouter } from './patients';
import { queuesRouter } from './queues';
import { DEFAULT_TOKEN_RATE_LIMIT, type RateLimit } from './rateLimit';
import { referenceRouter } from './reference';
import { supervisorRouter } from './supervisor';
import { tasksRouter } from './tasks';
import { DEFAULT_TEMPORAL_TIMEOUTS, type TemporalTimeouts } from './temporal';

export interface AppDeps {
  prisma: PrismaClient;
  temporal: Client;
  config: Config;
  log?: Log;
  /** deadlines for calls into Temporal; tests shorten them */
  temporalTimeouts?: Partial<TemporalTimeouts>;
  /** per address and route on the token endpoints; tests lower it */
  tokenRateLimit?: RateLimit;
}

/** One JSON line per event on stderr. Callers pass fields without PHI: ids, codes, counts. */
const defaultLog: Log = (msg, fields) => {
  console.error(JSON.stringify({ at: new Date().toISOString(), msg, ...fields }));
};

export function createApp(deps: AppDeps): express.Express {
  const ctx: ApiContext = {
    prisma: deps.prisma,
    temporal: deps.temporal,
    config: deps.config,
    log: deps.log ?? defaultLog,
    timeouts: { ...DEFAULT_TEMPORAL_TIMEOUTS, ...deps.temporalTimeouts },
  };
  const app = express();
  app.disable('x-powered-by');
  // Remittances carry hundreds of claims; the default 100 kB is too small for them.
  app.use(express.json({ limit: '10mb' }));

  app.get('/api/health', (_req, res) => {
    res.json({ ok: true });
  });
  // The clearinghouse is not a user: inbound routes sit before the user check (they get their own auth later).
  app.use('/api/inbound', inboundRouter(ctx));

  app.use('/api', requireUser(ctx.prisma, ctx.config));
  app.use('/api/claims', claimsRouter(ctx));
  app.use('/api/claims', claimTimelineRouter(ctx));
  app.use('/api/patients', patientsRouter(ctx));
  app.use('/api', referenceRouter(ctx));
  app.use('/api', queuesRouter(ctx));
  app.use('/api', tasksRouter(ctx));
  app.use('/api/admin', adminRouter(ctx, deps.tokenRateLimit ?? DEFAULT_TOKEN_RATE_LIMIT));

  app.use('/api/supervisor', supervisorRouter(ctx));
  app.use('/api', openApiRouter());

  app.use(unknownRoute);
  app.use(errorHandler(ctx.log));
  return app;
}
