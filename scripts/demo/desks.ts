// The demo's people: a coder, a biller and a supervisor, each polling their queue through the real API and
// completing tasks with the outcome a sensible person would pick. The workflow decides whether it accepts it.
import { mapLimit, sleep } from '../../infra/process';
import { TASK_KINDS, type TaskKind, type TaskOutcome, type TaskQueueName } from '../../workflows/contract';
import { errorText, type DemoApi } from './api';

interface TaskRow {
  id: string;
  claimId: string;
  kind: TaskKind;
  queue: TaskQueueName;
  context: any;
}

/** What one desk did, and what the workflows refused. */
export interface DeskStats {
  completed: Partial<Record<TaskKind, number>>;
  /** 409 because the task was already closed (cancelled by the workflow, or done meanwhile): normal */
  stale: number;
  /** 409 because the workflow's validator refused the outcome */
  refused: number;
  /** a second choice after repeated refusals (e.g. write off when an appeal is no longer allowed) */
  fallbacks: number;
  /** transport errors and 5xx answers, retried */
  errors: number;
  lastError?: string;
  /** completion requests and their total round-trip time, for the average */
  requests: number;
  requestMs: number;
  /** time spent reading claims to decide */
  reads: number;
  readMs: number;
}

/** Shared by the desks: per-claim counters (so a loop ends) and the payers' appeal levels. */
export class DeskMemory {
  readonly perClaim = new Map<string, { scrubFixes: number; rejections: number; corrections: number }>();
  constructor(readonly appealLevels: Map<string, number>) {}
  claim(id: string) {
    let m = this.perClaim.get(id);
    if (!m) this.perClaim.set(id, (m = { scrubFixes: 0, rejections: 0, corrections: 0 }));
    return m;
  }
}

/** The desks work both demo practices' queues: coder-2 and biller-2 are assigned to both. */
export const DESK_USERS: Record<TaskQueueName, string> = { CODER: 'coder-2', BILLER: 'biller-2', SUPERVISOR: 'supervisor-1' };

const ICD = /^[A-TV-Z][0-9][0-9A-Z](\.?[0-9A-Z]{1,4})?$/;

export class Desk {
  readonly stats: DeskStats = {
    completed: {},
    stale: 0,
    refused: 0,
    fallbacks: 0,
    errors: 0,
    requests: 0,
    requestMs: 0,
    reads: 0,
    readMs: 0,
  };
  private readonly handled = new Set<string>();
  private readonly refusals = new Map<string, number>();
  private readonly retryAt = new Map<string, number>();
  private stopped = false;
  private loop?: Promise<void>;
  readonly userId: string;

  constructor(
    private readonly api: DemoApi,
    readonly queue: TaskQueueName,
    private readonly memory: DeskMemory,
    private readonly o: { concurrency: number; pollMs: number; pageSize: number },
  ) {
    this.userId = DESK_USERS[queue];
  }

