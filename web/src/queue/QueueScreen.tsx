// My queue: the caller's queue in rank order with why each task ranks where it does, filters, "get next",
// and keys for all of it (n, j/k, Enter, r, f). Polls so new work appears without a reload.
import { useEffect, useMemo, useRef, useState } from 'react';
import { api, ApiError, query } from '../api';
import { kindLabel, money, relative } from '../format';
import { loadPayers } from '../reference';
import { navigate } from '../router';
import { isOverseer, useUser, type Role } from '../session';
import type { Payer, QueueName, QueuePage, TaskView } from '../types';
import { KeyHints, useKeys } from '../useKeys';
import { usePoll } from '../usePoll';

const KINDS_BY_QUEUE: Record<QueueName, string[]> = {
  CODER: ['CODE_REVIEW', 'SCRUB_FIX_CODING', 'CHART_AUDIT'],
  BILLER: [
    'ELIGIBILITY',
    'SCRUB_FIX_BILLING',
    'FIX_REJECTION',
    'FOLLOW_UP',
    'DENIAL_REVIEW',
    'APPEAL_UPHELD_REVIEW',
    'APPEAL_DECISION_OVERDUE',
    'POSTING_EXCEPTION',
  ],
  SUPERVISOR: ['WRITE_OFF_APPROVAL', 'FOLLOW_UP_ESCALATION', 'OVERDUE_TASK', 'TIMELY_FILING_RISK'],
};

const QUEUE_KEY = 'claimflow.queue';

export function defaultQueue(role: Role): QueueName {
  if (role === 'CODER') return 'CODER';
  if (role === 'BILLER') return 'BILLER';
  const kept = sessionStorage.getItem(QUEUE_KEY);
  return kept === 'CODER' || kept === 'BILLER' || kept === 'SUPERVISOR' ? kept : 'SUPERVISOR';
}

interface Filters {
  payerId: string;
  kind: string;
  minAgeDays: string;
  minDollars: string;
  maxDollars: string;
  overdue: boolean;
  mine: boolean;
}
const NO_FILTERS: Filters = { payerId: '', kind: '', minAgeDays: '', minDollars: '', maxDollars: '', overdue: false, mine: false };

const cents = (dollars: string) => (dollars.trim() === '' || Number.isNaN(Number(dollars)) ? undefined : Math.round(Number(dollars) * 100));

