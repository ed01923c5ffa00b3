// Messages the payer sends back to claimflow (acknowledgements, remittances, appeal decisions): queued with
// a due time, POSTed in due order, retried with exponential backoff while claimflow is down or failing.
// One claim's messages never overtake each other, so a remittance never arrives before its acknowledgement.
import type { RemittanceMessage } from '../domain/clearinghouse';
import type { OutboundKind, OutboundMessage, SimulatorState } from './state';

export type DeliveryMode = 'scheduled' | 'manual';

export interface DeliveryResult {
  id: string;
  kind: OutboundKind;
  claimId: string;
  outcome: 'delivered' | 'failed' | 'dropped';
  httpStatus?: number;
  body: OutboundMessage['body'];
}

export interface DeliveryFilter {
  claimId?: string;
  kind?: OutboundKind;
  limit?: number;
}

/** Log fields are ids, codes and counts only: never a body, which may describe care. */
export type Logger = (event: string, fields?: Record<string, string | number | boolean | undefined>) => void;

export interface OutboxOptions {
  mode: DeliveryMode;
  inboundUrl?: string;
  now: () => number;
  log: Logger;
  save: () => Promise<void>;
  /** maps a real instant to the simulated calendar date */
  simulatedDate: (ms: number) => string;
  retryBaseMs?: number;
  retryCapMs?: number;
  requestTimeoutMs?: number;
}

const INBOUND_PATHS: Record<OutboundKind, string> = {
  acknowledgement: '/api/inbound/acknowledgements',
  remittance: '/api/inbound/remittances',
  'appeal-decision': '/api/inbound/appeal-decisions',
};

// The largest delay setTimeout accepts; longer waits re-arm when they fire.
const MAX_TIMER_MS = 2_147_483_647;

export class Outbox {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> = Promise.resolve();
  private started = false;
  private warnedNoUrl = false;

  constructor(
    private readonly state: SimulatorState,
    private readonly opts: OutboxOptions,
  ) {}

  enqueue(message: Omit<OutboundMessage, 'seq' | 'state' | 'deliveryAttempts' | 'nextAttemptAtMs'>): OutboundMessage {
    const queued: OutboundMessage = {
      ...message,
      seq: this.state.nextSeq++,
      state: 'queued',
      deliveryAttempts: 0,
      nextAttemptAtMs: message.dueAtMs,
    };
    this.state.outbox[queued.id] = queued;
    this.arm();
    return queued;
  }

  /** Queued messages in the order they will go out. */
  queued(filter: DeliveryFilter = {}): OutboundMessage[] {
    return Object.values(this.state.outbox)
      .filter((m) => m.state === 'queued' && (!filter.claimId || m.claimId === filter.claimId))
      .sort(byDueOrder);
  }

  /** What the payer sent (or was due to send) is final on its side, even if claimflow never accepted it. */
  isEffective(message: OutboundMessage | undefined, now: number): boolean {
    if (!message || message.state === 'cancelled') return false;
    return message.state !== 'queued' || message.dueAtMs <= now;
  }

  /** Scheduled mode: begin sending what is due, including what fell due while the simulator was down. */
  start(): void {
    this.started = true;
    this.arm();
  }

  async stop(): Promise<void> {
    this.started = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.running.catch(() => undefined);
  }

  /** Sends every queued message matching the filter now, whatever its due time (manual mode and tests). */
  deliverNow(filter: DeliveryFilter = {}): Promise<DeliveryResult[]> {
    return this.exclusive(() => this.deliver(filter, false));
  }

