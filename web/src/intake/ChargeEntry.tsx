// Charge entry (#/claims/new?patient=…): the encounter of one patient (provider of the patient's practice, date
// and place of service, documentation), its diagnoses found with the ICD-10-CM search code review uses, and its
// lines (charges typed in dollars, sent as integer cents). **Check** shows what the scrubber would say, saving
// nothing; **Send** creates the claim under an Idempotency-Key made once per form, so a double click or a retry
// creates one claim, and opens the claim's page. The workflow then puts the claim in the coders' queue.
import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { api, ApiError } from '../api';
import { date, money } from '../format';
import { navigate } from '../router';
import { CodeSearch, describe } from '../tasks/CodeEditor';
import type { ClaimCheck, CodeResult, CreatedClaim, NewClaim, Patient, ProviderList } from '../types';
import { usePoll } from '../usePoll';
import { Field, FieldMessage, fieldErrorsOf, fieldId, messageFor, NO_ERRORS, type FieldErrors } from './fields';

/** The place-of-service codes a practice bills most (CMS place-of-service code set); any other can be typed. */
const PLACES: [string, string][] = [
  ['11', 'Office'],
  ['02', 'Telehealth, not in the home'],
  ['10', 'Telehealth in the home'],
  ['12', 'Home'],
  ['19', 'Off-campus outpatient hospital'],
  ['22', 'On-campus outpatient hospital'],
  ['21', 'Inpatient hospital'],
  ['23', 'Emergency room'],
  ['31', 'Skilled nursing facility'],
  ['32', 'Nursing facility'],
];
const MAX_DIAGNOSES = 12;
const MAX_LINES = 50;

interface LineForm {
  procedureCode: string;
  modifiers: string;
  units: string;
  charge: string;
  pointers: string;
}
const blankLine = (): LineForm => ({ procedureCode: '', modifiers: '', units: '1', charge: '', pointers: '1' });

