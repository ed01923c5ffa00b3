// The HTTP API: one express app wired from its dependencies. Listening, and building those dependencies,
// belongs to the process that runs it.
import type { Tracer } from '@opentelemetry/api';
import type { Clearinghouse } from '../domain/clearinghouse';
import type { Client } from '@temporalio/client';
import express from 'express';
import type { PrismaClient } from '../generated/prisma/client';
import type { Config } from '../infra/config';
import { createLogger, eventLog, type Logger } from '../infra/log';
import { createMetrics, type Metrics } from '../infra/metrics';
import { adminRouter } from './auth/admin';
import { ROLES } from './auth/access';
import { requireRole, requireUser } from './auth/auth';
import { oidcRouter } from './auth/oidcRoutes';
import { sessionRouter } from './auth/sessionRoutes';
import { sessionPolicy } from './auth/sessions';
import { claimsRouter } from './claims/claims';
import { claimTimelineRouter } from './claims/claimTimeline';
import { codesRouter } from './reference/codes';
import type { ApiContext } from './http/context';
import { DatabaseUnavailableError, errorHandler, unknownRoute, type Log } from './http/errors';
import { importsRouter } from './imports/router';
import { feeSchedulesRouter } from './feeSchedules/router';
import { fhirRouter } from './fhir/router';
import { FHIR_JSON, renderOperationOutcome } from './fhir/errors';
import { inboundRouter } from './inbound/router';
import { openApiRouter } from './openapi/openapi';
import { organizationsRouter } from './organizations/organizations';
import { searchRouter } from './search/search';
import { patientsRouter } from './patients/patients';
import { queuesRouter } from './queues/queues';
import { DEFAULT_SIGN_IN_RATE_LIMIT, DEFAULT_TOKEN_RATE_LIMIT, fixedWindowLimit, SignInLimiter, type RateLimit } from './http/rateLimit';
import { referenceRouter } from './reference/reference';
import { securityHeaders } from './http/securityHeaders';
import { refuseUnstorableText } from './http/storableText';
import { supervisorRouter } from './supervisor/router';
import { tasksRouter } from './tasks/tasks';
import { usersRouter } from './auth/users';
import { webWorkspace } from './http/web';
import { DEFAULT_TEMPORAL_TIMEOUTS, type TemporalTimeouts } from './http/temporal';
import { httpMetrics } from './http/metrics';
import { requestSpans } from './http/tracing';

export interface AppDeps {
  prisma: PrismaClient;
  temporal: Client;
  config: Config;
  /** the API's events; a seam for tests. Unset: `logger`, as `warn` (or the level the call names) */
  log?: Log;
  /** the process's pino logger (infra/log.ts); unset: one made here from config.logLevel, on stderr */
  logger?: Logger;
  /** where request latencies and inbound messages are counted; unset: a registry of the app's own */
  metrics?: Metrics;
  /** a span per request (infra/tracing.ts, when tracing is on) */
  tracer?: Tracer;
  /** deadlines for calls into Temporal; tests shorten them */
  temporalTimeouts?: Partial<TemporalTimeouts>;
  /** per address and route on the token endpoints; tests lower it */
  tokenRateLimit?: RateLimit;
  /** failed bearer authentications per address; tests lower it */
  signInRateLimit?: RateLimit;
  /** single sign-on starts and callbacks per address; tests raise it */
  ssoRateLimit?: RateLimit;
  /** requests per address to /api/inbound, before authentication; config.inboundRateLimitPerMinute otherwise */
  inboundRateLimit?: RateLimit;
  /** the clock of workspace sessions and sign-in locks (ms since the epoch); tests move it */
  now?: () => number;
  /**
   * the clearinghouse of on-demand eligibility checks (POST /api/claims/:id/eligibility), asked for at each check (the
   * main job starts the simulator after the API); unset or undefined, they answer 503
   */
  clearinghouse?: () => Clearinghouse | undefined;
}

