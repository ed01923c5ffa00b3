// A biller imports a practice system's CSV export in Chromium, against the real main job: downloads the template,
// fills it in, chooses a file with a bad row (its problem is shown by row and column and the import cannot be
// started), drops the corrected file (the dry run is clean and writes nothing), imports it, and opens a created
// claim, which waits in the coders' queue. A file whose patient changed between the dry run and the import is
// refused whole (422), and a file imported before has nothing new to import.
import fs from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LAKESIDE_PATIENT_IDS, PATIENT_IDS, PAYER_IDS } from '../../app/seed';
import { startWorkspace, waitForOpenTask, type Workspace } from './support';

let ws: Workspace;
beforeAll(async () => {
  ws = await startWorkspace();
});
afterAll(async () => {
  await ws?.stop();
});

const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);
/** MM/DD/YYYY, as US practice systems export dates */
const usDate = (iso: string) => `${iso.slice(5, 7)}/${iso.slice(8, 10)}/${iso.slice(0, 4)}`;
const NPI_FAMILY_MEDICINE = '1457293011';

/** A one-claim 837P of Lakeside's practice system (a new patient, a provider Lakeside has), `hi` its diagnosis. */
function file837(hi: string): string {
  const dos = daysAgo(3).replaceAll('-', '');
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
    '000000101',
    '0',
    'T',
    ':',
  ].join('*');
  const set = [
    'BHT*0019*00*B1*20261201*1200*CH',
    'NM1*41*2*MAPLE PM*****46*MAPLE01',
    'PER*IC*BILLING*TE*5035550100',
    'NM1*40*2*CLAIMFLOW*****46*CLAIMFLOW',
    'HL*1**20*1',
    'NM1*85*2*LAKESIDE PEDIATRICS*****XX*1528307469',
    'N3*250 LAKE SHORE DR',
    'N4*FAIRHAVEN*OR*974020000',
    'REF*EI*844567890',
    'HL*2*1*22*0',
    'SBR*P*18*GRP100******CI',
    'NM1*IL*1*MARLOWE*EDITH****MI*BPK-60012',
    'N3*12 REED CT',
    'N4*FAIRHAVEN*OR*97402',
    'DMG*D8*19790405*F',
    'NM1*PR*2*BLUE PEAK*****PI*BPK47',
    'CLM*MPL-1*150.00***11:B:1*Y*A*Y*Y',
    `HI*${hi}`,
    'NM1*82*1*HALE*JUNE****XX*1384629501',
    'LX*1',
    'SV1*HC:99213*150.00*UN*1***1',
    `DTP*472*D8*${dos}`,
  ];
  const segments = [
    isa,
    'GS*HC*MAPLEPM*CLAIMFLOW*20261201*1200*101*X*005010X222A1',
    'ST*837*0001*005010X222A1',
    ...set,
    `SE*${set.length + 2}*0001`,
    'GE*1*101',
    'IEA*1*000000101',
  ];
  return segments.join('~\n') + '~\n';
}

/** Rows under the template's own header, each a record of column → value. */
function fill(header: string[], rows: Partial<Record<string, string>>[]): string {
  const field = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return [header.join(','), ...rows.map((r) => header.map((c) => field(r[c] ?? '')).join(','))].join('\r\n') + '\r\n';
}

const NEW_PATIENT = {
  patient_last_name: 'Abernathy',
  patient_first_name: 'Rosalind',
  patient_birth_date: '07/19/1984',
  patient_sex: 'F',
  patient_address: '9 Quarry Rd, Unit 2',
  patient_city: 'Fairhaven',
  patient_state: 'OR',
  patient_zip: '97401',
  payer_id: PAYER_IDS.bluePeak,
  member_id: 'BPK-551204-01',
};

function rows(charge: string) {
  return [
    {
      encounter_id: 'IMP-1001',
      patient_id: PATIENT_IDS[0],
      provider_npi: NPI_FAMILY_MEDICINE,
      date_of_service: usDate(daysAgo(4)),
      place_of_service: '11',
      diagnoses: 'I10;E11.9',
      procedure_code: '99213',
      units: '1',
      charge: '145.00',
      diagnosis_pointers: '1;2',
      documentation: 'Hypertension and type 2 diabetes follow-up, "stable"; BP 128/80.',
    },
    { encounter_id: 'IMP-1001', procedure_code: '93000', charge: '75', diagnosis_pointers: '1' },
    {
      encounter_id: 'IMP-1002',
      ...NEW_PATIENT,
      provider_npi: NPI_FAMILY_MEDICINE,
      date_of_service: daysAgo(3),
      place_of_service: '11',
      diagnoses: 'J06.9',
      procedure_code: '99203',
      charge,
      diagnosis_pointers: '1',
      documentation: 'Acute upper respiratory infection, supportive care.',
    },
  ];
}

