// Demo reference data (payers, providers, synthetic patients, users) and a generator of realistic charge
// captures for them. Every name, address, member id and NPI here is made up; re-running changes nothing.
import type { PrismaClient } from '../generated/prisma/client';
import type { CreateClaimBody } from '../api/claims/schemas';
import { memberIdKey, nameKey } from '../domain/search';
import { DEFAULT_TASK_SLA_DAYS, TASK_KINDS, type TaskKind } from '../workflows/contract';
import { FEE_SCHEDULE } from '../simulator/feeSchedule';

// ---- payers: one Medicare-like, three commercial, each with its own follow-up and appeal rules ----
export const PAYER_IDS = {
  medicare: 'payer-medicare-demo',
  bluePeak: 'payer-blue-peak',
  unity: 'payer-unity-mutual',
  cascade: 'payer-cascade-health',
} as const;

const PAYERS = [
  {
    id: PAYER_IDS.medicare,
    name: 'Medicare Part B (Demo Jurisdiction)',
    electronicPayerId: 'DMC01',
    payerGroup: 'MEDICARE',
    followUpIntervalDays: 30,
    maxFollowUps: 3,
    timelyFilingDays: 365,
    appealWindowDays: 120,
    appealLevels: 2,
  },
  {
    id: PAYER_IDS.bluePeak,
    name: 'Blue Peak Health Plan',
    electronicPayerId: 'BPK47',
    payerGroup: 'COMMERCIAL',
    followUpIntervalDays: 14,
    maxFollowUps: 4,
    timelyFilingDays: 90,
    appealWindowDays: 60,
    appealLevels: 2,
  },
  {
    id: PAYER_IDS.unity,
    name: 'Unity Mutual Insurance',
    electronicPayerId: 'UMI62',
    payerGroup: 'COMMERCIAL',
    followUpIntervalDays: 21,
    maxFollowUps: 3,
    timelyFilingDays: 180,
    appealWindowDays: 180,
    appealLevels: 1,
  },
  {
    id: PAYER_IDS.cascade,
    name: 'Cascade Commercial Health',
    electronicPayerId: 'CCH19',
    payerGroup: 'COMMERCIAL',
    followUpIntervalDays: 18,
    maxFollowUps: 3,
    timelyFilingDays: 120,
    appealWindowDays: 90,
    appealLevels: 2,
  },
];

// ---- practices: a billing office serving two clinics. Riverbend's providers bill in their own names;
// Lakeside is a group that bills as itself (its NPI and tax id) and names the provider who saw the child. ----
export const ORGANIZATION_IDS = { riverbend: 'org-riverbend', lakeside: 'org-lakeside' } as const;

export const ORGANIZATIONS = [
  {
    id: ORGANIZATION_IDS.riverbend,
    name: 'Riverbend Medical Group',
    npi: null,
    taxId: null,
    addressLine: '100 MAIN ST',
    city: 'FAIRHAVEN',
    state: 'OR',
    zip9: '974010000',
  },
  {
    id: ORGANIZATION_IDS.lakeside,
    name: 'Lakeside Pediatrics',
    npi: '1528307469',
    taxId: '844567890',
    addressLine: '250 LAKE SHORE DR',
    city: 'FAIRHAVEN',
    state: 'OR',
    zip9: '974020000',
  },
];

// ---- providers: NPIs carry a valid Luhn check digit over the 80840 prefix ----
export const PROVIDER_IDS = {
  familyMedicine: 'prov-family-medicine',
  internalMedicine: 'prov-internal-medicine',
  generalPractice: 'prov-general-practice',
  lakesidePediatrics: 'prov-lakeside-pediatrics',
} as const;

/** Riverbend's providers: demoEncounter picks among these. */
export const PROVIDERS = [
  {
    id: PROVIDER_IDS.familyMedicine,
    organizationId: ORGANIZATION_IDS.riverbend,
    npi: '1457293011',
    name: 'Riverbend Family Medicine',
    taxonomy: '207Q00000X',
    taxId: '841234567',
  },
  {
    id: PROVIDER_IDS.internalMedicine,
    organizationId: ORGANIZATION_IDS.riverbend,
    npi: '1673840256',
    name: 'Harborview Internal Medicine',
    taxonomy: '207R00000X',
    taxId: '842345678',
  },
  {
    id: PROVIDER_IDS.generalPractice,
    organizationId: ORGANIZATION_IDS.riverbend,
    npi: '1982736450',
    name: 'Oak Hollow General Practice',
    taxonomy: '208D00000X',
    taxId: '843456789',
  },
];