/** "$1,234.50", "85", "85.5" → cents, exactly (no floating point); undefined when it is not an amount. */
export function dollarsToCents(text: string): number | undefined {
  const m = /^\$?\s*(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?$/.exec(text.trim());
  if (!m) return undefined;
  return Number(m[1].replace(/,/g, '')) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

/** A random key for this form's claim: crypto.getRandomValues works on plain http too, unlike randomUUID. */
function newIdempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `charge-entry-${[...bytes].map((b) => b.toString(16).padStart(2, '0')).join('')}`;
}

const localToday = () => {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
};

const list = (text: string) =>
  text
    .toUpperCase()
    .split(/[\s,]+/)
    .filter(Boolean);

export function ChargeEntry({ patientId }: { patientId?: string }) {
  const [patientInput, setPatientInput] = useState(patientId ?? '');
  const patient = usePoll(
    (signal) => (patientId ? api<Patient>(`/api/patients/${encodeURIComponent(patientId)}`, { signal }) : Promise.resolve(undefined)),
    [patientId],
    0,
  );
  const providers = usePoll((signal) => api<ProviderList>('/api/providers', { signal }), [], 0);
  const p = patient.data;
  const practiceProviders = useMemo(
    () => (providers.data?.items ?? []).filter((x) => p && x.organizationId === p.organizationId),
    [providers.data, p],
  );

  const [providerId, setProviderId] = useState('');
  const [coverageId, setCoverageId] = useState('');
  const [dateOfService, setDateOfService] = useState(localToday);
  const [placeOfService, setPlaceOfService] = useState('11');
  const [documentation, setDocumentation] = useState('');
  const [diagnoses, setDiagnoses] = useState<string[]>([]);
  const [known, setKnown] = useState<Map<string, CodeResult>>(new Map());
  const [lines, setLines] = useState<LineForm[]>([blankLine()]);
  const [errors, setErrors] = useState<FieldErrors>(NO_ERRORS);
  const [failure, setFailure] = useState<string>();
  const [check, setCheck] = useState<{ result: ClaimCheck; body: string }>();
  const [busy, setBusy] = useState<'check' | 'send'>();
  // One key for everything this form sends: a second click, or a retry after a lost answer, finds the first claim.
  const [idempotencyKey] = useState(newIdempotencyKey);
  const searchRef = useRef<HTMLInputElement>(null);

  // The patient's primary coverage and their practice's only provider are the usual choice.
  useEffect(() => {
    if (!p) return;
    setCoverageId((id) => id || (p.coverages.find((c) => c.priority === 'PRIMARY') ?? p.coverages[0])?.id || '');
  }, [p]);
  useEffect(() => {
    if (practiceProviders.length === 1) setProviderId((id) => id || practiceProviders[0].id);
  }, [practiceProviders]);
  useEffect(() => {
    describe(diagnoses, known).then(setKnown, () => {});
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [diagnoses.join(',')]);

  /** The body to send, or the fields that cannot become one (a charge that is no amount, units that are no number). */
  const build = (): { body: NewClaim } | { problems: FieldErrors } => {
    const problems = new Map<string, string>();
    if (!patientId) problems.set('patientId', 'choose the patient first');
    const body: NewClaim = {
      patientId: patientId ?? '',
      providerId,
      ...(coverageId ? { coverageId } : {}),
      dateOfService,
      placeOfService: placeOfService.trim(),
      documentation,
      diagnoses,
      lines: lines.map((l, i) => {
        const chargeCents = dollarsToCents(l.charge);
        if (chargeCents === undefined) problems.set(`lines[${i}].chargeCents`, 'enter dollars and cents, e.g. 125.00');
        const units = /^\d+$/.test(l.units.trim()) ? Number(l.units) : NaN;
        if (Number.isNaN(units)) problems.set(`lines[${i}].units`, 'must be a whole number');
        const modifiers = list(l.modifiers);
        return {
          procedureCode: l.procedureCode.trim().toUpperCase(),
          ...(modifiers.length ? { modifiers } : {}),
          units,
          chargeCents: chargeCents ?? 0,
          diagnosisPointers: list(l.pointers).map(Number),
        };
      }),
    };
    return problems.size ? { problems } : { body };
  };

  const refused = (err: unknown, what: string) => {
    const named = fieldErrorsOf(err);
    setErrors(named ?? NO_ERRORS);
    setFailure(named ? `${what}: correct the marked field.` : (err as Error).message);
    if (named) document.getElementById(fieldId([...named.keys()][0]))?.focus();
  };

  const runCheck = async () => {
    const built = build();
    if ('problems' in built)
      return refused(new ApiError(400, 'LOCAL', [...built.problems.values()][0], [...built.problems.keys()][0]), 'Not checked');
    setBusy('check');
    setFailure(undefined);
    try {
      const result = await api<ClaimCheck>('/api/claims/check', { method: 'POST', body: built.body });
      setCheck({ result, body: JSON.stringify(built.body) });
      // Findings about a field of the form are shown beside it too.
      const byField = new Map<string, string>();
      for (const f of result.failures) if (f.field && !byField.has(f.field)) byField.set(f.field, `${f.editId}: ${f.message}`);
      setErrors(byField);
    } catch (err) {
      setCheck(undefined);
      refused(err, 'Not checked');
    } finally {
      setBusy(undefined);
    }
  };

  const send = async () => {
    if (busy === 'send') return;
    const built = build();
    if ('problems' in built)
      return refused(new ApiError(400, 'LOCAL', [...built.problems.values()][0], [...built.problems.keys()][0]), 'Not sent');
    setBusy('send');
    setFailure(undefined);
    try {
      const created = await api<CreatedClaim>('/api/claims', {
        method: 'POST',
        body: built.body,
        headers: { 'Idempotency-Key': idempotencyKey },
      });
      navigate(`/claims/${encodeURIComponent(created.id)}`);
    } catch (err) {
      refused(err, 'Not sent');
      setBusy(undefined);
    }
  };

  const current = (() => {
    const built = build();
    return 'body' in built ? JSON.stringify(built.body) : undefined;
  })();
  const checkIsStale = check !== undefined && check.body !== current;

  const setLine = (i: number, name: keyof LineForm, value: string) =>
    setLines((ls) => ls.map((l, k) => (k === i ? { ...l, [name]: value } : l)));
  const removeDiagnosis = (i: number) => {
    // Pointers follow the diagnoses: past the removed one they move up, at it they go.
    setDiagnoses((ds) => ds.filter((_, k) => k !== i));
    setLines((ls) =>
      ls.map((l) => ({
        ...l,
        pointers: list(l.pointers)
          .map(Number)
          .filter((n) => n !== i + 1)
          .map((n) => (n > i + 1 ? n - 1 : n))
          .join(','),
      })),
    );
  };
  const norm = (c: string) => c.toUpperCase().replace(/\./g, '');
  const hasDiagnosis = (code: string) => diagnoses.some((d) => norm(d) === norm(code));

  return (
    <form
      className="intake"
      aria-label="Charge entry"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void send();
      }}
    >
      <div className="toolbar">
        <h1>New claim</h1>
      </div>
      {failure && (
        <p className="error banner" role="alert">
          {failure}
        </p>
      )}

      <section className="card" aria-label="Patient">
        <h2>Patient</h2>
        <div className="form-grid">
          <Field label="Patient id" name="patientId" errors={errors}>
            <span className="inline-input">
              <input
                id={fieldId('patientId')}
                value={patientInput}
                onChange={(e) => setPatientInput(e.target.value)}
                onKeyDown={(e) => {
                  if (e.key === 'Enter') {
                    e.preventDefault();
                    navigate(`/claims/new?patient=${encodeURIComponent(patientInput.trim())}`);
                  }
                }}
                autoComplete="off"
              />
              <button type="button" onClick={() => navigate(`/claims/new?patient=${encodeURIComponent(patientInput.trim())}`)}>
                Open
              </button>
            </span>
          </Field>
        </div>
        {!patientId && (
          <p className="muted">
            Type the patient’s id, or <a href="#/patients/new">register a new patient</a>.
          </p>
        )}
        {patient.error && <p className="error">{patient.error.message}</p>}
        {p && (
          <div className="patient-facts" data-testid="patient">
            <p>
              <strong>
                {p.lastName}, {p.firstName}
              </strong>{' '}
              <span className="muted">
                born {date(p.birthDate)} · {p.sex} · {p.city}, {p.state}
              </span>
            </p>
            <Field label="Bill to" name="coverageId" errors={errors}>
              <select id={fieldId('coverageId')} value={coverageId} onChange={(e) => setCoverageId(e.target.value)}>
                {p.coverages.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.payerName} · member {c.memberId} ({c.priority.toLowerCase()})
                  </option>
                ))}
              </select>
            </Field>
          </div>
        )}
      </section>

      <section className="card" aria-label="Encounter">
        <h2>Encounter</h2>
        <div className="form-grid">
          <Field label="Provider" name="providerId" errors={errors}>
            <select id={fieldId('providerId')} value={providerId} onChange={(e) => setProviderId(e.target.value)} disabled={!p}>
              <option value="">{p ? 'Choose the provider…' : 'Choose the patient first'}</option>
              {practiceProviders.map((x) => (
                <option key={x.id} value={x.id}>
                  {x.name} (NPI {x.npi})
                </option>
              ))}
            </select>
          </Field>
          <Field label="Date of service" name="dateOfService" errors={errors}>
            <input id={fieldId('dateOfService')} type="date" value={dateOfService} onChange={(e) => setDateOfService(e.target.value)} />
          </Field>
          <Field label="Place of service" name="placeOfService" errors={errors}>
            <input
              id={fieldId('placeOfService')}
              list="places-of-service"
              value={placeOfService}
              onChange={(e) => setPlaceOfService(e.target.value)}
              size={4}
              autoComplete="off"
            />
          </Field>
          <datalist id="places-of-service">
            {PLACES.map(([code, label]) => (
              <option key={code} value={code}>
                {label}
              </option>
            ))}
          </datalist>
        </div>
        <Field label="Documentation" name="documentation" errors={errors}>
          <textarea id={fieldId('documentation')} rows={5} value={documentation} onChange={(e) => setDocumentation(e.target.value)} />
        </Field>
      </section>

      <section className="card codes" aria-label="Diagnoses">
        <h2>Diagnoses</h2>
        <FieldMessage errors={errors} name="diagnoses" exact />
        {diagnoses.length === 0 && <p className="muted">No diagnosis yet: search by code or words and press Enter to add one.</p>}
        <ol className="diagnoses" aria-label="Diagnoses on the claim">
          {diagnoses.map((code, i) => {
            const info = known.get(norm(code));
            return (
              <li key={code} data-code={code}>
                <span className="mono code">{code}</span>
                <span className="desc">{info ? info.description : 'looking up…'}</span>
                <FieldMessage errors={errors} name={`diagnoses[${i}]`} />
                <span className="row-actions">
                  <button type="button" className="icon" onClick={() => removeDiagnosis(i)} aria-label={`Remove ${code}`} title="Remove">
                    ✕
                  </button>
                </span>
              </li>
            );
          })}
        </ol>
        <CodeSearch
          inputRef={searchRef}
          onPick={(code) => {
            if (!hasDiagnosis(code) && diagnoses.length < MAX_DIAGNOSES) setDiagnoses((ds) => [...ds, code]);
          }}
          isAdded={hasDiagnosis}
        />
      </section>

      <section className="card" aria-label="Lines">
        <h2>Lines</h2>
        <FieldMessage errors={errors} name="lines" exact />
        <table className="lines entry-lines" aria-label="Claim lines">
          <thead>
            <tr>
              <th>#</th>
              <th>Procedure (CPT/HCPCS)</th>
              <th>Modifiers</th>
              <th className="num">Units</th>
              <th className="num">Charge ($)</th>
              <th>Diagnosis pointers</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {lines.map((l, i) => {
              const name = (field: string) => `lines[${i}].${field}`;
              const cell = (field: string, input: ReactNode) => (
                <td className={messageFor(errors, name(field)) ? 'invalid' : undefined}>
                  {input}
                  <FieldMessage errors={errors} name={name(field)} />
                </td>
              );
              return (
                <tr key={i}>
                  <td>{i + 1}</td>
                  {cell(
                    'procedureCode',
                    <input
                      id={fieldId(name('procedureCode'))}
                      aria-label={`Procedure of line ${i + 1}`}
                      className="mono"
                      size={7}
                      value={l.procedureCode}
                      onChange={(e) => setLine(i, 'procedureCode', e.target.value)}
                      autoComplete="off"
                    />,
                  )}
                  {cell(
                    'modifiers',
                    <input
                      id={fieldId(name('modifiers'))}
                      aria-label={`Modifiers of line ${i + 1}`}
                      className="mono"
                      size={9}
                      placeholder="25 59"
                      value={l.modifiers}
                      onChange={(e) => setLine(i, 'modifiers', e.target.value)}
                      autoComplete="off"
                    />,
                  )}
                  {cell(
                    'units',
                    <input
                      id={fieldId(name('units'))}
                      aria-label={`Units of line ${i + 1}`}
                      className="num"
                      size={3}
                      inputMode="numeric"
                      value={l.units}
                      onChange={(e) => setLine(i, 'units', e.target.value)}
                    />,
                  )}
                  {cell(
                    'chargeCents',
                    <input
                      id={fieldId(name('chargeCents'))}
                      aria-label={`Charge of line ${i + 1} in dollars`}
                      className="num"
                      size={9}
                      inputMode="decimal"
                      placeholder="0.00"
                      value={l.charge}
                      onChange={(e) => setLine(i, 'charge', e.target.value)}
                    />,
                  )}
                  {cell(
                    'diagnosisPointers',
                    <>
                      <input
                        id={fieldId(name('diagnosisPointers'))}
                        aria-label={`Diagnosis pointers of line ${i + 1}`}
                        className="pointers"
                        size={8}
                        value={l.pointers}
                        onChange={(e) => setLine(i, 'pointers', e.target.value)}
                      />
                      <span className="muted small">
                        {' '}
                        {list(l.pointers)
                          .map((n) => diagnoses[Number(n) - 1] ?? '?')
                          .join(', ')}
                      </span>
                    </>,
                  )}
                  <td>
                    {lines.length > 1 && (
                      <button
                        type="button"
                        className="icon"
                        onClick={() => setLines((ls) => ls.filter((_, k) => k !== i))}
                        aria-label={`Remove line ${i + 1}`}
                        title="Remove"
                      >
                        ✕
                      </button>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        {lines.length < MAX_LINES && (
          <button type="button" onClick={() => setLines((ls) => [...ls, blankLine()])}>
            + Add a line
          </button>
        )}
        <p className="muted small">
          Total <span data-testid="total">{money(lines.reduce((sum, l) => sum + (dollarsToCents(l.charge) ?? 0), 0))}</span>
        </p>
      </section>

      {check && <Findings check={check.result} stale={checkIsStale} />}

      <div className="submit-row">
        <button type="button" onClick={() => void runCheck()} disabled={busy !== undefined}>
          {busy === 'check' ? 'Checking…' : 'Check'}
        </button>
        <button type="submit" className="primary" disabled={busy !== undefined}>
          {busy === 'send' ? 'Sending…' : 'Send'}
        </button>
      </div>
    </form>
  );
}

/** What the scrubber said: passed or not, each finding with its edit, whose queue fixes it and the field it is about. */
function Findings({ check, stale }: { check: ClaimCheck; stale: boolean }) {
  const errors = check.failures.filter((f) => f.severity === 'ERROR').length;
  return (
    <section className="card findings" aria-label="Scrubber findings">
      <h2>Scrubber findings</h2>
      {stale && <p className="callout">The form changed since this check: check again to see findings for what would be sent.</p>}
      {check.passed ? (
        <p className="ok-text" data-testid="check-verdict">
          Passes the claim edits{check.failures.length ? `, with ${check.failures.length} warning(s)` : ''}: it will go to coding review and
          then to {check.payer.name}.
        </p>
      ) : (
        <p className="danger-text" data-testid="check-verdict">
          {errors} error{errors === 1 ? '' : 's'}: the claim would stop at scrubbing until they are fixed.
        </p>
      )}
      {check.failures.length > 0 && (
        <ul className="failures" aria-label="Findings">
          {check.failures.map((f, i) => (
            <li key={i} data-edit={f.editId}>
              <span className={`tag ${f.severity === 'ERROR' ? 'danger' : ''}`}>{f.severity === 'ERROR' ? 'error' : 'warning'}</span>{' '}
              <span className="mono">{f.editId}</span> {f.message}{' '}
              <span className="muted small">
                ({f.route === 'CODER' ? 'a coder fixes it' : 'a biller fixes it'}
                {f.field ? `; ${f.field}` : ''})
              </span>
            </li>
          ))}
        </ul>
      )}
      <p className="muted small">
        Billed to {check.payer.name} (member {check.coverage.memberId}, {check.coverage.priority.toLowerCase()}) · total{' '}
        {money(check.totalChargeCents)} · checked against {check.codeSetVersions.join(', ') || 'no code set'}
        {check.editsSkipped.length > 0 && ` · not run: ${check.editsSkipped.map((s) => `${s.editId} (${s.reason})`).join('; ')}`}
      </p>
    </section>
  );
}
