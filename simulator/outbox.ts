// Messages the payer sends back to claimflow (acknowledgements, remittances, appeal decisions): queued with
// a due time, POSTed in due order, retried with exponential backoff while claimflow is down or failing.
// One claim's messages never overtake each other, so a remittance never arrives before its acknowledgement.
import type { AcknowledgementMessage, RemittanceMessage } from '../domain/clearinghouse';
import type { OutboundKind, OutboundMessage, SimulatorState, SubmissionRecord } from './state';
import { render277CA, render835, render999 } from './x12';

/** x12: acknowledgements and remittances go out as 999/277CA/835 files; json: the JSON contract. */
export type OutboundFormat = 'x12' | 'json';

/** Where X12 files are posted on claimflow's side. */
export const X12_INBOUND_PATH = '/api/inbound/x12';

export type DeliveryMode = 'scheduled' | 'manual';

export interface DeliveryResult {
  id: string;
  kind: OutboundKind;
  claimId: string;
  outcome: 'delivered' | 'failed' | 'dropped';
  httpStatus?: number;
  body: OutboundMessage['body'];
  /** X12 delivery: the files posted, in order (a 999 before its first 277CA) */
  x12?: string[];
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
  /** default x12 */
  format?: OutboundFormat;
  inboundUrl?: string;
  /** claimflow's credential for its inbound routes (a CLEARINGHOUSE sender's token) */
  inboundToken?: string;
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
  /** when the armed timer fires; Infinity when none is armed */
  private timerAtMs = Infinity;
  /** a scheduled delivery pass is queued or running; it re-arms when it ends */
  private passing = false;
  private running: Promise<unknown> = Promise.resolve();
  private started = false;
  private warnedNoUrl = false;

  constructor(
    private readonly state: SimulatorState,
    private readonly opts: OutboxOptions,
  ) {}

  enqueue(message: Omit<OutboundMessage, 'seq' | 'state' | 'deliveryAttempts' | 'nextAttemptAtMs'>): OutboundMessage {
    const x12Isa = message.kind === 'appeal-decision' || message.only999 ? undefined : this.nextIsa();
    const queued: OutboundMessage = {
      ...message,
      ...(x12Isa !== undefined ? { x12Isa } : {}),
      seq: this.state.nextSeq++,
      state: 'queued',
      deliveryAttempts: 0,
      nextAttemptAtMs: message.dueAtMs,
    };
    this.state.outbox[queued.id] = queued;
    // Re-arming scans the whole outbox: only needed when this message is due before the armed timer.
    if (queued.nextAttemptAtMs < this.timerAtMs) this.arm();
    return queued;
  }

  /** ISA13 for the next file the simulator sends; 1..999999999, then wraps to 1. */
  nextIsa(): number {
    const next = (this.state.lastIsa ?? 0) >= 999_999_999 ? 1 : (this.state.lastIsa ?? 0) + 1;
    this.state.lastIsa = next;
    return next;
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
    this.timerAtMs = Infinity;
    await this.running.catch(() => undefined);
  }

  /** Sends every queued message matching the filter now, whatever its due time (manual mode and tests). */
  deliverNow(filter: DeliveryFilter = {}): Promise<DeliveryResult[]> {
    return this.exclusive(() => this.deliver(filter, false));
  }

