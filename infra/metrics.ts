// Prometheus metrics of the main job (prom-client): one registry per process, served on a listener of its own
// (api/http/metrics.ts). Labels carry route patterns, queue names, message kinds and outcomes: never an id, a
// name or any other value a person typed. The Temporal worker's own metrics are the SDK runtime's, served by it
// on CLAIMFLOW_WORKER_METRICS_ADDRESS (app/mainJob.ts, worker/main.ts).
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** One queue's work at scrape time. */
export interface QueueSnapshot {
  queue: string;
  open: number;
  claimed: number;
  /** age in seconds of the queue's oldest OPEN task; null when none is open */
  oldestOpenAgeSeconds: number | null;
}

export type QueueSource = () => Promise<QueueSnapshot[]>;

export type InboundOutcome = 'accepted' | 'duplicate' | 'refused' | 'failed';

export interface Metrics {
  registry: Registry;
  /** API latency: method, route pattern (api/http/routes.ts), status class (2xx ...) */
  httpDuration: Histogram<'method' | 'route' | 'status_class'>;
  /** what clearinghouses and payers sent, by kind (acknowledgement, remittance, appeal-decision, x12-999 ...) and outcome */
  inboundMessages: Counter<'kind' | 'outcome'>;
  /** files of the SFTP mailbox handed to the X12 intake, by file kind and outcome (processed, failed) */
  mailboxFiles: Counter<'kind' | 'outcome'>;
}

export interface MetricsOptions {
  /** queue depth and oldest task, read at each scrape (from the database) */
  queues?: QueueSource;
  /** how long a scrape waits for `queues` before it answers without the queue gauges; default 2 s */
  queueTimeoutMs?: number;
  /** Node's own metrics (CPU, memory, event loop lag, GC, handles); default true */
  defaultMetrics?: boolean;
}

const QUEUE_TIMEOUT_MS = 2_000;
/** The queue metrics of one scrape share one reading. */
const SNAPSHOT_REUSE_MS = 1_000;

/** Seconds: fast reads at the bottom, X12 files and workflow calls with their timeouts at the top. */
const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export function createMetrics(o: MetricsOptions = {}): Metrics {
  const registry = new Registry();
  if (o.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });

  const httpDuration = new Histogram({
    name: 'claimflow_http_request_duration_seconds',
    help: 'API requests by method, route pattern and status class, until the response was sent',
    labelNames: ['method', 'route', 'status_class'] as const,
    buckets: HTTP_BUCKETS,
    registers: [registry],
  });
  const inboundMessages = new Counter({
    name: 'claimflow_inbound_messages_total',
    help: 'messages from clearinghouses and payers (JSON routes, and each X12 transaction set) by kind and what claimflow did with them',
    labelNames: ['kind', 'outcome'] as const,
    registers: [registry],
  });
  const mailboxFiles = new Counter({
    name: 'claimflow_mailbox_files_total',
    help: 'files of the SFTP mailbox the poller handed to the X12 intake, by file kind (999, 277CA, 835, ...) and outcome: processed, or failed (listed at GET /api/supervisor/mailbox-files)',
    labelNames: ['kind', 'outcome'] as const,
    registers: [registry],
  });
  if (o.queues) {
    const source = o.queues;
    const timeoutMs = o.queueTimeoutMs ?? QUEUE_TIMEOUT_MS;
    let last: { at: number; reading: Promise<QueueSnapshot[] | undefined> } | undefined;
    // A scrape collects every metric at once: each of these waits for the same reading, whose failure is
    // counted before any of them goes on, so the scrape that failed shows it.
    const reading = (): Promise<QueueSnapshot[] | undefined> => {
      if (last && Date.now() - last.at < SNAPSHOT_REUSE_MS) return last.reading;
      const p = withTimeout(source(), timeoutMs).catch(() => {
        collectFailures.inc({ source: 'queues' });
        return undefined;
      });
      last = { at: Date.now(), reading: p };
      return p;
    };
    const collectFailures = new Counter({
      name: 'claimflow_metrics_collect_failures_total',
      help: 'scrapes that answered without a reading because its source failed or was too slow (source: queues)',
      labelNames: ['source'] as const,
      registers: [registry],
      async collect() {
        await reading();
      },
    });
    new Gauge({
      name: 'claimflow_queue_tasks',
      help: 'tasks waiting in each work queue (status open) or being worked (status claimed), read from the database at scrape time',
      labelNames: ['queue', 'status'] as const,
      registers: [registry],
      async collect() {
        const queues = await reading();
        this.reset();
        for (const q of queues ?? []) {
          this.set({ queue: q.queue, status: 'open' }, q.open);
          this.set({ queue: q.queue, status: 'claimed' }, q.claimed);
        }
      },
    });
    new Gauge({
      name: 'claimflow_queue_oldest_open_task_age_seconds',
      help: "age of each work queue's oldest open task (0 when none is open), read from the database at scrape time",
      labelNames: ['queue'] as const,
      registers: [registry],
      async collect() {
        const queues = await reading();
        this.reset();
        for (const q of queues ?? []) this.set({ queue: q.queue }, q.oldestOpenAgeSeconds ?? 0);
      },
    });
  }
  return { registry, httpDuration, inboundMessages, mailboxFiles };
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/** `2xx` from 204. */
export const statusClass = (status: number): string => `${Math.floor(status / 100)}xx`;
