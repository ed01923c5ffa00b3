// The search box in the header: patients and claims by name, birth date, member id, claim id or date of
// service (GET /api/search). Patients offer "New claim" to those who enter charges; claims open their page.
import { useEffect, useRef, useState } from 'react';
import { api, query } from './api';
import { date, money, stateLabel } from './format';
import { Link, navigate } from './router';
import { isBilling, useUser } from './session';
import type { SearchAnswer } from './types';

export function SearchBox() {
  const { role } = useUser();
  const [q, setQ] = useState('');
  const [answer, setAnswer] = useState<SearchAnswer>();
  const [error, setError] = useState<string>();
  const [open, setOpen] = useState(false);
  const boxRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const term = q.trim();
    if (term.length < 2) {
      setAnswer(undefined);
      setError(undefined);
      return;
    }
    const ctrl = new AbortController();
    const timer = setTimeout(() => {
      api<SearchAnswer>(`/api/search${query({ q: term, limit: 10 })}`, { signal: ctrl.signal })
        .then((r) => {
          setAnswer(r);
          setError(undefined);
          setOpen(true);
        })
        .catch((e: Error) => e.name !== 'AbortError' && setError(e.message));
    }, 250);
    return () => {
      clearTimeout(timer);
      ctrl.abort();
    };
  }, [q]);

  // A click elsewhere closes the results; following a link does too.
  useEffect(() => {
    const onDown = (e: MouseEvent) => {
      if (boxRef.current && !boxRef.current.contains(e.target as Node)) setOpen(false);
    };
    const onHash = () => setOpen(false);
    document.addEventListener('mousedown', onDown);
    window.addEventListener('hashchange', onHash);
    return () => {
      document.removeEventListener('mousedown', onDown);
      window.removeEventListener('hashchange', onHash);
    };
  }, []);

  const showing = open && (answer !== undefined || error !== undefined) && q.trim().length >= 2;
  return (
    <div className="search-box" ref={boxRef} role="search">
      <input
        type="search"
        aria-label="Search patients and claims"
        placeholder="Search: name, birth date, member id, claim id"
        value={q}
        onChange={(e) => setQ(e.target.value)}
        onFocus={() => setOpen(true)}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.stopPropagation();
            setOpen(false);
          }
        }}
        autoComplete="off"
      />
      {showing && (
        <div className="search-results" aria-label="Search results" role="region">
          {error && <p className="error small">{error}</p>}
          {answer && (
            <>
              <h3>Patients</h3>
              {answer.patients.length === 0 && <p className="muted small">No patient matches.</p>}
              <ul aria-label="Patients found">
                {answer.patients.map((p) => (
                  <li key={p.id} data-patient-id={p.id}>
                    <span>
                      <strong>
                        {p.lastName}, {p.firstName}
                      </strong>{' '}
                      <span className="muted small">born {date(p.birthDate)}</span>
                      <span className="muted small block">
                        {p.coverages.map((c) => `${c.payerName} ${c.memberId}`).join(' · ') || 'no coverage'}
                      </span>
                    </span>
                    {isBilling(role) && (
                      <button
                        type="button"
                        className="small-btn"
                        onClick={() => navigate(`/claims/new?patient=${encodeURIComponent(p.id)}`)}
                      >
                        New claim
                      </button>
                    )}
                  </li>
                ))}
              </ul>
              {answer.more.patients && <p className="muted small">More patients match: narrow the search.</p>}
              <h3>Claims</h3>
              {answer.claims.length === 0 && <p className="muted small">No claim matches.</p>}
              <ul aria-label="Claims found">
                {answer.claims.map((c) => (
                  <li key={c.id} data-claim-id={c.id}>
                    <Link to={`/claims/${encodeURIComponent(c.id)}`}>
                      <span className="mono">{c.id}</span>
                    </Link>
                    <span className="small">
                      {c.patient.lastName}, {c.patient.firstName} · seen {date(c.dateOfService)} · {money(c.totalChargeCents)}
                    </span>
                    <span className={`state state-${c.state}`}>{stateLabel(c.state)}</span>
                  </li>
                ))}
              </ul>
              {answer.more.claims && <p className="muted small">More claims match: narrow the search.</p>}
            </>
          )}
        </div>
      )}
    </div>
  );
}