  start(): void {
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      let tasks: TaskRow[] = [];
      try {
        const r = await this.api.get<{ items: TaskRow[] }>(`/api/queues/${this.queue}/tasks?limit=${this.o.pageSize}`, this.userId);
        if (r.status === 200) {
          const now = Date.now();
          tasks = r.body.items.filter((t) => !this.handled.has(t.id) && (this.retryAt.get(t.id) ?? 0) <= now);
        } else this.error(errorText(r));
      } catch (err) {
        if (this.stopped) break;
        this.error((err as Error).message);
      }
      if (tasks.length) await mapLimit(tasks, this.o.concurrency, (t) => (this.stopped ? Promise.resolve() : this.work(t)));
      else await sleep(this.o.pollMs);
    }
  }

  private error(message: string): void {
    this.stats.errors++;
    this.stats.lastError = message;
  }

  private async work(task: TaskRow): Promise<void> {
    try {
      const refusedBefore = this.refusals.get(task.id) ?? 0;
      let outcome = await this.decide(task);
      if (refusedBefore >= 2) {
        const fallback = fallbackOutcome(task.kind);
        if (fallback) {
          outcome = fallback;
          this.stats.fallbacks++;
        }
      }
      const started = Date.now();
      const r = await this.api.post(`/api/tasks/${task.id}/complete`, this.userId, { outcome });
      this.stats.requests++;
      this.stats.requestMs += Date.now() - started;
      if (r.status === 200) {
        this.handled.add(task.id);
        this.stats.completed[task.kind] = (this.stats.completed[task.kind] ?? 0) + 1;
        return;
      }
      const code: string | undefined = r.body?.error?.code;
      const message: string = r.body?.error?.message ?? '';
      if (r.status === 409 || r.status === 404) {
        if (code === 'TASK_COMPLETION_REJECTED' && !/is not open|already completed/.test(message)) {
          // The workflow refused this outcome; a different one comes after two refusals.
          this.stats.refused++;
          this.stats.lastError = `${task.kind}: ${message}`;
          this.refusals.set(task.id, refusedBefore + 1);
          this.retryAt.set(task.id, Date.now() + 500);
        } else {
          this.stats.stale++;
          this.handled.add(task.id);
        }
        return;
      }
      this.error(`${task.kind}: ${errorText(r)}`);
      this.retryAt.set(task.id, Date.now() + 1_000);
    } catch (err) {
      if (this.stopped) return;
      this.error(`${task.kind}: ${(err as Error).message}`);
      this.retryAt.set(task.id, Date.now() + 1_000);
    }
  }

  private async claim(claimId: string): Promise<any> {
    const started = Date.now();
    const r = await this.api.get(`/api/claims/${claimId}`, this.userId);
    this.stats.reads++;
    this.stats.readMs += Date.now() - started;
    if (r.status !== 200) throw new Error(`GET claim ${claimId}: ${errorText(r)}`);
    return r.body;
  }

  /** The outcome a person at this desk picks for the task. */
  private async decide(task: TaskRow): Promise<TaskOutcome> {
    const ctx = task.context ?? {};
    const memo = this.memory.claim(task.claimId);
    switch (task.kind) {
      case 'CODE_REVIEW': {
        const claim = await this.claim(task.claimId);
        return { action: 'CONFIRM_CODES', diagnoses: currentOrSuggested(claim, ctx.suggestions) };
      }
      case 'SCRUB_FIX_CODING':
      case 'SCRUB_FIX_BILLING': {
        memo.scrubFixes++;
        if (memo.scrubFixes > 3) return { action: 'VOID', note: 'Edits keep failing after three fixes; voiding for manual rework.' };
        const dxFailures: { editId: string; field?: string }[] = (ctx.failures ?? []).filter((f: any) =>
          String(f.editId).startsWith('DX-'),
        );
        if (dxFailures.length === 0) return { action: 'FIXED', note: 'Corrected per the scrubber edits.' };
        const claim = await this.claim(task.claimId);
        return { action: 'FIXED', diagnoses: fixDiagnoses(claim, dxFailures), note: 'Diagnoses recoded to billable codes.' };
      }
      case 'FIX_REJECTION':
        memo.rejections++;
        if (memo.rejections > 3) return { action: 'VOID', note: 'Rejected again after three corrections; voiding.' };
        return { action: 'RESUBMIT', note: 'Subscriber details verified with the payer portal; resubmitting.' };
      case 'ELIGIBILITY':
        // The demo's terminated coverage stays terminated: the visit is billed to the patient, not the payer.
        return { action: 'VOID', note: 'Coverage ended before the visit; billing the patient directly.' };
      case 'FOLLOW_UP':
        return { action: 'KEEP_WAITING', note: 'Payer confirms the claim is in process.' };
      case 'CHART_AUDIT': {
        memo.corrections++;
        if (memo.corrections > 2) return { action: 'WRITE_OFF', note: 'Coding denial persists after two corrected claims.' };
        const claim = await this.claim(task.claimId);
        return {
          action: 'CORRECTED_CLAIM',
          diagnoses: currentOrSuggested(claim, suggestionsOf(claim)),
          note: 'Chart audited: codes match the documentation; sending a corrected claim.',
        };
      }
      case 'DENIAL_REVIEW': {
        const claim = await this.claim(task.claimId);
        const levels = this.memory.appealLevels.get(claim.payerId) ?? 1;
        if ((ctx.appealLevel ?? 0) >= levels) return { action: 'WRITE_OFF', note: 'All appeal levels of this payer are used up.' };
        return { action: 'APPEAL', note: 'Documentation supports medical necessity; appealing with the visit note.' };
      }
      case 'APPEAL_UPHELD_REVIEW':
        if ((ctx.levelsLeft ?? 0) > 0 && ctx.appealWindowOpen !== false)
          return { action: 'APPEAL', note: 'Escalating to the next appeal level with additional records.' };
        return { action: 'WRITE_OFF', note: 'Appeal upheld at the last level; writing off.' };
      case 'APPEAL_DECISION_OVERDUE':
        return { action: 'KEEP_WAITING', note: 'Payer confirms the appeal is under review.' };
      case 'WRITE_OFF_APPROVAL':
        return { action: 'APPROVE', note: 'Reviewed the denial and appeal history; write-off approved.' };
      case 'FOLLOW_UP_ESCALATION':
        return { action: 'KEEP_WAITING', note: 'Payer escalation contact engaged; keep waiting.' };
      case 'OVERDUE_TASK':
      case 'TIMELY_FILING_RISK':
        return { action: 'ACKNOWLEDGE', note: 'Seen.' };
      case 'POSTING_EXCEPTION':
        return { action: 'RESOLVED_NO_ACTION', note: 'Not ours; refund requested.' };
      case 'UNDERPAYMENT':
        return { action: 'ACCEPT', note: 'Checked against the contract; accepting the payment.' };
    }
  }
}