export function createApp(deps: AppDeps): express.Express {
  const ctx: ApiContext = {
    prisma: deps.prisma,
    temporal: deps.temporal,
    config: deps.config,
    // One JSON line per event (pino). Callers pass fields without PHI: ids, codes, counts.
    log: deps.log ?? eventLog(deps.logger ?? createLogger({ level: deps.config.logLevel, base: { component: 'api' } })),
    metrics: deps.metrics ?? createMetrics({ defaultMetrics: false }),
    timeouts: { ...DEFAULT_TEMPORAL_TIMEOUTS, ...deps.temporalTimeouts },
    clearinghouse: deps.clearinghouse ?? (() => undefined),
  };
  const app = express();
  app.disable('x-powered-by');
  if (deps.tracer) app.use(requestSpans(deps.tracer));
  app.use(httpMetrics(ctx.metrics));
  // req.ip (rate limits, sign-in limit) is then the client named by the trusted proxies, not the proxy itself.
  if (deps.config.trustProxy !== undefined) app.set('trust proxy', deps.config.trustProxy);
  app.use(securityHeaders());

  // Load balancers and the fault tests read this: 503 with DATABASE_UNAVAILABLE while the database is down.
  app.get('/api/health', async (_req, res) => {
    await databaseReachable(ctx.prisma, HEALTH_DB_TIMEOUT_MS);
    res.json({ ok: true });
  });
  const signIns = new SignInLimiter(deps.signInRateLimit ?? DEFAULT_SIGN_IN_RATE_LIMIT);
  const sessions = sessionPolicy(deps.config, deps.now);
  // What clearinghouses and payers deliver. Nothing of a body is read before the sender is known: the rate
  // limit counts by address, the token names a CLEARINGHOUSE sender, and only then do the routes parse (up to
  // 50 MB for an 835). Staff tokens are refused here as senders' tokens are refused everywhere else.
  const inbound = express.Router();
  inbound.use(
    fixedWindowLimit(deps.inboundRateLimit ?? { windowMs: 60_000, max: deps.config.inboundRateLimitPerMinute }, 'address'),
    requireUser(ctx.prisma, ctx.config, signIns),
    requireRole(...ROLES.inbound),
    inboundRouter(ctx),
  );
  app.use('/api/inbound', inbound);

  // The workspace's sign-in, session and sign-out: before authentication, since signing in is how one gets it.
  app.use('/api/auth', sessionRouter(ctx, sessions, signIns));
  // Single sign-on (OpenID Connect), when configured: a second way to the same session.
  app.use('/api/auth', oidcRouter(ctx, sessions, deps.ssoRateLimit));

  // Everyone else is a person: authenticated (a bearer token or the workspace's session cookie) before their
  // body is parsed. Staff requests are small (the largest, a claim's documentation, is 100,000 characters), so
  // they get 1 MB.
  app.use('/api', requireUser(ctx.prisma, ctx.config, signIns, sessions), express.json({ limit: '1mb' }), refuseUnstorableText);
  app.use('/api/claims', claimsRouter(ctx));
  app.use('/api/claims', claimTimelineRouter(ctx));
  app.use('/api/patients', patientsRouter(ctx));
  app.use('/api/imports', importsRouter(ctx));
  app.use('/api/fee-schedules', feeSchedulesRouter(ctx));
  app.use('/api/organizations', organizationsRouter(ctx));
  app.use('/api/search', searchRouter(ctx));
  app.use('/api', referenceRouter(ctx));
  app.use('/api', queuesRouter(ctx));
  app.use('/api', tasksRouter(ctx));
  app.use('/api/codes', codesRouter(ctx.config));
  app.use('/api/users', usersRouter(ctx));
  app.use('/api/admin', adminRouter(ctx, deps.tokenRateLimit ?? DEFAULT_TOKEN_RATE_LIMIT, sessions));

  app.use('/api/supervisor', supervisorRouter(ctx));
  app.use('/api', openApiRouter());

  // FHIR R4 for EHRs (docs/fhir.md): tokens only (an EHR is a machine; people use their own tokens), bodies as
  // application/fhir+json or application/json, and every answer, errors too, a FHIR resource.
  const fhir = express.Router();
  fhir.use(
    requireUser(ctx.prisma, ctx.config, signIns),
    express.json({ type: [FHIR_JSON, 'application/json'], limit: '1mb' }),
    refuseUnstorableText,
    fhirRouter(ctx),
    unknownRoute,
    errorHandler(ctx.log, renderOperationOutcome),
  );
  app.use('/fhir', fhir);

  // The web workspace (web/dist): / and its assets; never /api/*.
  app.use(webWorkspace());
  app.use(unknownRoute);
  app.use(errorHandler(ctx.log));
  return app;
}

// A database that black-holes packets would hold a health check for the driver's whole connect timeout.
const HEALTH_DB_TIMEOUT_MS = 2_000;

async function databaseReachable(prisma: PrismaClient, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DatabaseUnavailableError()), timeoutMs);
  });
  // A driver error on the query is mapped to DATABASE_UNAVAILABLE by the error handler, like on any route.
  try {
    await Promise.race([prisma.$queryRaw`SELECT 1`, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
