import { describe, expect, it } from 'vitest';
import { createMetrics, statusClass, type QueueSnapshot } from './metrics';

const SNAPSHOT: QueueSnapshot[] = [
  { queue: 'CODER', open: 3, claimed: 1, oldestOpenAgeSeconds: 7_200 },
  { queue: 'BILLER', open: 0, claimed: 0, oldestOpenAgeSeconds: null },
];

describe('the metrics registry', () => {
  it('reads the queues once per scrape, at scrape time', async () => {
    let reads = 0;
    const m = createMetrics({
      defaultMetrics: false,
      queues: async () => {
        reads++;
        return SNAPSHOT;
      },
    });
    const text = await m.registry.metrics();
    expect(reads).toBe(1);
    expect(text).toContain('claimflow_queue_tasks{queue="CODER",status="open"} 3');
    expect(text).toContain('claimflow_queue_tasks{queue="CODER",status="claimed"} 1');
    expect(text).toContain('claimflow_queue_tasks{queue="BILLER",status="open"} 0');
    expect(text).toContain('claimflow_queue_oldest_open_task_age_seconds{queue="CODER"} 7200');
    expect(text).toContain('claimflow_queue_oldest_open_task_age_seconds{queue="BILLER"} 0');
  });

  it('answers a scrape without the queue gauges, and counts the failure, when the database is slow or down', async () => {
    const m = createMetrics({ defaultMetrics: false, queueTimeoutMs: 100, queues: () => new Promise<QueueSnapshot[]>(() => {}) });
    m.inboundMessages.inc({ kind: 'acknowledgement', outcome: 'accepted' });
    const started = Date.now();
    const text = await m.registry.metrics();
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(text).not.toMatch(/^claimflow_queue_tasks\{/m);
    expect(text).toContain('claimflow_metrics_collect_failures_total{source="queues"} 1');
    expect(text).toContain('claimflow_inbound_messages_total{kind="acknowledgement",outcome="accepted"} 1');

    const failing = createMetrics({ defaultMetrics: false, queues: () => Promise.reject(new Error('connection refused')) });
    expect(await failing.registry.metrics()).toContain('claimflow_metrics_collect_failures_total{source="queues"} 1');
  });

  it("includes Node's own metrics unless told not to", async () => {
    expect(await createMetrics().registry.metrics()).toMatch(/^process_cpu_user_seconds_total /m);
    expect(await createMetrics({ defaultMetrics: false }).registry.metrics()).not.toContain('process_cpu');
  });

  it('names status classes', () => {
    expect([200, 204, 302, 404, 499, 503].map(statusClass)).toEqual(['2xx', '2xx', '3xx', '4xx', '4xx', '5xx']);
  });
});
