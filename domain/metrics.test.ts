import { describe, expect, it } from 'vitest';
import {
  agingReport,
  cleanClaimRate,
  daysInAr,
  daysSinceService,
  denialRates,
  firstPassOutcome,
  handlingTimeByKind,
  parseStateThresholds,
  stateThresholds,
  stateTooLong,
  throughputByUserDay,
  timelyFilingDosCutoff,
  timelyFilingRisk,
  type FirstSubmissionFacts,
} from './metrics';

const DAY = 86_400_000;
const AS_OF = new Date('2026-06-30T12:00:00Z');

describe('stuck-claim rules', () => {
  it('a claim is stuck once its time in a state passes that state’s threshold, in lifecycle days', () => {
    const t = stateThresholds();
    const entered = new Date('2026-06-01T00:00:00Z');
    expect(stateTooLong({ state: 'AWAITING_ADJUDICATION', stateEnteredAt: entered }, t, DAY, new Date('2026-07-16T00:00:00Z'))).toBeNull();
    expect(stateTooLong({ state: 'AWAITING_ADJUDICATION', stateEnteredAt: entered }, t, DAY, new Date('2026-07-17T00:00:00Z'))).toEqual({
      thresholdDays: 45,
      daysInState: 46,
      stuckSince: new Date('2026-07-16T00:00:00Z'),
    });
    // a compressed day: 1 s per day, so 4 s in CODING (limit 3 days) is stuck
    expect(stateTooLong({ state: 'CODING', stateEnteredAt: new Date(0) }, t, 1_000, new Date(4_000))?.daysInState).toBe(4);
    expect(stateTooLong({ state: 'CLOSED', stateEnteredAt: new Date(0) }, t, DAY, AS_OF)).toBeNull();
  });

  it('thresholds are data: defaults, overrides, and 0 to switch a state off', () => {
    expect(stateThresholds()).toMatchObject({
      CODING: 3,
      SCRUBBING: 1,
      READY: 1,
      SUBMITTED: 3,
      REJECTED: 3,
      AWAITING_ADJUDICATION: 45,
      DENIED: 10,
      APPEALED: 60,
      POSTED: 2,
    });
    const t = stateThresholds(parseStateThresholds('CODING=5, POSTED=0', ['CODING', 'POSTED']));
    expect(t.CODING).toBe(5);
    expect(t).not.toHaveProperty('POSTED');
    expect(() => parseStateThresholds('CODNG=5', ['CODING'])).toThrow(/unknown claim state "CODNG"/);
    expect(() => parseStateThresholds('CODING=soon', ['CODING'])).toThrow(/must be a number of days/);
  });

  it('the timely-filing risk window counts from the date of service plus the payer limit', () => {
    const claim = { dateOfService: '2026-04-01', timelyFilingDays: 90 }; // limit 2026-06-30T00:00Z
    expect(timelyFilingRisk(claim, { withinDays: 30, dayMs: DAY, now: new Date('2026-05-31T00:00:00Z') })).toEqual({
      deadline: new Date('2026-06-30T00:00:00Z'),
      daysLeft: 30,
    });
    expect(timelyFilingRisk(claim, { withinDays: 30, dayMs: DAY, now: new Date('2026-05-30T00:00:00Z') })).toBeNull();
    expect(timelyFilingRisk(claim, { withinDays: 30, dayMs: DAY, now: AS_OF })?.daysLeft).toBe(-0.5);
    // the database prefilter is never narrower than the exact rule
    const cutoff = timelyFilingDosCutoff(90, { withinDays: 30, dayMs: DAY, now: new Date('2026-05-31T00:00:00Z') });
    expect(cutoff.getTime()).toBeGreaterThanOrEqual(new Date('2026-04-01T00:00:00Z').getTime());
  });
});

