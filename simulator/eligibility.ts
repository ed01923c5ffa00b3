// The simulated payer's eligibility desk: reads a 270 and answers a 271 from its own knowledge of coverage. The
// simulator keeps no member roster, so what it knows is a rule on the member id, the same for every seed:
// - an id ending in TERM is a coverage that ended the month before the date of service (the demo's terminated patient);
// - an id starting with NOTFOUND is no member of this payer (AAA 75, correct and resend);
// - an id starting with BUSY finds the payer's system down at the first question about a date (AAA 42, ask again);
// - any other id is covered, with a plan and cost sharing drawn from the seed and the member id.
import type { Transaction } from '../domain/x12/envelope';
import type { EnvelopeArgs } from '../domain/x12/envelopeWriter';
import { read270, type EligibilityInquiry } from '../domain/x12/270';
import { write271, type BenefitInput, type EligibilityAnswerInput } from '../domain/x12/271';
import { readTransactions } from '../domain/x12/reader';
import { X12SyntaxError } from '../domain/x12/syntaxError';
import { ValidationError } from './errors';
import { intBetween, pickOne, rngFor } from './random';

export const TERMINATED_MEMBER = /TERM$/i;
export const UNKNOWN_MEMBER = /^NOTFOUND/i;
export const BUSY_MEMBER = /^BUSY/i;

export interface EligibilityDesk {
  /** The 271 for a 270 file; a file that is not a readable 270 is a ValidationError naming what is wrong. */
  answer(text: string): string;
  /** 270 inquiries answered so far (one file may ask about several patients) */
  readonly inquiries: number;
}

export interface EligibilityDeskOptions {
  seed: number;
  /** the simulated calendar's today, for the 271's BHT and a date of service the 270 leaves out */
  today: () => string;
  /** the ISA13 of the next file the simulator sends */
  nextIsa: () => number;
}

export function eligibilityDesk(o: EligibilityDeskOptions): EligibilityDesk {
  // BUSY members: which (member, date) questions were already met with "cannot answer now".
  const turnedAway = new Set<string>();
  let inquiries = 0;

  const answerFor = (q: EligibilityInquiry): EligibilityAnswerInput => {
    const memberId = q.subscriber.memberId ?? '';
    const date = q.serviceDate?.from ?? o.today();
    const traces = q.trace ? [{ type: '2', number: q.trace.number, originator: q.trace.originator }] : [];
    const echo = { ...q.subscriber, traces: q.dependent ? [] : traces };
    const patient = (a: Omit<NonNullable<EligibilityAnswerInput['subscriber']>, keyof typeof q.subscriber | 'traces'>) =>
      q.dependent ? { subscriber: { ...q.subscriber }, dependent: { ...q.dependent, traces, ...a } } : { subscriber: { ...echo, ...a } };
    const base = { payer: q.payer, provider: q.provider };

    if (BUSY_MEMBER.test(memberId) && !turnedAway.has(`${memberId}|${date}`)) {
      turnedAway.add(`${memberId}|${date}`);
      return { payer: { ...q.payer, rejections: [{ code: '42', followUp: 'R', validRequest: true }] }, provider: q.provider };
    }
    if (UNKNOWN_MEMBER.test(memberId)) {
      return { ...base, subscriber: { ...echo, rejections: [{ code: '75', followUp: 'C', validRequest: true }] } };
    }
    const rng = rngFor(o.seed, 'eligibility', memberId.toUpperCase());
    const plan = `${q.payer.name} ${pickOne(rng, ['SILVER PPO', 'GOLD PPO', 'CHOICE HMO', 'BASIC EPO'])}`.slice(0, 50);
    const insuranceType = /MEDICARE/i.test(q.payer.name) ? 'MB' : 'C1';
    if (TERMINATED_MEMBER.test(memberId)) {
      return {
        ...base,
        ...patient({
          dates: [{ qualifier: '357', period: lastDayOfPreviousMonth(date) }],
          benefits: [{ code: '6', coverageLevel: 'IND', serviceTypes: ['30'], insuranceType, planDescription: plan }],
        }),
      };
    }
    const deductible = pickOne(rng, [50_000, 100_000, 150_000, 250_000]);
    const benefits: BenefitInput[] = [
      { code: '1', coverageLevel: 'IND', serviceTypes: ['30'], insuranceType, planDescription: plan },
      {
        code: 'B',
        coverageLevel: 'IND',
        serviceTypes: ['98'],
        timePeriod: '27',
        amount: pickOne(rng, [1_500, 2_000, 2_500, 4_000]),
        inNetwork: 'Y',
      },
      { code: 'A', coverageLevel: 'IND', serviceTypes: ['30'], percent: pickOne(rng, [10, 20, 30]), inNetwork: 'Y' },
      { code: 'C', coverageLevel: 'IND', serviceTypes: ['30'], timePeriod: '23', amount: deductible, inNetwork: 'Y' },
      {
        code: 'C',
        coverageLevel: 'IND',
        serviceTypes: ['30'],
        timePeriod: '29',
        amount: intBetween(rng, 0, deductible / 100) * 100,
        inNetwork: 'Y',
      },
    ];
    return {
      ...base,
      ...patient({
        dates: [{ qualifier: '346', period: { from: `${date.slice(0, 4)}-01-01`, to: `${date.slice(0, 4)}-01-01` } }],
        benefits,
      }),
    };
  };

  return {
    get inquiries() {
      return inquiries;
    },
    answer(text) {
      const t = onlyTransaction(text, '270');
      const request = readOrRefuse('270', () => read270(t));
      inquiries += request.inquiries.length;
      const envelope = replyEnvelope(t, o.nextIsa(), o.today());
      return write271({ ...envelope, reference: request.reference ?? request.controlNumber, answers: request.inquiries.map(answerFor) });
    },
  };
}

