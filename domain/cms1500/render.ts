// Draws CMS-1500 (02/12) pages as a PDF: the values of fields.ts at the form's box positions, in Courier 12 pt
// (10 characters per inch) on a 6-lines-per-inch grid, for printing onto pre-printed red forms; with `outline`, a
// light drawing of the form's boxes and their labels beneath, for a plain-paper copy or a preview.
//
// The grid (docs/cms1500.md): the NUCC 1500 instruction manual sets the pitch, 10 characters per inch and 6 lines
// per inch. Positions are given as (line, column) on it, numbered as practice-management print files number them:
// line L is the band from (L + 1)/6 to (L + 2)/6 inch below the top edge of the US Letter sheet, column C the band
// from (C + 2)/10 to (C + 3)/10 inch from its left edge. That puts box 1's checkboxes on line 8, box 2 on line 10,
// box 24's six service lines on lines 43/44 (shaded/unshaded) to 53/54, boxes 25-30 on line 56 and 32a/33a on
// line 61, and column 1 on box 1's MEDICARE checkbox. Each position below was checked against a 300-dpi image of the
// red form; a few money columns sit half a column off the grid because the form's dotted dollars/cents lines do.
import { PDFDocument, rgb, StandardFonts, type PDFFont, type PDFPage } from 'pdf-lib';
import type { Cms1500Page, FormDate, FormMoney, InsuranceType, PatientRelationship } from './fields';

const INCH = 72;
const PAGE_WIDTH = 8.5 * INCH;
const PAGE_HEIGHT = 11 * INCH;
/** Courier's advance is 0.6 em: 12 pt gives 7.2 pt, a tenth of an inch. */
const FONT_SIZE = 12;
/** The baseline sits this far above the bottom of its line's band, so descenders stay inside it. */
const BASELINE_LIFT = 2.5;

/** Left edge, in points from the left of the sheet, of column `col` (fractional for the half-column money boxes). */
export const columnX = (col: number): number => ((col + 2) / 10) * INCH;
/** Baseline, in points from the bottom of the sheet (PDF's origin), of line `line`. */
export const lineBaseline = (line: number): number => PAGE_HEIGHT - ((line + 2) / 6) * INCH + BASELINE_LIFT;

interface Spot {
  line: number;
  col: number;
  /** characters the box holds; longer values are cut there */
  width: number;
}

// ---- where each box's value goes ----

const INSURANCE_TYPE_COL: Record<InsuranceType, number> = {
  MEDICARE: 1.3,
  MEDICAID: 8,
  TRICARE: 15,
  CHAMPVA: 24,
  'GROUP HEALTH PLAN': 31,
  'FECA BLK LUNG': 39,
  OTHER: 45,
};
const RELATIONSHIP_COL: Record<PatientRelationship, number> = { SELF: 33, SPOUSE: 38, CHILD: 42, OTHER: 47 };