describe('A/R aging', () => {
  it('counts whole calendar days from the date of service', () => {
    expect(daysSinceService('2026-06-30', AS_OF)).toBe(0);
    expect(daysSinceService('2026-05-31', AS_OF)).toBe(30);
    expect(daysSinceService('2026-03-01', AS_OF)).toBe(121);
    expect(daysSinceService('2026-07-04', AS_OF)).toBe(0);
  });

  it('puts open balances into 0-30, 31-60, 61-90, 91-120 and 120+ buckets, in total and per payer', () => {
    const report = agingReport(
      [
        { payerId: 'p1', dateOfService: '2026-06-30', balanceCents: 10_000 }, // 0 days
        { payerId: 'p1', dateOfService: '2026-05-31', balanceCents: 5_000 }, // 30
        { payerId: 'p1', dateOfService: '2026-05-30', balanceCents: 2_000 }, // 31
        { payerId: 'p2', dateOfService: '2026-04-01', balanceCents: 3_000 }, // 90
        { payerId: 'p2', dateOfService: '2026-03-31', balanceCents: 4_000 }, // 91
        { payerId: 'p2', dateOfService: '2026-03-01', balanceCents: 7_000 }, // 121
        { payerId: 'p2', dateOfService: '2026-02-27', balanceCents: 1_000 }, // 123
        { payerId: 'p1', dateOfService: '2026-01-01', balanceCents: 0 }, // paid: not A/R
        { payerId: 'p3', dateOfService: '2026-01-01', balanceCents: -500 }, // credit balance: not A/R
      ],
      AS_OF,
    );
    const amounts = (row: typeof report.total) => row.buckets.map((b) => [b.label, b.balanceCents, b.claims]);
    expect(amounts(report.total)).toEqual([
      ['0-30', 15_000, 2],
      ['31-60', 2_000, 1],
      ['61-90', 3_000, 1],
      ['91-120', 4_000, 1],
      ['120+', 8_000, 2],
    ]);
    expect(report.total.totalCents).toBe(32_000);
    expect(report.total.claims).toBe(7);
    expect(report.byPayer.map((p) => [p.payerId, p.aging.totalCents])).toEqual([
      ['p1', 17_000],
      ['p2', 15_000],
    ]);
    expect(amounts(report.byPayer[1].aging)).toEqual([
      ['0-30', 0, 0],
      ['31-60', 0, 0],
      ['61-90', 3_000, 1],
      ['91-120', 4_000, 1],
      ['120+', 8_000, 2],
    ]);
  });
});

describe('denial rate', () => {
  it('is denied over adjudicated claim payments, each denial under the category of its deciding CARC', () => {
    const rates = denialRates([
      { statusCode: '1', carcs: ['45'] },
      { statusCode: '1', carcs: ['1', '45'] },
      { statusCode: '2', carcs: [] },
      { statusCode: '3', carcs: ['45'] },
      { statusCode: '4', carcs: ['50'] },
      { statusCode: '4', carcs: ['45', '97'] }, // contractual 45 decides nothing: bundling
      { statusCode: '4', carcs: ['16'] },
      { statusCode: '4', carcs: ['16'] },
      { statusCode: '4', carcs: ['16', '4'] }, // a coding reason wins over missing information
      { statusCode: '22', carcs: ['45'] }, // a reversal is neither
    ]);
    expect(rates.adjudicated).toBe(9);
    expect(rates.denied).toBe(5);
    expect(rates.rate).toBe(0.5556);
    expect(rates.byCategory).toEqual([
      { category: 'MISSING_INFORMATION', denied: 2, rate: 0.2222, carcs: { '16': 2 } },
      { category: 'BUNDLING', denied: 1, rate: 0.1111, carcs: { '97': 1 } },
      { category: 'CODING', denied: 1, rate: 0.1111, carcs: { '4': 1 } },
      { category: 'MEDICAL_NECESSITY', denied: 1, rate: 0.1111, carcs: { '50': 1 } },
    ]);
    expect(denialRates([]).rate).toBeNull();
  });
});

