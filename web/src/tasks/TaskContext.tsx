// "What this task asks": the part of the task's context a person needs, in words, per kind.
import { useEffect, useState } from 'react';
import { CATEGORY_LABELS, date, dateTime, kindLabel, money } from '../format';
import { Link } from '../router';
import { loadReasonCodes } from '../reference';
import { storedObject } from '../storedJson';
import type { Adjustment, ClaimDetail, Payer, ReasonCodes, TaskView } from '../types';

/** What a task's context may carry (the workflow writes it per kind); anything may be missing. */
interface Ctx {
  attempt?: number;
  reason?: string;
  carcs?: string[];
  levelsLeft?: number;
  appealLevel?: number;
  level?: number;
  category?: string;
  appealDeadline?: string;
  amountCents?: number;
  thresholdCents?: number;
  appealWindowOpen?: boolean;
  /** WRITE_OFF_APPROVAL: who asked for the write-off, and why it needs a supervisor */
  requestedBy?: string;
  requestedByRole?: string;
  why?: string;
  status?: { category?: string; statusCode?: string; message?: string };
  followUp?: number;
  /** ELIGIBILITY: the 271's answer */
  reasons?: string[];
  advice?: string;
  checkedAt?: string;
  /** FOLLOW_UP from a 277: what the status says and what to do about it */
  says?: string;
  action?: string;
  failures?: { editId: string; severity: string; message: string; field?: string }[];
  /** UNDERPAYMENT: the lines the payer allowed below the contracted fee schedule */
  lines?: UnderpaidLine[];
  expectedCents?: number;
  allowedCents?: number;
  differenceCents?: number;
  uncheckedLineNos?: number[];
}

interface UnderpaidLine {
  lineNo: number;
  procedureCode: string;
  expectedCents: number;
  allowedCents: number;
  paidCents: number;
  patientRespCents: number;
  differenceCents: number;
  carcs: string[];
}

const ASKS: Record<string, string> = {
  CODE_REVIEW: 'Read the note, check the suggested diagnoses against it, and confirm the codes (change them first if they are wrong).',
  SCRUB_FIX_CODING: 'The claim failed the scrubber on coding edits. Fix the codes, then mark it fixed, or void the claim.',
  SCRUB_FIX_BILLING: 'The claim failed the scrubber on billing edits. Fix what the edits name, then mark it fixed, or void the claim.',
  FIX_REJECTION: 'The payer or clearinghouse rejected the claim before adjudication. Fix the cause and resubmit, or void it.',
  ELIGIBILITY:
    'The payer does not confirm the patient’s coverage on the date of service, so the claim was not sent. Fix the coverage on the patient (member id, group, relationship) and choose “coverage fixed”, ask the payer again, or void the claim.',
  FOLLOW_UP: 'The payer has not paid within its follow-up interval. Here is what its status answer says: keep waiting, or resubmit.',
  CHART_AUDIT: 'The payer denied the claim for a coding reason. Audit the chart: send a corrected claim, appeal, or request a write-off.',
  DENIAL_REVIEW: 'The payer denied the claim. Decide: a corrected claim, an appeal, or a write-off request.',
  APPEAL_UPHELD_REVIEW: 'The payer upheld the denial on appeal. Appeal at the next level if one is left, or request a write-off.',
  APPEAL_DECISION_OVERDUE: 'The payer has not decided the appeal in time. Keep waiting, or request a write-off.',
  WRITE_OFF_APPROVAL: 'A write-off above the approval threshold needs your decision.',
  FOLLOW_UP_ESCALATION: 'Follow-ups are used up without a payment. Keep waiting, resubmit, or write the balance off.',
  OVERDUE_TASK: 'A task passed its due time. Look at it (and reassign it if needed), then acknowledge.',
  TIMELY_FILING_RISK: 'The timely-filing limit is near and the payer has not accepted the claim.',
  POSTING_EXCEPTION: 'A payment matched none of our claims. Match it to the right claim, or resolve it with a note.',
  UNDERPAYMENT:
    'The payer allowed less than the contracted fee schedule on the lines below. Appeal the difference, or accept the payment as posted.',
};