export const LAYOUT = {
  pageOf: { line: 1, col: 70, width: 11 },
  /** the payer, top right: lines 2 to 5 */
  carrier: { line: 2, col: 41, width: 31 },
  insuranceTypeLine: 8,
  insuredId: { line: 8, col: 50, width: 29 },
  patientName: { line: 10, col: 1, width: 28 },
  patientBirthDate: { line: 10, mm: 31, dd: 34, yy: 37 },
  patientSex: { line: 10, M: 42, F: 47 },
  insuredName: { line: 10, col: 50, width: 29 },
  patientStreet: { line: 12, col: 1, width: 28 },
  relationshipLine: 12,
  insuredStreet: { line: 12, col: 50, width: 29 },
  patientCity: { line: 14, col: 1, width: 24 },
  patientState: { line: 14, col: 26, width: 2 },
  insuredCity: { line: 14, col: 50, width: 23 },
  insuredState: { line: 14, col: 74, width: 2 },
  patientZip: { line: 16, col: 1, width: 10 },
  insuredZip: { line: 16, col: 50, width: 10 },
  otherInsuredName: { line: 18, col: 1, width: 28 },
  insuredGroup: { line: 18, col: 50, width: 29 },
  otherInsuredPolicy: { line: 20, col: 1, width: 28 },
  /** 10a-10c: YES and NO checkboxes on lines 20, 22, 24 */
  conditionYes: 35,
  conditionNo: 41,
  insuredBirthDate: { line: 20, mm: 53, dd: 56, yy: 59 },
  insuredSex: { line: 20, M: 68, F: 75 },
  insurancePlanName: { line: 24, col: 50, width: 29 },
  otherInsuredPlan: { line: 26, col: 1, width: 28 },
  anotherPlan: { line: 26, YES: 52, NO: 57 },
  patientSignature: { line: 29, col: 7, width: 17 },
  insuredSignature: { line: 29, col: 55, width: 17 },
  referringQualifier: { line: 34, col: 1, width: 2 },
  referringName: { line: 34, col: 4, width: 25 },
  referringNpi: { line: 34, col: 33, width: 10 },
  icdIndicator: { line: 37, col: 42, width: 1 },
  /** A-D on line 38, E-H on 39, I-L on 40; 13 columns apart from column 3 */
  diagnoses: { line: 38, col: 3, step: 13, width: 8 },
  resubmissionCode: { line: 38, col: 50, width: 11 },
  originalReference: { line: 38, col: 62, width: 18 },
  /** service line n (0-5): its shaded half on line 43 + 2n, its unshaded half on 44 + 2n */
  serviceLine: {
    firstLine: 43,
    from: { mm: 1, dd: 4, yy: 7 },
    to: { mm: 10, dd: 13, yy: 16 },
    placeOfService: 19,
    procedureCode: 25,
    modifiers: [33, 36, 39, 42],
    pointers: 45,
    /** the dollars end at column 55, the cents start half a column past 56, inside the dotted line */
    chargeDollarsEnd: 55,
    chargeCents: 56.5,
    units: 60,
    otherIdQualifier: 65,
    renderingId: 68,
  },
  federalTaxId: { line: 56, col: 1, width: 15 },
  taxIdType: { line: 56, SSN: 17, EIN: 19 },
  patientAccountNumber: { line: 56, col: 23, width: 14 },
  acceptAssignment: { line: 56, YES: 38, NO: 43 },
  totalCharge: { line: 56, dollarsEnd: 57, cents: 58.5 },
  amountPaid: { line: 56, dollarsEnd: 67, cents: 68.5 },
  billingPhone: { line: 57, area: 66, number: 70 },
  /** 32 and 33: name, street, city-state-ZIP on lines 58-60; 32a and 33a on 61 */
  serviceFacility: { line: 58, col: 23, width: 26 },
  billingProvider: { line: 58, col: 50, width: 29 },
  physicianSignature: { line: 60, col: 1, width: 21 },
  physicianDate: { line: 61, col: 6, width: 8 },
  facilityNpi: { line: 61, col: 24, width: 10 },
  billingNpi: { line: 61, col: 51, width: 10 },
} as const;

// ---- drawing ----

class Writer {
  constructor(
    private readonly page: PDFPage,
    private readonly font: PDFFont,
  ) {}

  at(line: number, col: number, width: number, text: string | undefined): void {
    if (!text) return;
    this.page.drawText(text.slice(0, width), { x: columnX(col), y: lineBaseline(line), size: FONT_SIZE, font: this.font });
  }

  spot(s: Spot, text: string | undefined): void {
    this.at(s.line, s.col, s.width, text);
  }

  /** Right-justified so its last character is in column `endCol` (the form's dollar boxes). */
  rightAt(line: number, endCol: number, width: number, text: string): void {
    const t = text.slice(-width);
    this.at(line, endCol - t.length + 1, width, t);
  }

  check(line: number, col: number): void {
    this.at(line, col, 1, 'X');
  }

  money(line: number, dollarsEnd: number, centsCol: number, m: FormMoney, dollarsWidth: number): void {
    this.rightAt(line, dollarsEnd, dollarsWidth, m.dollars);
    this.at(line, centsCol, 2, m.cents);
  }

  date(line: number, cols: { mm: number; dd: number; yy: number }, d: FormDate | undefined): void {
    if (!d) return;
    this.at(line, cols.mm, 2, d.mm);
    this.at(line, cols.dd, 2, d.dd);
    this.at(line, cols.yy, 4, d.yy);
  }
}

