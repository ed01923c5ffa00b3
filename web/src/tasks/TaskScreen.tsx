// One task (#/tasks/:id): the claim it is about, what it asks, and the outcome form for its kind. Completing
// shows what the claim's workflow answered in plain words, a refusal included. Keys: Ctrl+Enter confirms,
// 1–9 pick a choice, / searches codes, t takes the task, c opens the claim, Esc goes back to the queue; once
// done, n takes the next task.
import { useEffect, useMemo, useRef, useState } from 'react';
import { api, ApiError } from '../api';
import { ClaimHeader, Documentation, LinesTable } from '../claims/ClaimFacts';
import { ACTION_HINTS, actionLabel, dateTime, kindLabel, relative, stateLabel } from '../format';
import { loadPayers } from '../reference';
import { Link, navigate } from '../router';
import { useUser } from '../session';
import { storedObject, transitionOf } from '../storedJson';
import type { ClaimDetail, Patient, TaskView, TaskWithNotes } from '../types';
import { usePoll } from '../usePoll';
import { KeyHints, useKeys } from '../useKeys';
import { CodeEditor, type CodeEditorHandle, type Codes, type Suggestion } from './CodeEditor';
import { TaskAsks } from './TaskContext';

/** Actions that carry codes: always (the codes are the decision) or only when the person changed them. */
const CODES_REQUIRED = new Set(['CONFIRM_CODES', 'CORRECTED_CLAIM']);
const CODES_OPTIONAL = new Set(['FIXED', 'RESUBMIT']);
const NOTE_REQUIRED = new Set(['WRITE_OFF', 'REFUSE']);

interface Loaded {
  task: TaskWithNotes;
  claim?: ClaimDetail;
  patient?: Patient | null;
}

async function loadTask(id: string): Promise<Loaded> {
  const task = await api<Loaded['task']>(`/api/tasks/${encodeURIComponent(id)}`);
  if (!task.claimId) return { task };
  const claim = await api<ClaimDetail>(`/api/claims/${encodeURIComponent(task.claimId)}`);
  // Coders may not read patient records (demographics are the billers'): they see the patient's id.
  const patient = await api<Patient>(`/api/patients/${encodeURIComponent(claim.patientId)}`).catch(() => null);
  return { task, claim, patient };
}

/** A code review's suggested diagnoses, as the workflow put them in the task's context. */
function suggestionsOf(task: TaskView): Suggestion[] {
  const suggestions = storedObject(task.context).suggestions;
  return Array.isArray(suggestions) ? (suggestions as Suggestion[]) : [];
}

const codesOf = (claim: ClaimDetail): Codes => ({
  diagnoses: claim.diagnoses.map((d) => d.code),
  lines: claim.lines.map((l) => ({
    procedureCode: l.procedureCode,
    modifiers: l.modifiers,
    units: l.units,
    chargeCents: l.chargeCents,
    diagnosisPointers: l.diagnosisPointers,
  })),
});

type Result = { ok: true; action: string; state: string } | { ok: false; title: string; message: string };

/** The validator's and the API's refusals, in the workspace's words. */
function refusal(err: unknown): { title: string; message: string } {
  if (!(err instanceof ApiError)) return { title: 'Something went wrong', message: err instanceof Error ? err.message : String(err) };
  const sentence = err.message ? err.message[0].toUpperCase() + err.message.slice(1) : err.code;
  const readable = sentence.replace(/\b[A-Z]+(?:_[A-Z]+)+\b|\b(?:APPEAL|VOID|FIXED|RESUBMIT|APPROVE|REFUSE|ACKNOWLEDGE|MATCH)\b/g, (w) =>
    ACTION_HINTS[w] ? `“${actionLabel(w)}”` : kindLabel(w) !== w ? `“${kindLabel(w)}”` : w,
  );
  switch (err.code) {
    case 'TASK_COMPLETION_REJECTED':
      return { title: 'The claim’s workflow refused this', message: `${readable}. Nothing was changed: fix it and confirm again.` };
    case 'TASK_NOT_OPEN':
      return {
        title: 'This task is no longer open',
        message: `${readable}: someone finished it or the claim moved on. Take the next one.`,
      };
    case 'TASK_CLAIMED':
      return { title: 'Someone else has this task', message: readable };
    case 'WORKFLOW_NOT_RUNNING':
      return { title: 'The claim is not running', message: readable };
    case 'VALIDATION_ERROR':
    case 'INVALID_INPUT':
      return { title: 'Something in the form is not right', message: `${readable}${err.field ? ` (${err.field})` : ''}` };
    default:
      return {
        title: err.status === 503 ? 'claimflow is busy or unavailable' : 'Not done',
        message: `${readable}${err.field ? ` (${err.field})` : ''}`,
      };
  }
}

