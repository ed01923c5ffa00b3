// Reassigning the ticked tasks to one user: one task through POST /api/tasks/:id/reassign, several through
// the all-or-nothing POST /api/tasks/reassign. The users offered are the active ones whose role works every
// chosen task's queue; the API's answer, a refusal included, is shown in plain words.
import { useEffect, useRef, useState } from 'react';
import { api, query } from '../api';
import { usePoll } from '../usePoll';
import { plural, queueName } from './format';
import { loadFailure, reassignRefusal, taskLabel } from './plainWords';
import { mayWorkAll } from './selection';
import type { AssignableUser, ReassignedTasks, SelectedTask, TaskView } from './types';

export interface ReassignOutcome {
  tasks: TaskView[];
  user: AssignableUser;
}

export function ReassignDialog({
  tasks,
  onRemove,
  onClose,
  onDone,
}: {
  tasks: SelectedTask[];
  onRemove(task: SelectedTask): void;
  onClose(): void;
  onDone(outcome: ReassignOutcome): void;
}) {
  const users = usePoll((signal) => api<{ items: AssignableUser[] }>(`/api/users${query({ active: 'true' })}`, { signal }), [], 0);
  const queues = new Set(tasks.map((t) => t.queue));
  const offered = (users.data?.items ?? []).filter((u) => mayWorkAll(u.role, queues));
  const [userId, setUserId] = useState('');
  const [busy, setBusy] = useState(false);
  const [refusal, setRefusal] = useState<string | null>(null);
  const selectRef = useRef<HTMLSelectElement>(null);

  useEffect(() => {
    selectRef.current?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    const user = offered.find((u) => u.id === userId);
    if (!user || tasks.length === 0) return;
    setBusy(true);
    setRefusal(null);
    try {
      const done =
        tasks.length === 1
          ? [await api<TaskView>(`/api/tasks/${encodeURIComponent(tasks[0].id)}/reassign`, { method: 'POST', body: { userId } })]
          : (await api<ReassignedTasks>('/api/tasks/reassign', { method: 'POST', body: { taskIds: tasks.map((t) => t.id), userId } }))
              .items;
      onDone({ tasks: done, user });
    } catch (err) {
      setRefusal(reassignRefusal(err, tasks));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="sv-overlay" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div className="sv-dialog" role="dialog" aria-modal="true" aria-labelledby="sv-reassign-h">
        <h2 id="sv-reassign-h">Reassign {plural(tasks.length, 'task')}</h2>
        <ul className="sv-chosen">
          {tasks.map((t) => (
            <li key={t.id}>
              <span>
                {taskLabel(t)}{' '}
                <span className="sv-muted">
                  ({queueName(t.queue).toLowerCase()} queue, {t.assigneeId ? `now with ${t.assigneeId}` : 'not taken'})
                </span>
              </span>
              {tasks.length > 1 && (
                <button type="button" className="sv-link-button" onClick={() => onRemove(t)} aria-label={`leave out the ${taskLabel(t)}`}>
                  leave out
                </button>
              )}
            </li>
          ))}
        </ul>
        <form onSubmit={submit}>
          <label className="sv-field">
            <span>Give {tasks.length === 1 ? 'it' : 'them'} to</span>
            <select ref={selectRef} value={userId} onChange={(e) => setUserId(e.target.value)} required disabled={busy || !users.data}>
              <option value="">{users.data ? 'choose a user…' : 'loading users…'}</option>
              {offered.map((u) => (
                <option key={u.id} value={u.id}>
                  {u.name} ({u.id}, {u.role.toLowerCase()})
                </option>
              ))}
            </select>
          </label>
          {users.error && <p className="sv-error">{loadFailure('the users', users.error)}</p>}
          {users.data && offered.length === 0 && (
            <p className="sv-error">
              No active user works {queues.size > 1 ? 'all of these queues' : `the ${queueName([...queues][0]).toLowerCase()} queue`}:
              reassign the tasks of one queue at a time.
            </p>
          )}
          <p className="sv-muted sv-small">
            Only active users whose role works the {[...queues].map((q) => queueName(q).toLowerCase()).join(' and ')} queue
            {queues.size > 1 ? 's' : ''} are offered; claimflow also checks the routing rules and says why if it refuses. The tasks become
            claimed by the user you choose.
          </p>
          {refusal && (
            <p className="sv-error" role="alert">
              {refusal}
            </p>
          )}
          <div className="sv-actions">
            <button type="submit" className="sv-primary" disabled={busy || !userId}>
              {busy ? 'Reassigning…' : `Reassign ${plural(tasks.length, 'task')}`}
            </button>
            <button type="button" onClick={onClose} disabled={busy}>
              Cancel
            </button>
          </div>
        </form>
      </div>
    </div>
  );
}
