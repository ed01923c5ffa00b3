// Import charges (#/imports/charges): a practice system's export, checked by a dry run before anything is written.
// The biller picks (or drops) a file; the screen sends it with ?dryRun=true and shows what it would create and
// every problem where it is in the file. Only a clean dry run enables the import, which sends exactly the text
// that was checked; the API imports all of it or (422) none. The format is chosen by the file's extension, and a
// problem's location is whatever fields the API gives (row and column for CSV; claim, segment and position for an
// 837P), so a format is one entry in FORMATS.
import { useEffect, useRef, useState, type DragEvent } from 'react';
import { api, ApiError } from '../api';
import { money } from '../format';
import { Link } from '../router';
import type { ChargeDryRun, ChargeImportDone, ChargeImportRefusal, OrganizationList } from '../types';
import { usePoll } from '../usePoll';
import { Field, fieldId, NO_ERRORS, type FieldErrors } from './fields';

/** A kind of file the screen imports: which files are it, where they are sent, and the template to start from. */
interface ImportFormat {
  label: string;
  /** lower-case file name endings, dot included */
  extensions: readonly string[];
  contentType: string;
  /** the import route; ?dryRun=true|false and organizationId= are added */
  path: string;
  template?: { href: string; label: string };
}

/** The formats offered: the answers have the same shape, an 837P's problems naming claim, segment and position. */
const FORMATS: readonly ImportFormat[] = [
  {
    label: 'CSV',
    extensions: ['.csv'],
    contentType: 'text/csv',
    path: '/api/imports/charges',
    template: { href: '/api/imports/charges/template.csv', label: 'Download the CSV template' },
  },
  {
    label: '837P',
    extensions: ['.837', '.x12', '.edi', '.txt'],
    contentType: 'application/edi-x12',
    path: '/api/imports/837p',
  },
];

const formatOf = (fileName: string) => FORMATS.find((f) => f.extensions.some((e) => fileName.toLowerCase().endsWith(e)));
const ACCEPT = FORMATS.flatMap((f) => f.extensions).join(',');

/** A problem wherever it is: a CSV names row and column, an X12 file segment, position and claim. */
type ImportProblem = { message: string } & Partial<Record<string, string | number>>;
/** What a dry run (or a refused import) says the file would do, whichever format it is. */
type ImportReport = Omit<ChargeDryRun, 'dryRun' | 'problems'> & { problems: ImportProblem[] };

/** Location fields in the order the problems table shows them, with their headings; others follow by name. */
const LOCATIONS: readonly [string, string][] = [
  ['row', 'Row'],
  ['column', 'Column'],
  ['claim', 'Claim'],
  ['segment', 'Segment'],
  ['position', 'Position'],
];

interface ChosenFile {
  name: string;
  text: string;
  format: ImportFormat;
}

