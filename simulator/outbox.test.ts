// The scheduled outbox under load: how often it scans its messages, not only what it sends. The 10,000-claim
// benchmark found it queueing one delivery pass per message enqueued while others were due, and spinning on a
// message held behind another's retry.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Outbox } from './outbox';
import { emptyState, type OutboundBody } from './state';
import { eventually, INBOUND_TOKEN, quiet, startReceiver, type Receiver } from './testSupport';

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function scheduledOutbox(retryMs: number): Promise<{ outbox: Outbox; receiver: Receiver }> {
  const receiver = await startReceiver();
  const outbox = new Outbox(emptyState(1, Date.now()), {
    mode: 'scheduled',
    format: 'json',
    inboundUrl: receiver.url,
    inboundToken: INBOUND_TOKEN,
    now: Date.now,
    log: quiet,
    save: async () => undefined,
    simulatedDate: () => '2026-12-03',
    retryBaseMs: retryMs,
    retryCapMs: retryMs,
  });
  outbox.start();
  cleanup.push(
    () => receiver.close(),
    () => outbox.stop(),
  );
  return { outbox, receiver };
}

const ack = (claimId: string, n: number, dueAtMs = Date.now()) => ({
  id: `ack-${claimId}-${n}`,
  kind: 'acknowledgement' as const,
  claimId,
  dueAtMs,
  body: { ackId: `ack-${claimId}-${n}`, claimId } as unknown as OutboundBody,
});

describe('scheduled delivery under load', () => {
  it('sends 2,000 messages enqueued while earlier ones are due once each, in a few passes over the outbox', async () => {
    const { outbox, receiver } = await scheduledOutbox(50);
    const scans = vi.spyOn(outbox, 'queued');
    for (let batch = 0; batch < 20; batch++) {
      for (let i = 0; i < 100; i++) outbox.enqueue(ack(`CLM-${batch}-${i}`, 1));
      await new Promise((r) => setTimeout(r, 5));
    }
    await eventually(() => receiver.received.length === 2_000, 30_000);
    await new Promise((r) => setTimeout(r, 100));
    expect(new Set(receiver.received.map((m) => m.idempotencyKey)).size).toBe(2_000);
    expect(receiver.received).toHaveLength(2_000);
    // Before the fix: at least one scan per message enqueued (2,000+), and as many passes queued behind each other.
    expect(scans.mock.calls.length).toBeLessThan(200);
  });

  it("waits for a retry quietly: a message behind its claim's failed one does not fire the timer again and again", async () => {
    const { outbox, receiver } = await scheduledOutbox(400);
    receiver.answerNext(503);
    outbox.enqueue(ack('CLM-A', 1));
    await eventually(() => outbox.queued()[0]?.deliveryAttempts === 1);
    const scans = vi.spyOn(outbox, 'queued');
    outbox.enqueue(ack('CLM-A', 2)); // due now, but must follow ack 1, which retries in 400 ms
    await eventually(() => receiver.received.length === 2, 5_000);
    expect(receiver.received.map((m) => m.idempotencyKey)).toEqual(['ack-CLM-A-1', 'ack-CLM-A-2']);
    // Before the fix: a pass every event-loop turn for those 400 ms, each scanning the outbox twice.
    expect(scans.mock.calls.length).toBeLessThan(10);
  });
});
