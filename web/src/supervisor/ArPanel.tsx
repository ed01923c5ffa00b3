// Accounts receivable: the four headline measures, open balances by payer and age as stacked bars (the
// exact figures in a table beneath), expected (contracted) against collected money by payer, and the denial rate by CARC category. Each measure shows its formula,
// as the API states it, on hover and in the figure's description.
import { BarChart, RateBar } from './charts';
import { CATEGORY_LABELS, dollarsShort, percent, plural } from './format';
import { loadFailure } from './plainWords';
import type { ArMeasures } from './types';
import { money } from '../format';

/** Greener when recent, redder when old: the colour only repeats what the legend and the table say. */
const AGING_COLORS = ['#2e7d32', '#9e9d24', '#f9a825', '#ef6c00', '#b71c1c'];

export function ArPanel({ data, error }: { data: ArMeasures | undefined; error: Error | undefined }) {
  const failure = loadFailure('A/R measures', error);
  return (
    <section className="sv-panel" aria-labelledby="sv-ar-h">
      <header className="sv-panel-head">
        <h2 id="sv-ar-h">Accounts receivable</h2>
        {data && (
          <span className="sv-muted sv-small">
            payments and first submissions from {data.window.from} to {data.window.to}
          </span>
        )}
      </header>
      {failure && (
        <p className="sv-error" role="alert">
          {failure}
        </p>
      )}
      {!data && !failure && <p className="sv-muted">Loading A/R measures…</p>}
      {data && (
        <>
          <Headlines data={data} />
          <Aging data={data} />
          <ExpectedVsCollected data={data} />
          <Denials data={data} />
        </>
      )}
    </section>
  );
}

function Headlines({ data }: { data: ArMeasures }) {
  const { daysInAr, cleanClaims, denials, aging } = data;
  return (
    <dl className="sv-kpis">
      <div className="sv-kpi" title={daysInAr.formula}>
        <dt>Days in A/R</dt>
        <dd className="sv-kpi-value">{daysInAr.value === null ? '–' : daysInAr.value}</dd>
        <dd className="sv-small sv-muted">
          {money(daysInAr.openArCents)} open ÷ {money(Math.round(daysInAr.averageDailyChargesCents))} charged a day (last{' '}
          {daysInAr.periodDays} days)
        </dd>
      </div>
      <div className="sv-kpi" title={cleanClaims.formula}>
        <dt>Clean-claim rate</dt>
        <dd className="sv-kpi-value">{percent(cleanClaims.rate)}</dd>
        <dd>
          <RateBar label="Clean-claim rate" rate={cleanClaims.rate} text={percent(cleanClaims.rate)} />
        </dd>
        <dd className="sv-small sv-muted">
          {cleanClaims.clean} clean of {cleanClaims.decided} decided; {cleanClaims.notClean.rejected} rejected,{' '}
          {cleanClaims.notClean.scrubFix} fixed after scrubbing, {cleanClaims.notClean.resubmitted} resubmitted; {cleanClaims.pending}{' '}
          waiting
        </dd>
      </div>
      <div className="sv-kpi" title={denials.formula}>
        <dt>Denial rate</dt>
        <dd className="sv-kpi-value">{percent(denials.rate)}</dd>
        <dd>
          <RateBar label="Denial rate" rate={denials.rate} text={percent(denials.rate)} color="#c62828" />
        </dd>
        <dd className="sv-small sv-muted">
          {denials.denied} denied of {plural(denials.adjudicated, 'adjudicated payment')}
        </dd>
      </div>
      <div className="sv-kpi" title={aging.basis}>
        <dt>Open A/R</dt>
        <dd className="sv-kpi-value">{money(aging.total.totalCents)}</dd>
        <dd className="sv-small sv-muted">{plural(aging.total.claims, 'open claim')}</dd>
      </div>
    </dl>
  );
}

