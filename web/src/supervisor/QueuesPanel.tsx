// Queue health: depth (open and taken) per queue as bars, the oldest open task and overdue counts, who holds
// what; tasks done per user (per day) and handling time per kind. A queue's own listing opens below it, with
// tick boxes for reassignment.
import { useState } from 'react';
import { api, query } from '../api';
import { usePoll } from '../usePoll';
import { BarChart } from './charts';
import { dateTime, duration, kindLabel, plural, queueName, span } from './format';
import { loadFailure } from './plainWords';
import type { Selection } from './selection';
import { TaskTable } from './StuckClaims';
import type { QueueHealth, TaskPage } from './types';

const DEPTH_SERIES = [
  { key: 'open', label: 'open, not taken', color: '#1565c0' },
  { key: 'claimed', label: 'taken by someone', color: '#90caf9' },
];

export function QueuesPanel({
  data,
  error,
  selection,
  version,
}: {
  data: QueueHealth | undefined;
  error: Error | undefined;
  selection: Selection;
  version: number;
}) {
  const [shown, setShown] = useState<string | null>(null);
  const failure = loadFailure('queue health', error);
  return (
    <section className="sv-panel" aria-labelledby="sv-queues-h">
      <header className="sv-panel-head">
        <h2 id="sv-queues-h">Queues</h2>
      </header>
      {failure && (
        <p className="sv-error" role="alert">
          {failure}
        </p>
      )}
      {!data && !failure && <p className="sv-muted">Loading queue health…</p>}
      {data && (
        <>
          <BarChart
            title="Queue depth"
            description="Open and taken tasks per queue."
            series={DEPTH_SERIES}
            rows={data.queues.map((q) => ({
              label: queueName(q.queue),
              values: [q.open, q.claimed],
              note: `${q.open + q.claimed} (${q.overdue} overdue)`,
            }))}
            format={(v) => plural(v, 'task')}
            labelWidth={90}
          />
          <table className="sv-table sv-queues">
            <thead>
              <tr>
                <th scope="col">Queue</th>
                <th scope="col" className="sv-num">
                  Open
                </th>
                <th scope="col" className="sv-num">
                  Taken
                </th>
                <th scope="col" className="sv-num">
                  Overdue
                </th>
                <th scope="col">Oldest open task</th>
                <th scope="col">Taken by</th>
                <th scope="col" />
              </tr>
            </thead>
            <tbody>
              {data.queues.map((q) => (
                <tr key={q.queue} data-queue={q.queue}>
                  <th scope="row">{queueName(q.queue)}</th>
                  <td className="sv-num">{q.open}</td>
                  <td className="sv-num">{q.claimed}</td>
                  <td className={`sv-num ${q.overdue > 0 ? 'sv-late' : ''}`}>{q.overdue}</td>
                  <td>
                    {q.oldestOpenCreatedAt ? (
                      <>
                        {span(Date.parse(data.asOf) - Date.parse(q.oldestOpenCreatedAt), data.dayMs)} old{' '}
                        <span className="sv-muted sv-small">(opened {dateTime(q.oldestOpenCreatedAt)})</span>
                      </>
                    ) : (
                      <span className="sv-muted">no open task</span>
                    )}
                  </td>
                  <td>
                    {q.claimedBy.length ? (
                      q.claimedBy.map((c) => `${c.userId} (${c.claimed})`).join(', ')
                    ) : (
                      <span className="sv-muted">nobody</span>
                    )}
                  </td>
                  <td className="sv-nowrap">
                    <button
                      type="button"
                      className="sv-link-button"
                      aria-expanded={shown === q.queue}
                      onClick={() => setShown(shown === q.queue ? null : q.queue)}
                    >
                      {shown === q.queue ? 'Hide tasks' : 'Show tasks…'}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {shown && <QueueTasks queue={shown} selection={selection} version={version} />}
          <Throughput data={data} />
        </>
      )}
    </section>
  );
}

/** One queue's workable tasks, most urgent first, with the listing's own filters for what matters here. */
function QueueTasks({ queue, selection, version }: { queue: string; selection: Selection; version: number }) {
  const [filter, setFilter] = useState<'all' | 'overdue' | 'unassigned'>('all');
  const page = usePoll(
    (signal) =>
      api<TaskPage>(
        `/api/queues/${queue}/tasks${query({ limit: 50, overdue: filter === 'overdue' ? 'true' : undefined, unassigned: filter === 'unassigned' ? 'true' : undefined })}`,
        { signal },
      ),
    [queue, filter, version],
    10_000,
  );
  return (
    <div className="sv-queue-tasks" data-testid={`queue-tasks-${queue}`}>
      <fieldset className="sv-filter">
        <legend>Show in the {queueName(queue)} queue</legend>
        {(['all', 'overdue', 'unassigned'] as const).map((f) => (
          <label key={f}>
            <input type="radio" name={`sv-filter-${queue}`} checked={filter === f} onChange={() => setFilter(f)} />{' '}
            {f === 'all' ? 'all workable tasks' : f === 'overdue' ? 'overdue only' : 'not taken by anyone'}
          </label>
        ))}
      </fieldset>
      {page.error && <p className="sv-error">{loadFailure(`the ${queueName(queue)} queue`, page.error)}</p>}
      {!page.data && !page.error && <p className="sv-muted">Loading the {queueName(queue)} queue…</p>}
      {page.data && page.data.items.length === 0 && <p className="sv-muted">Nothing here.</p>}
      {page.data && page.data.items.length > 0 && (
        <TaskTable
          tasks={page.data.items}
          selection={selection}
          caption={`${queueName(queue)} queue, most urgent first${page.data.nextCursor ? ' (the first 50)' : ''}`}
        />
      )}
    </div>
  );
}

function Throughput({ data }: { data: QueueHealth }) {
  const t = data.throughput;
  // Day buckets are lifecycle days: a calendar date when a day is 24 h, a clock time when it is compressed.
  const dayLabel = (iso: string) =>
    data.dayMs === 86_400_000 ? iso.slice(5, 10) : new Date(iso).toLocaleTimeString('en-GB', { hour12: false });
  const dayKeys = [...new Set(t.perUserDay.map((d) => d.day))].sort().slice(-7);
  return (
    <div className="sv-throughput">
      <h3>Throughput</h3>
      <p className="sv-muted sv-small">
        The last {plural(t.days, 'day')} ({dateTime(t.from)} to {dateTime(t.to)}).
      </p>
      {t.perUser.length === 0 ? (
        <p className="sv-empty">Nobody finished a task in this period.</p>
      ) : (
        <>
          <BarChart
            title="Tasks done per user"
            description={`Tasks finished per user over the last ${t.days} days, with the average per day.`}
            series={[{ key: 'done', label: 'done', color: '#6a1b9a' }]}
            rows={t.perUser.map((u) => ({ label: u.userId, values: [u.done], note: `${u.done} (${u.perDay}/day)` }))}
            format={(v) => plural(v, 'task')}
            labelWidth={110}
          />
          <table className="sv-table sv-per-day">
            <caption>
              Done per user and day{dayKeys.length < new Set(t.perUserDay.map((d) => d.day)).size ? ' (the last 7 days with work)' : ''}
            </caption>
            <thead>
              <tr>
                <th scope="col">User</th>
                {dayKeys.map((d) => (
                  <th key={d} scope="col" className="sv-num">
                    {dayLabel(d)}
                  </th>
                ))}
                <th scope="col" className="sv-num">
                  Total
                </th>
              </tr>
            </thead>
            <tbody>
              {t.perUser.map((u) => (
                <tr key={u.userId}>
                  <th scope="row">{u.userId}</th>
                  {dayKeys.map((d) => (
                    <td key={d} className="sv-num">
                      {t.perUserDay.find((x) => x.userId === u.userId && x.day === d)?.done ?? 0}
                    </td>
                  ))}
                  <td className="sv-num">{u.done}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      <h3>Handling time</h3>
      {data.handlingTime.length === 0 ? (
        <p className="sv-empty">No task was finished in this period.</p>
      ) : (
        <table className="sv-table sv-handling">
          <caption className="sv-small">{data.handlingTime[0].basis}</caption>
          <thead>
            <tr>
              <th scope="col">Kind</th>
              <th scope="col" className="sv-num">
                Done
              </th>
              <th scope="col" className="sv-num">
                Average
              </th>
              <th scope="col" className="sv-num">
                Median
              </th>
            </tr>
          </thead>
          <tbody>
            {data.handlingTime.map((h) => (
              <tr key={h.kind}>
                <th scope="row">{kindLabel(h.kind)}</th>
                <td className="sv-num">{h.done}</td>
                <td className="sv-num">{duration(h.averageMs)}</td>
                <td className="sv-num">{duration(h.medianMs)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