const LAKESIDE_PROVIDER = {
  id: PROVIDER_IDS.lakesidePediatrics,
  organizationId: ORGANIZATION_IDS.lakeside,
  npi: '1384629501',
  name: 'Lakeside Pediatric Clinicians',
  taxonomy: '208000000X',
  taxId: '844567890',
};

// ---- users: one login per role, two for the busy queues ----
export const USER_IDS = {
  coder1: 'coder-1',
  coder2: 'coder-2',
  biller1: 'biller-1',
  biller2: 'biller-2',
  supervisor: 'supervisor-1',
  admin: 'admin',
} as const;

const RIVERBEND_ONLY = [ORGANIZATION_IDS.riverbend];
const BOTH_PRACTICES = [ORGANIZATION_IDS.riverbend, ORGANIZATION_IDS.lakeside];
/**
 * The billing office's own leads see every practice ("*"), and so does Riley, who posts payments: an unmatched
 * remittance claim belongs to no practice until someone matches it. Casey and Jordan work Riverbend only.
 */
const USERS = [
  { id: USER_IDS.coder1, name: 'Casey Coder', role: 'CODER', organizationIds: RIVERBEND_ONLY },
  { id: USER_IDS.coder2, name: 'Morgan Coder', role: 'CODER', organizationIds: BOTH_PRACTICES },
  { id: USER_IDS.biller1, name: 'Jordan Biller', role: 'BILLER', organizationIds: RIVERBEND_ONLY },
  { id: USER_IDS.biller2, name: 'Riley Biller', role: 'BILLER', organizationIds: ['*'] },
  { id: USER_IDS.supervisor, name: 'Avery Supervisor', role: 'SUPERVISOR', organizationIds: ['*'] },
  { id: USER_IDS.admin, name: 'Demo Administrator', role: 'ADMIN', organizationIds: ['*'] },
] as const;

/**
 * The payer simulator as a clearinghouse sender: it delivers acknowledgements and remittances for the demo
 * payers only. Its token is issued by the main job that starts it (app/mainJob.ts), never here.
 */
export const SIMULATOR_SENDER_ID = 'clearinghouse-simulator';
export const SIMULATOR_SENDER = {
  id: SIMULATOR_SENDER_ID,
  name: 'Payer simulator (demo clearinghouse)',
  role: 'CLEARINGHOUSE',
  payerIds: PAYERS.map((p) => p.id),
} as const;

// ---- patients: synthetic people; a few Medicare patients carry a commercial secondary ----
type PayerKey = keyof typeof PAYER_IDS;
interface DemoPatient {
  firstName: string;
  lastName: string;
  birthDate: string;
  sex: 'F' | 'M';
  addressLine: string;
  city: string;
  state: string;
  postalCode: string;
  primary: PayerKey;
  secondary?: PayerKey;
  /** X12 individual relationship to the subscriber; 18 (self) when absent, 19 a child on a parent's plan */
  relationship?: '18' | '19';
  /**
   * The primary coverage ended before the demo's visits: its member id ends in TERM, which the payer simulator
   * answers as inactive (simulator/eligibility.ts), so the demo shows an ELIGIBILITY task now and then.
   */
  terminatedCoverage?: boolean;
}

