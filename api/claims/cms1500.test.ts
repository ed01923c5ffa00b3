// GET /api/claims/:id/cms1500.pdf: a real PDF (pdf-lib reads it back) whose text, as poppler's pdftotext lays it
// out, has each box's value on the form's line; billing roles only, the caller's practices only, audited.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { LAKESIDE_PATIENT_IDS, PATIENT_IDS, PROVIDER_IDS, USER_IDS } from '../../app/seed';
import { ensureAptPackage } from '../../test/support/install';
import { useApiFixture } from '../testSupport';

const f = useApiFixture();
const PDFTOTEXT = '/usr/bin/pdftotext';

beforeAll(() => ensureAptPackage('poppler-utils', PDFTOTEXT), 600_000);

const lineOf = (procedureCode: string, chargeCents: number, diagnosisPointers: number[]) => ({
  procedureCode,
  units: 1,
  chargeCents,
  diagnosisPointers,
});

// pat-01 is a Medicare patient with a Unity Mutual secondary (see app/seed.ts).
const riverbendClaim = (lines = [lineOf('99214', 21_000, [1, 2]), lineOf('36415', 2_500, [1]), lineOf('80053', 6_800, [1, 2])]) => ({
  patientId: PATIENT_IDS[0],
  providerId: PROVIDER_IDS.familyMedicine,
  dateOfService: '2026-11-02',
  placeOfService: '11',
  documentation: 'Follow-up for type 2 diabetes mellitus without complications; hypertension stable.',
  lines,
  diagnoses: ['E11.9', 'I10'],
});

async function createClaim(body: object, user: string = USER_IDS.biller1): Promise<string> {
  const res = await f.api.request('POST', '/api/claims', { body, user });
  expect(res.status).toBe(201);
  return res.body.id as string;
}

async function download(claimId: string, user: string, query = ''): Promise<Response> {
  return fetch(`${f.api.baseUrl}/api/claims/${claimId}/cms1500.pdf${query}`, { headers: { 'X-User-Id': user } });
}

/** pdftotext -layout of the PDF: one string per page, split into lines. */
function pdfText(pdf: Uint8Array): string[][] {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cms1500-')), 'claim.pdf');
  fs.writeFileSync(file, pdf);
  const text = execFileSync(PDFTOTEXT, ['-layout', file, '-'], { encoding: 'utf8' });
  fs.rmSync(path.dirname(file), { recursive: true, force: true });
  return text
    .split('\f')
    .filter((page) => page.trim())
    .map((page) => page.split('\n'));
}

/** The one line of a page that contains every one of `parts`. */
function lineWith(page: string[], ...parts: string[]): string {
  const found = page.filter((l) => parts.every((p) => l.includes(p)));
  expect(found, `one line with ${parts.join(' + ')} in:\n${page.join('\n')}`).toHaveLength(1);
  return found[0];
}

