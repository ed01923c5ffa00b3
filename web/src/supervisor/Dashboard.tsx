// The supervisor dashboard (#/supervisor): stuck claims, queue health and A/R on one page, each polled so the
// page stays current without a reload, and the reassignment of ticked tasks. SUPERVISOR and ADMIN only: the
// shell offers the page to them, and the API refuses everyone else anyway.
import { useCallback, useEffect, useState } from 'react';
import { api } from '../api';
import { usePoll } from '../usePoll';
import { ArPanel } from './ArPanel';
import { clock, plural } from './format';
import { QueuesPanel } from './QueuesPanel';
import { ReassignDialog, type ReassignOutcome } from './ReassignDialog';
import { useSelection } from './selection';
import { StuckClaimsPanel } from './StuckClaims';
import type { ArMeasures, QueueHealth, StuckClaims } from './types';
import './supervisor.css';

/**
 * Stuck claims cost the most to answer (the API describes workflows in Temporal and records an audit event per
 * read), so they are asked for less often than queue depth.
 */
const STUCK_EVERY_MS = 15_000;
const QUEUES_EVERY_MS = 10_000;
const AR_EVERY_MS = 30_000;

export function SupervisorDashboard() {
  const stuck = usePoll((signal) => api<StuckClaims>('/api/supervisor/stuck-claims?limit=50', { signal }), [], STUCK_EVERY_MS);
  const queues = usePoll((signal) => api<QueueHealth>('/api/supervisor/queues', { signal }), [], QUEUES_EVERY_MS);
  const ar = usePoll((signal) => api<ArMeasures>('/api/supervisor/ar', { signal }), [], AR_EVERY_MS);
  const selection = useSelection();
  const [dialogOpen, setDialogOpen] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  const [updatedAt, setUpdatedAt] = useState<Date | null>(null);

  // Each answer that arrives is a new object: that moment is when the page was last brought up to date.
  useEffect(() => {
    if (stuck.data || queues.data || ar.data) setUpdatedAt(new Date());
  }, [stuck.data, queues.data, ar.data]);

  const { refresh: refreshStuck } = stuck;
  const { refresh: refreshQueues } = queues;
  const { refresh: refreshAr } = ar;
  const refreshAll = useCallback(() => {
    refreshStuck();
    refreshQueues();
    refreshAr();
    setVersion((v) => v + 1);
  }, [refreshStuck, refreshQueues, refreshAr]);

  const closeDialog = useCallback(() => setDialogOpen(false), []);
  const reassigned = useCallback(
    ({ tasks, user: to }: ReassignOutcome) => {
      setDialogOpen(false);
      selection.clear();
      setNotice(
        `Reassigned ${plural(tasks.length, 'task')} to ${to.name} (${to.id}): ${tasks.length === 1 ? 'it is' : 'they are'} now claimed by ${to.id} and out of everyone else's way.`,
      );
      refreshAll();
    },
    [selection, refreshAll],
  );

  const errors = [stuck.error, queues.error, ar.error].filter(Boolean);
  const busy = stuck.loading || queues.loading || ar.loading;

  return (
    <div className="sv-dashboard">
      <header className="sv-top">
        <h1>Supervisor dashboard</h1>
        <span className="sv-updated" role="status" aria-live="polite" data-testid="updated">
          {updatedAt ? `updated ${clock(updatedAt)}` : 'loading…'}
          {busy && updatedAt ? ' · refreshing' : ''}
          {errors.length > 0 && updatedAt ? ' · some figures could not be refreshed' : ''}
        </span>
        <button type="button" onClick={refreshAll} disabled={busy}>
          Refresh now
        </button>
      </header>

      {notice && (
        <p className="sv-notice" role="status">
          {notice}{' '}
          <button type="button" className="sv-link-button" onClick={() => setNotice(null)}>
            dismiss
          </button>
        </p>
      )}

      <div className="sv-selection-bar" aria-live="polite">
        {selection.tasks.length === 0 ? (
          <span className="sv-muted">Tick tasks under a stuck claim or in a queue's listing to reassign them.</span>
        ) : (
          <>
            <strong>{plural(selection.tasks.length, 'task')} selected</strong>
            <button type="button" className="sv-primary" onClick={() => setDialogOpen(true)}>
              Reassign…
            </button>
            <button type="button" onClick={selection.clear}>
              Clear selection
            </button>
          </>
        )}
      </div>

      <StuckClaimsPanel data={stuck.data} error={stuck.error} selection={selection} version={version} onChanged={refreshAll} />
      <div className="sv-columns">
        <QueuesPanel data={queues.data} error={queues.error} selection={selection} version={version} />
        <ArPanel data={ar.data} error={ar.error} />
      </div>

      {dialogOpen && selection.tasks.length > 0 && (
        <ReassignDialog tasks={selection.tasks} onRemove={(t) => selection.toggle(t, false)} onClose={closeDialog} onDone={reassigned} />
      )}
    </div>
  );
}
