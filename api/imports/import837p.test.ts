import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ORGANIZATION_IDS, PAYER_IDS, USER_IDS } from '../../app/seed';
import { FIXTURES_DIR } from '../../test/fixtures';
import { workflowIdForClaim } from '../../workflows/contract';
import { useApiFixture, type ApiFixture } from '../testSupport';
import { read837pFile, X12_837P_CLAIM_KIND } from './import837p';
import { chargeDryRunResponse, chargeImportRefusal, chargeImportResponse, x12ImportRefusal } from './schemas';

const f: ApiFixture = useApiFixture();

const post = (text: string, query: string, options: { user?: string | null; token?: string; contentType?: string } = {}) =>
  f.api.request('POST', `/api/imports/837p?${query}`, {
    rawBody: text,
    headers: { 'Content-Type': options.contentType ?? 'application/edi-x12' },
    ...(options.user !== undefined ? { user: options.user } : {}),
    ...(options.token !== undefined ? { token: options.token } : {}),
  });

async function counts(organizationId?: string) {
  const p = f.db.prisma;
  const org = organizationId ? { organizationId } : {};
  return {
    patients: await p.patient.count({ where: org }),
    providers: await p.provider.count({ where: org }),
    claims: await p.claim.count({ where: org }),
    lines: await p.claimLine.count(organizationId ? { where: { claim: { organizationId } } } : undefined),
    sources: await p.inboundMessage.count({ where: { kind: X12_837P_CLAIM_KIND } }),
  };
}

// ---- every 837P fixture -------------------------------------------------------------------------------