  arm(): void {
    if (!this.started || this.opts.mode !== 'scheduled') return;
    // One scheduled pass at a time. Arming while one is queued or running would queue another behind it, and
    // under load those piled up (one per message enqueued while others were due), each scanning the outbox
    // twice: the 10,000-claim benchmark was held 12 minutes after its last claim, draining them.
    if (this.passing) return;
    if (!this.opts.inboundUrl) {
      if (!this.warnedNoUrl) this.opts.log('delivery.disabled', { reason: 'CLAIMFLOW_INBOUND_URL not set' });
      this.warnedNoUrl = true;
      return;
    }
    const next = this.nextAttemptAtMs();
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAtMs = Infinity;
    if (!Number.isFinite(next)) return;
    const wait = Math.min(MAX_TIMER_MS, Math.max(0, next - this.opts.now()));
    this.timerAtMs = this.opts.now() + wait;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.timerAtMs = Infinity;
      this.passing = true;
      void this.exclusive(() => this.deliver({}, true)).finally(() => {
        this.passing = false;
        this.arm();
      });
    }, wait);
    // A pending delivery must not keep a test process (or a stopping simulator) alive.
    this.timer.unref();
  }

  /**
   * When the next message can go: the earliest retry time among the first queued message of each claim, since
   * later ones wait behind it. (The earliest of all would be a message stuck behind a retry, and a timer for it
   * would fire, send nothing and fire again until that retry came up.)
   */
  private nextAttemptAtMs(): number {
    const heads = new Set<string>();
    let next = Infinity;
    for (const m of this.queued()) {
      if (heads.has(m.claimId)) continue;
      heads.add(m.claimId);
      next = Math.min(next, m.nextAttemptAtMs);
    }
    return next;
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
    let status: number | undefined;
    let failure: string | undefined;
    let x12: string[] | undefined;
    const format = this.opts.format ?? 'x12';
    if (format === 'x12' && message.kind !== 'appeal-decision') {
      x12 = [];
      const sent = await this.postX12(message, x12);
      status = sent.status;
      failure = sent.failure;
    } else {
      const sent = await this.send(INBOUND_PATHS[message.kind], 'application/json', JSON.stringify(message.body), message.id);
      status = sent.status;
      failure = sent.failure;
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
    return {
      id: message.id,
      kind: message.kind,
      claimId: message.claimId,
      outcome,
      httpStatus: status,
      body: message.body,
      ...(x12 ? { x12 } : {}),
    };
  }

  private async send(path: string, contentType: string, body: string, key: string): Promise<{ status?: number; failure?: string }> {
    const url = `${this.opts.inboundUrl!.replace(/\/+$/, '')}${path}`;
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': contentType,
          'idempotency-key': key,
          ...(this.opts.inboundToken ? { authorization: `Bearer ${this.opts.inboundToken}` } : {}),
        },
        body,
        signal: AbortSignal.timeout(this.opts.requestTimeoutMs ?? 10_000),
      });
      await response.arrayBuffer().catch(() => undefined);
      return { status: response.status };
    } catch (err) {
      return { failure: err instanceof Error ? err.name : 'Error' };
    }
  }

  /**
   * An acknowledgement is its file's 999 (the first time one of the file's messages goes out) and then the
   * claim's 277CA; a remittance is an 835. A failed 999 fails the message; a delivered one is not resent.
   */
  private async postX12(message: OutboundMessage, files: string[]): Promise<{ status?: number; failure?: string }> {
    const today = this.opts.simulatedDate(this.opts.now());
    const file = message.x12File ? this.state.x12Files?.[message.x12File] : undefined;
    if (message.kind === 'acknowledgement' && file && !file.delivered999) {
      file.text999 ??= render999(file, file.isa999, today);
      files.push(file.text999);
      const sent = await this.send(X12_INBOUND_PATH, 'application/edi-x12', file.text999, `${message.id}:999`);
      if (sent.status === undefined || sent.status < 200 || sent.status >= 300) return sent;
      file.delivered999 = true;
    }
    if (message.only999) return { status: 202 };
    const submission: SubmissionRecord | undefined = message.submissionKey ? this.state.submissions[message.submissionKey] : undefined;
    const isa = (message.x12Isa ??= this.nextIsa());
    if (message.kind === 'acknowledgement') {
      const ack = message.body as AcknowledgementMessage;
      message.x12Text ??= render277CA(
        ack,
        {
          payerElectronicId: this.state.claims[message.claimId]?.payerElectronicId ?? 'UNKNOWN',
          chargeCents: (submission?.lines ?? []).reduce((sum, l) => sum + l.chargeCents, 0),
          provider: submission?.billingProvider,
          reference: submission?.interchangeRef ?? message.id.slice(0, 30),
          receiverId: submission?.senderId ?? 'CLAIMFLOW',
          ...(submission?.x12Claim ? { claim: submission.x12Claim } : {}),
          ...(submission?.dateOfService ? { dateOfService: submission.dateOfService } : {}),
        },
        isa,
        today,
      );
    } else {
      message.x12Text ??= render835(
        message.body as RemittanceMessage,
        {
          provider: submission?.billingProvider,
          receiverId: submission?.senderId ?? 'CLAIMFLOW',
          ...(submission?.x12Claim ? { claim: submission.x12Claim } : {}),
          ...(submission?.dateOfService ? { dateOfService: submission.dateOfService } : {}),
          ...(submission ? { receivedDate: this.opts.simulatedDate(submission.receivedAtMs) } : {}),
        },
        isa,
      );
    }
    files.push(message.x12Text);
    return this.send(X12_INBOUND_PATH, 'application/edi-x12', message.x12Text, message.id);
  }
}

const byDueOrder = (a: OutboundMessage, b: OutboundMessage) => a.dueAtMs - b.dueAtMs || a.seq - b.seq;