function drawValues(w: Writer, p: Cms1500Page): void {
  const L = LAYOUT;
  if (p.pageCount > 1) w.spot(L.pageOf, `PAGE ${p.pageNumber} OF ${p.pageCount}`);
  p.carrier.slice(0, 4).forEach((text, i) => w.at(L.carrier.line + i, L.carrier.col, L.carrier.width, text));

  w.check(L.insuranceTypeLine, INSURANCE_TYPE_COL[p.insuranceType]);
  w.spot(L.insuredId, p.insuredId);
  w.spot(L.patientName, p.patientName);
  w.date(L.patientBirthDate.line, L.patientBirthDate, p.patientBirthDate);
  if (p.patientSex) w.check(L.patientSex.line, L.patientSex[p.patientSex]);
  w.spot(L.insuredName, p.insuredName);

  w.spot(L.patientStreet, p.patientAddress.street);
  w.check(L.relationshipLine, RELATIONSHIP_COL[p.relationship]);
  w.spot(L.patientCity, p.patientAddress.city);
  w.spot(L.patientState, p.patientAddress.state);
  w.spot(L.patientZip, p.patientAddress.zip);
  if (p.insuredAddress) {
    w.spot(L.insuredStreet, p.insuredAddress.street);
    w.spot(L.insuredCity, p.insuredAddress.city);
    w.spot(L.insuredState, p.insuredAddress.state);
    w.spot(L.insuredZip, p.insuredAddress.zip);
  }

  w.spot(L.otherInsuredName, p.otherInsuredName);
  w.spot(L.otherInsuredPolicy, p.otherInsuredPolicy);
  w.spot(L.otherInsuredPlan, p.otherInsuredPlan);
  [p.employmentRelated, p.autoAccident, p.otherAccident].forEach((yes, i) => w.check(20 + 2 * i, yes ? L.conditionYes : L.conditionNo));
  w.spot(L.insuredGroup, p.insuredGroupNumber);
  w.date(L.insuredBirthDate.line, L.insuredBirthDate, p.insuredBirthDate);
  if (p.insuredSex) w.check(L.insuredSex.line, L.insuredSex[p.insuredSex]);
  w.spot(L.insurancePlanName, p.insurancePlanName);
  w.check(L.anotherPlan.line, p.anotherPlan ? L.anotherPlan.YES : L.anotherPlan.NO);

  w.spot(L.patientSignature, p.patientSignature);
  w.spot(L.insuredSignature, p.insuredSignature);

  if (p.referringProvider) {
    w.spot(L.referringQualifier, p.referringProvider.qualifier);
    w.spot(L.referringName, p.referringProvider.name);
    w.spot(L.referringNpi, p.referringProvider.npi);
  }

  w.spot(L.icdIndicator, p.icdIndicator);
  p.diagnoses.forEach((code, i) =>
    w.at(L.diagnoses.line + Math.floor(i / 4), L.diagnoses.col + L.diagnoses.step * (i % 4), L.diagnoses.width, code),
  );
  if (p.resubmission) {
    w.spot(L.resubmissionCode, p.resubmission.code);
    w.spot(L.originalReference, p.resubmission.originalReference);
  }

  const S = L.serviceLine;
  p.lines.forEach((line, n) => {
    const shaded = S.firstLine + 2 * n;
    const main = shaded + 1;
    if (line.otherIdQualifier && line.otherId) {
      w.at(shaded, S.otherIdQualifier, 2, line.otherIdQualifier);
      w.at(shaded, S.renderingId, 12, line.otherId);
    }
    w.date(main, S.from, line.from);
    w.date(main, S.to, line.to);
    w.at(main, S.placeOfService, 2, line.placeOfService);
    w.at(main, S.procedureCode, 6, line.procedureCode);
    line.modifiers.forEach((m, i) => w.at(main, S.modifiers[i], 2, m));
    w.at(main, S.pointers, 4, line.diagnosisPointers);
    w.money(main, S.chargeDollarsEnd, S.chargeCents, line.charge, 6);
    w.at(main, S.units, 3, line.units);
    w.at(main, S.renderingId, 10, line.renderingNpi);
  });

  w.spot(L.federalTaxId, p.federalTaxId);
  w.check(L.taxIdType.line, L.taxIdType[p.federalTaxIdType]);
  w.spot(L.patientAccountNumber, p.patientAccountNumber);
  w.check(L.acceptAssignment.line, p.acceptAssignment ? L.acceptAssignment.YES : L.acceptAssignment.NO);
  w.money(L.totalCharge.line, L.totalCharge.dollarsEnd, L.totalCharge.cents, p.totalCharge, 6);
  w.money(L.amountPaid.line, L.amountPaid.dollarsEnd, L.amountPaid.cents, p.amountPaid, 5);

  const bp = p.billingProvider;
  if (bp.phone) {
    w.at(L.billingPhone.line, L.billingPhone.area, 3, bp.phone.area);
    w.at(L.billingPhone.line, L.billingPhone.number, 7, bp.phone.number);
  }
  const f = p.serviceFacility;
  [f?.name, f?.street, f?.cityStateZip].forEach((text, i) =>
    w.at(L.serviceFacility.line + i, L.serviceFacility.col, L.serviceFacility.width, text),
  );
  [bp.name, bp.street, bp.cityStateZip].forEach((text, i) =>
    w.at(L.billingProvider.line + i, L.billingProvider.col, L.billingProvider.width, text),
  );
  w.spot(L.physicianSignature, p.physicianSignature);
  const d = p.physicianSignedOn;
  w.spot(L.physicianDate, `${d.mm}${d.dd}${d.yy}`);
  w.spot(L.facilityNpi, f?.npi);
  w.spot(L.billingNpi, bp.npi);
}

