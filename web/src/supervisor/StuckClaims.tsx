// Claims that need a supervisor, each with every reason it is listed: too long in a state, a workflow step
// Temporal keeps retrying (with a retry button), an overdue task (tickable for reassignment), or the payer's
// timely-filing limit coming up. A claim's other open tasks load on demand.
import { useState } from 'react';
import { api } from '../api';
import { Link } from '../router';
import { usePoll } from '../usePoll';
import { loadPayers } from '../reference';
import { dateTime, kindLabel, kindWords, plural, queueName, span, stateLabel } from './format';
import { loadFailure, retryRefusal } from './plainWords';
import type { Selection } from './selection';
import type { ClaimDetail, RetryAnswer, StuckClaim, StuckClaims, StuckReason, TaskView } from './types';
import { money } from '../format';

const REASON_TITLE: Record<StuckReason['code'], string> = {
  STATE_TOO_LONG: 'Too long in state',
  ACTIVITY_FAILING: 'Failing step',
  TASK_OVERDUE: 'Overdue task',
  TIMELY_FILING: 'Timely filing',
};

export function StuckClaimsPanel({
  data,
  error,
  selection,
  version,
  onChanged,
}: {
  data: StuckClaims | undefined;
  error: Error | undefined;
  selection: Selection;
  /** bumped after a change made here, so that loaded task lists load again at once */
  version: number;
  onChanged(): void;
}) {
  const failure = loadFailure('stuck claims', error);
  const payers = usePoll(loadPayers, [], 0);
  const payerName = (id: string) => payers.data?.get(id)?.name ?? id;
  return (
    <section className="sv-panel" aria-labelledby="sv-stuck-h">
      <header className="sv-panel-head">
        <h2 id="sv-stuck-h">Stuck claims</h2>
        {data && (
          <span className="sv-muted" data-testid="stuck-total">
            {plural(data.total, 'claim')} listed{data.total > data.items.length ? `, the ${data.items.length} longest-standing shown` : ''}
          </span>
        )}
      </header>
      {failure && (
        <p className="sv-error" role="alert">
          {failure}
        </p>
      )}
      {data && <ScanNotes data={data} />}
      {data && data.items.length === 0 && (
        <p className="sv-empty">No claim is stuck: every claim is within its state's limit, no step is failing and no task is overdue.</p>
      )}
      {data && data.items.length > 0 && (
        <table className="sv-table sv-stuck">
          <thead>
            <tr>
              <th scope="col">Claim</th>
              <th scope="col">State</th>
              <th scope="col">Payer</th>
              <th scope="col" className="sv-num">
                Balance
              </th>
              <th scope="col">Why it is listed</th>
              <th scope="col">Tasks</th>
            </tr>
          </thead>
          <tbody>
            {data.items.map((c) => (
              <StuckRow
                key={c.claimId}
                claim={c}
                scan={data}
                payerName={payerName(c.payerId)}
                selection={selection}
                version={version}
                onChanged={onChanged}
              />
            ))}
          </tbody>
        </table>
      )}
      {!data && !failure && <p className="sv-muted">Loading stuck claims…</p>}
    </section>
  );
}

function ScanNotes({ data }: { data: StuckClaims }) {
  const notes: string[] = [];
  if (data.dayMs !== 86_400_000)
    notes.push(`A lifecycle day lasts ${data.dayMs / 1000} s on this system; the days below are lifecycle days.`);
  if (data.truncated) notes.push('There were more rows than one scan reads: some stuck claims may be missing.');
  if (data.temporal.visibility === 'unavailable')
    notes.push("Temporal's workflow list was unavailable: only the claims table was checked for time in state.");
  const d = data.temporal.describe;
  if (d.failed > 0 || d.skipped > 0)
    notes.push(`Failing steps: ${d.described} of ${d.candidates} workflows checked (${d.skipped} skipped, ${d.failed} could not be read).`);
  if (notes.length === 0) return null;
  return (
    <ul className="sv-notes">
      {notes.map((n) => (
        <li key={n}>{n}</li>
      ))}
    </ul>
  );
}

interface RowProps {
  claim: StuckClaim;
  /** the answer the claim came in: its clock (asOf) and the length of a lifecycle day */
  scan: Pick<StuckClaims, 'asOf' | 'dayMs'>;
  payerName: string;
  selection: Selection;
  version: number;
  onChanged(): void;
}

