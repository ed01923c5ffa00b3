// Claim status category and status codes (277, 277CA) and entity codes, in our own short words.

export type StatusOutcome = 'accepted' | 'rejected' | 'pending' | 'finalized' | 'other';

interface Category {
  outcome: StatusOutcome;
  text: string;
}

/** Claim status category codes (STC01-1). */
export const STATUS_CATEGORIES: Readonly<Record<string, Category>> = {
  A0: { outcome: 'accepted', text: 'forwarded to another entity' },
  A1: { outcome: 'accepted', text: 'received' },
  A2: { outcome: 'accepted', text: 'accepted into adjudication' },
  A3: { outcome: 'rejected', text: 'returned as unprocessable' },
  A4: { outcome: 'rejected', text: 'not found' },
  A5: { outcome: 'accepted', text: 'split by the payer' },
  A6: { outcome: 'rejected', text: 'rejected, information missing' },
  A7: { outcome: 'rejected', text: 'rejected, information invalid' },
  A8: { outcome: 'rejected', text: 'rejected, related fields disagree' },
  D0: { outcome: 'other', text: 'no claim found for the search' },
  E0: { outcome: 'rejected', text: 'no answer possible, the request has errors' },
  E1: { outcome: 'other', text: 'no answer possible, payer system unavailable' },
  E2: { outcome: 'other', text: 'no answer possible, information holder not responding' },
  E3: { outcome: 'rejected', text: 'correction required, related fields disagree' },
  E4: { outcome: 'rejected', text: 'trading partner requirement not met' },
  F0: { outcome: 'finalized', text: 'finalized' },
  F1: { outcome: 'finalized', text: 'finalized, paid' },
  F2: { outcome: 'finalized', text: 'finalized, denied' },
  F3: { outcome: 'finalized', text: 'finalized, revised' },
  F3F: { outcome: 'finalized', text: 'finalized, forwarded' },
  F3N: { outcome: 'finalized', text: 'finalized, not forwarded' },
  F4: { outcome: 'finalized', text: 'finalized, no payment coming' },
  P0: { outcome: 'pending', text: 'pending, in adjudication' },
  P1: { outcome: 'pending', text: 'pending, in process' },
  P2: { outcome: 'pending', text: 'pending, payer review' },
  P3: { outcome: 'pending', text: 'pending, waiting for information from the provider' },
  P4: { outcome: 'pending', text: 'pending, waiting for information from the patient' },
  P5: { outcome: 'pending', text: 'pending, payer hold' },
  R0: { outcome: 'pending', text: 'payer requests more information' },
  R1: { outcome: 'pending', text: 'payer requests information about an entity' },
  R3: { outcome: 'pending', text: 'payer requests claim or line information' },
  R4: { outcome: 'pending', text: 'payer requests supporting documentation' },
  R5: { outcome: 'pending', text: 'payer requests more specific detail' },
  R6: { outcome: 'pending', text: 'payer requests information for regulatory requirements' },
  R7: { outcome: 'pending', text: 'payer requests confirmation that care fits the plan policy' },
  R8: { outcome: 'pending', text: 'payer requests confirmation that care fits a coverage exception' },
  R9: { outcome: 'pending', text: 'payer requests information on medical necessity' },
  R10: { outcome: 'pending', text: 'payer requests information supporting a grievance or appeal' },
  R11: { outcome: 'pending', text: 'payer requests information for pre-payment review' },
  R12: { outcome: 'pending', text: 'payer requests justification of a procedure code' },
  R13: { outcome: 'pending', text: 'payer requests documents again, the originals were not readable' },
  R14: { outcome: 'pending', text: 'payer requests documents again, the originals were not what was asked' },
  R15: { outcome: 'pending', text: "payer requests information on workers' compensation coverage" },
  R16: { outcome: 'pending', text: 'payer requests information to determine eligibility' },
  R17: { outcome: 'pending', text: 'payer replaces an earlier request for information' },
};