  arm(): void {
    if (!this.started || this.opts.mode !== 'scheduled') return;
    if (!this.opts.inboundUrl) {
      if (!this.warnedNoUrl) this.opts.log('delivery.disabled', { reason: 'CLAIMFLOW_INBOUND_URL not set' });
      this.warnedNoUrl = true;
      return;
    }
    const next = Math.min(...this.queued().map((m) => m.nextAttemptAtMs));
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (!Number.isFinite(next)) return;
    const wait = Math.min(MAX_TIMER_MS, Math.max(0, next - this.opts.now()));
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.exclusive(() => this.deliver({}, true)).finally(() => this.arm());
    }, wait);
    // A pending delivery must not keep a test process (or a stopping simulator) alive.
    this.timer.unref();
  }

  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.running.then(work, work);
    this.running = run.catch(() => undefined);
    return run;
  }

  private async deliver(filter: DeliveryFilter, onlyDue: boolean): Promise<DeliveryResult[]> {
    if (!this.opts.inboundUrl) return [];
    const results: DeliveryResult[] = [];
    const blocked = new Set<string>();
    for (const message of this.queued({ claimId: filter.claimId })) {
      if (filter.limit !== undefined && results.length >= filter.limit) break;
      if (blocked.has(message.claimId)) continue;
      const waiting = onlyDue && message.nextAttemptAtMs > this.opts.now();
      if (waiting || (filter.kind && message.kind !== filter.kind)) {
        // Later messages of this claim wait behind it.
        blocked.add(message.claimId);
        continue;
      }
      const result = await this.post(message);
      results.push(result);
      if (result.outcome === 'failed') blocked.add(message.claimId);
    }
    return results;
  }

  private async post(message: OutboundMessage): Promise<DeliveryResult> {
    const now = this.opts.now();
    if (message.kind === 'remittance' && !message.paymentDateFixed) {
      // Sent early (manual mode): the payment is dated the day it actually went out, never in the future.
      if (now < message.dueAtMs) (message.body as RemittanceMessage).paymentDate = this.opts.simulatedDate(now);
      message.paymentDateFixed = true;
    }
    message.deliveryAttempts += 1;
    const url = `${this.opts.inboundUrl!.replace(/\/+$/, '')}${INBOUND_PATHS[message.kind]}`;
    let status: number | undefined;
    let failure: string | undefined;
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': message.id },
        body: JSON.stringify(message.body),
        signal: AbortSignal.timeout(this.opts.requestTimeoutMs ?? 10_000),
      });
      status = response.status;
      await response.arrayBuffer().catch(() => undefined);
    } catch (err) {
      failure = err instanceof Error ? err.name : 'Error';
    }

    const fields = { id: message.id, kind: message.kind, claimId: message.claimId, status, attempt: message.deliveryAttempts };
    let outcome: DeliveryResult['outcome'];
    if (status !== undefined && status >= 200 && status < 300) {
      outcome = 'delivered';
      message.state = 'delivered';
      message.deliveredAtMs = this.opts.now();
      this.state.counters.deliveriesMade += 1;
      this.opts.log('delivery.delivered', fields);
    } else if (status !== undefined && status >= 400 && status < 500 && status !== 408 && status !== 429) {
      // claimflow refused the message itself: resending the same body cannot help.
      outcome = 'dropped';
      message.state = 'dropped';
      message.lastHttpStatus = status;
      this.state.counters.deliveriesDropped += 1;
      this.opts.log('delivery.dropped', fields);
    } else {
      outcome = 'failed';
      message.lastHttpStatus = status;
      const base = this.opts.retryBaseMs ?? 500;
      const cap = this.opts.retryCapMs ?? 30_000;
      message.nextAttemptAtMs = this.opts.now() + Math.min(cap, base * 2 ** Math.min(30, message.deliveryAttempts - 1));
      this.state.counters.deliveryAttemptsFailed += 1;
      this.opts.log('delivery.retrying', { ...fields, error: failure, retryInMs: message.nextAttemptAtMs - this.opts.now() });
    }
    await this.opts.save();
    return { id: message.id, kind: message.kind, claimId: message.claimId, outcome, httpStatus: status, body: message.body };
  }
}

const byDueOrder = (a: OutboundMessage, b: OutboundMessage) => a.dueAtMs - b.dueAtMs || a.seq - b.seq;
