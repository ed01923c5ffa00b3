// A claim (#/claims/:id): where it is and what it is worth, its states in order, its tasks, submissions,
// payments (with what each adjustment code means) and appeals, and the merged timeline. Polled.
import { useEffect, useState } from 'react';
import { api } from '../api';
import { actionLabel, date, dateTime, kindLabel, money, stateLabel } from '../format';
import { loadPayers, loadReasonCodes } from '../reference';
import { Link } from '../router';
import { isBilling, useUser } from '../session';
import { outcomeAction, transitionOf } from '../storedJson';
import type { ClaimDetail, Patient, ReasonCodes, Timeline } from '../types';
import { usePoll } from '../usePoll';
import { ClaimHeader, Documentation, LinesTable } from './ClaimFacts';
import { EligibilityPanel } from './EligibilityPanel';

/** 835 CLP02, the claim status the payer reported. */
const PAYMENT_STATUS: Record<string, string> = {
  '1': 'processed as primary',
  '2': 'processed as secondary',
  '3': 'processed as tertiary',
  '4': 'denied',
  '19': 'processed as primary, forwarded',
  '22': 'reversal of a previous payment',
};

const outcomeCell = (action: string | undefined, doneById: string | null) =>
  action ? `${actionLabel(action)}${doneById ? ` (${doneById})` : ''}` : '—';