export function TaskScreen({ taskId }: { taskId: string }) {
  const user = useUser();
  const loaded = usePoll(() => loadTask(taskId), [taskId], 0);
  const payers = usePoll(loadPayers, [], 0);
  const task = loaded.data?.task;
  const claim = loaded.data?.claim;
  const payer = claim ? payers.data?.get(claim.payerId) : undefined;
  // The task says which outcomes its kind takes (the workflow contract's TASK_KINDS, through the API).
  const actions = useMemo(() => task?.actions ?? [], [task]);
  // A coder's write-off is a request: a supervisor approves it whatever the amount (claimLifecycle's writeOff step).
  const hint = (a: string) =>
    a === 'WRITE_OFF' && user.role === 'CODER' ? 'Asks a supervisor to approve the write-off.' : ACTION_HINTS[a];

  const [action, setAction] = useState<string>('');
  const [codes, setCodes] = useState<Codes>();
  const [note, setNote] = useState('');
  const [matchClaimId, setMatchClaimId] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<Result>();
  const [takeError, setTakeError] = useState<string>();
  const editor = useRef<CodeEditorHandle>(null);
  const noteRef = useRef<HTMLTextAreaElement>(null);

  useEffect(() => {
    if (task && !action && actions.length) setAction(actions[0]);
  }, [task, action, actions]);
  useEffect(() => {
    if (claim && !codes) setCodes(codesOf(claim));
  }, [claim, codes]);

  const original = useMemo(() => (claim ? codesOf(claim) : undefined), [claim]);
  const changed = !!codes && !!original && JSON.stringify(codes) !== JSON.stringify(original);
  const showsCodes = !!claim && (CODES_REQUIRED.has(action) || CODES_OPTIONAL.has(action) || task?.kind === 'CODE_REVIEW');
  const open = task?.status === 'OPEN' || task?.status === 'CLAIMED';

  const complete = async () => {
    if (!task || busy || result?.ok || !open) return;
    if (NOTE_REQUIRED.has(action) && !note.trim()) {
      setResult({ ok: false, title: 'A note is needed', message: `“${actionLabel(action)}” needs a note saying why.` });
      noteRef.current?.focus();
      return;
    }
    const outcome: Record<string, unknown> = { action };
    if (codes && (CODES_REQUIRED.has(action) || (CODES_OPTIONAL.has(action) && changed))) {
      outcome.diagnoses = codes.diagnoses;
      outcome.lines = codes.lines;
    }
    if (note.trim()) outcome.note = note.trim();
    if (action === 'MATCH') outcome.claimId = matchClaimId.trim();
    setBusy(true);
    try {
      const r = await api<{ action: string; state: string }>(`/api/tasks/${encodeURIComponent(task.id)}/complete`, { body: { outcome } });
      setResult({ ok: true, action: r.action, state: r.state });
    } catch (err) {
      setResult({ ok: false, ...refusal(err) });
    } finally {
      setBusy(false);
    }
  };

  const take = async () => {
    if (!task || task.status !== 'OPEN') return;
    try {
      await api(`/api/tasks/${encodeURIComponent(task.id)}/claim`, { method: 'POST' });
      setTakeError(undefined);
      loaded.refresh();
    } catch (err) {
      setTakeError(refusal(err).message);
    }
  };

  const release = async () => {
    if (!task || task.status !== 'CLAIMED') return;
    try {
      await api(`/api/tasks/${encodeURIComponent(task.id)}/release`, { method: 'POST' });
      navigate('/queue');
    } catch (err) {
      setTakeError(refusal(err).message);
    }
  };

  const next = async () => {
    if (!task) return;
    try {
      const t = await api<TaskView>(`/api/queues/${task.queue}/next`, { method: 'POST' });
      navigate(`/tasks/${t.id}`);
    } catch (err) {
      if (err instanceof ApiError && err.code === 'QUEUE_EMPTY') {
        setTakeError(`Nothing left: the ${task.queue.toLowerCase()} queue has no open task you may take.`);
      } else setTakeError(refusal(err).message);
    }
  };

  const done = result?.ok === true;
  const keys: Record<string, () => void> = {
    'Mod+Enter': () => void complete(),
    Escape: () => navigate('/queue'),
    '/': () => editor.current?.focusSearch(),
    t: () => void take(),
    c: () => claim && navigate(`/claims/${claim.id}`),
  };
  if (done || !open) keys.n = () => void next();
  actions.forEach((a, i) => (keys[String(i + 1)] = () => !done && setAction(a)));
  useKeys(keys);

  if (loaded.error) {
    return (
      <div className="card">
        <h2>This task could not be opened</h2>
        <p className="error">{loaded.error.message}</p>
        <Link to="/queue">Back to the queue</Link>
      </div>
    );
  }
  if (!task) return <p className="muted page-pad">Loading the task…</p>;

  const mine = task.assigneeId === user.id;
  // A code review is about the codes: they lead. Elsewhere they follow the decision that needs them.
  const codesEditor =
    showsCodes && codes && original ? (
      <CodeEditor
        ref={editor}
        value={codes}
        onChange={setCodes}
        original={original}
        suggestions={task.kind === 'CODE_REVIEW' ? suggestionsOf(task) : undefined}
      />
    ) : null;
  return (
    <div className="task-screen">
      <div className="task-head">
        <div>
          <Link to="/queue" className="muted small">
            ← queue
          </Link>
          <h1>
            {kindLabel(task.kind)} <span className="muted mono small">{task.id}</span>
          </h1>
          <p className="muted small">
            Priority {task.rank.priority} ({task.rank.reasons.join(' · ')}) · due {dateTime(task.dueAt)} ({relative(task.dueAt)})
            {task.overdue && <span className="tag danger">overdue</span>} ·{' '}
            {task.status === 'CLAIMED' ? (mine ? 'you have it' : `claimed by ${task.assigneeId}`) : task.status.toLowerCase()}
          </p>
        </div>
        <div className="head-actions">
          {task.status === 'OPEN' && (
            <button onClick={() => void take()}>
              Take it <kbd>t</kbd>
            </button>
          )}
          {task.status === 'CLAIMED' && mine && !done && <button onClick={() => void release()}>Put back</button>}
        </div>
      </div>
      {takeError && (
        <p className="info banner" role="status">
          {takeError}
        </p>
      )}

      <div className="task-grid">
        <section className="card claim-side" aria-label="The claim">
          {claim ? (
            <>
              <ClaimHeader claim={claim} patient={loaded.data?.patient} payer={payer} />
              <Documentation text={claim.documentation} />
              {!showsCodes && (
                <>
                  <h3>Diagnoses</h3>
                  <ol className="diagnoses plain">
                    {claim.diagnoses.map((d) => (
                      <li key={d.seq} className="mono">
                        {d.code}
                      </li>
                    ))}
                  </ol>
                  <h3>Lines</h3>
                  <LinesTable claim={claim} />
                </>
              )}
              <h3>History</h3>
              <ol className="history compact-list">
                {claim.history.map((h, i) => {
                  const { to, reason } = transitionOf(h.detail);
                  return (
                    <li key={i}>
                      <span className="muted small">{dateTime(h.at)}</span> {to ? stateLabel(to) : ''}
                      {reason ? <span className="muted small"> — {reason}</span> : null}
                    </li>
                  );
                })}
              </ol>
            </>
          ) : (
            <p className="muted">This task is not about one claim.</p>
          )}
        </section>

        <section className="card work-side" aria-label="The task">
          <h2>What this task asks</h2>
          <TaskAsks task={task} claim={claim} payer={payer} />

          {task.kind === 'CODE_REVIEW' && codesEditor}

          {open && !done && (
            <form
              className="outcome"
              aria-label="Outcome"
              onSubmit={(e) => {
                e.preventDefault();
                void complete();
              }}
            >
              {actions.length > 1 && (
                <fieldset className="choices">
                  <legend>Your decision</legend>
                  {actions.map((a, i) => (
                    <label key={a} className={`choice ${action === a ? 'chosen' : ''}`}>
                      <input type="radio" name="action" value={a} checked={action === a} onChange={() => setAction(a)} />
                      <kbd>{i + 1}</kbd> <strong>{actionLabel(a)}</strong>
                      <span className="muted small">{hint(a)}</span>
                    </label>
                  ))}
                </fieldset>
              )}
              {task.kind !== 'CODE_REVIEW' && codesEditor}
              {action === 'MATCH' && (
                <label>
                  Claim the payment belongs to
                  <input value={matchClaimId} onChange={(e) => setMatchClaimId(e.target.value)} placeholder="claim id" />
                </label>
              )}
              <label htmlFor="task-note">
                Note{' '}
                {NOTE_REQUIRED.has(action) ? (
                  <span className="danger-text">(required: say why)</span>
                ) : (
                  <span className="muted small">(optional; stays with the task, never logged)</span>
                )}
              </label>
              <textarea id="task-note" ref={noteRef} rows={2} value={note} onChange={(e) => setNote(e.target.value)} />
              {result && !result.ok && (
                <div className="refusal" role="alert">
                  <strong>{result.title}.</strong> {result.message}
                </div>
              )}
              <div className="submit-row">
                <button type="submit" className="primary" disabled={busy}>
                  {busy ? 'Sending…' : actionLabel(action || actions[0] || 'Done')} <kbd>Ctrl+Enter</kbd>
                </button>
                {CODES_OPTIONAL.has(action) && (
                  <span className="muted small">{changed ? 'your code changes go with it' : 'no code changes'}</span>
                )}
              </div>
            </form>
          )}

          {done && result.ok && <Done action={result.action} state={result.state} claimId={task.claimId} onMoved={loaded.refresh} />}
          {!open && !done && (
            <p className="info banner">
              This task is {task.status.toLowerCase()}
              {task.doneById ? ` (by ${task.doneById} ${relative(task.doneAt)})` : ''}. Press <kbd>n</kbd> for the next one.
            </p>
          )}
          {task.notes.length > 0 && (
            <>
              <h3>Notes</h3>
              <ul className="compact-list">
                {task.notes.map((n) => (
                  <li key={n.id}>
                    <span className="muted small">
                      {n.authorId}, {dateTime(n.createdAt)}:
                    </span>{' '}
                    {n.body}
                  </li>
                ))}
              </ul>
            </>
          )}
        </section>
      </div>

      <KeyHints
        hints={[
          ['Ctrl+Enter', 'confirm'],
          ...(actions.length > 1 ? ([[`1–${actions.length}`, 'choose']] as [string, string][]) : []),
          ...(showsCodes ? ([['/', 'search codes']] as [string, string][]) : []),
          ['t', 'take'],
          ['c', 'claim page'],
          ['n', 'next (when done)'],
          ['Esc', 'back to queue'],
        ]}
      />
    </div>
  );
}