describe('clean-claim rate', () => {
  const facts = (f: Partial<FirstSubmissionFacts>): FirstSubmissionFacts => ({
    firstSubmissionStatus: 'ACCEPTED',
    resubmittedBeforeVerdict: false,
    scrubFixedBeforeSubmission: false,
    ...f,
  });

  it('counts a claim clean only when its first submission was accepted with no rejection and no scrubbing fix', () => {
    expect(firstPassOutcome(facts({}))).toBe('CLEAN');
    expect(firstPassOutcome(facts({ firstSubmissionStatus: 'SENT', firstVerdict: 'ACCEPTED' }))).toBe('CLEAN');
    expect(firstPassOutcome(facts({ firstSubmissionStatus: 'REJECTED' }))).toBe('REJECTED');
    expect(firstPassOutcome(facts({ firstSubmissionStatus: 'SENT', firstVerdict: 'REJECTED' }))).toBe('REJECTED');
    expect(firstPassOutcome(facts({ scrubFixedBeforeSubmission: true }))).toBe('SCRUB_FIX');
    expect(firstPassOutcome(facts({ firstSubmissionStatus: 'SENT', resubmittedBeforeVerdict: true }))).toBe('RESUBMITTED');
    expect(firstPassOutcome(facts({ firstSubmissionStatus: 'SENT' }))).toBe('PENDING');
  });

  it('is clean over decided submitted claims; claims still awaiting their answer are reported apart', () => {
    const rate = cleanClaimRate([
      facts({}),
      facts({}),
      facts({ firstSubmissionStatus: 'SENT', firstVerdict: 'ACCEPTED' }),
      facts({ firstSubmissionStatus: 'REJECTED' }),
      facts({ scrubFixedBeforeSubmission: true }),
      facts({ firstSubmissionStatus: 'SENT', resubmittedBeforeVerdict: true }),
      facts({ firstSubmissionStatus: 'SENT' }),
      facts({ firstSubmissionStatus: 'SENT', firstVerdict: 'REJECTED' }),
    ]);
    expect(rate).toMatchObject({
      submitted: 8,
      decided: 7,
      clean: 3,
      pending: 1,
      notClean: { rejected: 2, scrubFix: 1, resubmitted: 1 },
      rate: 0.4286,
    });
  });
});

describe('days in A/R', () => {
  it('is open A/R over the average daily charges of the period, with its formula', () => {
    const d = daysInAr({ openArCents: 32_000, chargesCents: 144_000, periodDays: 90 });
    expect(d.value).toBe(20);
    expect(d.averageDailyChargesCents).toBe(1_600);
    expect(d.formula).toMatch(/total open A\/R .* \/ average daily charges/);
    expect(daysInAr({ openArCents: 5, chargesCents: 0, periodDays: 90 }).value).toBeNull();
  });
});

describe('queue throughput and handling time', () => {
  const at = (iso: string) => new Date(iso);
  const tasks = [
    {
      kind: 'CODE_REVIEW',
      doneById: 'coder-1',
      createdAt: at('2026-06-29T08:00:00Z'),
      claimedAt: at('2026-06-29T09:00:00Z'),
      doneAt: at('2026-06-29T10:00:00Z'),
    },
    {
      kind: 'CODE_REVIEW',
      doneById: 'coder-1',
      createdAt: at('2026-06-29T08:00:00Z'),
      claimedAt: null,
      doneAt: at('2026-06-29T11:00:00Z'),
    },
    {
      kind: 'CODE_REVIEW',
      doneById: 'coder-1',
      createdAt: at('2026-06-30T08:00:00Z'),
      claimedAt: at('2026-06-30T08:00:00Z'),
      doneAt: at('2026-06-30T08:30:00Z'),
    },
    {
      kind: 'FOLLOW_UP',
      doneById: 'biller-1',
      createdAt: at('2026-06-30T07:00:00Z'),
      claimedAt: at('2026-06-30T09:00:00Z'),
      doneAt: at('2026-06-30T09:10:00Z'),
    },
  ];

  it('counts tasks done per user per day', () => {
    expect(throughputByUserDay(tasks, DAY).map((d) => [d.userId, d.day.toISOString().slice(0, 10), d.done])).toEqual([
      ['coder-1', '2026-06-29', 2],
      ['biller-1', '2026-06-30', 1],
      ['coder-1', '2026-06-30', 1],
    ]);
  });

  it('measures handling time from claim (or opening, if never claimed) to done, per kind', () => {
    const hour = 3_600_000;
    expect(handlingTimeByKind(tasks)).toEqual([
      { kind: 'CODE_REVIEW', done: 3, averageMs: Math.round((hour + 3 * hour + hour / 2) / 3), medianMs: hour },
      { kind: 'FOLLOW_UP', done: 1, averageMs: 10 * 60_000, medianMs: 10 * 60_000 },
    ]);
  });
});