export function ClaimPage({ claimId }: { claimId: string }) {
  const { role } = useUser();
  const id = encodeURIComponent(claimId);
  const claim = usePoll((signal) => api<ClaimDetail>(`/api/claims/${id}`, { signal }), [claimId], 5000);
  const timeline = usePoll((signal) => api<Timeline>(`/api/claims/${id}/timeline`, { signal }), [claimId], 10000);
  const payers = usePoll(loadPayers, [], 0);
  const patientId = claim.data?.patientId;
  const patient = usePoll(
    () => (patientId ? api<Patient>(`/api/patients/${encodeURIComponent(patientId)}`).catch(() => null) : Promise.resolve(null)),
    [patientId],
    0,
  );
  const [codes, setCodes] = useState<ReasonCodes>();
  useEffect(() => {
    loadReasonCodes().then(setCodes, () => {});
  }, []);

  if (claim.error && !claim.data) {
    return (
      <div className="card">
        <h2>Claim {claimId}</h2>
        <p className="error">{claim.error.message}</p>
      </div>
    );
  }
  const c = claim.data;
  if (!c) return <p className="muted page-pad">Loading the claim…</p>;
  const payer = payers.data?.get(c.payerId);
  const carcMeaning = (code: string) => codes?.carcs.find((x) => x.code === code)?.meaning;
  const rarcMeaning = (code: string) => codes?.rarcs.find((x) => x.code === code)?.meaning;

  return (
    <div className="claim-page">
      <h1>
        Claim <span className="mono">{c.id}</span> <span className={`state state-${c.state}`}>{stateLabel(c.state)}</span>
      </h1>
      <div className="card">
        <ClaimHeader claim={c} patient={patient.data} payer={payer} withMoney={false} />
        {isBilling(role) && (
          <p className="small">
            <Link to={`/claims/new?patient=${encodeURIComponent(c.patientId)}`}>New claim for this patient</Link>
            {' · '}
            {/* a file download, not a route: the session cookie goes with it (docs/cms1500.md) */}
            <a href={`/api/claims/${id}/cms1500.pdf`} download>
              CMS-1500 (PDF)
            </a>{' '}
            (for the red form;{' '}
            <a href={`/api/claims/${id}/cms1500.pdf?outline=true`} download>
              plain-paper copy
            </a>
            )
          </p>
        )}
        <dl className="facts money-facts" aria-label="Balance">
          <div>
            <dt>Charged</dt>
            <dd>{money(c.totalChargeCents)}</dd>
          </div>
          <div>
            <dt>Paid by the payer</dt>
            <dd>{money(c.paidCents)}</dd>
          </div>
          <div>
            <dt>Contractual adjustments</dt>
            <dd>{money(c.adjustedCents)}</dd>
          </div>
          <div>
            <dt>Patient owes</dt>
            <dd>{money(c.patientRespCents)}</dd>
          </div>
          <div>
            <dt>Written off</dt>
            <dd>{money(c.writtenOffCents)}</dd>
          </div>
          <div>
            <dt>Insurance balance</dt>
            <dd className="strong" data-testid="balance">
              {money(c.balanceCents)}
            </dd>
          </div>
        </dl>
      </div>

      <div className="claim-grid">
        <section className="card" aria-label="States">
          <h2>States</h2>
          <ol className="states">
            {c.history.map((h, i) => {
              const { to, reason } = transitionOf(h.detail);
              return (
                <li key={i} className={i === c.history.length - 1 ? 'current' : ''}>
                  <span className={`state state-${to ?? ''}`}>{stateLabel(to ?? '?')}</span>
                  <span className="muted small"> {dateTime(h.at)}</span>
                  {reason && <div className="small">{reason}</div>}
                </li>
              );
            })}
          </ol>
        </section>

        <section className="card" aria-label="Tasks">
          <h2>Tasks</h2>
          <table className="compact">
            <thead>
              <tr>
                <th>Task</th>
                <th>Status</th>
                <th>Outcome</th>
                <th>When</th>
              </tr>
            </thead>
            <tbody>
              {c.tasks.map((t) => (
                <tr key={t.id}>
                  <td>
                    <Link to={`/tasks/${t.id}`}>{kindLabel(t.kind)}</Link>
                  </td>
                  <td>
                    {t.status.toLowerCase()}
                    {t.overdue && <span className="tag danger">overdue</span>}
                  </td>
                  <td>{outcomeCell(outcomeAction(t.outcome), t.doneById)}</td>
                  <td className="muted small">{dateTime(t.doneAt ?? t.createdAt)}</td>
                </tr>
              ))}
              {c.tasks.length === 0 && (
                <tr>
                  <td colSpan={4} className="muted">
                    No tasks yet.
                  </td>
                </tr>
              )}
            </tbody>
          </table>
        </section>
      </div>

      <EligibilityPanel claim={c} canCheck={isBilling(role)} onChecked={claim.refresh} />

      <section className="card" aria-label="Codes and lines">
        <h2>Diagnoses and lines</h2>
        <p className="mono">{c.diagnoses.map((d) => d.code).join(', ') || '—'}</p>
        <LinesTable claim={c} />
        <Documentation text={c.documentation} />
      </section>

      <div className="claim-grid">
        <section className="card" aria-label="Submissions">
          <h2>Submissions</h2>
          {c.submissions.length === 0 && <p className="muted">Not submitted yet.</p>}
          <ul className="compact-list">
            {c.submissions.map((s) => (
              <li key={s.attempt}>
                Attempt {s.attempt} (frequency {s.frequencyCode}): <strong>{s.status.toLowerCase()}</strong>{' '}
                <span className="muted small">{dateTime(s.submittedAt)}</span>
                {s.rejectReason && <div className="small danger-text">{s.rejectReason}</div>}
              </li>
            ))}
          </ul>
          <h2>Appeals</h2>
          {c.appeals.length === 0 && <p className="muted">No appeals.</p>}
          <ul className="compact-list">
            {c.appeals.map((a) => (
              <li key={a.level}>
                Level {a.level}: <strong>{a.status.toLowerCase()}</strong>{' '}
                <span className="muted small">
                  filed {dateTime(a.filedAt)}, deadline {date(a.deadline)}
                </span>
              </li>
            ))}
          </ul>
        </section>

        <section className="card" aria-label="Payments">
          <h2>Payments</h2>
          {c.payments.length === 0 && <p className="muted">No remittance yet.</p>}
          {c.payments.map((p) => (
            <div key={p.id} className="payment">
              <p>
                <strong>{money(p.paidCents)}</strong> of {money(p.chargeCents)} paid {p.paymentDate ? `on ${date(p.paymentDate)}` : ''}{' '}
                <span className="muted small">
                  trace {p.traceNumber}, {PAYMENT_STATUS[p.statusCode] ?? `status ${p.statusCode}`}
                  {p.postedAt ? `, posted ${dateTime(p.postedAt)}` : ', not posted'}
                </span>
              </p>
              <ul className="compact-list">
                {p.adjustments.map((a, i) => (
                  <li key={i}>
                    <span className="code-badge">
                      {a.groupCode}-{a.carc}
                    </span>{' '}
                    {money(a.amountCents)} {a.lineNo ? `line ${a.lineNo}` : 'claim'}: {carcMeaning(a.carc) ?? ''}
                    {a.rarc && (
                      <div className="small muted">
                        {a.rarc}: {rarcMeaning(a.rarc) ?? ''}
                      </div>
                    )}
                  </li>
                ))}
              </ul>
            </div>
          ))}
        </section>
      </div>

      <section className="card" aria-label="Timeline">
        <h2>Timeline</h2>
        {timeline.error && <p className="error">The timeline could not be loaded: {timeline.error.message}</p>}
        {timeline.data?.workflowHistory === 'unavailable' && (
          <p className="muted small">The workflow&rsquo;s own history is unavailable right now; recorded events are shown.</p>
        )}
        <ol className="timeline">
          {(timeline.data?.entries ?? []).map((e, i) => (
            <li key={i}>
              <span className="muted small when">{dateTime(e.at)}</span>
              <span className={`tag src-${e.source}`}>{e.type}</span> {e.description}
              {e.actor && <span className="muted small"> — {e.actor}</span>}
            </li>
          ))}
        </ol>
      </section>
    </div>
  );
}
