// The API's Prometheus metrics: request latency per route pattern (a middleware the app puts first), the work
// queues read from the database at scrape time, and GET /metrics itself, which the main job serves on a
// listener of its own (CLAIMFLOW_METRICS_ADDRESS, loopback by default), never on the API's port: the figures
// hold no PHI but show volumes, and Prometheus scrapes without a user's token (README, "Operations").
import express, { type RequestHandler } from 'express';
import type { PrismaClient } from '../../generated/prisma/client';
import { statusClass, type Metrics, type QueueSnapshot, type QueueSource } from '../../infra/metrics';
import { routePattern } from './routes';

const QUEUES = ['CODER', 'BILLER', 'SUPERVISOR'] as const;

/** Times every request from its arrival to its response, labelled by route pattern, never by URL. */
export function httpMetrics(metrics: Metrics): RequestHandler {
  return (req, res, next) => {
    const end = metrics.httpDuration.startTimer();
    let done = false;
    const record = () => {
      if (done) return;
      done = true;
      // A client that went away before the answer: 499, as nginx counts it.
      const status = res.writableFinished ? res.statusCode : 499;
      end({ method: req.method, route: label(req, status), status_class: statusClass(status) });
    };
    res.once('finish', record);
    res.once('close', record);
    next();
  };
}

/** The route pattern; the web workspace's files (no route, no mount path, answered) are `static`. */
function label(req: Parameters<RequestHandler>[0], status: number): string {
  const route = routePattern(req);
  return route === 'unmatched' && status < 400 ? 'static' : route;
}

/** Open and claimed tasks per queue, and the age of each queue's oldest open task, from the Task table. */
export function queueSnapshot(prisma: PrismaClient): QueueSource {
  return async () => {
    const [depth, oldest] = await Promise.all([
      prisma.task.groupBy({ by: ['queue', 'status'], where: { status: { in: ['OPEN', 'CLAIMED'] } }, _count: { _all: true } }),
      prisma.task.groupBy({ by: ['queue'], where: { status: 'OPEN' }, _min: { createdAt: true } }),
    ]);
    const now = Date.now();
    return QUEUES.map((queue): QueueSnapshot => {
      const count = (status: string) => depth.find((d) => d.queue === queue && d.status === status)?._count._all ?? 0;
      const oldestAt = oldest.find((o) => o.queue === queue)?._min.createdAt;
      return {
        queue,
        open: count('OPEN'),
        claimed: count('CLAIMED'),
        oldestOpenAgeSeconds: oldestAt ? Math.max(0, (now - oldestAt.getTime()) / 1_000) : null,
      };
    });
  };
}

/** GET /metrics in Prometheus's text format, and nothing else. */
export function metricsApp(metrics: Metrics): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.get('/metrics', async (_req, res) => {
    const text = await metrics.registry.metrics();
    res.set('Content-Type', metrics.registry.contentType).set('Cache-Control', 'no-store').send(text);
  });
  app.use((_req, res) => {
    res.status(404).type('text/plain').send('not found: Prometheus metrics are at GET /metrics\n');
  });
  return app;
}