describe('GET /api/claims/:id/cms1500.pdf', () => {
  it("answers a PDF download whose text puts the claim's values on the form's lines, and audits it", async () => {
    const claimId = await createClaim(riverbendClaim());
    const res = await download(claimId, USER_IDS.biller1);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="claim-${claimId}-cms1500.pdf"`);
    const pdf = new Uint8Array(await res.arrayBuffer());
    expect(Buffer.from(pdf.subarray(0, 5)).toString('latin1')).toBe('%PDF-');
    const doc = await PDFDocument.load(pdf);
    expect(doc.getPageCount()).toBe(1);
    expect(doc.getPage(0).getSize()).toEqual({ width: 612, height: 792 });
    expect(doc.getTitle()).toBe('CMS-1500 (02/12) claim');

    const patient = await f.db.prisma.patient.findUniqueOrThrow({ where: { id: PATIENT_IDS[0] }, include: { coverages: true } });
    const primary = patient.coverages.find((c) => c.priority === 'PRIMARY')!;
    const secondary = patient.coverages.find((c) => c.priority === 'SECONDARY')!;
    const name = `${patient.lastName}, ${patient.firstName}`.toUpperCase();
    const [mm, dd, yyyy] = [
      patient.birthDate.toISOString().slice(5, 7),
      patient.birthDate.toISOString().slice(8, 10),
      patient.birthDate.getUTCFullYear(),
    ];

    const [page] = pdfText(pdf);
    // box 1 (MEDICARE checked) and 1a on line 8; box 2, 3 and 4 on line 10
    expect(lineWith(page, primary.memberId).trim().startsWith('X')).toBe(true);
    lineWith(page, name, `${mm} ${dd} ${yyyy}`);
    // 9a: the secondary's member id; 11d YES
    lineWith(page, secondary.memberId);
    // box 21: the diagnoses without their dots, on one line
    lineWith(page, 'E119', 'I10');
    // box 24, one line each: dates, place of service, code, pointers, charge in split columns, units, NPI
    expect(lineWith(page, '99214')).toMatch(/11 02 26 11 02 26 11\s+99214\s+AB\s+210 00\s+1\s+1457293011/);
    expect(lineWith(page, '36415')).toMatch(/36415\s+A\s+25 00\s+1\s+1457293011/);
    expect(lineWith(page, '80053')).toMatch(/80053\s+AB\s+68 00\s+1\s+1457293011/);
    // boxes 25 to 29 on line 56: EIN, account number (our claim id), assignment, total 303.00, paid 0.00
    expect(lineWith(page, claimId)).toMatch(/841234567\s+X\s+[A-Z0-9]+\s+X\s+303 00\s+0 00/);
    // 33: the billing provider; nothing of the form itself is drawn without outline=true
    lineWith(page, 'RIVERBEND FAMILY MEDICINE');
    expect(page.join('\n')).not.toContain("PATIENT'S NAME");

    const audits = await f.db.prisma.auditEvent.findMany({ where: { claimId, action: 'claim.cms1500' } });
    expect(audits.map((a) => [a.actor, a.detail])).toEqual([[USER_IDS.biller1, { pages: 1, outline: false }]]);
  });

  it('prints eight lines on two pages, each totalled, and the form itself with outline=true', async () => {
    const charges = [21_000, 2_500, 6_800, 4_200, 7_500, 9_500, 14_500, 2_500];
    const codes = ['99214', '36415', '80053', '85025', '93000', '99212', '99213', '36416'];
    const claimId = await createClaim(riverbendClaim(codes.map((c, i) => lineOf(c, charges[i], [1]))));
    const res = await download(claimId, USER_IDS.supervisor, '?outline=true');
    expect(res.status).toBe(200);
    const pdf = new Uint8Array(await res.arrayBuffer());
    expect((await PDFDocument.load(pdf)).getPageCount()).toBe(2);
    const [first, second] = pdfText(pdf);
    lineWith(first, 'PAGE 1 OF 2');
    lineWith(second, 'PAGE 2 OF 2');
    expect(lineWith(first, claimId)).toMatch(/515 00/);
    expect(lineWith(second, claimId)).toMatch(/170 00/);
    lineWith(second, '99213');
    expect(second.join('\n')).not.toContain('99214');
    // the outline's labels are there for a plain-paper copy
    expect(first.join('\n')).toContain("PATIENT'S NAME");
    expect(first.join('\n')).toContain('PLAIN-PAPER COPY');
  });

  it('shows a corrected claim as resubmission code 7 with the original claim number in box 22', async () => {
    const claimId = await createClaim(riverbendClaim());
    await f.db.prisma.claim.update({ where: { id: claimId }, data: { frequencyCode: '7', payerClaimControlNo: '2026110400123' } });
    const [page] = pdfText(new Uint8Array(await (await download(claimId, USER_IDS.biller1)).arrayBuffer()));
    expect(lineWith(page, '2026110400123')).toMatch(/\b7\s+2026110400123/);
  });

  it("is for billing roles in the claim's practice: another practice's claim is not found, a coder may not print", async () => {
    const lakeside = await createClaim(
      {
        patientId: LAKESIDE_PATIENT_IDS[0],
        providerId: PROVIDER_IDS.lakesidePediatrics,
        dateOfService: '2026-11-16',
        placeOfService: '11',
        documentation: 'Well-child visit.',
        lines: [lineOf('99213', 14_500, [1])],
        diagnoses: ['Z00.129'],
      },
      USER_IDS.biller2,
    );
    const riverbend = await createClaim(riverbendClaim());
    const outsider = await download(lakeside, USER_IDS.biller1);
    expect(outsider.status).toBe(404);
    expect((await outsider.json()).error.code).toBe('NOT_FOUND');
    expect((await download('CF0000000000', USER_IDS.biller1)).status).toBe(404);
    const coder = await download(riverbend, USER_IDS.coder1);
    expect(coder.status).toBe(403);
    expect((await download(riverbend, USER_IDS.admin)).status).toBe(200);
    // a group's claim names the group in 33a and the provider who saw the child in 24J
    const groupPage = pdfText(new Uint8Array(await (await download(lakeside, USER_IDS.biller2)).arrayBuffer()))[0];
    expect(lineWith(groupPage, '99213')).toMatch(/145 00\s+1\s+1384629501/);
    lineWith(groupPage, '1528307469');
    // nothing was audited for the refused requests
    expect(await f.db.prisma.auditEvent.count({ where: { claimId: lakeside, action: 'claim.cms1500', actor: USER_IDS.biller1 } })).toBe(0);
  });

  it('refuses a bad outline parameter with 400 naming it', async () => {
    const claimId = await createClaim(riverbendClaim());
    const res = await download(claimId, USER_IDS.biller1, '?outline=maybe');
    expect(res.status).toBe(400);
    expect((await res.json()).error.field).toBe('outline');
    expect((await download(claimId, USER_IDS.biller1, '?outline=true&outline=false')).status).toBe(400);
  });
});