function Aging({ data }: { data: ArMeasures }) {
  const { aging } = data;
  const buckets = aging.total.buckets;
  const series = buckets.map((b, i) => ({ key: b.label, label: `${b.label} days`, color: AGING_COLORS[i % AGING_COLORS.length] }));
  return (
    <div className="sv-aging">
      <BarChart
        title="A/R aging by payer"
        description={`Open balances by payer, split by days since the date of service (${buckets.map((b) => b.label).join(', ')} days).`}
        series={series}
        rows={aging.byPayer.map((p) => ({
          label: p.payerName,
          values: p.buckets.map((b) => b.balanceCents),
          note: dollarsShort(p.totalCents),
        }))}
        format={money}
        labelWidth={230}
        noteWidth={70}
        className="sv-chart-aging"
      />
      <details className="sv-details">
        <summary>Aging figures by payer</summary>
        <table className="sv-table sv-aging-table">
          <caption className="sv-small">{aging.basis}</caption>
          <thead>
            <tr>
              <th scope="col">Payer</th>
              {buckets.map((b) => (
                <th key={b.label} scope="col" className="sv-num">
                  {b.label} days
                </th>
              ))}
              <th scope="col" className="sv-num">
                Total
              </th>
            </tr>
          </thead>
          <tbody>
            {[...aging.byPayer, { ...aging.total, payerId: '', payerName: 'All payers' }].map((p) => (
              <tr key={p.payerId || 'total'} className={p.payerId ? undefined : 'sv-total'}>
                <th scope="row">{p.payerName}</th>
                {p.buckets.map((b) => (
                  <td key={b.label} className="sv-num">
                    {money(b.balanceCents)}
                    <div className="sv-small sv-muted">{plural(b.claims, 'claim')}</div>
                  </td>
                ))}
                <td className="sv-num">
                  {money(p.totalCents)}
                  <div className="sv-small sv-muted">{plural(p.claims, 'claim')}</div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </div>
  );
}

/** The contract's view: what the fee schedules say the payers owe against what they paid, per payer. */
function ExpectedVsCollected({ data }: { data: ArMeasures }) {
  const ev = data.expectedVsCollected;
  if (ev.total.pricedLines === 0 && ev.total.unpricedLines === 0) {
    return (
      <p className="sv-empty">
        <strong>Expected vs collected:</strong> No claim serviced in the window has a payment posted yet.
      </p>
    );
  }
  return (
    <div className="sv-expected">
      <table className="sv-table sv-expected-table">
        <caption className="sv-small">
          <strong>Expected vs collected</strong> — {ev.basis}
        </caption>
        <thead>
          <tr>
            <th scope="col">Payer</th>
            <th scope="col" className="sv-num">
              Expected
            </th>
            <th scope="col" className="sv-num">
              Collected
            </th>
            <th scope="col" className="sv-num">
              Patient owes
            </th>
            <th scope="col" className="sv-num">
              Shortfall
            </th>
          </tr>
        </thead>
        <tbody>
          {[...ev.byPayer, { ...ev.total, payerId: '', payerName: 'All payers' }].map((p) => (
            <tr key={p.payerId || 'total'} className={p.payerId ? undefined : 'sv-total'}>
              <th scope="row">
                {p.payerName}
                <div className="sv-small sv-muted">
                  {plural(p.pricedLines, 'priced line')}
                  {p.unpricedLines > 0 ? `, ${plural(p.unpricedLines, 'line')} without a contracted rate` : ''}
                </div>
              </th>
              <td className="sv-num">{money(p.expectedCents)}</td>
              <td className="sv-num">{money(p.collectedCents)}</td>
              <td className="sv-num">{money(p.patientRespCents)}</td>
              <td className={p.shortfallCents > 0 ? 'sv-num sv-bad' : 'sv-num'}>{money(p.shortfallCents)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Denials({ data }: { data: ArMeasures }) {
  const { denials } = data;
  const rows = denials.byCategory.filter((c) => c.denied > 0);
  return (
    <div className="sv-denials">
      {rows.length > 0 && (
        <BarChart
          title="Denial rate by category"
          description={`Share of the ${denials.adjudicated} adjudicated claim payments denied, by the category of the deciding CARC. ${denials.formula}.`}
          series={[{ key: 'rate', label: 'denial rate', color: '#c62828' }]}
          rows={rows.map((c) => ({
            label: CATEGORY_LABELS[c.category] ?? c.category,
            values: [c.rate ?? 0],
            note: `${percent(c.rate)} (${c.denied}; CARC ${Object.entries(c.carcs)
              .map(([carc, n]) => (n > 1 ? `${carc}×${n}` : carc))
              .join(', ')})`,
          }))}
          format={percent}
          labelWidth={170}
          noteWidth={170}
        />
      )}
      {rows.length === 0 && (
        <p className="sv-empty">
          <strong>Denial rate by category:</strong>{' '}
          {denials.adjudicated === 0 ? 'No claim payment was adjudicated in the window.' : 'No denials in the window.'}
        </p>
      )}
    </div>
  );
}