/** Drops a file on the screen's drop zone, as dragging it from the desktop does. */
async function dropFile(page: Page, name: string, text: string): Promise<void> {
  const dataTransfer = await page.evaluateHandle(
    ({ name, text }) => {
      const dt = new DataTransfer();
      dt.items.add(new File([text], name, { type: 'text/csv' }));
      return dt;
    },
    { name, text },
  );
  await page.getByTestId('dropzone').dispatchEvent('drop', { dataTransfer });
}

const figure = (page: Page, name: string) => page.locator(`[data-figure="${name}"]`).textContent();

describe('charge import in the workspace', () => {
  it('a biller dry-runs a file with a bad row, corrects it, imports it once, and the claims wait for a coder', async () => {
    const page = await ws.newPage('biller');
    const consoleLines: string[] = [];
    page.on('console', (m) => consoleLines.push(m.text()));
    const importsSent: string[] = [];
    page.on('request', (r) => {
      if (r.method() === 'POST' && r.url().includes('dryRun=false')) importsSent.push(r.url());
    });
    expect((await page.locator('header nav a').allTextContents()).map((t) => t.trim())).toEqual([
      'My queue',
      'Register patient',
      'New claim',
      'Import charges',
    ]);
    await page.getByRole('link', { name: 'Import charges' }).click();
    await page.getByRole('heading', { name: 'Import charges' }).waitFor();
    // biller-1 works for Riverbend only: no practice to choose
    expect(await page.getByLabel('Practice').count()).toBe(0);
    await ws.shot(page, 'import-01-screen');

    // ---- the template: the documented header, downloaded ----
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download the CSV template' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('claimflow-charges-template.csv');
    const template = fs.readFileSync((await download.path())!, 'utf8');
    const header = template.trimEnd().split(',');
    expect(header).toContain('encounter_id');
    expect(header).toContain('charge');
    expect(template.endsWith('\r\n')).toBe(true);

    const before = (await ws.api('GET', '/api/claims/summary', undefined, ws.tokens.biller)).body;

    // ---- a file with a bad row: its problem by row and column, and no import ----
    await page.getByLabel(/Charge file/).setInputFiles({
      name: 'october-charges.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(fill(header, rows('210.505'))),
    });
    const problems = page.getByRole('table', { name: 'Problems' });
    await problems.waitFor();
    expect(await problems.locator('thead th').allTextContents()).toEqual(['Row', 'Column', 'Problem']);
    expect(await problems.locator('tbody tr').allTextContents()).toEqual(['4chargemust have at most 2 decimals (cents), such as 145.00']);
    expect(await page.getByTestId('dry-run-verdict').textContent()).toMatch(/^1 problem: correct it in the file/);
    const importButton = page.getByRole('button', { name: /^Import \d+ claims?$/ });
    expect(await importButton.isDisabled()).toBe(true);
    await ws.shot(page, 'import-02-problems');

    // ---- the corrected file, dropped: a clean dry run that wrote nothing ----
    await dropFile(page, 'october-charges.csv', fill(header, rows('210.50')));
    await expect.poll(() => page.getByTestId('dry-run-verdict').textContent()).toBe('No problems: 2 claims ready to import.');
    expect(await problems.count()).toBe(0);
    expect(await figure(page, 'claims')).toBe('2');
    expect(await figure(page, 'lines')).toBe('3');
    expect(await figure(page, 'total')).toBe('$430.50');
    expect(await figure(page, 'patients')).toBe('1');
    expect(await figure(page, 'duplicates')).toBe('0');
    expect(await page.getByRole('button', { name: 'Import 2 claims' }).isEnabled()).toBe(true);
    await ws.shot(page, 'import-03-dry-run-clean');
    expect((await ws.api('GET', '/api/claims/summary', undefined, ws.tokens.biller)).body).toEqual(before);

    // ---- the import, double-clicked: sent once; the created claims as links, the patient registered ----
    await page.getByRole('button', { name: 'Import 2 claims' }).dblclick();
    const imported = page.getByRole('region', { name: 'Imported' });
    await imported.waitFor();
    expect(await imported.getByRole('heading').textContent()).toBe('Imported 2 claims from october-charges.csv');
    expect(await imported.textContent()).toMatch(/1 patient registered from the file/);
    const links = imported.getByRole('list', { name: 'Claims created' }).getByRole('link');
    const claimIds = (await links.allTextContents()).map((t) => t.trim());
    expect(claimIds).toHaveLength(2);
    expect(importsSent).toHaveLength(1);
    await ws.shot(page, 'import-04-imported');
    expect((await ws.api('GET', '/api/claims/summary', undefined, ws.tokens.biller)).body.total).toBe(before.total + 2);
    const first = (await ws.api('GET', `/api/claims/${claimIds[0]}`, undefined, ws.tokens.biller)).body;
    expect(first).toMatchObject({
      patientId: PATIENT_IDS[0],
      totalChargeCents: 22_000,
      diagnoses: [expect.objectContaining({ code: 'I10' }), expect.objectContaining({ code: 'E11.9' })],
    });

    // The link opens the claim, and the claim waits in the coders' queue.
    await links.first().click();
    await page.waitForURL(`**/#/claims/${claimIds[0]}`);
    await page.getByRole('heading', { name: new RegExp(`Claim ${claimIds[0]}`) }).waitFor();
    for (const claimId of claimIds) {
      const task = await waitForOpenTask(ws, claimId, 'CODE_REVIEW');
      expect(task.queue).toBe('CODER');
      const queue = await ws.api('GET', '/api/queues/CODER/tasks', undefined, ws.tokens.coder);
      expect(JSON.stringify(queue.body)).toContain(task.id);
    }

    // ---- the same file again: nothing new, nothing to import ----
    await page.getByRole('link', { name: 'Import charges' }).click();
    await page.getByLabel(/Charge file/).setInputFiles({
      name: 'october-charges.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(fill(header, rows('210.50'))),
    });
    await page.getByText('Every encounter in this file was imported before').waitFor();
    expect(await figure(page, 'duplicates')).toMatch(/^2 IMP-1001, IMP-1002$/);
    expect(await page.getByRole('button', { name: 'Import 0 claims' }).isDisabled()).toBe(true);

    // ---- a patient registered between the dry run and the import: refused whole, nothing written ----
    const lindqvist = {
      patient_last_name: 'Lindqvist',
      patient_first_name: 'Tobias',
      patient_birth_date: '1990-02-11',
      patient_sex: 'M',
      patient_address: '31 Heron Way',
      patient_city: 'Fairhaven',
      patient_state: 'OR',
      patient_zip: '97401',
      payer_id: PAYER_IDS.unity,
      member_id: 'UMI-7700123',
    };
    await page.getByLabel(/Charge file/).setInputFiles({
      name: 'late-charges.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(
        fill(header, [
          {
            encounter_id: 'IMP-2001',
            ...lindqvist,
            provider_npi: NPI_FAMILY_MEDICINE,
            date_of_service: daysAgo(2),
            place_of_service: '11',
            diagnoses: 'J06.9',
            procedure_code: '99213',
            charge: '135.00',
            diagnosis_pointers: '1',
          },
        ]),
      ),
    });
    await expect.poll(() => page.getByTestId('dry-run-verdict').textContent()).toBe('No problems: 1 claim ready to import.');
    const registered = await ws.api(
      'POST',
      '/api/patients',
      {
        firstName: 'Tobias',
        lastName: 'Lindqvist',
        birthDate: '1990-02-11',
        sex: 'M',
        addressLine: '31 Heron Way',
        city: 'Fairhaven',
        state: 'OR',
        postalCode: '97401',
        coverages: [{ payerId: PAYER_IDS.unity, memberId: 'UMI-9900456' }],
      },
      ws.tokens.biller,
    );
    expect(registered.status, JSON.stringify(registered.body)).toBe(201);
    const beforeRefusal = (await ws.api('GET', '/api/claims/summary', undefined, ws.tokens.biller)).body;
    await page.getByRole('button', { name: 'Import 1 claim' }).click();
    await page.getByRole('heading', { name: 'Nothing was imported' }).waitFor();
    expect(await page.getByRole('alert').textContent()).toMatch(
      /The import was refused \(the file has 1 problem\(s\); nothing was imported\)/,
    );
    expect(await problems.locator('tbody tr').allTextContents()).toEqual([
      '2member_idthe patient matched by name and birth date has another member id with this payer: correct one of them first',
    ]);
    expect(await page.getByRole('button', { name: /^Import/ }).isDisabled()).toBe(true);
    await ws.shot(page, 'import-05-refused');
    expect((await ws.api('GET', '/api/claims/summary', undefined, ws.tokens.biller)).body).toEqual(beforeRefusal);

    // The screen logs no patient's name, birth date or member id to the console.
    for (const phi of ['Abernathy', 'Rosalind', 'Lindqvist', '1984', 'BPK-551204', 'UMI-7700123']) {
      expect(consoleLines.filter((l) => l.includes(phi))).toEqual([]);
    }
    await page.context().close();
  });

  it('asks someone of several practices which practice the file is for, and checks it against that one; a coder has no import', async () => {
    const page = await ws.newPage('supervisor');
    await page.goto(`${ws.baseUrl}/#/imports/charges`);
    const practice = page.getByLabel('Practice');
    await practice.waitFor();
    const lakesideVisit = {
      encounter_id: 'LK-1',
      patient_id: LAKESIDE_PATIENT_IDS[0],
      provider_npi: '1384629501',
      date_of_service: daysAgo(5),
      place_of_service: '11',
      diagnoses: 'J06.9',
      procedure_code: '99213',
      charge: '98.00',
      diagnosis_pointers: '1',
    };
    await page.getByLabel(/Charge file/).setInputFiles({
      name: 'lakeside.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(fill(Object.keys(lakesideVisit), [lakesideVisit])),
    });
    await expect.poll(() => page.getByTestId('import-status').textContent()).toBe('Choose the practice the charges belong to.');
    // Riverbend knows neither the patient nor the provider ...
    await practice.selectOption('org-riverbend');
    const problems = page.getByRole('table', { name: 'Problems' });
    await expect.poll(() => problems.locator('tbody td:nth-child(2)').allTextContents()).toEqual(['provider_npi', 'patient_id']);
    // ... Lakeside knows both: the same file is clean there.
    await practice.selectOption('org-lakeside');
    await expect.poll(() => page.getByTestId('dry-run-verdict').textContent()).toBe('No problems: 1 claim ready to import.');
    expect(await page.getByRole('button', { name: 'Import 1 claim' }).isEnabled()).toBe(true);
    await page.context().close();

    const coder = await ws.newPage('coder');
    expect((await coder.locator('header nav a').allTextContents()).map((t) => t.trim())).toEqual(['My queue']);
    await coder.goto(`${ws.baseUrl}/#/imports/charges`);
    await coder.getByText('Registering patients and entering charges is for billers, supervisors and administrators.').waitFor();
    expect((await ws.api('GET', '/api/imports/charges/template.csv', undefined, ws.tokens.coder)).status).toBe(403);
    await coder.context().close();
  });

  it("takes a practice system's 837P file on the same screen: an ICD-9 claim is named by claim, segment and position, the ICD-10 file imports", async () => {
    const page = await ws.newPage('supervisor');
    await page.goto(`${ws.baseUrl}/#/imports/charges`);
    await page.getByLabel('Practice').waitFor();
    await page.getByLabel('Practice').selectOption('org-lakeside');
    const problems = page.getByRole('table', { name: 'Problems' });

    await page
      .getByLabel(/Charge file/)
      .setInputFiles({ name: 'maple-pm.837', mimeType: 'application/octet-stream', buffer: Buffer.from(file837('BK:4659')) });
    await expect.poll(() => problems.locator('thead th').allTextContents()).toEqual(['Claim', 'Segment', 'Position', 'Problem']);
    const [row] = await problems.locator('tbody tr').all();
    expect(await row!.locator('td').nth(0).textContent()).toBe('MPL-1');
    expect(await row!.locator('td').nth(1).textContent()).toBe('HI');
    expect(await page.getByRole('button', { name: /^Import/ }).isDisabled()).toBe(true);

    await page
      .getByLabel(/Charge file/)
      .setInputFiles({ name: 'maple-pm-fixed.837', mimeType: 'application/octet-stream', buffer: Buffer.from(file837('ABK:J069')) });
    await expect.poll(() => page.getByTestId('dry-run-verdict').textContent()).toBe('No problems: 1 claim ready to import.');
    expect(await figure(page, 'total')).toBe('$150.00');
    await page.getByRole('button', { name: 'Import 1 claim' }).click();
    const imported = page.getByRole('region', { name: 'Imported' });
    await imported.getByRole('heading').waitFor();
    expect(await imported.getByRole('heading').textContent()).toBe('Imported 1 claim from maple-pm-fixed.837');
    await ws.shot(page, 'import-06-837p');
    await page.context().close();
  });
});
