// What a remittance's codes mean, in words a biller can act on: the Claim Adjustment Reason Codes (CARC) our
// denial routing knows (domain/denials.ts) and the contractual and patient-share ones, the common Remittance
// Advice Remark Codes (RARC), and the claim adjustment group codes. Wording shortened from the X12/WPC code
// lists; a code not listed here is shown as "not in claimflow's list" rather than guessed at.
import type { RemittanceAdjustment } from './clearinghouse';
import { categorizeCarc, isRoutineAdjustment, type DenialCategory } from './denials';

export interface ReasonCode {
  code: string;
  meaning: string;
}

export interface CarcMeaning extends ReasonCode {
  category: DenialCategory;
  /** true for contractual and patient-share reasons, which are not denial reasons */
  routine: boolean;
}

const CARC: Record<string, string> = {
  '1': 'Deductible amount: the patient owes it under their plan',
  '2': 'Coinsurance amount: the patient owes it under their plan',
  '3': 'Co-payment amount: the patient owes it under their plan',
  '4': 'The procedure code is inconsistent with the modifier used, or a required modifier is missing',
  '5': 'The procedure code or type of bill is inconsistent with the place of service',
  '6': "The procedure or revenue code is inconsistent with the patient's age",
  '7': "The procedure or revenue code is inconsistent with the patient's sex",
  '8': 'The procedure code is inconsistent with the provider type or specialty (taxonomy)',
  '9': "The diagnosis is inconsistent with the patient's age",
  '10': "The diagnosis is inconsistent with the patient's sex",
  '11': 'The diagnosis is inconsistent with the procedure',
  '12': 'The diagnosis is inconsistent with the provider type',
  '15': 'The authorization number is missing, invalid, or does not apply to the billed services or provider',
  '16': 'The claim or service lacks information or has submission/billing errors needed for adjudication',
  '17': 'Requested information was not provided or was insufficient/incomplete',
  '18': 'Exact duplicate claim or service',
  '22': 'This care may be covered by another payer per coordination of benefits',
  '23': 'The impact of prior payer(s) adjudication, including payments and/or adjustments',
  '24': 'Charges are covered under a capitation agreement or managed care plan',
  '26': 'Expenses incurred before coverage began',
  '27': 'Expenses incurred after coverage ended',
  '29': 'The time limit for filing has expired',
  '31': 'The patient cannot be identified as our insured',
  '32': 'Our records show the patient is not an eligible dependent',
  '33': 'The insured has no dependent coverage',
  '39': 'Services denied at the time authorization or pre-certification was requested',
  '40': 'Charges do not meet qualifications for emergent or urgent care',
  '45': 'Charge exceeds the fee schedule or maximum allowable amount (contractual adjustment)',
  '50': 'These are non-covered services because this is not deemed a medical necessity by the payer',
  '55': 'The procedure, treatment or drug is deemed experimental or investigational by the payer',
  '56': 'The procedure or treatment has not been deemed proven to be effective by the payer',
  '57': 'Payment denied or reduced because the payer deems the information submitted does not support this level of service',
  '62': 'Payment denied or reduced for absent or exceeded pre-certification or authorization',
  '94': 'Processed in excess of charges',
  '97': 'The benefit for this service is included in the payment or allowance for another service already adjudicated (bundled)',
  '109': 'Claim or service not covered by this payer or contractor: send it to the correct payer',
  '125': 'Submission or billing error(s)',
  '131': 'Claim-specific negotiated discount',
  '146': 'The diagnosis was invalid for the date(s) of service reported',
  '150': 'The payer deems the information submitted does not support this level of service',
  '151': 'The payer deems the information submitted does not support this many or this frequency of services',
  '167': 'This (these) diagnosis(es) is (are) not covered',
  '177': 'The patient has not met the required eligibility requirements',
  '181': 'The procedure code was invalid on the date of service',
  '182': 'The procedure modifier was invalid on the date of service',
  '197': 'Precertification, notification, authorization or pre-treatment absent',
  '198': 'Precertification, notification, authorization or pre-treatment exceeded',
  '199': 'The revenue code and procedure code do not match',
  '200': 'Expenses incurred during a lapse in coverage',
  '231': 'Mutually exclusive procedures cannot be done in the same day or setting',
  '234': 'This procedure is not paid separately',
  '236': 'This procedure or procedure/modifier combination is not compatible with another procedure on the same day (NCCI)',
  '252': 'An attachment or other documentation is required to adjudicate this claim or service',
  '253': 'Sequestration: reduction of federal payment',
  B15: 'This service requires a qualifying service or procedure that was not received or not paid',
  B20: 'The procedure or service was partially or fully furnished by another provider',
};

const RARC: Record<string, string> = {
  M15: 'Separately billed services or tests have been bundled: they are considered components of the same procedure',
  M76: 'Missing, incomplete or invalid diagnosis or condition',
  M127: 'Missing patient medical record for this service',
  MA130: 'The claim has incomplete or invalid information and no appeal rights: submit a new claim with the complete information',
  N115: 'The decision was based on a Local Coverage Determination (LCD)',
  N130: 'Consult plan benefit documents or guidelines for coverage information',
  N286: "Missing, incomplete or invalid referring provider's primary identifier",
  N290: "Missing, incomplete or invalid rendering provider's primary identifier",
  N30: 'The patient is ineligible for this service',
  N362: 'The number of days or units of service exceeds the acceptable maximum',
  N386: 'The decision was based on a National Coverage Determination (NCD)',
  N479: 'Missing explanation of benefits (coordination of benefits or Medicare secondary payer)',
  N522: 'Duplicate of a claim processed, or to be processed, as a crossover claim',
  N657: 'This should be billed with the appropriate code for these services',
};

// Keyed as claimflow stores group codes: X12's OA (other adjustment) is kept as OI.
const GROUPS: Record<RemittanceAdjustment['groupCode'], string> = {
  CO: 'Contractual obligation: the provider writes it off, the patient does not owe it',
  PR: 'Patient responsibility: the patient (or a secondary payer) owes it',
  OI: 'Other adjustment (X12 group OA)',
  PI: 'Payer-initiated reduction',
  CR: 'Correction or reversal of an earlier claim',
};

const UNKNOWN = "not in claimflow's list: look it up in the X12 code list";

export function carcMeaning(code: string): CarcMeaning {
  const c = code.trim().toUpperCase();
  return { code: c, meaning: CARC[c] ?? UNKNOWN, category: categorizeCarc(c), routine: isRoutineAdjustment(c) };
}

export function rarcMeaning(code: string): ReasonCode {
  const c = code.trim().toUpperCase();
  return { code: c, meaning: RARC[c] ?? UNKNOWN };
}

export function groupMeaning(code: string): ReasonCode {
  const c = code.trim().toUpperCase();
  return { code: c, meaning: GROUPS[c as keyof typeof GROUPS] ?? UNKNOWN };
}

/** Every listed code, for a screen that explains whatever a remittance carries. */
export function allReasonCodes(): { carcs: CarcMeaning[]; rarcs: ReasonCode[]; groups: ReasonCode[] } {
  return {
    carcs: Object.keys(CARC).map(carcMeaning),
    rarcs: Object.keys(RARC).map(rarcMeaning),
    groups: Object.keys(GROUPS).map(groupMeaning),
  };
}