const DEMO_PATIENTS: DemoPatient[] = [
  {
    firstName: 'Evelyn',
    lastName: 'Marsh',
    birthDate: '1948-03-14',
    sex: 'F',
    addressLine: '118 Willow Creek Rd',
    city: 'Fairhaven',
    state: 'OR',
    postalCode: '97401',
    primary: 'medicare',
    secondary: 'unity',
  },
  {
    firstName: 'Marcus',
    lastName: 'Delacroix',
    birthDate: '1979-11-02',
    sex: 'M',
    addressLine: '42 Larkspur Ln',
    city: 'Millbrook',
    state: 'OR',
    postalCode: '97404',
    primary: 'bluePeak',
  },
  {
    firstName: 'Priya',
    lastName: 'Venkataraman',
    birthDate: '1986-06-21',
    sex: 'F',
    addressLine: '907 Cedar Bluff Ave Apt 3',
    city: 'Fairhaven',
    state: 'OR',
    postalCode: '97402',
    primary: 'cascade',
  },
  {
    firstName: 'Harold',
    lastName: 'Finchley',
    birthDate: '1951-01-30',
    sex: 'M',
    addressLine: '3 Old Mill Ct',
    city: 'Greystone',
    state: 'OR',
    postalCode: '97410',
    primary: 'medicare',
  },
  {
    firstName: 'Lucia',
    lastName: 'Ferreira',
    birthDate: '1992-09-08',
    sex: 'F',
    addressLine: '2215 Juniper St',
    city: 'Millbrook',
    state: 'OR',
    postalCode: '97405',
    primary: 'unity',
  },
  {
    firstName: 'Dmitri',
    lastName: 'Volkonsky',
    birthDate: '1968-04-17',
    sex: 'M',
    addressLine: '56 Heron Point Dr',
    city: 'Bayside',
    state: 'OR',
    postalCode: '97420',
    primary: 'bluePeak',
    secondary: 'cascade',
  },
  {
    firstName: 'Grace',
    lastName: 'Okonkwo',
    birthDate: '1957-12-05',
    sex: 'F',
    addressLine: '740 Orchard Hill Rd',
    city: 'Greystone',
    state: 'OR',
    postalCode: '97411',
    primary: 'medicare',
  },
  {
    firstName: 'Tobias',
    lastName: 'Lindqvist',
    birthDate: '2001-02-27',
    sex: 'M',
    addressLine: '19 Quarry Ln',
    city: 'Fairhaven',
    state: 'OR',
    postalCode: '97401',
    primary: 'cascade',
  },
  {
    firstName: 'Amara',
    lastName: 'Whitfield',
    birthDate: '1974-07-19',
    sex: 'F',
    addressLine: '1302 Sycamore Blvd',
    city: 'Bayside',
    state: 'OR',
    postalCode: '97421',
    primary: 'unity',
  },
  {
    firstName: 'Raymond',
    lastName: 'Achebe',
    birthDate: '1945-10-11',
    sex: 'M',
    addressLine: '88 Foxglove Way',
    city: 'Millbrook',
    state: 'OR',
    postalCode: '97404',
    primary: 'medicare',
    secondary: 'bluePeak',
  },
  {
    firstName: 'Sofia',
    lastName: 'Castellanos',
    birthDate: '1989-05-03',
    sex: 'F',
    addressLine: '615 Birchwood Ter',
    city: 'Greystone',
    state: 'OR',
    postalCode: '97412',
    primary: 'bluePeak',
  },
  {
    firstName: 'Wendell',
    lastName: 'Pruitt',
    birthDate: '1963-08-24',
    sex: 'M',
    addressLine: '27 Tanager Ridge',
    city: 'Fairhaven',
    state: 'OR',
    postalCode: '97403',
    primary: 'cascade',
  },
  {
    firstName: 'Naomi',
    lastName: 'Hashimoto',
    birthDate: '1998-12-12',
    sex: 'F',
    addressLine: '4410 Alder Crossing',
    city: 'Bayside',
    state: 'OR',
    postalCode: '97420',
    primary: 'unity',
  },
  {
    firstName: 'Clifford',
    lastName: 'Barrowman',
    birthDate: '1953-03-09',
    sex: 'M',
    addressLine: '9 Lantern Hill Rd',
    city: 'Greystone',
    state: 'OR',
    postalCode: '97410',
    primary: 'medicare',
  },
  {
    firstName: 'Imani',
    lastName: 'Rutherford',
    birthDate: '1983-10-29',
    sex: 'F',
    addressLine: '350 Meadowlark Dr',
    city: 'Millbrook',
    state: 'OR',
    postalCode: '97406',
    primary: 'bluePeak',
  },
  {
    firstName: 'Ezra',
    lastName: 'Goldfarb',
    birthDate: '1971-01-16',
    sex: 'M',
    addressLine: '1777 Pinecrest Ave',
    city: 'Fairhaven',
    state: 'OR',
    postalCode: '97402',
    primary: 'cascade',
    secondary: 'unity',
  },
  {
    firstName: 'Beatrice',
    lastName: 'Nakamura-Lowe',
    birthDate: '1949-06-01',
    sex: 'F',
    addressLine: '64 Stonegate Cir',
    city: 'Bayside',
    state: 'OR',
    postalCode: '97422',
    primary: 'medicare',
  },
  {
    firstName: 'Julian',
    lastName: 'Ostrowski',
    birthDate: '1995-04-22',
    sex: 'M',
    addressLine: '208 Ferncliff Rd',
    city: 'Greystone',
    state: 'OR',
    postalCode: '97411',
    primary: 'unity',
  },
  {
    firstName: 'Rosalind',
    lastName: 'Adeyemi',
    birthDate: '1966-09-13',
    sex: 'F',
    addressLine: '5020 Harvest Moon Ln',
    city: 'Millbrook',
    state: 'OR',
    postalCode: '97405',
    primary: 'bluePeak',
  },
  {
    firstName: 'Victor',
    lastName: 'Sandoval',
    birthDate: '1958-02-07',
    sex: 'M',
    addressLine: '12 Copper Kettle Way',
    city: 'Fairhaven',
    state: 'OR',
    postalCode: '97403',
    primary: 'medicare',
  },
];

