// What a claim is about, for the task screen and the claim page: patient, payer, date of service,
// amounts, and (optionally) lines, diagnoses and the encounter note.
import { date, money, stateLabel } from '../format';
import { Link } from '../router';
import type { ClaimDetail, Patient, Payer } from '../types';

/** `withMoney`: charges and balance too (the claim page shows its own money figures instead). */
export function ClaimHeader({
  claim,
  patient,
  payer,
  withMoney = true,
}: {
  claim: ClaimDetail;
  patient?: Patient | null;
  payer?: Payer;
  withMoney?: boolean;
}) {
  return (
    <dl className="facts">
      <div>
        <dt>Claim</dt>
        <dd>
          <Link to={`/claims/${claim.id}`} className="mono">
            {claim.id}
          </Link>{' '}
          <span className={`state state-${claim.state}`}>{stateLabel(claim.state)}</span>
        </dd>
      </div>
      <div>
        <dt>Patient</dt>
        <dd>
          {patient ? (
            <>
              {patient.lastName}, {patient.firstName} <span className="muted small">born {date(patient.birthDate)}</span>
            </>
          ) : (
            <span className="mono">{claim.patientId}</span>
          )}
        </dd>
      </div>
      <div>
        <dt>Payer</dt>
        <dd>{payer?.name ?? claim.payerId}</dd>
      </div>
      <div>
        <dt>Date of service</dt>
        <dd>{date(claim.dateOfService)}</dd>
      </div>
      {withMoney && (
        <>
          <div>
            <dt>Charges</dt>
            <dd>{money(claim.totalChargeCents)}</dd>
          </div>
          <div>
            <dt>Balance</dt>
            <dd className="strong">{money(claim.balanceCents)}</dd>
          </div>
        </>
      )}
    </dl>
  );
}

export function Documentation({ text }: { text: string }) {
  return (
    <section className="note" aria-label="Encounter note">
      <h3>Encounter note</h3>
      <p className="note-text">{text}</p>
    </section>
  );
}

export function LinesTable({ claim }: { claim: ClaimDetail }) {
  return (
    <table className="lines" aria-label="Claim lines">
      <thead>
        <tr>
          <th>#</th>
          <th>Procedure</th>
          <th className="num">Units</th>
          <th className="num">Charge</th>
          <th>Dx</th>
          <th className="num">Paid</th>
          <th className="num">Adjusted</th>
          <th className="num">Patient</th>
        </tr>
      </thead>
      <tbody>
        {claim.lines.map((l) => (
          <tr key={l.lineNo}>
            <td>{l.lineNo}</td>
            <td className="mono">
              {l.procedureCode}
              {l.modifiers.length ? `-${l.modifiers.join('-')}` : ''}
            </td>
            <td className="num">{l.units}</td>
            <td className="num">{money(l.chargeCents)}</td>
            <td className="mono">{l.diagnosisPointers.map((p) => claim.diagnoses[p - 1]?.code ?? p).join(', ')}</td>
            <td className="num">{money(l.paidCents)}</td>
            <td className="num">{money(l.adjustedCents)}</td>
            <td className="num">{money(l.patientRespCents)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