export function QueueScreen() {
  const user = useUser();
  const [queue, setQueue] = useState<QueueName>(() => defaultQueue(user.role));
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [selected, setSelected] = useState(0);
  const [notice, setNotice] = useState<{ kind: 'info' | 'error'; text: string }>();
  const [taking, setTaking] = useState(false);
  const filterRef = useRef<HTMLSelectElement>(null);
  const payers = usePoll(loadPayers, [], 0);

  const qs = query({
    payerId: filters.payerId,
    kind: filters.kind,
    minAgeDays: filters.minAgeDays,
    minBalanceCents: cents(filters.minDollars),
    maxBalanceCents: cents(filters.maxDollars),
    overdue: filters.overdue || undefined,
    mine: filters.mine || undefined,
    limit: 50,
  });
  const list = usePoll((signal) => api<QueuePage>(`/api/queues/${queue}/tasks${qs}`, { signal }), [queue, qs], 5000);
  const items = list.data?.items ?? [];

  useEffect(() => {
    if (selected >= items.length) setSelected(Math.max(0, items.length - 1));
  }, [items.length, selected]);

  const pickQueue = (q: QueueName) => {
    sessionStorage.setItem(QUEUE_KEY, q);
    setQueue(q);
    setFilters((f) => ({ ...f, kind: '' }));
    setSelected(0);
  };

  const getNext = async () => {
    if (taking) return;
    setTaking(true);
    setNotice(undefined);
    try {
      const task = await api<TaskView>(`/api/queues/${queue}/next`, { method: 'POST' });
      navigate(`/tasks/${task.id}`);
    } catch (err) {
      if (err instanceof ApiError && err.code === 'QUEUE_EMPTY') {
        setNotice({
          kind: 'info',
          text: `Nothing left: the ${queue.toLowerCase()} queue has no open task you may take. New work shows up here by itself.`,
        });
      } else {
        setNotice({ kind: 'error', text: err instanceof Error ? err.message : String(err) });
      }
      list.refresh();
    } finally {
      setTaking(false);
    }
  };

  useKeys({
    n: () => void getNext(),
    j: () => setSelected((i) => Math.min(items.length - 1, i + 1)),
    k: () => setSelected((i) => Math.max(0, i - 1)),
    ArrowDown: () => setSelected((i) => Math.min(items.length - 1, i + 1)),
    ArrowUp: () => setSelected((i) => Math.max(0, i - 1)),
    Enter: () => items[selected] && navigate(`/tasks/${items[selected].id}`),
    r: () => list.refresh(),
    f: () => filterRef.current?.focus(),
  });

  const payerName = (id: string | undefined) => (id ? (payers.data?.get(id)?.name ?? id) : '—');
  const active = useMemo(() => Object.entries(filters).filter(([, v]) => v !== '' && v !== false).length, [filters]);

  return (
    <section className="queue" aria-label="My queue">
      <div className="toolbar">
        <h1>
          {queue === 'CODER' ? 'Coding' : queue === 'BILLER' ? 'Billing' : 'Supervisor'} queue
          <span className="count">{list.data ? `${items.length}${items.length === 50 ? '+' : ''} open` : ''}</span>
        </h1>
        {isOverseer(user.role) && (
          <label className="inline">
            Queue{' '}
            <select value={queue} onChange={(e) => pickQueue(e.target.value as QueueName)} aria-label="Queue">
              <option value="CODER">Coder</option>
              <option value="BILLER">Biller</option>
              <option value="SUPERVISOR">Supervisor</option>
            </select>
          </label>
        )}
        <button className="primary" onClick={() => void getNext()} disabled={taking}>
          Get next <kbd>n</kbd>
        </button>
      </div>

      <form className="filters" aria-label="Filters" onSubmit={(e) => e.preventDefault()}>
        <label>
          Payer
          <select ref={filterRef} value={filters.payerId} onChange={(e) => setFilters({ ...filters, payerId: e.target.value })}>
            <option value="">any</option>
            {[...(payers.data?.values() ?? [])].map((p: Payer) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Kind
          <select value={filters.kind} onChange={(e) => setFilters({ ...filters, kind: e.target.value })}>
            <option value="">any</option>
            {KINDS_BY_QUEUE[queue].map((k) => (
              <option key={k} value={k}>
                {kindLabel(k)}
              </option>
            ))}
          </select>
        </label>
        <label>
          Open at least (days)
          <input
            inputMode="numeric"
            size={4}
            value={filters.minAgeDays}
            onChange={(e) => setFilters({ ...filters, minAgeDays: e.target.value.replace(/\D/g, '') })}
          />
        </label>
        <label>
          Balance from $
          <input
            inputMode="decimal"
            size={7}
            value={filters.minDollars}
            onChange={(e) => setFilters({ ...filters, minDollars: e.target.value })}
          />
        </label>
        <label>
          to $
          <input
            inputMode="decimal"
            size={7}
            value={filters.maxDollars}
            onChange={(e) => setFilters({ ...filters, maxDollars: e.target.value })}
          />
        </label>
        <label className="check">
          <input type="checkbox" checked={filters.overdue} onChange={(e) => setFilters({ ...filters, overdue: e.target.checked })} />{' '}
          overdue only
        </label>
        <label className="check">
          <input type="checkbox" checked={filters.mine} onChange={(e) => setFilters({ ...filters, mine: e.target.checked })} /> mine
        </label>
        {active > 0 && (
          <button type="button" className="link" onClick={() => setFilters(NO_FILTERS)}>
            clear filters
          </button>
        )}
      </form>

      {notice && (
        <p className={notice.kind === 'error' ? 'error banner' : 'info banner'} role="status">
          {notice.text}
        </p>
      )}
      {list.error && (
        <p className="error banner" role="alert">
          The queue could not be loaded: {list.error.message}
        </p>
      )}

      <table className="tasks">
        <thead>
          <tr>
            <th className="num">Rank</th>
            <th>Task</th>
            <th>Claim</th>
            <th>Payer</th>
            <th className="num">Balance</th>
            <th>Due</th>
            <th>Why it ranks here</th>
          </tr>
        </thead>
        <tbody>
          {items.map((t, i) => (
            <tr
              key={t.id}
              className={`${i === selected ? 'selected' : ''} ${t.overdue ? 'overdue' : ''}`}
              aria-selected={i === selected}
              onClick={() => navigate(`/tasks/${t.id}`)}
              data-task-id={t.id}
            >
              <td className="num">
                <span className="priority">{t.rank.priority}</span>
              </td>
              <td>
                <a href={`#/tasks/${t.id}`}>{kindLabel(t.kind)}</a>
                {t.status === 'CLAIMED' && <span className="tag">{t.assigneeId === user.id ? 'yours' : `with ${t.assigneeId}`}</span>}
              </td>
              <td className="mono">{t.claimId ?? '—'}</td>
              <td>{payerName(t.claim?.payerId)}</td>
              <td className="num">{money(t.claim?.balanceCents)}</td>
              <td>
                {t.overdue ? <span className="tag danger">overdue</span> : null} <span title={t.dueAt}>{relative(t.dueAt)}</span>
              </td>
              <td className="reasons">{t.rank.reasons.join(' · ')}</td>
            </tr>
          ))}
          {list.data && items.length === 0 && (
            <tr>
              <td colSpan={7} className="empty">
                {active > 0 ? 'No task matches these filters.' : 'Nothing left in this queue. New work shows up here by itself.'}
              </td>
            </tr>
          )}
        </tbody>
      </table>
      {!list.data && !list.error && <p className="muted">Loading the queue…</p>}

      <KeyHints
        hints={[
          ['n', 'get next'],
          ['j / k', 'move'],
          ['Enter', 'open'],
          ['r', 'refresh'],
          ['f', 'filters'],
        ]}
      />
    </section>
  );
}