function StuckRow({ claim, scan, payerName, selection, version, onChanged }: RowProps) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <tr data-claim={claim.claimId}>
        <td>
          <Link to={`/claims/${encodeURIComponent(claim.claimId)}`} className="sv-claim-link">
            {claim.claimId}
          </Link>
          <div className="sv-muted sv-small">stuck since {dateTime(claim.since)}</div>
        </td>
        <td>
          <span className="sv-state">{stateLabel(claim.state)}</span>
        </td>
        <td title={claim.payerId}>{payerName}</td>
        <td className="sv-num">{money(claim.balanceCents)}</td>
        <td>
          <ul className="sv-reasons">
            {claim.reasons.map((r, i) => (
              <li key={`${r.code}-${i}`} className={`sv-reason sv-reason-${r.code.toLowerCase()}`}>
                <span className="sv-badge">{REASON_TITLE[r.code]}</span> <ReasonText reason={r} scan={scan} />
                {r.code === 'TASK_OVERDUE' && (
                  <label className="sv-pick">
                    <input
                      type="checkbox"
                      checked={selection.has(r.taskId)}
                      onChange={(e) =>
                        selection.toggle(
                          { id: r.taskId, kind: r.kind, queue: r.queue, claimId: claim.claimId, assigneeId: r.assigneeId },
                          e.target.checked,
                        )
                      }
                    />{' '}
                    select this {kindWords(r.kind)} task to reassign
                  </label>
                )}
                {r.code === 'ACTIVITY_FAILING' && <RetryButton claimId={claim.claimId} activityId={r.activityId} onDone={onChanged} />}
              </li>
            ))}
          </ul>
        </td>
        <td className="sv-nowrap">
          <button type="button" className="sv-link-button" aria-expanded={open} onClick={() => setOpen(!open)}>
            {open ? 'Hide open tasks' : 'Open tasks…'}
          </button>
        </td>
      </tr>
      {open && (
        <tr className="sv-subrow">
          <td colSpan={6}>
            <ClaimOpenTasks claimId={claim.claimId} selection={selection} version={version} />
          </td>
        </tr>
      )}
    </>
  );
}

function ReasonText({ reason: r, scan }: { reason: StuckReason; scan: Pick<StuckClaims, 'asOf' | 'dayMs'> }) {
  const now = Date.parse(scan.asOf);
  switch (r.code) {
    case 'STATE_TOO_LONG':
      return (
        <span>
          in {stateLabel(r.state).toLowerCase()} for {span(now - Date.parse(r.stateEnteredAt), scan.dayMs)}; the limit is{' '}
          {span(r.thresholdDays * scan.dayMs, scan.dayMs)}
          {r.sources.length === 1 && r.sources[0] === 'workflow' ? ' (as the workflow reports it; the claims table differs)' : ''}.
        </span>
      );
    case 'ACTIVITY_FAILING':
      return (
        <span>
          <code>{r.activityType}</code> keeps failing: attempt {r.attempt}
          {r.lastFailure ? <>, last failure “{r.lastFailure}”</> : null}
          {r.lastAttemptAt ? <> at {dateTime(r.lastAttemptAt)}</> : null}
          {r.nextAttemptAt ? <>; next attempt {dateTime(r.nextAttemptAt)}</> : null}.
        </span>
      );
    case 'TASK_OVERDUE':
      return (
        <span>
          <Link to={`/tasks/${encodeURIComponent(r.taskId)}`}>{kindWords(r.kind)}</Link> in the {queueName(r.queue).toLowerCase()} queue,{' '}
          {r.assigneeId ? (
            <>
              claimed by <strong>{r.assigneeId}</strong>
            </>
          ) : (
            'not taken by anyone'
          )}
          , {span(now - Date.parse(r.dueAt), scan.dayMs)} past due (due {dateTime(r.dueAt)}).
        </span>
      );
    case 'TIMELY_FILING':
      return (
        <span>
          {r.daysLeft < 0
            ? `the payer's ${r.timelyFilingDays}-day limit passed ${span(now - Date.parse(r.deadline), scan.dayMs)} ago`
            : `${span(Date.parse(r.deadline) - now, scan.dayMs)} left of the payer's ${r.timelyFilingDays}-day limit`}{' '}
          (service {r.dateOfService}, deadline {dateTime(r.deadline)}), not yet accepted by the payer.
        </span>
      );
  }
}

