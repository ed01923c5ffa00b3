// The code lists of the 270/271 eligibility exchange (005010X279A1) in our own short words: AAA rejection reasons and
// follow-up actions, EB benefit codes, coverage levels and time periods. Codes we do not carry are shown as codes.

/** AAA03 reject reasons: what a biller reads, and what to check before asking again. */
export const REJECT_REASONS: Readonly<Record<string, string>> = {
  '04': 'too many inquiries for this period',
  '15': 'required information missing from the inquiry',
  '33': 'the inquiry has input errors',
  '35': 'out of network',
  '41': 'not authorised to ask this payer',
  '42': 'payer cannot answer right now',
  '43': 'provider id (NPI) invalid or missing',
  '44': 'provider name invalid or missing',
  '45': 'provider specialty invalid or missing',
  '46': 'provider phone number invalid or missing',
  '47': 'provider state invalid or missing',
  '48': 'referring provider id invalid or missing',
  '49': 'provider is not the primary care physician',
  '50': 'provider not allowed to make inquiries',
  '51': 'provider not on file with the payer',
  '52': 'service dates outside the provider plan enrolment',
  '53': 'benefit asked about does not fit the provider type',
  '54': 'procedure code qualifier not appropriate',
  '55': 'procedure code not appropriate',
  '56': 'date not appropriate',
  '57': 'date of service invalid or missing',
  '58': 'date of birth invalid or missing',
  '60': 'date of birth is after the date of service',
  '61': 'date of death is before the date of service',
  '62': 'date of service outside the period the payer answers for',
  '63': 'date of service in the future',
  '64': 'patient id invalid or missing',
  '65': 'patient name invalid or missing',
  '66': 'patient gender invalid or missing',
  '67': 'patient not found',
  '68': 'patient id is duplicated at the payer',
  '69': "not consistent with the patient's age",
  '70': "not consistent with the patient's gender",
  '71': 'date of birth does not match the payer records',
  '72': 'member id invalid or missing',
  '73': 'subscriber name invalid or missing',
  '74': 'subscriber gender invalid or missing',
  '75': 'subscriber not found',
  '76': 'member id is duplicated at the payer',
  '77': 'subscriber found, patient (dependent) not found',
  '78': 'subscriber not in the group or plan named',
  '79': 'invalid participant identification',
  '80': 'no response received, inquiry ended',
  '97': 'provider address invalid or missing',
  '98': 'experimental service or procedure',
  AA: 'authorisation number not found',
  AE: 'primary care physician authorisation required',
  AF: 'diagnosis code invalid or missing',
  AG: 'procedure code invalid or missing',
  AO: 'more information about the patient condition required',
  CI: 'certification does not match the patient',
  E8: 'medical review required',
  IA: 'authorisation number format invalid',
  MA: 'authorisation number missing',
  T4: 'payer name or id missing',
};

/** How a rejection may be followed up, reduced to the decision the lifecycle makes. */
export type ResendAdvice = 'correct-and-resend' | 'resend' | 'resend-later' | 'do-not-resend';

interface FollowUpAction {
  advice: ResendAdvice;
  text: string;
}

/** AAA04 follow-up action codes. */
export const FOLLOW_UP_ACTIONS: Readonly<Record<string, FollowUpAction>> = {
  C: { advice: 'correct-and-resend', text: 'correct the inquiry and send it again' },
  N: { advice: 'do-not-resend', text: 'do not send this inquiry again' },
  P: { advice: 'resend', text: 'send the original inquiry again' },
  R: { advice: 'resend', text: 'the inquiry may be sent again' },
  S: { advice: 'do-not-resend', text: 'do not send again, the payer asked a third party' },
  W: { advice: 'resend-later', text: 'send again in 30 days' },
  X: { advice: 'resend-later', text: 'send again in 10 days' },
  Y: { advice: 'do-not-resend', text: 'do not send again, the payer will answer' },
};

/** EB01 eligibility or benefit information codes. */
export const BENEFIT_CODES: Readonly<Record<string, string>> = {
  '1': 'active coverage',
  '2': 'active, full-risk capitation',
  '3': 'active, services capitated',
  '4': 'active, services capitated to the primary care physician',
  '5': 'active, pending investigation',
  '6': 'inactive',
  '7': 'inactive, pending eligibility update',
  '8': 'inactive, pending investigation',
  A: 'coinsurance',
  B: 'copay',
  C: 'deductible',
  CB: 'coverage basis',
  D: 'benefit description',
  E: 'exclusions',
  F: 'limitations',
  G: 'out-of-pocket maximum',
  H: 'unlimited',
  I: 'not covered',
  J: 'cost containment',
  K: 'reserve',
  L: 'primary care provider',
  M: 'pre-existing condition',
  MC: 'managed care coordinator',
  N: 'services restricted to a named provider',
  O: 'not deemed a medical necessity',
  P: 'benefit disclaimer',
  Q: 'second surgical opinion required',
  R: 'other or additional payer',
  S: 'prior year history',
  T: 'card reported lost or stolen',
  U: 'contact the named entity for eligibility or benefits',
  V: 'cannot process',
  W: 'other source of data',
  X: 'health care facility',
  Y: 'spend down',
};

export const ACTIVE_CODES: ReadonlySet<string> = new Set(['1', '2', '3', '4', '5']);
export const INACTIVE_CODES: ReadonlySet<string> = new Set(['6', '7', '8']);

/** EB02 coverage level codes. */
export const COVERAGE_LEVELS: Readonly<Record<string, string>> = {
  CHD: 'children only',
  DEP: 'dependents only',
  ECH: 'employee and children',
  EMP: 'employee only',
  ESP: 'employee and spouse',
  FAM: 'family',
  IND: 'individual',
  SPC: 'spouse and children',
  SPO: 'spouse only',
};

/** EB06 time period qualifiers. 29 and 33 mark an amount as what is left, not the total. */
export const TIME_PERIODS: Readonly<Record<string, string>> = {
  '6': 'hour',
  '7': 'day',
  '13': '24 hours',
  '21': 'years',
  '22': 'service year',
  '23': 'calendar year',
  '24': 'year to date',
  '25': 'contract',
  '26': 'episode',
  '27': 'visit',
  '28': 'outlier',
  '29': 'remaining',
  '30': 'exceeded',
  '31': 'not exceeded',
  '32': 'lifetime',
  '33': 'lifetime remaining',
  '34': 'month',
  '35': 'week',
  '36': 'admission',
};

export const REMAINING_PERIODS: ReadonlySet<string> = new Set(['29', '33']);

/** A few service type codes (EQ01, EB03) a practice asks about; the list has about two hundred. */
export const SERVICE_TYPES: Readonly<Record<string, string>> = {
  '1': 'medical care',
  '30': 'health benefit plan coverage',
  '33': 'chiropractic',
  '35': 'dental care',
  '47': 'hospital',
  '48': 'hospital inpatient',
  '50': 'hospital outpatient',
  '86': 'emergency services',
  '88': 'pharmacy',
  '98': 'professional (physician) visit, office',
  AL: 'vision (optometry)',
  MH: 'mental health',
  UC: 'urgent care',
};

export function rejectReason(code: string): string {
  return REJECT_REASONS[code] ?? `reject reason ${code}`;
}

export function followUpAction(code: string | undefined): FollowUpAction | undefined {
  if (code === undefined) return undefined;
  return FOLLOW_UP_ACTIONS[code] ?? { advice: 'correct-and-resend', text: `follow-up action ${code}` };
}

export function benefitText(code: string): string {
  return BENEFIT_CODES[code] ?? `benefit code ${code}`;
}
