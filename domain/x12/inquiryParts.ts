// What the inquiry/response pairs (270/271, 276/277) share: the parties and members their NM1/DMG segments name,
// DTP periods, the trace numbers that pair an answer with its question, and reading with warnings.
import type { IsoDate } from '../clearinghouse';
import type { Segment } from './scanner';
import type { Delimiters } from './delimiters';
import { X12SyntaxError } from './syntaxError';
import { d8 } from './envelopeWriter';
import { X12GenerationError } from './generationError';
import type { SegmentWriter } from './segmentWriter';
import { badValue, el, isoDate, opt, required } from './values';

/** An organisation or person named by NM1 with an id: payer, provider, information receiver. */
export interface Party {
  /** NM102: 1 person, 2 organisation. */
  entityType: '1' | '2';
  /** NM103: organisation name or last name. */
  name: string;
  firstName?: string;
  /** NM108: PI payer id, XV CMS plan id, XX NPI, 46 electronic transmitter id (ETIN), FI tax id, SV service provider number. */
  idQualifier: string;
  /** NM109. */
  id: string;
}

/** A subscriber or dependent as NM1 and DMG carry them (protected health information throughout). */
export interface Member {
  lastName?: string;
  firstName?: string;
  middleName?: string;
  suffix?: string;
  /** NM109 with NM108 MI (member id). */
  memberId?: string;
  /** DMG02. */
  birthDate?: IsoDate;
  /** DMG03: F, M or U. */
  gender?: string;
}

export interface Period {
  from: IsoDate;
  to: IsoDate;
}

/** A TRN: 1 a trace number the sender assigned, 2 one it echoes from the question it answers. */
export interface Trace {
  type: string;
  number: string;
  /** TRN03: who assigned it, "1" or "9" and a company id. */
  originator?: string;
  /** TRN04. */
  supplemental?: string;
}

export function partyOf(seg: Segment): Party {
  return {
    entityType: el(seg, 2) === '1' ? '1' : '2',
    name: el(seg, 3),
    firstName: opt(seg, 4),
    idQualifier: el(seg, 8),
    id: el(seg, 9).trim(),
  };
}

/** The NM1 part of a member; DMG fills in birth date and gender. */
export function memberOf(seg: Segment): Member {
  const qualifier = opt(seg, 8);
  return {
    lastName: opt(seg, 3),
    firstName: opt(seg, 4),
    middleName: opt(seg, 5),
    suffix: opt(seg, 7),
    memberId: qualifier === 'MI' || qualifier === 'II' ? opt(seg, 9)?.trim() : undefined,
  };
}

export function readDemographics(seg: Segment, member: Member, warnings: X12SyntaxError[]): void {
  if (el(seg, 1) !== 'D8') warnings.push(badValue(seg, 1, `DMG01 ${el(seg, 1)} is not D8, the birth date is left out`));
  else member.birthDate = keep(warnings, () => isoDate(seg, 2));
  member.gender = opt(seg, 3);
}

export function traceOf(seg: Segment): Trace {
  return { type: required(seg, 1), number: required(seg, 2), originator: opt(seg, 3), supplemental: opt(seg, 4) };
}

/** DTP03 as a period: D8 one date, RD8 from-to. Throws X12SyntaxError when it is neither. */
export function periodOf(seg: Segment): Period {
  const format = el(seg, 2);
  const text = required(seg, 3);
  if (format !== 'D8' && format !== 'RD8') throw badValue(seg, 2, `date format ${format} is neither D8 nor RD8`);
  const [fromText, toText = fromText] = format === 'RD8' ? text.split('-') : [text];
  if (format === 'RD8' && text.split('-').length !== 2) throw badValue(seg, 3, `"${text}" is not a range CCYYMMDD-CCYYMMDD`);
  const from = isoDate(seg, 3, fromText) as string;
  const to = isoDate(seg, 3, toText) as string;
  if (to < from) throw badValue(seg, 3, `the period ends (${to}) before it starts (${from})`);
  return { from, to };
}

/** Runs a read; an X12SyntaxError becomes a warning and the value is left out. */
export function keep<T>(warnings: X12SyntaxError[], read: () => T): T | undefined {
  try {
    return read();
  } catch (err) {
    if (!(err instanceof X12SyntaxError)) throw err;
    warnings.push(err);
    return undefined;
  }
}

/** A repeated element (EQ01, EB03): split at ISA11 when the interchange declares one. */
export function repeats(value: string | undefined, d: Delimiters): string[] {
  if (value === undefined || value === '') return [];
  return d.repetition ? value.split(d.repetition) : [value];
}

// ---- writing ----

export function writeParty(w: SegmentWriter, entity: string, p: Party, field: string): void {
  if (!p.name) throw new X12GenerationError(undefined, `${field}.name`, 'is required');
  if (!p.id) throw new X12GenerationError(undefined, `${field}.id`, 'is required');
  w.segment('NM1', entity, p.entityType, p.name, p.entityType === '1' ? (p.firstName ?? '') : '', '', '', '', p.idQualifier, p.id);
}

/** NM1 of a subscriber (IL) or dependent (03/QC); the member id goes out with MI. */
export function writeMemberName(w: SegmentWriter, entity: string, m: Member): void {
  w.segment(
    'NM1',
    entity,
    '1',
    m.lastName ?? '',
    m.firstName ?? '',
    m.middleName ?? '',
    '',
    m.suffix ?? '',
    m.memberId ? 'MI' : '',
    m.memberId ?? '',
  );
}

export function writeDemographics(w: SegmentWriter, m: Member): void {
  if (m.birthDate || m.gender) w.segment('DMG', m.birthDate ? 'D8' : '', m.birthDate ? d8(m.birthDate) : '', m.gender ?? '');
}

export function writePeriod(w: SegmentWriter, qualifier: string, p: { from: IsoDate; to?: IsoDate }): void {
  const to = p.to ?? p.from;
  if (to === p.from) w.segment('DTP', qualifier, 'D8', d8(p.from));
  else w.segment('DTP', qualifier, 'RD8', `${d8(p.from)}-${d8(to)}`);
}

export function writeTrace(w: SegmentWriter, t: Trace): void {
  w.segment('TRN', t.type, t.number, t.originator ?? '', t.supplemental ?? '');
}

/** HL numbering for a writer: each level gets the next number and names its parent's. */
export class LevelNumbers {
  private n = 0;
  next(): string {
    return String(++this.n);
  }
}