/** Lakeside's patients: children, two of them on a parent's plan. */
const LAKESIDE_PATIENTS: DemoPatient[] = [
  {
    firstName: 'Milo',
    lastName: 'Okafor',
    birthDate: '2017-04-09',
    sex: 'M',
    addressLine: '15 Heron Way',
    city: 'Fairhaven',
    state: 'OR',
    postalCode: '97402',
    primary: 'bluePeak',
    relationship: '19',
  },
  {
    firstName: 'Ada',
    lastName: 'Lindqvist',
    birthDate: '2019-09-30',
    sex: 'F',
    addressLine: '88 Reed Cove Ct',
    city: 'Fairhaven',
    state: 'OR',
    postalCode: '97402',
    primary: 'cascade',
    relationship: '19',
  },
  {
    firstName: 'Theo',
    lastName: 'Ramirez',
    birthDate: '2012-01-17',
    sex: 'M',
    addressLine: '301 Shoreline Blvd',
    city: 'Millbrook',
    state: 'OR',
    postalCode: '97404',
    primary: 'unity',
  },
  {
    firstName: 'Nora',
    lastName: 'Castellanos',
    birthDate: '2015-07-05',
    sex: 'F',
    addressLine: '9 Tidewater Pl',
    city: 'Fairhaven',
    state: 'OR',
    postalCode: '97401',
    primary: 'bluePeak',
  },
  {
    firstName: 'Elias',
    lastName: 'Brandvold',
    birthDate: '2014-03-21',
    sex: 'M',
    addressLine: '47 Lantern Hill Rd',
    city: 'Millbrook',
    state: 'OR',
    postalCode: '97404',
    primary: 'cascade',
    terminatedCoverage: true,
  },
];

const patientIdAt = (i: number) => `pat-${String(i + 1).padStart(2, '0')}`;
/** Riverbend's patients (demoEncounter's). */
export const PATIENT_IDS: readonly string[] = DEMO_PATIENTS.map((_, i) => patientIdAt(i));
export const LAKESIDE_PATIENT_IDS: readonly string[] = LAKESIDE_PATIENTS.map((_, i) => patientIdAt(DEMO_PATIENTS.length + i));

/** Member ids in each payer's made-up house format (never a real MBI or subscriber id). */
function memberId(payer: PayerKey, n: number): string {
  const serial = String(100_000 + n * 7_919).padStart(6, '0');
  switch (payer) {
    case 'medicare':
      return `9DM${serial}X${n % 10}`;
    case 'bluePeak':
      return `BPK${serial}01`;
    case 'unity':
      return `UM-${serial}-${(n * 37) % 100}`;
    case 'cascade':
      return `CCH${serial}`;
  }
}