/** Claim status codes (STC01-2): what the category is about. Unknown codes are shown as numbers. */
export const STATUS_CODES: Readonly<Record<string, string>> = {
  '0': 'no further status available electronically',
  '1': 'see the remittance advice',
  '2': 'details sent by letter',
  '3': 'adjudicated, waiting for the payment cycle',
  '6': 'balance due from the subscriber',
  '16': 'forwarded to another entity',
  '19': 'receipt acknowledged',
  '20': 'accepted for processing',
  '21': 'information missing or invalid',
  '23': 'returned to the entity',
  '24': 'entity not approved as an electronic submitter',
  '25': 'entity not approved',
  '26': 'entity not found',
  '27': 'policy cancelled',
  '29': 'subscriber and policy number do not match',
  '33': 'subscriber and member id not found',
  '35': 'claim not found',
  '38': 'waiting for the next adjudication cycle',
  '40': 'waiting for final approval',
  '44': 'charges pending provider audit',
  '45': 'waiting for benefit determination',
  '46': 'internal review or audit',
  '52': 'investigating other insurance coverage',
  '54': 'duplicate of a claim already processed',
  '56': 'waiting for eligibility determination',
  '65': 'paid',
  '78': 'duplicate of a claim awaiting processing',
  '84': 'service not authorised',
  '85': 'entity is not primary',
  '88': 'entity not eligible on the dates of service',
  '91': 'entity not eligible or not approved for the dates of service',
  '95': 'requested information not received',
  '97': 'patient eligibility not found',
  '98': 'charges applied to the deductible',
  '101': 'processed as an adjustment to an earlier claim',
  '104': 'processed according to plan provisions',
  '107': 'processed according to contract provisions',
  '109': 'entity not eligible',
  '116': 'sent to the wrong payer',
  '125': 'name',
  '126': 'address',
  '128': 'tax id',
  '145': 'taxonomy (specialty) code',
  '153': 'id number',
  '158': 'date of birth',
  '164': 'contract or member number',
  '187': 'dates of service',
  '247': 'line information',
  '249': 'place of service',
  '254': 'principal diagnosis code',
  '255': 'diagnosis code',
  '400': 'claim out of balance',
  '562': 'NPI',
};

/** Entity identifier codes (STC01-3, NM101). */
export const ENTITIES: Readonly<Record<string, string>> = {
  '03': 'dependent',
  '1P': 'provider',
  '40': 'receiver',
  '41': 'submitter',
  '71': 'attending provider',
  '72': 'operating provider',
  '77': 'service location',
  '82': 'rendering provider',
  '85': 'billing provider',
  '87': 'pay-to provider',
  DK: 'ordering provider',
  DN: 'referring provider',
  FA: 'facility',
  IL: 'subscriber',
  PR: 'payer',
  QC: 'patient',
};

export function categoryOutcome(category: string): StatusOutcome {
  return STATUS_CATEGORIES[category]?.outcome ?? (category.startsWith('R') ? 'pending' : 'other');
}

/** "rejected, information invalid: NPI of the billing provider". */
export function describeStatus(category: string, code: string, entity?: string): string {
  const what = STATUS_CATEGORIES[category]?.text ?? (category.startsWith('R') ? 'payer requests more information' : `category ${category}`);
  const about = STATUS_CODES[code] ?? (code ? `status ${code}` : '');
  const whose = entity ? (ENTITIES[entity] ?? `entity ${entity}`) : undefined;
  if (!about) return what;
  return whose ? `${what}: ${about} (${whose})` : `${what}: ${about}`;
}

/**
 * What a claim status (276/277) means for follow-up, one decision per kind:
 * - acknowledged (A0 A1 A2 A5): the payer has the claim, not yet adjudicated; ask again later.
 * - pending (P0 P1 P2 P4 P5): in adjudication or on hold; ask again later (P4: the patient must answer the payer).
 * - information-requested (P3, R0-R17): the payer waits for something from us; send it.
 * - finalized-paid (F1, or any F with a payment): post the 835 when it comes.
 * - finalized-denied (F2 without payment): work the denial from the 835.
 * - finalized-unpaid (F4, or F0/F3 with 0 paid): adjudicated with nothing paid (denial or patient share); read the 835.
 * - finalized (F0/F3/F3F/F3N without an amount): adjudicated, the 835 tells the outcome.
 * - rejected (A3 A6 A7 A8): returned unprocessed, never adjudicated; fix and resubmit the claim.
 * - not-found (A4, D0): the payer has no such claim; check it was sent, resubmit.
 * - inquiry-error (E0 E3 E4): our 276 was wrong, the claim's status is still unknown; fix the inquiry.
 * - retry-later (E1 E2): the payer's system could not answer; ask again later.
 */
