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
  '26': 'entity not found',
  '29': 'subscriber and policy number do not match',
  '33': 'subscriber and member id not found',
  '35': 'claim not found',
  '54': 'duplicate of a claim already processed',
  '78': 'duplicate of a claim awaiting processing',
  '85': 'entity is not primary',
  '88': 'entity not eligible on the dates of service',
  '97': 'patient eligibility not found',
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