const memberIdOf = (payer: PayerKey, n: number, terminated: boolean) => `${memberId(payer, n)}${terminated ? 'TERM' : ''}`;

/** The demo patient whose coverage ended (terminatedCoverage): the simulator answers its 270s inactive. */
export const TERMINATED_COVERAGE_PATIENT_ID: string = LAKESIDE_PATIENT_IDS[LAKESIDE_PATIENTS.findIndex((p) => p.terminatedCoverage)];

const GROUP_NUMBERS: Record<PayerKey, string | null> = { medicare: null, bluePeak: 'GRP-40411', unity: 'U7720', cascade: 'CAS-1185' };

export const coverageIdFor = (patientIndex: number, priority: 'PRIMARY' | 'SECONDARY'): string =>
  `cov-${String(patientIndex + 1).padStart(2, '0')}-${priority === 'PRIMARY' ? 'p' : 's'}`;

/**
 * One routing rule per task kind for every payer ("*"): the workflow's queue (TASK_KINDS), its default SLA, no
 * required skill. Only missing rules are added, so what supervisors changed survives a re-seed.
 */
export async function seedRoutingRules(prisma: PrismaClient): Promise<void> {
  await prisma.routingRule.createMany({
    data: (Object.keys(TASK_KINDS) as TaskKind[]).map((kind) => ({
      kind,
      payerGroup: '*',
      queue: TASK_KINDS[kind].queue,
      slaDays: DEFAULT_TASK_SLA_DAYS[kind],
    })),
    skipDuplicates: true,
  });
}

/** When the demo contracts start: before any demo date of service. */
export const DEMO_FEE_SCHEDULE_FROM = '2020-01-01';

/**
 * The demo practices' contracted fee schedules: every demo payer, payer-wide, at the simulator's own rates, so that
 * only a claim the simulator underpays (its UNDERPAY scenario) shows an underpayment. Stored rates are left alone.
 */
async function seedFeeSchedules(prisma: PrismaClient): Promise<void> {
  await prisma.feeScheduleRate.createMany({
    data: ORGANIZATIONS.flatMap((org) =>
      PAYERS.flatMap((payer) =>
        Object.entries(FEE_SCHEDULE).map(([procedureCode, allowedCents]) => ({
          organizationId: org.id,
          payerId: payer.id,
          procedureCode,
          allowedCents,
          effectiveFrom: new Date(`${DEMO_FEE_SCHEDULE_FROM}T00:00:00Z`),
        })),
      ),
    ),
    skipDuplicates: true,
  });
}