// ---- the outline for plain paper: the form's rules and labels, light, in inches from the top left ----

const OUTLINE = rgb(0.86, 0.45, 0.45);
const SHADE = rgb(0.97, 0.9, 0.9);
const LEFT = 0.285;
const RIGHT = 8.215;
const MIDDLE = 5.19;

interface Rule {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

/** Horizontal rules: full width unless a span is given. */
const H_RULES: [number, number?, number?][] = [
  [1.333],
  [1.667],
  [2.0],
  [2.333],
  [2.667],
  [3.0],
  [3.333],
  [3.667, MIDDLE, RIGHT],
  [4.0],
  [4.333],
  [4.667],
  [5.333],
  [5.667],
  [6.0],
  [6.333],
  [6.667, MIDDLE, RIGHT],
  [7.0],
  [7.333],
  [7.667],
  [8.0],
  [8.333],
  [8.667],
  [9.0],
  [9.333],
  [9.667],
  [10.333, 2.467, RIGHT],
  [10.5],
];

/** Vertical rules between two depths. */
const V_RULES: Rule[] = [
  { x1: LEFT, y1: 1.333, x2: LEFT, y2: 10.5 },
  { x1: RIGHT, y1: 1.333, x2: RIGHT, y2: 10.5 },
  { x1: MIDDLE, y1: 1.333, x2: MIDDLE, y2: 4.667 },
  { x1: 3.16, y1: 1.667, x2: 3.16, y2: 4.667 },
  { x1: 2.79, y1: 2.333, x2: 2.79, y2: 2.667 },
  { x1: 7.52, y1: 2.333, x2: 7.52, y2: 2.667 },
  { x1: MIDDLE, y1: 5.333, x2: MIDDLE, y2: 7.0 },
  { x1: 3.0, y1: 5.333, x2: 3.0, y2: 6.0 },
  { x1: 6.333, y1: 6.5, x2: 6.333, y2: 6.667 },
  // box 24's columns, header to the last line
  ...[2.053, 2.373, 2.677, 3.407, 4.67, MIDDLE, 6.073, 6.477, 6.683, 6.977].map((x) => ({
    x1: x,
    y1: 7.0,
    x2: x,
    y2: 9.333,
  })),
  ...[0.557, 0.847, 1.157, 1.45, 1.767].map((x) => ({ x1: x, y1: 7.333, x2: x, y2: 9.333 })),
  ...[3.763, 4.063, 4.363, 5.83].map((x) => ({ x1: x, y1: 7.5, x2: x, y2: 9.333 })),
  // 25 | 26 | 27 | 28 | 29 | 30, then 31 | 32 | 33
  ...[2.467, 3.937, MIDDLE, 6.31, 7.29].map((x) => ({ x1: x, y1: 9.333, x2: x, y2: 9.667 })),
  ...[2.467, MIDDLE].map((x) => ({ x1: x, y1: 9.667, x2: x, y2: 10.5 })),
  ...[3.63, 6.35].map((x) => ({ x1: x, y1: 10.333, x2: x, y2: 10.5 })),
];

/** Box labels: [text, x inch, top of the text in inches]. */
const LABELS: [string, number, number][] = [
  ['HEALTH INSURANCE CLAIM FORM', LEFT, 0.75],
  ['APPROVED BY NATIONAL UNIFORM CLAIM COMMITTEE (NUCC) 02/12 - PLAIN-PAPER COPY', LEFT, 1.0],
  ["1a. INSURED'S I.D. NUMBER (For Program in Item 1)", MIDDLE + 0.04, 1.36],
  ["2. PATIENT'S NAME (Last Name, First Name, Middle Initial)", 0.32, 1.69],
  ["3. PATIENT'S BIRTH DATE", 3.2, 1.69],
  ['SEX', 4.6, 1.69],
  ["4. INSURED'S NAME (Last Name, First Name, Middle Initial)", MIDDLE + 0.04, 1.69],
  ["5. PATIENT'S ADDRESS (No., Street)", 0.32, 2.02],
  ['6. PATIENT RELATIONSHIP TO INSURED', 3.2, 2.02],
  ["7. INSURED'S ADDRESS (No., Street)", MIDDLE + 0.04, 2.02],
  ['CITY', 0.32, 2.35],
  ['STATE', 2.83, 2.35],
  ['8. RESERVED FOR NUCC USE', 3.2, 2.35],
  ['CITY', MIDDLE + 0.04, 2.35],
  ['STATE', 7.56, 2.35],
  ['ZIP CODE        TELEPHONE (Include Area Code)', 0.32, 2.69],
  ['ZIP CODE        TELEPHONE (Include Area Code)', MIDDLE + 0.04, 2.69],
  ["9. OTHER INSURED'S NAME (Last Name, First Name, Middle Initial)", 0.32, 3.02],
  ["10. IS PATIENT'S CONDITION RELATED TO:", 3.2, 3.02],
  ["11. INSURED'S POLICY GROUP OR FECA NUMBER", MIDDLE + 0.04, 3.02],
  ["a. OTHER INSURED'S POLICY OR GROUP NUMBER", 0.32, 3.35],
  ['a. EMPLOYMENT? (Current or Previous)', 3.2, 3.35],
  ["a. INSURED'S DATE OF BIRTH", MIDDLE + 0.04, 3.35],
  ['SEX', 7.3, 3.35],
  ['b. RESERVED FOR NUCC USE', 0.32, 3.69],
  ['b. AUTO ACCIDENT?', 3.2, 3.69],
  ['PLACE (State)', 4.5, 3.69],
  ['b. OTHER CLAIM ID (Designated by NUCC)', MIDDLE + 0.04, 3.69],
  ['c. RESERVED FOR NUCC USE', 0.32, 4.02],
  ['c. OTHER ACCIDENT?', 3.2, 4.02],
  ['c. INSURANCE PLAN NAME OR PROGRAM NAME', MIDDLE + 0.04, 4.02],
  ['d. INSURANCE PLAN NAME OR PROGRAM NAME', 0.32, 4.35],
  ['10d. CLAIM CODES (Designated by NUCC)', 3.2, 4.35],
  ['d. IS THERE ANOTHER HEALTH BENEFIT PLAN?', MIDDLE + 0.04, 4.35],
  ["12. PATIENT'S OR AUTHORIZED PERSON'S SIGNATURE", 0.32, 4.7],
  ['SIGNED', 0.32, 5.2],
  ['DATE', 3.55, 5.2],
  ["13. INSURED'S OR AUTHORIZED PERSON'S SIGNATURE", MIDDLE + 0.04, 4.7],
  ['SIGNED', MIDDLE + 0.04, 5.2],
  ['14. DATE OF CURRENT ILLNESS, INJURY, or PREGNANCY (LMP)', 0.32, 5.36],
  ['16. DATES PATIENT UNABLE TO WORK IN CURRENT OCCUPATION', MIDDLE + 0.04, 5.36],
  ['17. NAME OF REFERRING PROVIDER OR OTHER SOURCE', 0.32, 5.69],
  ['17b. NPI', 3.04, 5.85],
  ['18. HOSPITALIZATION DATES RELATED TO CURRENT SERVICES', MIDDLE + 0.04, 5.69],
  ['19. ADDITIONAL CLAIM INFORMATION (Designated by NUCC)', 0.32, 6.02],
  ['20. OUTSIDE LAB?   $ CHARGES', MIDDLE + 0.04, 6.02],
  ['21. DIAGNOSIS OR NATURE OF ILLNESS OR INJURY  Relate A-L to service line below (24E)      ICD Ind.', 0.32, 6.36],
  ['A.', 0.32, 6.53],
  ['B.', 1.62, 6.53],
  ['C.', 2.92, 6.53],
  ['D.', 4.22, 6.53],
  ['E.', 0.32, 6.7],
  ['F.', 1.62, 6.7],
  ['G.', 2.92, 6.7],
  ['H.', 4.22, 6.7],
  ['I.', 0.32, 6.87],
  ['J.', 1.62, 6.87],
  ['K.', 2.92, 6.87],
  ['L.', 4.22, 6.87],
  ['22. RESUBMISSION CODE', MIDDLE + 0.04, 6.36],
  ['ORIGINAL REF. NO.', 6.4, 6.36],
  ['23. PRIOR AUTHORIZATION NUMBER', MIDDLE + 0.04, 6.7],
  ['24. A. DATE(S) OF SERVICE', 0.32, 7.03],
  ['From                            To', 0.55, 7.13],
  ['MM       DD       YY       MM       DD       YY', 0.36, 7.23],
  ['B. POS', 2.09, 7.03],
  ['C. EMG', 2.41, 7.03],
  ['D. PROCEDURES, SERVICES, OR SUPPLIES', 2.71, 7.03],
  ['CPT/HCPCS       MODIFIER', 2.71, 7.18],
  ['E. DIAGNOSIS', 4.72, 7.03],
  ['POINTER', 4.72, 7.18],
  ['F. $ CHARGES', 5.3, 7.03],
  ['G. DAYS', 6.1, 7.03],
  ['OR UNITS', 6.1, 7.18],
  ['H.', 6.5, 7.03],
  ['I. ID', 6.71, 7.03],
  ['QUAL.', 6.71, 7.18],
  ['J. RENDERING', 7.0, 7.03],
  ['PROVIDER ID. #', 7.0, 7.18],
  ['25. FEDERAL TAX I.D. NUMBER', 0.32, 9.36],
  ['SSN  EIN', 1.9, 9.36],
  ["26. PATIENT'S ACCOUNT NO.", 2.5, 9.36],
  ['27. ACCEPT ASSIGNMENT?', 3.97, 9.36],
  ['28. TOTAL CHARGE', MIDDLE + 0.04, 9.36],
  ['29. AMOUNT PAID', 6.35, 9.36],
  ['30. Rsvd for NUCC Use', 7.32, 9.36],
  ['31. SIGNATURE OF PHYSICIAN OR SUPPLIER', 0.32, 9.7],
  ['INCLUDING DEGREES OR CREDENTIALS', 0.32, 9.82],
  ['SIGNED', 0.32, 10.36],
  ['DATE', 1.83, 10.36],
  ['32. SERVICE FACILITY LOCATION INFORMATION', 2.5, 9.7],
  ['33. BILLING PROVIDER INFO & PH #', MIDDLE + 0.04, 9.7],
  ['a.', 2.5, 10.35],
  ['b.', 3.66, 10.35],
  ['a.', MIDDLE + 0.04, 10.35],
  ['b.', 6.38, 10.35],
  ['NUCC Instruction Manual available at: www.nucc.org                  APPROVED OMB-0938-1197 FORM 1500 (02-12)', LEFT, 10.56],
];

/** Checkbox squares on the column their X goes in, each with its label beside it (or above, in box 1 and 25). */
function checkboxes(): { line: number; col: number; label: string; side: 'left' | 'right' | 'above' }[] {
  const L = LAYOUT;
  const yesNo = (line: number, yes: number, no: number) => [
    { line, col: yes, label: 'YES', side: 'right' as const },
    { line, col: no, label: 'NO', side: 'right' as const },
  ];
  return [
    // box 1's long names shortened so that neighbours do not run into each other
    ...Object.entries(INSURANCE_TYPE_COL).map(([label, col]) => ({
      line: L.insuranceTypeLine,
      col,
      label: `${col === 1.3 ? '1. ' : ''}${label.split(' ')[0]}`,
      side: 'above' as const,
    })),
    { line: L.patientSex.line, col: L.patientSex.M, label: 'M', side: 'left' },
    { line: L.patientSex.line, col: L.patientSex.F, label: 'F', side: 'left' },
    ...Object.entries(RELATIONSHIP_COL).map(([label, col]) => ({ line: L.relationshipLine, col, label, side: 'left' as const })),
    ...[20, 22, 24].flatMap((line) => yesNo(line, L.conditionYes, L.conditionNo)),
    { line: L.insuredSex.line, col: L.insuredSex.M, label: 'M', side: 'left' },
    { line: L.insuredSex.line, col: L.insuredSex.F, label: 'F', side: 'left' },
    ...yesNo(L.anotherPlan.line, L.anotherPlan.YES, L.anotherPlan.NO),
    { line: L.taxIdType.line, col: L.taxIdType.SSN, label: '', side: 'above' },
    { line: L.taxIdType.line, col: L.taxIdType.EIN, label: '', side: 'above' },
    ...yesNo(L.acceptAssignment.line, L.acceptAssignment.YES, L.acceptAssignment.NO),
  ];
}

const fromTop = (inches: number) => PAGE_HEIGHT - inches * INCH;

function drawOutline(page: PDFPage, font: PDFFont): void {
  // box 24's shaded halves first, so the rules and text go over them
  for (let n = 0; n < 6; n++) {
    page.drawRectangle({ x: LEFT * INCH, y: fromTop(7.5 + n / 3), width: (RIGHT - LEFT) * INCH, height: INCH / 6, color: SHADE });
  }
  for (const [y, x1 = LEFT, x2 = RIGHT] of H_RULES) {
    page.drawLine({ start: { x: x1 * INCH, y: fromTop(y) }, end: { x: x2 * INCH, y: fromTop(y) }, thickness: 0.6, color: OUTLINE });
  }
  for (const r of V_RULES) {
    page.drawLine({
      start: { x: r.x1 * INCH, y: fromTop(r.y1) },
      end: { x: r.x2 * INCH, y: fromTop(r.y2) },
      thickness: 0.6,
      color: OUTLINE,
    });
  }
  for (const { line, col, label, side } of checkboxes()) {
    const x = columnX(col) - 1.5;
    const y = lineBaseline(line) - BASELINE_LIFT - 0.5;
    page.drawRectangle({ x, y, width: 10.2, height: 11, borderColor: OUTLINE, borderWidth: 0.6 });
    const size = 5.5;
    const width = font.widthOfTextAtSize(label, size);
    const at = side === 'left' ? { x: x - width - 2, y: y + 3 } : side === 'right' ? { x: x + 12, y: y + 3 } : { x, y: y + 13 };
    if (label) page.drawText(label, { ...at, size, font, color: OUTLINE });
  }
  for (const [text, x, top] of LABELS) {
    const size = top < 1.2 ? 9 : 5.5;
    page.drawText(text, { x: x * INCH, y: fromTop(top) - size, size, font, color: OUTLINE });
  }
  for (let n = 0; n < 6; n++) {
    page.drawText(String(n + 1), { x: 0.12 * INCH, y: fromTop(7.5 + n / 3) - 10, size: 11, font, color: OUTLINE });
    page.drawText('NPI', { x: 6.74 * INCH, y: fromTop(7.5 + n / 3 + 1 / 6) + 3, size: 6, font, color: OUTLINE });
  }
}

/** The PDF of a claim's pages (fields.ts), one US Letter page each. Nothing identifying goes in its metadata. */
export async function renderCms1500(pages: Cms1500Page[], options: { outline?: boolean } = {}): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setTitle('CMS-1500 (02/12) claim');
  doc.setCreator('claimflow');
  doc.setProducer('claimflow');
  const courier = await doc.embedFont(StandardFonts.Courier);
  const helvetica = options.outline ? await doc.embedFont(StandardFonts.Helvetica) : undefined;
  for (const p of pages) {
    const page = doc.addPage([PAGE_WIDTH, PAGE_HEIGHT]);
    if (helvetica) drawOutline(page, helvetica);
    drawValues(new Writer(page, courier), p);
  }
  return doc.save();
}