/** The workflow's answer, then the claim as it moves on (the answer comes before the next step runs). */
function Done({ action, state, claimId, onMoved }: { action: string; state: string; claimId: string | null; onMoved(): void }) {
  const live = usePoll(
    (signal) =>
      claimId ? api<ClaimDetail>(`/api/claims/${encodeURIComponent(claimId)}`, { signal }).then((c) => c.state) : Promise.resolve(state),
    [claimId],
    1000,
  );
  const now = live.data ?? state;
  // The claim beside the answer follows it as it moves on.
  useEffect(() => {
    if (live.data) onMoved();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [live.data]);
  return (
    <div className="done" role="status" aria-live="polite">
      <h2>Done: {actionLabel(action)}</h2>
      <p>
        The claim&rsquo;s workflow accepted it. The claim is now{' '}
        <strong className={`state state-${now}`} data-testid="claim-state">
          {stateLabel(now)}
        </strong>
        {WHAT_NEXT[now] ? ` — ${WHAT_NEXT[now]}` : ''}.
      </p>
      <p>
        Press <kbd>n</kbd> for the next task, <kbd>Esc</kbd> for the queue
        {claimId && (
          <>
            , or <Link to={`/claims/${claimId}`}>open the claim</Link>
          </>
        )}
        .
      </p>
    </div>
  );
}

const WHAT_NEXT: Record<string, string> = {
  CODING: 'the coding step continues',
  SCRUBBING: 'the scrubber checks it next, then it goes to the payer',
  READY: 'it goes to the payer next',
  SUBMITTED: 'it is with the payer; an acknowledgement comes next',
  ACKNOWLEDGED: 'the payer accepted it',
  AWAITING_ADJUDICATION: 'the payer is deciding',
  DENIED: 'it waits for the next decision',
  APPEALED: 'the appeal is filed; the payer decides it',
  WRITTEN_OFF: 'the balance is written off',
  CLOSED: 'nothing more to do',
  VOIDED: 'it is cancelled',
};