export async function seedReferenceData(prisma: PrismaClient): Promise<void> {
  await seedRoutingRules(prisma);
  for (const org of ORGANIZATIONS) {
    await prisma.organization.upsert({ where: { id: org.id }, create: org, update: org });
  }
  for (const payer of PAYERS) {
    await prisma.payer.upsert({ where: { id: payer.id }, create: payer, update: payer });
  }
  for (const provider of [...PROVIDERS, LAKESIDE_PROVIDER]) {
    await prisma.provider.upsert({ where: { id: provider.id }, create: provider, update: provider });
  }
  await seedFeeSchedules(prisma);
  for (const user of USERS) {
    const data = { ...user, organizationIds: [...user.organizationIds] };
    await prisma.user.upsert({
      where: { id: user.id },
      create: data,
      update: { name: data.name, role: data.role, organizationIds: data.organizationIds },
    });
  }
  const sender = { ...SIMULATOR_SENDER, payerIds: [...SIMULATOR_SENDER.payerIds] };
  await prisma.user.upsert({
    where: { id: sender.id },
    create: sender,
    update: { name: sender.name, role: sender.role, payerIds: sender.payerIds },
  });
  const patients = [
    ...DEMO_PATIENTS.map((p) => ({ ...p, organizationId: ORGANIZATION_IDS.riverbend })),
    ...LAKESIDE_PATIENTS.map((p) => ({ ...p, organizationId: ORGANIZATION_IDS.lakeside })),
  ];
  for (const [i, p] of patients.entries()) {
    const id = patientIdAt(i);
    const person = {
      organizationId: p.organizationId,
      firstName: p.firstName,
      lastName: p.lastName,
      firstNameKey: nameKey(p.firstName),
      lastNameKey: nameKey(p.lastName),
      birthDate: new Date(`${p.birthDate}T00:00:00.000Z`),
      sex: p.sex,
      addressLine: p.addressLine,
      city: p.city,
      state: p.state,
      postalCode: p.postalCode,
    };
    // The balance is the patient's money, moved by posting: a re-seed must not reset it.
    await prisma.patient.upsert({ where: { id }, create: { id, ...person }, update: person });
    const coverages: { payer: PayerKey; priority: 'PRIMARY' | 'SECONDARY' }[] = [{ payer: p.primary, priority: 'PRIMARY' }];
    if (p.secondary) coverages.push({ payer: p.secondary, priority: 'SECONDARY' });
    for (const c of coverages) {
      const coverage = {
        patientId: id,
        payerId: PAYER_IDS[c.payer],
        memberId: memberIdOf(c.payer, i + 1, p.terminatedCoverage === true && c.priority === 'PRIMARY'),
        memberIdKey: memberIdKey(memberIdOf(c.payer, i + 1, p.terminatedCoverage === true && c.priority === 'PRIMARY')),
        groupNumber: GROUP_NUMBERS[c.payer],
        priority: c.priority,
        relationship: p.relationship ?? '18',
      };
      const coverageId = coverageIdFor(i, c.priority);
      await prisma.coverage.upsert({ where: { id: coverageId }, create: { id: coverageId, ...coverage }, update: coverage });
    }
  }
}

// ---- demo encounters ----

/** Fee schedule of the demo practice, in cents. CPT numbers only: descriptions are AMA-licensed. */
export const DEMO_CHARGES_CENTS: Record<string, number> = {
  '99203': 19_000,
  '99212': 9_500,
  '99213': 14_500,
  '99214': 21_000,
  '99215': 29_500,
  '36415': 2_500,
  '85025': 4_200,
  '80053': 6_800,
  '93000': 7_500,
};

interface Scenario {
  documentation: string;
  diagnoses: string[];
  visit: string;
  /** tests and procedures done at the visit, each with the diagnoses (1-based) that justify it */
  services: { code: string; pointers: number[] }[];
}

// Each note supports exactly the codes listed with it, so the demo's coding queue has something real to confirm.
const SCENARIOS: Scenario[] = [
  {
    documentation:
      'Follow-up for type 2 diabetes mellitus without complications; hypertension stable on current regimen. Venipuncture for comprehensive metabolic panel.',
    diagnoses: ['E11.9', 'I10'],
    visit: '99214',
    services: [
      { code: '36415', pointers: [1] },
      { code: '80053', pointers: [1, 2] },
    ],
  },
  {
    documentation: 'Acute upper respiratory infection for four days with cough; afebrile, lungs clear. Supportive care advised.',
    diagnoses: ['J06.9', 'R05.9'],
    visit: '99213',
    services: [],
  },
  {
    documentation: 'Low back pain for two weeks after lifting, no radiation to the legs, no red-flag symptoms. Home exercise program.',
    diagnoses: ['M54.50'],
    visit: '99213',
    services: [],
  },
  {
    documentation: 'Hypertension follow-up; routine 12-lead ECG performed and interpreted in office, normal sinus rhythm.',
    diagnoses: ['I10'],
    visit: '99213',
    services: [{ code: '93000', pointers: [1] }],
  },
  {
    documentation:
      'Type 2 diabetes mellitus without complications and hyperlipidemia on statin; CBC and comprehensive metabolic panel drawn.',
    diagnoses: ['E11.9', 'E78.5'],
    visit: '99214',
    services: [
      { code: '36415', pointers: [1] },
      { code: '85025', pointers: [1] },
      { code: '80053', pointers: [1, 2] },
    ],
  },
  {
    documentation: 'Gastro-esophageal reflux symptoms persist despite PPI; hyperlipidemia controlled. Medication adjusted.',
    diagnoses: ['K21.9', 'E78.5'],
    visit: '99213',
    services: [],
  },
  {
    documentation: 'Cough lingering three weeks after a resolved cold; lungs clear, no fever. Reassurance given.',
    diagnoses: ['R05.9'],
    visit: '99212',
    services: [],
  },
  {
    documentation: 'New patient establishing care: reflux with nightly heartburn and elevated blood pressure on repeat readings.',
    diagnoses: ['K21.9', 'I10'],
    visit: '99203',
    services: [],
  },
  {
    documentation:
      'Type 2 diabetes, hypertension and hyperlipidemia each reviewed with medication changes for all three; venipuncture for metabolic panel.',
    diagnoses: ['E11.9', 'I10', 'E78.5'],
    visit: '99215',
    services: [
      { code: '36415', pointers: [1] },
      { code: '80053', pointers: [1, 2, 3] },
    ],
  },
  {
    // A preventive diagnosis on a problem-oriented visit code: payers often deny this pairing, which gives
    // the demo a realistic coding denial to work.
    documentation: 'Adult general medical examination without abnormal findings; screening labs drawn.',
    diagnoses: ['Z00.00'],
    visit: '99213',
    services: [
      { code: '36415', pointers: [1] },
      { code: '85025', pointers: [1] },
    ],
  },
];