export function TaskAsks({ task, claim, payer }: { task: TaskView; claim?: ClaimDetail; payer?: Payer }) {
  const ctx = storedObject(task.context) as Ctx;
  return (
    <section className="asks" aria-label="What this task asks">
      <p>{ASKS[task.kind] ?? 'Decide the outcome of this task.'}</p>
      {['DENIAL_REVIEW', 'CHART_AUDIT', 'APPEAL_UPHELD_REVIEW', 'WRITE_OFF_APPROVAL'].includes(task.kind) && (
        <DenialReasons ctx={ctx} claim={claim} payer={payer} kind={task.kind} />
      )}
      {task.kind === 'FOLLOW_UP' && <StatusAnswer ctx={ctx} payer={payer} />}
      {task.kind === 'ELIGIBILITY' && <EligibilityAnswer ctx={ctx} claim={claim} />}
      {task.kind === 'UNDERPAYMENT' && <Underpayment ctx={ctx} />}
      {(task.kind === 'SCRUB_FIX_CODING' || task.kind === 'SCRUB_FIX_BILLING') && <ScrubFailures ctx={ctx} />}
      {task.kind === 'FIX_REJECTION' && (
        <p className="callout">
          Rejection on attempt {ctx.attempt ?? '?'}: <strong>{String(ctx.reason ?? 'no reason given')}</strong>
        </p>
      )}
      {![
        'CODE_REVIEW',
        'DENIAL_REVIEW',
        'CHART_AUDIT',
        'APPEAL_UPHELD_REVIEW',
        'WRITE_OFF_APPROVAL',
        'FOLLOW_UP',
        'SCRUB_FIX_CODING',
        'SCRUB_FIX_BILLING',
        'FIX_REJECTION',
        'ELIGIBILITY',
        'UNDERPAYMENT',
      ].includes(task.kind) && <ContextList ctx={ctx} />}
    </section>
  );
}

function useReasonCodes(): ReasonCodes | undefined {
  const [codes, setCodes] = useState<ReasonCodes>();
  useEffect(() => {
    loadReasonCodes().then(setCodes, () => {});
  }, []);
  return codes;
}

