// Sorts a denial's CARC codes into the work it needs: coding problems go to a coder's chart audit,
// everything else (information, eligibility, authorisation, necessity, filing) to a biller.
// Category names are our own short words; the codes are X12/WPC's.

export type DenialCategory =
  | 'CODING'
  | 'MISSING_INFORMATION'
  | 'ELIGIBILITY'
  | 'AUTHORIZATION'
  | 'MEDICAL_NECESSITY'
  | 'TIMELY_FILING'
  | 'DUPLICATE'
  | 'BUNDLING'
  | 'COORDINATION_OF_BENEFITS'
  | 'OTHER';

const CATEGORY_BY_CARC: Record<string, DenialCategory> = {
  '4': 'CODING',
  '5': 'CODING',
  '6': 'CODING',
  '7': 'CODING',
  '8': 'CODING',
  '9': 'CODING',
  '10': 'CODING',
  '11': 'CODING',
  '12': 'CODING',
  '40': 'CODING',
  '146': 'CODING',
  '167': 'CODING',
  '181': 'CODING',
  '182': 'CODING',
  '199': 'CODING',
  '234': 'CODING',
  B15: 'CODING',
  '97': 'BUNDLING',
  '231': 'BUNDLING',
  '236': 'BUNDLING',
  B20: 'BUNDLING',
  '16': 'MISSING_INFORMATION',
  '17': 'MISSING_INFORMATION',
  '125': 'MISSING_INFORMATION',
  '252': 'MISSING_INFORMATION',
  '26': 'ELIGIBILITY',
  '27': 'ELIGIBILITY',
  '31': 'ELIGIBILITY',
  '32': 'ELIGIBILITY',
  '33': 'ELIGIBILITY',
  '109': 'ELIGIBILITY',
  '177': 'ELIGIBILITY',
  '200': 'ELIGIBILITY',
  '15': 'AUTHORIZATION',
  '62': 'AUTHORIZATION',
  '197': 'AUTHORIZATION',
  '198': 'AUTHORIZATION',
  '39': 'AUTHORIZATION',
  '50': 'MEDICAL_NECESSITY',
  '55': 'MEDICAL_NECESSITY',
  '56': 'MEDICAL_NECESSITY',
  '57': 'MEDICAL_NECESSITY',
  '150': 'MEDICAL_NECESSITY',
  '151': 'MEDICAL_NECESSITY',
  '29': 'TIMELY_FILING',
  '18': 'DUPLICATE',
  '22': 'COORDINATION_OF_BENEFITS',
  '23': 'COORDINATION_OF_BENEFITS',
  '24': 'COORDINATION_OF_BENEFITS',
};

/** Contractual and patient-share reasons are not denial reasons: they never decide a route. */
const NOT_A_DENIAL_REASON = new Set(['1', '2', '3', '45', '253', '94', '131']);

/** Deductible, coinsurance, copay, contractual and similar reasons: routine adjustments, not denials. */
export const isRoutineAdjustment = (carc: string): boolean => NOT_A_DENIAL_REASON.has(carc);

export const CODING_CATEGORIES: ReadonlySet<DenialCategory> = new Set(['CODING', 'BUNDLING']);

export interface DenialRouting {
  category: DenialCategory;
  queue: 'CODER' | 'BILLER';
  /** the CARC that decided the category */
  carc?: string;
}

export function categorizeCarc(carc: string): DenialCategory {
  return CATEGORY_BY_CARC[carc.toUpperCase()] ?? 'OTHER';
}

/** The first code-related reason wins: a coder must look at a chart before a biller appeals it. */
export function routeDenial(carcs: readonly string[]): DenialRouting {
  const reasons = carcs.filter((c) => !NOT_A_DENIAL_REASON.has(c));
  const coding = reasons.find((c) => CODING_CATEGORIES.has(categorizeCarc(c)));
  if (coding) return { category: categorizeCarc(coding), queue: 'CODER', carc: coding };
  const first = reasons[0];
  return { category: first ? categorizeCarc(first) : 'OTHER', queue: 'BILLER', carc: first };
}