type Outcome =
  | { kind: 'checked'; report: ImportReport }
  | { kind: 'refused'; report: ImportReport; message: string }
  | { kind: 'imported'; done: ChargeImportDone };

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export function ImportCharges() {
  const practices = usePoll((signal) => api<OrganizationList>('/api/organizations', { signal }), [], 0);
  const choices = practices.data?.items ?? [];
  const asksPractice = choices.length > 1;
  const [organizationId, setOrganizationId] = useState('');
  const [file, setFile] = useState<ChosenFile>();
  const [outcome, setOutcome] = useState<Outcome>();
  const [busy, setBusy] = useState<'reading' | 'checking' | 'importing'>();
  const [failure, setFailure] = useState<string>();
  const [errors, setErrors] = useState<FieldErrors>(NO_ERRORS);
  const [dragging, setDragging] = useState(false);
  // Each dry run's number: an answer overtaken by a newer file or practice is dropped.
  const run = useRef(0);
  // Set at once, not at the next render: the second click of a double click must not send the file again (it would
  // find every encounter imported and answer with no claim created, over the first answer).
  const importing = useRef(false);

  const practiceReady = !asksPractice || organizationId !== '';
  const target = (format: ImportFormat, dryRun: boolean) =>
    `${format.path}?dryRun=${dryRun}${asksPractice ? `&organizationId=${encodeURIComponent(organizationId)}` : ''}`;

  const refusedBecause = (err: unknown) => {
    if (err instanceof ApiError && err.field === 'organizationId') {
      setErrors(new Map([['organizationId', err.message]]));
      setFailure('Choose one of your practices.');
    } else if (err instanceof ApiError && err.code === 'PAYLOAD_TOO_LARGE') {
      setFailure('The file is larger than an import takes: split the export into smaller files.');
    } else {
      setFailure((err as Error).message);
    }
  };

  // The dry run: whenever the file or the practice changes.
  useEffect(() => {
    if (!file || !practiceReady || practices.loading) return;
    const mine = ++run.current;
    setBusy('checking');
    setFailure(undefined);
    setErrors(NO_ERRORS);
    setOutcome(undefined);
    api<ChargeDryRun>(target(file.format, true), { method: 'POST', body: file.text, contentType: file.format.contentType }).then(
      (report) => {
        if (mine !== run.current) return;
        setOutcome({ kind: 'checked', report });
        setBusy(undefined);
      },
      (err: unknown) => {
        if (mine !== run.current) return;
        refusedBecause(err);
        setBusy(undefined);
      },
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [file, organizationId, practiceReady, practices.loading]);

  const choose = async (picked: File | undefined) => {
    if (!picked) return;
    const format = formatOf(picked.name);
    if (!format) {
      setFile(undefined);
      setOutcome(undefined);
      setFailure(
        `${picked.name} is not a file this screen imports: choose a ${FORMATS.map((f) => f.extensions.join(' or ')).join(', ')} file.`,
      );
      return;
    }
    setBusy('reading');
    try {
      setFile({ name: picked.name, text: await picked.text(), format });
    } catch {
      setFailure(`${picked.name} could not be read: choose it again.`);
    } finally {
      // the dry run, when it can run, says it is checking
      setBusy(undefined);
    }
  };

  const importFile = async () => {
    if (!file || busy || importing.current) return;
    importing.current = true;
    run.current++;
    setBusy('importing');
    setFailure(undefined);
    try {
      const done = await api<ChargeImportDone>(target(file.format, false), {
        method: 'POST',
        body: file.text,
        contentType: file.format.contentType,
      });
      setOutcome({ kind: 'imported', done });
    } catch (err) {
      // 422 IMPORT_REFUSED carries the report: something changed since the dry run, and nothing was written.
      const body = err instanceof ApiError && err.code === 'IMPORT_REFUSED' ? (err.body as ChargeImportRefusal) : undefined;
      if (body) setOutcome({ kind: 'refused', report: body, message: body.error.message });
      else refusedBecause(err);
    } finally {
      importing.current = false;
      setBusy(undefined);
    }
  };

  const startOver = () => {
    run.current++;
    setFile(undefined);
    setOutcome(undefined);
    setFailure(undefined);
  };

  const onDrop = (e: DragEvent<HTMLDivElement>) => {
    e.preventDefault();
    setDragging(false);
    void choose(e.dataTransfer.files[0]);
  };

  const report = outcome && outcome.kind !== 'imported' ? outcome.report : undefined;
  const importable = outcome?.kind === 'checked' && report !== undefined && report.problems.length === 0 && report.claims > 0;
  const claims = report?.claims ?? 0;

  return (
    <div className="intake import" aria-label="Import charges" role="region">
      <div className="toolbar">
        <h1>Import charges</h1>
      </div>
      {(failure ?? practices.error) && (
        <p className="error banner" role="alert">
          {failure ?? practices.error?.message}
        </p>
      )}

      <section className="card" aria-label="File">
        <h2>File</h2>
        <p className="muted">
          A CSV export (one row per claim line, rows of one visit sharing its encounter id; the columns are described in{' '}
          <span className="mono">docs/charge-import.md</span>) or a practice system&apos;s 837P file (<span className="mono">.837</span>,{' '}
          <span className="mono">.x12</span>, <span className="mono">.edi</span>; <span className="mono">docs/837p-intake.md</span>). The
          file is checked first and imported whole or not at all.
        </p>
        <div className="form-grid">
          {asksPractice && (
            <Field label="Practice" name="organizationId" errors={errors}>
              <select
                id={fieldId('organizationId')}
                value={organizationId}
                onChange={(e) => setOrganizationId(e.target.value)}
                disabled={busy === 'importing' || outcome?.kind === 'imported'}
              >
                <option value="">Choose the practice…</option>
                {choices.map((o) => (
                  <option key={o.id} value={o.id}>
                    {o.name}
                  </option>
                ))}
              </select>
            </Field>
          )}
        </div>
        {outcome?.kind !== 'imported' && (
          <div
            className={`dropzone${dragging ? ' dragging' : ''}`}
            onDragOver={(e) => {
              e.preventDefault();
              setDragging(true);
            }}
            onDragLeave={() => setDragging(false)}
            onDrop={onDrop}
            data-testid="dropzone"
          >
            <label htmlFor="import-file">Charge file ({FORMATS.map((f) => f.label).join(', ')})</label>
            <input
              id="import-file"
              type="file"
              accept={ACCEPT}
              disabled={busy === 'importing'}
              onChange={(e) => {
                void choose(e.target.files?.[0]);
                // the same file, corrected and chosen again, is a change too
                e.target.value = '';
              }}
            />
            <span className="muted small">or drop it here</span>
          </div>
        )}
        <p className="small">
          {FORMATS.filter((f) => f.template).map((f) => (
            <a key={f.label} href={f.template!.href} download>
              {f.template!.label}
            </a>
          ))}
        </p>
        <p role="status" className="muted" data-testid="import-status">
          {busy === 'reading' && 'Reading the file…'}
          {busy === 'checking' && file && `Checking ${file.name}…`}
          {busy === 'importing' && file && `Importing ${file.name}…`}
          {!busy && file && !practiceReady && 'Choose the practice the charges belong to.'}
          {!busy && file && outcome?.kind === 'checked' && `Checked ${file.name}: nothing has been imported yet.`}
        </p>
      </section>

      {report && file && (
        <section className="card" aria-label="Dry run">
          <h2>{outcome?.kind === 'refused' ? 'Nothing was imported' : `What ${file.name} would import`}</h2>
          {outcome?.kind === 'refused' && (
            <p className="refusal" role="alert">
              The import was refused ({outcome.message}): what the dry run checked has changed since. Fix the problems below and choose the
              file again.
            </p>
          )}
          <Figures report={report} />
          {report.problems.length > 0 ? (
            <Problems problems={report.problems} />
          ) : claims === 0 ? (
            <p className="callout">
              {report.duplicates.length > 0
                ? 'Every encounter in this file was imported before: there is nothing new to import.'
                : 'The file holds no charge rows: there is nothing to import.'}
            </p>
          ) : (
            <p className="ok-text" data-testid="dry-run-verdict">
              No problems: {plural(claims, 'claim')} ready to import.
            </p>
          )}
          <div className="submit-row">
            <button type="button" className="primary" disabled={!importable || busy !== undefined} onClick={() => void importFile()}>
              {busy === 'importing' ? 'Importing…' : `Import ${plural(claims, 'claim')}`}
            </button>
            {report.problems.length > 0 && <span className="muted small">The import is possible once the dry run finds no problem.</span>}
          </div>
        </section>
      )}

      {outcome?.kind === 'imported' && <Imported done={outcome.done} fileName={file?.name ?? ''} onAgain={startOver} />}
    </div>
  );
}

function Figures({ report }: { report: ImportReport }) {
  return (
    <dl className="figures" aria-label="Figures">
      <div>
        <dt>Claims</dt>
        <dd data-figure="claims">{report.claims}</dd>
      </div>
      <div>
        <dt>Lines</dt>
        <dd data-figure="lines">{report.lines}</dd>
      </div>
      <div>
        <dt>Total charges</dt>
        <dd data-figure="total">{money(report.totalCents)}</dd>
      </div>
      <div>
        <dt>Patients to register</dt>
        <dd data-figure="patients">{report.patientsToCreate}</dd>
      </div>
      <div>
        <dt>Imported before (skipped)</dt>
        <dd data-figure="duplicates">
          {report.duplicates.length}
          {report.duplicates.length > 0 && <span className="muted small mono"> {report.duplicates.join(', ')}</span>}
        </dd>
      </div>
    </dl>
  );
}

/** Every problem with the location fields any of them has, in the order the API listed them (by row). */
function Problems({ problems }: { problems: ImportProblem[] }) {
  const present = new Set(problems.flatMap((p) => Object.keys(p).filter((k) => k !== 'message' && p[k] !== undefined)));
  const columns = [
    ...LOCATIONS.filter(([key]) => present.has(key)),
    ...[...present].filter((k) => !LOCATIONS.some(([key]) => key === k)).map((k): [string, string] => [k, k]),
  ];
  return (
    <>
      <p className="danger-text" data-testid="dry-run-verdict">
        {plural(problems.length, 'problem')}: correct {problems.length === 1 ? 'it' : 'them'} in the file and choose it again.
      </p>
      <table className="problems" aria-label="Problems">
        <thead>
          <tr>
            {columns.map(([key, heading]) => (
              <th key={key} scope="col" className={typeof problems[0][key] === 'number' ? 'num' : undefined}>
                {heading}
              </th>
            ))}
            <th scope="col">Problem</th>
          </tr>
        </thead>
        <tbody>
          {problems.map((p, i) => (
            <tr key={i}>
              {columns.map(([key]) => (
                <td key={key} className={typeof p[key] === 'number' ? 'num' : 'mono'}>
                  {p[key] ?? ''}
                </td>
              ))}
              <td>{p.message}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

function Imported({ done, fileName, onAgain }: { done: ChargeImportDone; fileName: string; onAgain: () => void }) {
  return (
    <section className="done" aria-label="Imported">
      <h2>
        Imported {plural(done.created.length, 'claim')} from {fileName}
      </h2>
      {done.created.length > 0 && (
        <>
          <p>Each claim now waits for a coder, as one entered by hand does:</p>
          <ul className="compact-list created" aria-label="Claims created">
            {done.created.map((id) => (
              <li key={id}>
                <Link to={`/claims/${encodeURIComponent(id)}`}>
                  <span className="mono">{id}</span>
                </Link>
                {done.workflowsPending.includes(id) && <span className="tag">workflow pending</span>}
              </li>
            ))}
          </ul>
        </>
      )}
      <p>
        {plural(done.patientsCreated, 'patient')} registered from the file.{' '}
        {done.duplicates.length > 0 && (
          <>
            Imported before and skipped: <span className="mono">{done.duplicates.join(', ')}</span>.
          </>
        )}
      </p>
      {done.workflowsPending.length > 0 && (
        <p className="callout">
          {plural(done.workflowsPending.length, 'claim')} saved, but the workflow service did not answer: their workflows start when it does
          (at claimflow’s next start, or the claim’s first action).
        </p>
      )}
      <button type="button" onClick={onAgain}>
        Import another file
      </button>
    </section>
  );
}