/** The denial's CARCs (and the RARCs and groups the remittance carried) with what they mean. */
function DenialReasons({ ctx, claim, payer, kind }: { ctx: Ctx; claim?: ClaimDetail; payer?: Payer; kind: string }) {
  const codes = useReasonCodes();
  const carcs: string[] = Array.isArray(ctx.carcs) ? ctx.carcs : [];
  const adjustments: Adjustment[] = (claim?.payments ?? []).flatMap((p) => p.adjustments);
  const meaning = (c: string) => codes?.carcs.find((x) => x.code === c.toUpperCase());
  const rarcs = [...new Set(adjustments.filter((a) => a.rarc && carcs.includes(a.carc)).map((a) => a.rarc!))];
  const groupsOf = (c: string) => [...new Set(adjustments.filter((a) => a.carc === c).map((a) => a.groupCode))];
  const levelsLeft =
    typeof ctx.levelsLeft === 'number'
      ? ctx.levelsLeft
      : payer
        ? payer.appealLevels - (Number(ctx.appealLevel ?? ctx.level) || 0)
        : undefined;
  return (
    <div className="denial">
      <h3>Why the payer {kind === 'WRITE_OFF_APPROVAL' ? 'did not pay' : 'denied it'}</h3>
      {carcs.length === 0 && <p className="muted">The remittance gave no reason code.</p>}
      <ul className="reason-codes" aria-label="Denial reasons">
        {carcs.map((c) => {
          const m = meaning(c);
          return (
            <li key={c} data-carc={c}>
              <span className="code-badge">CARC {c}</span>
              <span>
                <strong className="meaning">{m?.meaning ?? 'looking up…'}</strong>
                {m && <span className="muted small"> — {CATEGORY_LABELS[m.category] ?? m.category}</span>}
                {groupsOf(c).map((g) => (
                  <span key={g} className="muted small">
                    {' '}
                    · group {g}: {codes?.groups.find((x) => x.code === g)?.meaning ?? ''}
                  </span>
                ))}
              </span>
            </li>
          );
        })}
        {rarcs.map((r) => (
          <li key={r} data-rarc={r}>
            <span className="code-badge rarc">RARC {r}</span>
            <span className="meaning">{codes?.rarcs.find((x) => x.code === r)?.meaning ?? 'looking up…'}</span>
          </li>
        ))}
      </ul>
      <dl className="facts compact">
        {ctx.category && (
          <div>
            <dt>Category</dt>
            <dd>{CATEGORY_LABELS[ctx.category] ?? ctx.category}</dd>
          </div>
        )}
        {ctx.appealDeadline && (
          <div>
            <dt>Appeal deadline</dt>
            <dd>{date(ctx.appealDeadline)}</dd>
          </div>
        )}
        {levelsLeft !== undefined && kind !== 'WRITE_OFF_APPROVAL' && (
          <div>
            <dt>Appeal levels left</dt>
            <dd>
              {Math.max(0, levelsLeft)}
              {payer ? ` of ${payer.appealLevels}` : ''}
            </dd>
          </div>
        )}
        {typeof ctx.amountCents === 'number' && (
          <div>
            <dt>Write-off amount</dt>
            <dd>
              {money(ctx.amountCents)}
              {ctx.thresholdCents !== undefined ? ` (approval needed above ${money(ctx.thresholdCents)})` : ''}
            </dd>
          </div>
        )}
        {ctx.requestedBy && (
          <div>
            <dt>Requested by</dt>
            <dd>
              {ctx.requestedBy}
              {ctx.requestedByRole ? ` (${ctx.requestedByRole.toLowerCase()})` : ''}
              {ctx.why ? `: ${ctx.why}` : ''}
            </dd>
          </div>
        )}
        {ctx.appealWindowOpen === false && (
          <div>
            <dt>Appeal window</dt>
            <dd className="danger-text">closed</dd>
          </div>
        )}
      </dl>
    </div>
  );
}

function EligibilityAnswer({ ctx, claim }: { ctx: Ctx; claim?: ClaimDetail }) {
  return (
    <div className="status-answer">
      <h3>The payer&rsquo;s eligibility answer</h3>
      <p className="callout">
        <strong>{String(ctx.status ?? 'no answer')}</strong>
        {ctx.checkedAt && <span className="muted small"> — asked {new Date(String(ctx.checkedAt)).toLocaleString()}</span>}
      </p>
      <ul className="compact-list">
        {(ctx.reasons ?? []).map((r, i) => (
          <li key={i}>{r}</li>
        ))}
      </ul>
      {ctx.advice && <p className="small muted">Payer&rsquo;s advice: {ctx.advice.replace(/-/g, ' ')}</p>}
      {claim && (
        <p className="small">
          <Link to={`/claims/${encodeURIComponent(claim.id)}`}>The claim page</Link> shows the check on file and checks again on demand.
        </p>
      )}
    </div>
  );
}