const DIR = `${FIXTURES_DIR}/x12/837p`;
/** The MANIFEST's CLM count and sumCLM02 (dollars) of each 837P file. */
function manifest(): Map<string, { clm: number; totalCents: number }> {
  const text = fs.readFileSync(`${FIXTURES_DIR}/MANIFEST.md`, 'utf8');
  const out = new Map<string, { clm: number; totalCents: number }>();
  for (const m of text.matchAll(/^\| `x12\/837p\/([^`]+)` \|.*CLM=(\d+) sumCLM02=([\d.]+)/gm)) {
    const [whole, cents = ''] = m[3].split('.');
    out.set(m[1], { clm: Number(m[2]), totalCents: Number(whole) * 100 + Number(cents.padEnd(2, '0')) });
  }
  return out;
}

/** A practice that is plausibly the file's billing provider (its group NPI), and the file's payers. */
async function practiceForFile(organizationId: string, text: string): Promise<string> {
  const read = read837pFile(text, { controlTotals: false });
  await f.db.prisma.organization.create({
    data: {
      id: organizationId,
      name: `Fixture practice ${organizationId}`,
      npi: read.sources[0].provider.offer!.billingNpi,
      taxId: '999999999',
      addressLine: '1 MAIN ST',
      city: 'X',
      state: 'OR',
      zip9: '974010000',
    },
  });
  for (const payer of new Set(read.sources.map((s) => s.coverage.payer!))) {
    await f.db.prisma.payer.upsert({
      where: { electronicPayerId: payer },
      create: { id: `payer-fx-${payer}`, name: `Fixture payer ${payer}`, electronicPayerId: payer },
      update: {},
    });
  }
  return organizationId;
}

describe('POST /api/imports/837p: every 837P fixture', () => {
  it('dry-runs each to the MANIFEST claim count and total, then imports it, or refuses it naming each claim’s problems', async () => {
    const facts = manifest();
    const files = fs.readdirSync(DIR).sort();
    expect(files.length).toBeGreaterThanOrEqual(27);
    expect([...facts.keys()].sort()).toEqual(files);
    const taken: { file: string; claims: number; totalCents: number }[] = [];
    const refused: string[] = [];
    const strictRefused: string[] = [];
    for (const [i, file] of files.entries()) {
      const text = fs.readFileSync(`${DIR}/${file}`, 'utf8');
      const expected = facts.get(file)!;
      const organizationId = await practiceForFile(`org-fx-${i}`, text);
      // Several test-suite files carry wrong SE01/GE01/IEA01 counts: refused by default, naming the trailer, then read leniently.
      let query = '';
      const strict = await post(text, `dryRun=true&organizationId=${organizationId}`, {
        user: USER_IDS.biller2,
        contentType: 'text/plain',
      });
      if (strict.status === 400) {
        const error = x12ImportRefusal.parse(strict.body).error;
        expect(error.code, file).toBe('X12_SYNTAX');
        expect(['SE', 'GE', 'IEA'], file).toContain(error.segment);
        expect(error.position, file).toBeGreaterThan(1);
        strictRefused.push(file);
        query = '&controlTotals=false';
      }
      const q = `organizationId=${organizationId}${query}`;
      const dry = await post(text, `dryRun=true&${q}`, { user: USER_IDS.biller2 });
      expect(dry.status, `${file}: ${dry.text.slice(0, 300)}`).toBe(200);
      const figures = chargeDryRunResponse.parse(dry.body);
      expect({ file, claims: figures.claims, totalCents: figures.totalCents }).toEqual({
        file,
        claims: expected.clm,
        totalCents: expected.totalCents,
      });
      for (const p of figures.problems) {
        expect(p, file).toMatchObject({
          segment: expect.stringMatching(/^[A-Z0-9]{2,3}$/),
          position: expect.any(Number),
          claim: expect.any(String),
        });
        expect(p.row, file).toBeUndefined();
      }

      const before = await counts(organizationId);
      const res = await post(text, `dryRun=false&${q}`, { user: USER_IDS.biller2 });
      if (figures.problems.length === 0) {
        expect(res.status, `${file}: ${res.text.slice(0, 300)}`).toBe(200);
        const body = chargeImportResponse.parse(res.body);
        expect(body.created, file).toHaveLength(expected.clm);
        expect(body.workflowsPending).toEqual([]);
        const claims = await f.db.prisma.claim.findMany({ where: { id: { in: body.created } } });
        expect(claims.reduce((s, c) => s + c.totalChargeCents, 0)).toBe(expected.totalCents);
        taken.push({ file, claims: claims.length, totalCents: expected.totalCents });
      } else {
        expect(res.status, file).toBe(422);
        const refusal = chargeImportRefusal.parse(res.body);
        expect(refusal.error.code).toBe('IMPORT_REFUSED');
        expect(refusal.problems).toEqual(figures.problems);
        expect(await counts(organizationId), file).toEqual(before);
        refused.push(file);
      }
    }
    // Only one published sample is ICD-10 (UHIN's): the TR3 examples and the imsweb and staedi files date from the
    // ICD-9 years. Each of those claims is refused for it, naming its HI segment.
    expect(taken.map((t) => t.file)).toEqual(['uhin-x12-parser-library__837.edi']);
    for (const file of refused) {
      const text = fs.readFileSync(`${DIR}/${file}`, 'utf8');
      const dry = await post(text, `dryRun=true&organizationId=org-fx-${files.indexOf(file)}&controlTotals=false`, {
        user: USER_IDS.biller2,
      });
      expect(
        dry.body.problems.some((p: { segment: string; message: string }) => p.segment === 'HI' && /ICD-9-CM/.test(p.message)),
        file,
      ).toBe(true);
    }
    expect(strictRefused.sort()).toEqual(files.filter((x) => x.startsWith('imsweb-')));
    const claims = taken.reduce((s, t) => s + t.claims, 0);
    const cents = taken.reduce((s, t) => s + t.totalCents, 0);
    console.log(
      `837P fixtures: ${files.length} files, ${[...facts.values()].reduce((s, x) => s + x.clm, 0)} claims read; taken: ${taken.length} file(s), ${claims} claim(s), $${(cents / 100).toFixed(2)} billed; refused claim by claim: ${refused.length} files (ICD-9)`,
    );
  });

  it('the 820-claim file fits the limit and is reported claim by claim: ICD-9, invalid HL numbering, CLM02 not the lines’ sum', async () => {
    const text = fs.readFileSync(`${DIR}/imsweb-x12-parser__x12_many_claims.txt`, 'utf8');
    const organizationId = await practiceForFile('org-fx-many', text);
    const dry = await post(text, `dryRun=true&organizationId=${organizationId}&controlTotals=false`, { user: USER_IDS.biller2 });
    expect(dry.status).toBe(200);
    const figures = chargeDryRunResponse.parse(dry.body);
    expect(figures).toMatchObject({ claims: 820, totalCents: 41_000_000 });
    expect(figures.problems).toHaveLength(500);
    const messages = figures.problems.map((p) => p.message).join('\n');
    expect(messages).toMatch(/ICD-9-CM/);
    expect(messages).toMatch(/HL01 is \d+ where \d+ was expected/);
    expect(messages).toMatch(/CLM02 is 500 but the lines add up to 12.25/);
  });
});

// ---- a practice system's file -----------------------------------------------------------------------

interface Delimiters {
  element: string;
  component: string;
  segment: string;
}
const STANDARD: Delimiters = { element: '*', component: ':', segment: '~' };

/** Segments written with * and :, ST..SE added, then the interchange in `d`'s delimiters. */
function interchange(control: number, d: Delimiters, sets: string[][]): string[] {
  const isa = [
    'ISA',
    '00',
    ' '.repeat(10),
    '00',
    ' '.repeat(10),
    'ZZ',
    'MAPLEPM'.padEnd(15),
    'ZZ',
    'CLAIMFLOW'.padEnd(15),
    '261201',
    '1200',
    '^',
    '00501',
    String(control).padStart(9, '0'),
    '0',
    'T',
    d.component,
  ].join(d.element);
  const body = sets.flatMap((set, i) => {
    const st = String(i + 1).padStart(4, '0');
    return [`ST*837*${st}*005010X222A1`, ...set, `SE*${set.length + 2}*${st}`];
  });
  const segments = [
    `GS*HC*MAPLEPM*CLAIMFLOW*20261201*1200*${control}*X*005010X222A1`,
    ...body,
    `GE*${sets.length}*${control}`,
    `IEA*1*${String(control).padStart(9, '0')}`,
  ];
  return [isa, ...segments.map((s) => s.replaceAll('*', d.element).replaceAll(':', d.component))];
}

const header = (submitter: string) => [
  'BHT*0019*00*B1*20261201*1200*CH',
  `NM1*41*2*MAPLE PM*****46*${submitter}`,
  'PER*IC*BILLING*TE*5035550100',
  'NM1*40*2*CLAIMFLOW*****46*CLAIMFLOW',
  'HL*1**20*1',
  'PRV*BI*PXC*208000000X',
  'NM1*85*2*LAKESIDE PEDIATRICS*****XX*1528307469',
  'N3*250 LAKE SHORE DR',
  'N4*FAIRHAVEN*OR*974020000',
  'REF*EI*844567890',
];
const ADA = ['NM1*IL*1*QUILL*ADA****MI*BPK-55501', 'N3*9 BIRCH LN', 'N4*FAIRHAVEN*OR*97402', 'DMG*D8*19850314*F'];
const NEW_NPI = '1992837462';

/**
 * Three claims of Lakeside's practice system in two interchanges: the first in * : ~, the second in | > and
 * newlines. Ada (the subscriber) twice, her son Theo once, seen by a clinician claimflow does not know yet.
 */
function practiceFile(prefix: string, change: (segments: string[]) => string[] = (s) => s): { text: string; segments: string[] } {
  const first = interchange(
    101,
    STANDARD,
    [
      [
        ...header('MAPLE01'),
        'HL*2*1*22*0',
        'SBR*P*18*GRP100******CI',
        ...ADA,
        'NM1*PR*2*BLUE PEAK*****PI*BPK47',
        `CLM*${prefix}1*180.00***11:B:1*Y*A*Y*Y`,
        'HI*ABK:J069*ABF:R509',
        'NM1*82*1*HALE*JUNE****XX*1384629501',
        'PRV*PE*PXC*208000000X',
        'LX*1',
        'SV1*HC:99213:25*150.00*UN*1***1:2',
        'DTP*472*D8*20261120',
        'LX*2',
        'SV1*HC:87880*30.00*UN*1***1',
        'DTP*472*D8*20261120',
        'HL*3*1*22*1',
        'SBR*P**GRP100******CI',
        'NM1*IL*1*QUILL*ADA****MI*BPK-55501',
        'NM1*PR*2*BLUE PEAK*****PI*BPK47',
        'HL*4*3*23*0',
        'PAT*19',
        'NM1*QC*1*QUILL*THEO',
        'N3*9 BIRCH LN',
        'N4*FAIRHAVEN*OR*97402',
        'DMG*D8*20180702*M',
        `CLM*${prefix}2*95.50***11:B:1*Y*A*Y*Y`,
        'HI*ABK:H6691',
        `NM1*82*1*ROWE*SAM****XX*${NEW_NPI}`,
        'PRV*PE*PXC*208000000X',
        'LX*1',
        'SV1*HC:99212*95.50*UN*1***1',
        'DTP*472*D8*20261121',
      ],
    ].map(change),
  );
  const NL: Delimiters = { element: '|', component: '>', segment: '\n' };
  const second = interchange(
    102,
    NL,
    [
      [
        ...header('MAPLE01'),
        'HL*2*1*22*0',
        'SBR*P*18*GRP100******CI',
        'NM1*IL*1*QUILL*ADA****MI*BPK55501',
        ...ADA.slice(1),
        'NM1*PR*2*BLUE PEAK*****PI*BPK47',
        `CLM*${prefix}3*40.00***11:B:1*Y*A*Y*Y`,
        'HI*ABK:Z0000',
        'NM1*82*1*HALE*JUNE****XX*1384629501',
        'LX*1',
        'SV1*HC:99395*40.00*UN*1***1',
        'DTP*472*D8*20261122',
      ],
    ].map(change),
  );
  const text = `${first.join('~')}~\n${second.join('\n')}\n`;
  const standard = (s: string) => s.replaceAll('|', '*').replaceAll('>', ':');
  return { text, segments: [...first, ...second.map(standard)] };
}
const positionOf = (segments: string[], prefix: string) => segments.findIndex((s) => s.startsWith(prefix)) + 1;

describe('POST /api/imports/837p: a practice system’s file', () => {
  const lakeside = `organizationId=${ORGANIZATION_IDS.lakeside}`;

  it('imports three claims from two interchanges of different delimiters, registering the patients and the new clinician; again, nothing', async () => {
    const { text } = practiceFile('PM-1');
    const before = await counts(ORGANIZATION_IDS.lakeside);
    const dry = await post(text, `dryRun=true&${lakeside}`, { user: USER_IDS.biller2 });
    expect(dry.status, dry.text).toBe(200);
    expect(chargeDryRunResponse.parse(dry.body)).toEqual({
      dryRun: true,
      claims: 3,
      lines: 4,
      totalCents: 31_550,
      patientsToCreate: 2,
      providersToCreate: 1,
      duplicates: [],
      problems: [],
    });
    expect(await counts(ORGANIZATION_IDS.lakeside)).toEqual(before);

    const res = await post(text, `dryRun=false&${lakeside}`, { user: USER_IDS.biller2 });
    expect(res.status, res.text).toBe(200);
    const body = chargeImportResponse.parse(res.body);
    expect(body).toMatchObject({ dryRun: false, duplicates: [], patientsCreated: 2, providersCreated: 1, workflowsPending: [] });
    expect(body.created).toHaveLength(3);
    expect(await counts(ORGANIZATION_IDS.lakeside)).toEqual({
      patients: before.patients + 2,
      providers: before.providers + 1,
      claims: before.claims + 3,
      lines: before.lines + 4,
      sources: before.sources + 3,
    });

    const claims = await Promise.all(
      body.created.map((id) =>
        f.db.prisma.claim.findUniqueOrThrow({
          where: { id },
          include: {
            lines: { orderBy: { lineNo: 'asc' } },
            diagnoses: { orderBy: { seq: 'asc' } },
            encounter: true,
            patient: { include: { coverages: true } },
            provider: true,
          },
        }),
      ),
    );
    const [a, b, c] = claims;
    for (const claim of claims) {
      expect(claim.organizationId).toBe(ORGANIZATION_IDS.lakeside);
      expect(claim.payerId).toBe(PAYER_IDS.bluePeak);
      expect(claim.encounter.placeOfService).toBe('11');
      const wf = await f.env.client.workflow.getHandle(workflowIdForClaim(claim.id)).describe();
      expect(wf.status.name).toBe('RUNNING');
    }
    expect(a.lines.map((l) => [l.procedureCode, l.modifiers, l.units, l.chargeCents, l.diagnosisPointers])).toEqual([
      ['99213', ['25'], 1, 15_000, [1, 2]],
      ['87880', [], 1, 3_000, [1]],
    ]);
    expect(a.diagnoses.map((d) => d.code)).toEqual(['J06.9', 'R50.9']);
    expect(a.encounter.dateOfService.toISOString().slice(0, 10)).toBe('2026-11-20');
    expect(a.provider.npi).toBe('1384629501');
    expect(a.patient).toMatchObject({
      firstName: 'ADA',
      lastName: 'QUILL',
      sex: 'F',
      addressLine: '9 BIRCH LN',
      state: 'OR',
      postalCode: '97402',
    });
    expect(a.patient.coverages).toEqual([
      expect.objectContaining({
        payerId: PAYER_IDS.bluePeak,
        memberId: 'BPK-55501',
        groupNumber: 'GRP100',
        priority: 'PRIMARY',
        relationship: '18',
      }),
    ]);
    // Theo: his own patient record, on his mother's coverage as her child; his clinician registered in the practice.
    expect(b.patient).toMatchObject({ firstName: 'THEO', lastName: 'QUILL', sex: 'M' });
    expect(b.patient.birthDate.toISOString().slice(0, 10)).toBe('2018-07-02');
    expect(b.patient.coverages).toEqual([expect.objectContaining({ memberId: 'BPK-55501', relationship: '19' })]);
    expect(b.provider).toMatchObject({
      npi: NEW_NPI,
      name: 'SAM ROWE',
      taxonomy: '208000000X',
      taxId: '844567890',
      organizationId: ORGANIZATION_IDS.lakeside,
    });
    expect(b.diagnoses.map((d) => d.code)).toEqual(['H66.91']);
    // The second interchange's claim is Ada's again (member id without the dash): one patient, not two.
    expect(c.patientId).toBe(a.patientId);
    expect(c.encounter.dateOfService.toISOString().slice(0, 10)).toBe('2026-11-22');

    const sources = await f.db.prisma.inboundMessage.findMany({ where: { kind: X12_837P_CLAIM_KIND, claimId: { in: body.created } } });
    expect(sources.map((s) => s.externalId).sort()).toEqual(
      ['PM-11', 'PM-12', 'PM-13'].map((clm) => `${ORGANIZATION_IDS.lakeside}:MAPLE01:${clm}`),
    );
    const audit = await f.db.prisma.auditEvent.findFirstOrThrow({ where: { action: 'charge.import' }, orderBy: { at: 'desc' } });
    expect(audit.detail).toMatchObject({ source: 'x12-837p', claims: 3, patientsCreated: 2, providersCreated: 1, claimIds: body.created });
    expect(JSON.stringify(audit.detail)).not.toMatch(/QUILL|ADA|THEO|BPK-55501/i);

    // The same file again: nothing new, its claims listed as duplicates (submitter:CLM01).
    const afterFirst = await counts(ORGANIZATION_IDS.lakeside);
    const again = await post(text, `dryRun=false&${lakeside}`, { user: USER_IDS.biller2 });
    expect(again.status, again.text).toBe(200);
    expect(again.body).toEqual({
      dryRun: false,
      created: [],
      duplicates: ['MAPLE01:PM-11', 'MAPLE01:PM-12', 'MAPLE01:PM-13'],
      patientsCreated: 0,
      providersCreated: 0,
      workflowsPending: [],
    });
    expect(await counts(ORGANIZATION_IDS.lakeside)).toEqual(afterFirst);
  });

  it('refuses a file with one bad claim (422), naming each problem’s segment, position and claim, and writes nothing', async () => {
    const { text, segments } = practiceFile('PM-2', (set) =>
      set.map((s, i) =>
        // the second claim's payer (the NM1*PR after HL 3) and its line's procedure code
        s === 'NM1*PR*2*BLUE PEAK*****PI*BPK47' && set[i - 2] === 'SBR*P**GRP100******CI'
          ? 'NM1*PR*2*NOBODY*****PI*NOPAYER'
          : s === 'SV1*HC:99212*95.50*UN*1***1'
            ? 'SV1*HC:9921*95.50*UN*1***1'
            : s,
      ),
    );
    const expected = [
      { segment: 'NM1', position: positionOf(segments, 'NM1*PR*2*NOBODY'), claim: 'PM-22', message: 'no such payer' },
      {
        segment: 'SV1',
        position: positionOf(segments, 'SV1*HC:9921*'),
        claim: 'PM-22',
        message: 'must be a 5-character CPT or HCPCS code',
      },
    ];
    expect(expected[0].position).toBeGreaterThan(30);
    const before = await counts();
    const dry = await post(text, `dryRun=true&${lakeside}`, { user: USER_IDS.biller2 });
    expect(dry.status, dry.text).toBe(200);
    expect(dry.body.problems).toEqual(expected);
    const res = await post(text, `dryRun=false&${lakeside}`, { user: USER_IDS.biller2 });
    expect(res.status, res.text).toBe(422);
    const refusal = chargeImportRefusal.parse(res.body);
    expect(refusal).toMatchObject({ error: { code: 'IMPORT_REFUSED' }, claims: 3, problems: expected });
    expect(await counts()).toEqual(before);
  });

  it('refuses a file whose envelope does not check out (400, segment and position) and an 837I (422 X12_UNSUPPORTED), writing nothing', async () => {
    const before = await counts();
    const { text } = practiceFile('PM-3');
    const truncated = text.slice(0, text.indexOf('SE*'));
    const bad = await post(truncated, `dryRun=false&${lakeside}`, { user: USER_IDS.biller2 });
    expect(bad.status, bad.text).toBe(400);
    const error = x12ImportRefusal.parse(bad.body).error;
    expect(error).toMatchObject({ code: 'X12_SYNTAX', segment: expect.any(String), position: expect.any(Number) });
    expect(error.message).toMatch(/segment \d+/);

    const institutional = fs.readFileSync(`${FIXTURES_DIR}/x12/837i/linuxforhealth-x12__institutional-claim.837i`, 'utf8');
    const i = await post(institutional, `dryRun=false&${lakeside}`, { user: USER_IDS.biller2 });
    expect(i.status, i.text).toBe(422);
    expect(i.body.error).toMatchObject({ code: 'X12_UNSUPPORTED', segment: 'ST', position: 3, element: 3 });
    expect(i.body.error.message).toMatch(/only 837P/);
    expect(await counts()).toEqual(before);
  });
});

describe('POST /api/imports/837p: who may import where', () => {
  it("refuses another practice's user (422 naming organizationId) and a coder's token (403), reading nothing", async () => {
    const { text } = practiceFile('PM-4');
    const before = await counts();
    // biller-1 works for Riverbend only.
    const other = await post(text, `dryRun=false&organizationId=${ORGANIZATION_IDS.lakeside}`, { user: USER_IDS.biller1 });
    expect(other.status, other.text).toBe(422);
    expect(other.body.error).toMatchObject({ code: 'UNKNOWN_REFERENCE', field: 'organizationId' });
    // Into their own practice the file's claims are not Riverbend's: Lakeside's billing NPI registers nobody there.
    const own = await post(text, 'dryRun=true', { user: USER_IDS.biller1 });
    expect(own.status, own.text).toBe(200);
    expect(own.body.problems).toContainEqual(
      expect.objectContaining({
        segment: 'NM1',
        claim: 'PM-42',
        message: expect.stringMatching(/billing provider 1528307469 is not the practice/),
      }),
    );

    const issued = await f.api.request('POST', `/api/admin/users/${USER_IDS.coder2}/tokens`, {
      user: USER_IDS.admin,
      body: { name: 'import test' },
    });
    expect(issued.status, issued.text).toBe(201);
    const coder = await post(text, `dryRun=true&${`organizationId=${ORGANIZATION_IDS.lakeside}`}`, {
      user: null,
      token: issued.body.token,
    });
    expect(coder.status, coder.text).toBe(403);
    const noToken = await post(text, 'dryRun=true', { user: null });
    expect(noToken.status).toBe(401);
    expect(await counts()).toEqual(before);
  });

  it('answers 415 for other content types and 400 for a missing dryRun or an empty file', async () => {
    const { text } = practiceFile('PM-5');
    for (const type of ['text/csv', 'application/octet-stream']) {
      const res = await post(text, `dryRun=true&organizationId=${ORGANIZATION_IDS.lakeside}`, {
        user: USER_IDS.biller2,
        contentType: type,
      });
      expect(res.status, type).toBe(415);
      expect(res.body.error).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE', field: 'Content-Type' });
    }
    const noDryRun = await post(text, `organizationId=${ORGANIZATION_IDS.lakeside}`, { user: USER_IDS.biller2 });
    expect(noDryRun.status).toBe(400);
    expect(noDryRun.body.error.field).toBe('dryRun');
    expect((await post('  ', `dryRun=true&organizationId=${ORGANIZATION_IDS.lakeside}`, { user: USER_IDS.biller2 })).status).toBe(400);
  });
});
