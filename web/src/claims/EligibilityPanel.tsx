// The claim page's "Eligibility" panel: the payer's answer on file for the claim's coverage and date of service
// (status, plan, copay, coinsurance, deductible, reasons, when it was asked), and a check on demand for billers.
import { useState } from 'react';
import { api, ApiError } from '../api';
import { date, dateTime, money } from '../format';
import type { ClaimDetail, EligibilityCheck } from '../types';

type Benefit = EligibilityCheck['benefits'][number];

const STATUS_LABEL: Record<EligibilityCheck['status'], string> = {
  active: 'Active',
  inactive: 'Inactive',
  rejected: 'Not answered',
};

function benefitText(b: Benefit): string {
  const what = b.amount !== undefined ? money(b.amount) : b.percent !== undefined ? `${b.percent} %` : '—';
  const details = [
    b.remaining ? 'remaining' : b.period,
    b.coverageLevel,
    b.inNetwork === false ? 'out of network' : b.inNetwork ? 'in network' : undefined,
  ]
    .filter(Boolean)
    .join(', ');
  return details ? `${what} (${details})` : what;
}

export function EligibilityPanel({ claim, canCheck, onChecked }: { claim: ClaimDetail; canCheck: boolean; onChecked: () => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const e = claim.eligibility;

  const check = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await api<EligibilityCheck>(`/api/claims/${encodeURIComponent(claim.id)}/eligibility`, { method: 'POST' });
      onChecked();
    } catch (err) {
      setError(err instanceof ApiError ? err.message : 'the check failed');
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card" aria-label="Eligibility">
      <h2>Eligibility</h2>
      {!e && <p className="muted">Not checked yet: the claim is checked with the payer before it is submitted.</p>}
      {e && (
        <>
          <p>
            <span className={`tag ${e.status === 'active' ? '' : 'danger'}`} data-testid="eligibility-status">
              {STATUS_LABEL[e.status]}
            </span>{' '}
            {e.plan.description ?? ''}
            <span className="muted small">
              {' '}
              on {date(e.dateOfService)}, checked {dateTime(e.checkedAt)} by {e.checkedBy}
            </span>
          </p>
          {(e.plan.begins || e.plan.ends || e.plan.groupNumber) && (
            <p className="small">
              {e.plan.begins && `Coverage from ${date(e.plan.begins)}`}
              {e.plan.ends && ` until ${date(e.plan.ends)}`}
              {e.plan.groupNumber && ` · group ${e.plan.groupNumber}`}
            </p>
          )}
          {e.benefits.length > 0 && (
            <dl className="facts">
              {(['copay', 'coinsurance', 'deductible', 'out-of-pocket'] as const).map((kind) => {
                const of = e.benefits.filter((b) => b.kind === kind);
                return of.length === 0 ? null : (
                  <div key={kind}>
                    <dt>{kind}</dt>
                    <dd>{of.map(benefitText).join('; ')}</dd>
                  </div>
                );
              })}
            </dl>
          )}
          <ul className="compact-list">
            {e.reasons.map((r, i) => (
              <li key={i} className={e.status === 'active' ? 'small' : 'small danger-text'}>
                {r}
              </li>
            ))}
          </ul>
        </>
      )}
      {canCheck && (
        <button type="button" onClick={() => void check()} disabled={busy}>
          {busy ? 'Asking the payer…' : 'Check eligibility now'}
        </button>
      )}
      {error && <p className="error">{error}</p>}
    </section>
  );
}