function RetryButton({ claimId, activityId, onDone }: { claimId: string; activityId: string; onDone(): void }) {
  const [state, setState] = useState<{ busy: boolean; answer?: string; failed?: boolean }>({ busy: false });
  const retry = async () => {
    setState({ busy: true });
    try {
      const res = await api<RetryAnswer>(`/api/supervisor/claims/${encodeURIComponent(claimId)}/retry`, {
        method: 'POST',
        body: { activityId },
      });
      const what = res.reset.map((r) => `${r.activityType} (was on attempt ${r.previousAttempt})`).join(', ');
      setState({ busy: false, answer: `Retried ${what}. ${res.message}.` });
      onDone();
    } catch (err) {
      setState({ busy: false, answer: retryRefusal(err), failed: true });
    }
  };
  return (
    <div className="sv-retry">
      <button type="button" onClick={retry} disabled={state.busy}>
        {state.busy ? 'Retrying…' : 'Retry now'}
      </button>
      {state.answer && (
        <span role="status" className={state.failed ? 'sv-error' : 'sv-ok'}>
          {state.answer}
        </span>
      )}
    </div>
  );
}

/** Every open or claimed task of one claim, from GET /api/claims/:id, tickable for reassignment. */
function ClaimOpenTasks({ claimId, selection, version }: { claimId: string; selection: Selection; version: number }) {
  const claim = usePoll((signal) => api<ClaimDetail>(`/api/claims/${encodeURIComponent(claimId)}`, { signal }), [claimId, version], 10_000);
  const tasks = claim.data?.tasks.filter((t) => t.status === 'OPEN' || t.status === 'CLAIMED');
  if (claim.error && !tasks) return <p className="sv-error">{loadFailure(`the tasks of claim ${claimId}`, claim.error)}</p>;
  if (!tasks) return <p className="sv-muted">Loading the claim's tasks…</p>;
  if (tasks.length === 0) return <p className="sv-muted">Claim {claimId} has no open task.</p>;
  return <TaskTable tasks={tasks} selection={selection} caption={`Open tasks of claim ${claimId}`} showClaim={false} />;
}

/** Tasks with a tick box each; used for a claim's tasks and for a queue's listing. */
export function TaskTable({
  tasks,
  selection,
  caption,
  showClaim = true,
}: {
  tasks: TaskView[];
  selection: Selection;
  caption: string;
  showClaim?: boolean;
}) {
  const picked = tasks.filter((t) => selection.has(t.id)).length;
  const toSelected = (t: TaskView) => ({ id: t.id, kind: t.kind, queue: t.queue, claimId: t.claimId, assigneeId: t.assigneeId });
  return (
    <table className="sv-table sv-tasks">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">
            <input
              type="checkbox"
              aria-label={`select all ${tasks.length} tasks`}
              checked={picked === tasks.length && tasks.length > 0}
              ref={(el) => {
                if (el) el.indeterminate = picked > 0 && picked < tasks.length;
              }}
              onChange={(e) => selection.setMany(tasks.map(toSelected), e.target.checked)}
            />
          </th>
          <th scope="col">Task</th>
          {showClaim && <th scope="col">Claim</th>}
          <th scope="col">Status</th>
          <th scope="col">Due</th>
          <th scope="col" className="sv-num">
            Priority
          </th>
        </tr>
      </thead>
      <tbody>
        {tasks.map((t) => (
          <tr key={t.id} className={t.overdue ? 'sv-overdue' : undefined}>
            <td>
              <input
                type="checkbox"
                aria-label={`select ${kindWords(t.kind)} task ${t.id}`}
                checked={selection.has(t.id)}
                onChange={(e) => selection.toggle(toSelected(t), e.target.checked)}
              />
            </td>
            <td>
              <Link to={`/tasks/${encodeURIComponent(t.id)}`}>{kindLabel(t.kind)}</Link>
              {!showClaim && <span className="sv-muted sv-small"> · {queueName(t.queue).toLowerCase()} queue</span>}
            </td>
            {showClaim && (
              <td>
                {t.claimId ? (
                  <Link to={`/claims/${encodeURIComponent(t.claimId)}`}>{t.claimId}</Link>
                ) : (
                  <span className="sv-muted">none</span>
                )}
              </td>
            )}
            <td>
              {t.status === 'CLAIMED' ? (
                <>
                  claimed by <strong>{t.assigneeId}</strong>
                </>
              ) : (
                'open, not taken'
              )}
            </td>
            <td>
              {dateTime(t.dueAt)}
              {t.overdue && <span className="sv-badge sv-badge-late"> overdue</span>}
            </td>
            <td className="sv-num" title={t.rank?.reasons?.join('; ')}>
              {t.priority}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