/** The envelope of an answer: from the question's receiver back to its sender, under the simulator's next ISA13. */
export function replyEnvelope(t: Transaction, n: number, today: string): EnvelopeArgs {
  const i = t.interchange;
  return {
    sender: { qualifier: i?.receiverQualifier.trim() || 'ZZ', id: i?.receiverId.trim() || 'SIMPAYER' },
    receiver: { qualifier: i?.senderQualifier.trim() || 'ZZ', id: i?.senderId.trim() || 'CLAIMFLOW' },
    control: { interchangeControlNumber: n, groupControlNumber: n, transactionControlNumber: String(n % 10_000).padStart(4, '0') },
    now: { date: today, time: '1200' },
    usage: i?.usageIndicator === 'P' ? 'P' : 'T',
  };
}

/** A file's one transaction of `setId`, read with the reader's strict checks; anything else is a ValidationError. */
export function onlyTransaction(text: string, setId: string): Transaction {
  const { transactions, errors } = readTransactions(text);
  if (errors.length > 0) throw new ValidationError(`the ${setId} cannot be read: ${errors[0].message}`, 'body');
  const t = transactions.find((x) => x.setId === setId);
  if (!t) throw new ValidationError(`the file holds no ${setId} transaction`, 'body');
  return t;
}

/** Runs a reader, turning its X12SyntaxError into the simulator's 400. */
export function readOrRefuse<T>(setId: string, read: () => T): T {
  try {
    return read();
  } catch (err) {
    if (err instanceof X12SyntaxError) throw new ValidationError(`the ${setId} cannot be read: ${err.message}`, 'body');
    throw err;
  }
}

function lastDayOfPreviousMonth(date: string): { from: string; to: string } {
  const d = new Date(`${date.slice(0, 7)}-01T00:00:00Z`);
  d.setUTCDate(0);
  const iso = d.toISOString().slice(0, 10);
  return { from: iso, to: iso };
}