export type Rng = () => number;

const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length) % items.length];

/**
 * A create-claim body (POST /api/claims) for demo patient `i` (wrapping after 20): an office visit with its
 * lab or ECG work, codes consistent with the note, dated 1–30 days before `today`.
 */
export function demoEncounter(rng: Rng, i: number, today = new Date()): CreateClaimBody {
  const scenario = pick(rng, SCENARIOS);
  const daysAgo = 1 + Math.floor(rng() * 30);
  const dateOfService = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() - daysAgo));
  const allPointers = scenario.diagnoses.map((_, k) => k + 1).slice(0, 4);
  const lines = [
    { procedureCode: scenario.visit, units: 1, chargeCents: DEMO_CHARGES_CENTS[scenario.visit], diagnosisPointers: allPointers },
    ...scenario.services.map((s) => ({
      procedureCode: s.code,
      units: 1,
      chargeCents: DEMO_CHARGES_CENTS[s.code],
      diagnosisPointers: s.pointers,
    })),
  ];
  return {
    patientId: PATIENT_IDS[((i % PATIENT_IDS.length) + PATIENT_IDS.length) % PATIENT_IDS.length],
    providerId: pick(rng, PROVIDERS).id,
    dateOfService: dateOfService.toISOString().slice(0, 10),
    placeOfService: '11',
    documentation: scenario.documentation,
    lines,
    diagnoses: [...scenario.diagnoses],
  };
}

/** What brings children to Lakeside: the respiratory scenarios. */
const PEDIATRIC_SCENARIOS = SCENARIOS.filter((s) => s.diagnoses.some((d) => d.startsWith('J') || d.startsWith('R05')));

/**
 * A demo charge capture of either practice: every fourth one is Lakeside's (a child's respiratory visit with its
 * group's clinician), the rest Riverbend's as demoEncounter makes them. The demo script loads these, so queues
 * show both practices and users assigned to one practice see only its work.
 */
export function demoPracticeEncounter(rng: Rng, i: number, today = new Date()): CreateClaimBody {
  if (i % 4 !== 3) return demoEncounter(rng, i, today);
  const body = demoEncounter(rng, i, today);
  const scenario = pick(rng, PEDIATRIC_SCENARIOS);
  const pointers = scenario.diagnoses.map((_, k) => k + 1).slice(0, 4);
  return {
    ...body,
    patientId: LAKESIDE_PATIENT_IDS[Math.floor(i / 4) % LAKESIDE_PATIENT_IDS.length],
    providerId: PROVIDER_IDS.lakesidePediatrics,
    documentation: scenario.documentation,
    diagnoses: [...scenario.diagnoses],
    lines: [{ procedureCode: scenario.visit, units: 1, chargeCents: DEMO_CHARGES_CENTS[scenario.visit], diagnosisPointers: pointers }],
  };
}