export type ClaimStatusKind =
  | 'acknowledged'
  | 'pending'
  | 'information-requested'
  | 'finalized-paid'
  | 'finalized-denied'
  | 'finalized-unpaid'
  | 'finalized'
  | 'rejected'
  | 'not-found'
  | 'inquiry-error'
  | 'retry-later'
  | 'unknown';

export interface ClaimFollowUp {
  kind: ClaimStatusKind;
  /** What the status says, in our words: "finalized, denied: entity not eligible on the dates of service (patient)". */
  says: string;
  /** What a follow-up task should do about it. */
  action: string;
}

export interface StatusComposite {
  category: string;
  code: string;
  entity?: string;
  /** STC01-4: the list the code is from when not the claim status codes (RX: NCPDP reject/payment codes). */
  codeList?: string;
}

const ACTIONS: Readonly<Record<ClaimStatusKind, string>> = {
  acknowledged: 'the payer has the claim; ask again after its processing time',
  pending: 'the claim is in adjudication; ask again after the payer’s processing time',
  'information-requested': 'send the payer what it asked for, then ask again',
  'finalized-paid': 'post the payment when the remittance (835) arrives',
  'finalized-denied': 'work the denial from the remittance (835): correct, appeal or write off',
  'finalized-unpaid': 'read the remittance (835): bill the patient share or work the denial',
  finalized: 'read the remittance (835) for the outcome',
  rejected: 'fix the claim and resubmit it; it was never adjudicated, so no appeal is needed',
  'not-found': 'check that the claim was sent to this payer, then resubmit it',
  'inquiry-error': 'correct the status inquiry (276) and send it again',
  'retry-later': 'the payer could not answer now; send the inquiry again later',
  unknown: 'look at the status by hand (payer portal or phone)',
};

/** The follow-up for one status; `paid` is STC05 of the same STC (claim level), when sent. */
export function followUpFor(status: StatusComposite, paid?: number): ClaimFollowUp {
  const kind = kindOf(status, paid);
  return { kind, says: describeComposite(status), action: ACTIONS[kind] };
}

/** describeStatus, except that a code from another list (STC01-4) is named with its list, not read as a 508 code. */
export function describeComposite(s: StatusComposite): string {
  if (!s.codeList) return describeStatus(s.category, s.code, s.entity);
  const what = describeStatus(s.category, '', s.entity);
  const list = s.codeList === 'RX' ? 'NCPDP reject/payment code' : `code list ${s.codeList}, code`;
  return `${what}: ${list} ${s.code}`;
}

function kindOf({ category }: StatusComposite, paid?: number): ClaimStatusKind {
  if (['A0', 'A1', 'A2', 'A5'].includes(category)) return 'acknowledged';
  if (['A3', 'A6', 'A7', 'A8'].includes(category)) return 'rejected';
  if (category === 'A4' || category === 'D0') return 'not-found';
  if (category === 'P3' || /^R\d{1,2}$/.test(category)) return 'information-requested';
  if (/^P[0-5]$/.test(category)) return 'pending';
  if (['E0', 'E3', 'E4'].includes(category)) return 'inquiry-error';
  if (category === 'E1' || category === 'E2') return 'retry-later';
  if (!STATUS_CATEGORIES[category] || !category.startsWith('F')) return 'unknown';
  if (paid !== undefined && paid > 0) return 'finalized-paid';
  if (category === 'F1') return 'finalized-paid'; // paid, amount not given or 0 (all of it the patient's share)
  if (category === 'F2') return 'finalized-denied';
  if (category === 'F4' || paid === 0) return 'finalized-unpaid';
  return 'finalized';
}