/** When the first choice was refused twice: leave the claim's money question to a write-off or a void. */
function fallbackOutcome(kind: TaskKind): TaskOutcome | undefined {
  const actions: readonly string[] = TASK_KINDS[kind].actions;
  if (actions.includes('WRITE_OFF')) return { action: 'WRITE_OFF', note: 'The payer would not take the first choice; writing off.' };
  if (actions.includes('VOID')) return { action: 'VOID', note: 'Cannot be fixed as is; voiding.' };
  return undefined;
}

function suggestionsOf(claim: any): { code: string }[] {
  const review = (claim.tasks ?? []).find((t: any) => t.kind === 'CODE_REVIEW');
  return review?.context?.suggestions ?? [];
}

function maxPointer(claim: any): number {
  return Math.max(1, ...(claim.lines ?? []).flatMap((l: any) => l.diagnosisPointers ?? []));
}

/** The claim's diagnoses as they stand; the top suggestions (enough for every line's pointers) if it has none. */
function currentOrSuggested(claim: any, suggestions: { code: string }[] | undefined): string[] {
  const current: string[] = (claim.diagnoses ?? []).map((d: any) => d.code).filter((c: string) => ICD.test(c));
  if (current.length) return current.slice(0, 12);
  const need = maxPointer(claim);
  const codes = (suggestions ?? []).map((s) => s.code).filter((c) => ICD.test(c));
  const picked = codes.slice(0, need);
  while (picked.length < need) picked.push(picked[0] ?? 'R69');
  return picked;
}

/** Replaces each diagnosis a DX edit flagged with a suggestion not already on the claim, keeping positions (pointers). */
function fixDiagnoses(claim: any, failures: { editId: string; field?: string }[]): string[] {
  const current: string[] = (claim.diagnoses ?? []).map((d: any) => d.code);
  const suggestions = suggestionsOf(claim)
    .map((s) => s.code)
    .filter((c) => ICD.test(c));
  if (current.length === 0 || failures.some((f) => f.editId === 'DX-001'))
    return currentOrSuggested({ ...claim, diagnoses: [] }, suggestionsOf(claim));
  const bad = new Set<number>();
  for (const f of failures) {
    const m = /diagnoses\[(\d+)\]/.exec(f.field ?? '');
    if (m) bad.add(Number(m[1]));
  }
  const fixed = [...current];
  const unused = suggestions.filter((c) => !current.includes(c));
  for (const i of bad) fixed[i] = unused.shift() ?? fixed[i];
  return fixed;
}