/** Per line: what the contract says, what the payer allowed and paid, the difference and the payer's reasons. */
function Underpayment({ ctx }: { ctx: Ctx }) {
  const lines = Array.isArray(ctx.lines) ? ctx.lines : [];
  const unchecked = Array.isArray(ctx.uncheckedLineNos) ? ctx.uncheckedLineNos : [];
  return (
    <div className="underpayment">
      <h3>Allowed below the contract{typeof ctx.differenceCents === 'number' ? `: ${money(ctx.differenceCents)} short` : ''}</h3>
      <table className="lines underpaid-lines" aria-label="Underpaid lines">
        <thead>
          <tr>
            <th scope="col">Line</th>
            <th scope="col">Code</th>
            <th scope="col" className="num">
              Expected
            </th>
            <th scope="col" className="num">
              Allowed
            </th>
            <th scope="col" className="num">
              Paid
            </th>
            <th scope="col" className="num">
              Difference
            </th>
            <th scope="col">Reasons</th>
          </tr>
        </thead>
        <tbody>
          {lines.map((l) => (
            <tr key={l.lineNo} data-line={l.lineNo}>
              <td>{l.lineNo}</td>
              <td>{l.procedureCode}</td>
              <td className="num">{money(l.expectedCents)}</td>
              <td className="num">{money(l.allowedCents)}</td>
              <td className="num">{money(l.paidCents)}</td>
              <td className="num danger-text">{money(l.differenceCents)}</td>
              <td>{(l.carcs ?? []).join(', ') || '–'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {unchecked.length > 0 && (
        <p className="muted small">
          Line{unchecked.length > 1 ? 's' : ''} {unchecked.join(', ')} ha{unchecked.length > 1 ? 've' : 's'} no contracted rate and could
          not be checked.
        </p>
      )}
    </div>
  );
}

function StatusAnswer({ ctx, payer }: { ctx: Ctx; payer?: Payer }) {
  const s = ctx.status as { category?: string; statusCode?: string; message?: string } | undefined;
  return (
    <div className="status-answer">
      <h3>The payer&rsquo;s status answer (follow-up {ctx.followUp ?? '?'})</h3>
      {ctx.says && (
        <p className="callout">
          The payer says: <strong>{ctx.says}</strong>
          {ctx.action && <div className="small">What to do: {ctx.action}</div>}
        </p>
      )}
      {s ? (
        <p className="callout">
          <strong>{s.message ?? 'no message'}</strong>
          <span className="muted small">
            {' '}
            — status {s.statusCode ?? '?'},{' '}
            {String(s.category ?? '')
              .toLowerCase()
              .replace(/_/g, ' ')}
          </span>
        </p>
      ) : (
        <p className="muted">No status answer was recorded.</p>
      )}
      {payer && (
        <p className="muted small">
          {payer.name} is followed up every {payer.followUpIntervalDays} days.
        </p>
      )}
    </div>
  );
}

function ScrubFailures({ ctx }: { ctx: Ctx }) {
  const failures: { editId: string; severity: string; message: string; field?: string }[] = Array.isArray(ctx.failures) ? ctx.failures : [];
  return (
    <div>
      <h3>Scrubber edits that failed</h3>
      <ul className="failures">
        {failures.map((f, i) => (
          <li key={i} className={f.severity === 'ERROR' ? 'error-line' : 'warning-line'}>
            <span className="code-badge">{f.editId}</span> {f.message}
            {f.field && <span className="muted small"> ({f.field})</span>}
            {f.severity !== 'ERROR' && <span className="tag">warning</span>}
          </li>
        ))}
      </ul>
    </div>
  );
}

function ContextList({ ctx }: { ctx: Ctx }) {
  const entries = Object.entries(ctx).filter(([, v]) => v !== null && v !== undefined && typeof v !== 'object');
  if (!entries.length) return null;
  const show = (k: string, v: unknown) => {
    if (k.endsWith('Cents') && typeof v === 'number') return money(v);
    if (k === 'overdueKind') return kindLabel(String(v));
    if (k === 'overdueTaskId') return <Link to={`/tasks/${v}`}>{String(v)}</Link>;
    if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(v)) return dateTime(v);
    if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v)) return date(v);
    return String(v);
  };
  const label = (k: string) =>
    k
      .replace(/Cents$/, '')
      .replace(/([A-Z])/g, ' $1')
      .toLowerCase();
  return (
    <dl className="facts compact">
      {entries.map(([k, v]) => (
        <div key={k}>
          <dt>{label(k)}</dt>
          <dd>{show(k, v)}</dd>
        </div>
      ))}
    </dl>
  );
}
