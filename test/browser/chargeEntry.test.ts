// Charge entry in Chromium against the real main job: a biller registers a patient with a coverage (a member
// id left empty is refused beside its field first), enters an encounter with a diagnosis found through the
// ICD-10-CM search and one line, sees the scrubber's findings before sending (a future date of service, then a
// clean pass), sends it with a double click, lands on the claim page, and the one claim it made waits in the
// coders' queue as a CODE_REVIEW task (the main job runs the worker). The header's search box then finds the
// patient (New claim for a biller, not for a coder) and the claim.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PAYER_IDS, PROVIDER_IDS } from '../../app/seed';
import { startWorkspace, waitForOpenTask, type Workspace } from './support';

let ws: Workspace;
beforeAll(async () => {
  ws = await startWorkspace();
});
afterAll(async () => {
  await ws?.stop();
});

const daysFromNow = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);

describe('charge entry in the workspace', () => {
  it('a biller registers a patient, enters an encounter, checks it, sends it once, and it waits for a coder', async () => {
    const page = await ws.newPage('biller');
    const nav = (await page.locator('header nav a').allTextContents()).map((t) => t.trim());
    expect(nav).toEqual(['My queue', 'Register patient', 'New claim', 'Import charges']);

    // ---- register a patient: biller-1 works for Riverbend only, so no practice is asked ----
    await page.getByRole('link', { name: 'Register patient' }).click();
    await page.getByRole('heading', { name: 'Register a patient' }).waitFor();
    expect(await page.getByLabel('Practice').count()).toBe(0);
    await page.getByLabel('First name').fill('Marisol');
    await page.getByLabel('Last name').fill('Quintero');
    await page.getByLabel('Birth date').fill('1979-06-21');
    await page.getByLabel('Sex').selectOption('F');
    await page.getByLabel('Address').fill('42 Alder Lane');
    await page.getByLabel('City').fill('Fairhaven');
    await page.getByLabel('State').fill('or');
    await page.getByLabel('ZIP code').fill('97401');
    const coverage = page.getByRole('group', { name: 'Coverage 1' });
    await coverage.getByLabel('Payer').selectOption(PAYER_IDS.unity);
    await coverage.getByLabel('Group number').fill('GRP-7731');
    // The member id is left empty: the API names the field, and the screen shows it beside it.
    await page.getByRole('button', { name: 'Register and enter charges' }).click();
    const memberIdError = page.locator('[data-field-error="coverages[0].memberId"]');
    await memberIdError.waitFor();
    expect(await memberIdError.textContent()).toBe('must not be empty');
    expect(await page.getByRole('alert').textContent()).toMatch(/Not registered: correct the marked field/);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('f-coverages-0-memberId');
    await ws.shot(page, 'charge-entry-01-register-field-error');

    await coverage.getByLabel('Member id').fill('UMI-5520193');
    await page.getByRole('button', { name: 'Register and enter charges' }).click();
    await page.waitForURL(/#\/claims\/new\?patient=/);
    const patientId = decodeURIComponent(new URL(page.url()).hash.split('patient=')[1]);
    const registered = await ws.api('GET', `/api/patients/${patientId}`, undefined, ws.tokens.biller);
    expect(registered.body).toMatchObject({
      organizationId: 'org-riverbend',
      lastName: 'Quintero',
      state: 'OR',
      coverages: [{ payerId: PAYER_IDS.unity, memberId: 'UMI-5520193', groupNumber: 'GRP-7731', priority: 'PRIMARY', relationship: '18' }],
    });

    // ---- charge entry for that patient ----
    await page.getByRole('heading', { name: 'New claim' }).waitFor();
    await expect
      .poll(() => page.getByTestId('patient').textContent())
      .toMatch(/Quintero, Marisol.*Unity Mutual Insurance · member UMI-5520193/s);
    // Only the patient's practice's providers are offered (the Lakeside clinicians are not, whoever else sees them).
    const providers = await page.getByLabel('Provider').locator('option').allTextContents();
    expect(providers.some((t) => /Riverbend Family Medicine/.test(t))).toBe(true);
    expect(providers.some((t) => /Lakeside/.test(t))).toBe(false);
    await page.getByLabel('Provider').selectOption(PROVIDER_IDS.familyMedicine);
    await page.getByLabel('Date of service').fill(daysFromNow(2));
    await page.getByLabel('Place of service').fill('11');
    await page
      .getByLabel('Documentation')
      .fill('Type 2 diabetes mellitus without complications, follow-up; A1c reviewed, diet counselling.');

    // A diagnosis found with the same search as code review: words, then the option with the code.
    await page.getByLabel(/Search ICD-10-CM/).fill('type 2 diabetes without complications');
    const option = page.getByRole('option').filter({ hasText: 'E11.9' }).first();
    await option.waitFor();
    await option.click();
    const diagnoses = page.getByRole('list', { name: 'Diagnoses on the claim' });
    await expect
      .poll(() => diagnoses.locator('li').first().textContent())
      .toMatch(/E11\.9.*Type 2 diabetes mellitus without complications/);

    await page.getByLabel('Procedure of line 1').fill('99213');
    await page.getByLabel('Charge of line 1 in dollars').fill('$125.50');
    await page.getByLabel('Diagnosis pointers of line 1').fill('1');
    expect(await page.getByTestId('total').textContent()).toBe('$125.50');

    // ---- Check: a date of service in the future is the scrubber's finding, beside the field too ----
    await page.getByRole('button', { name: 'Check' }).click();
    const findings = page.getByRole('region', { name: 'Scrubber findings' });
    await findings.waitFor();
    await expect.poll(() => findings.getByTestId('check-verdict').textContent()).toMatch(/1 error: the claim would stop at scrubbing/);
    expect(await findings.locator('[data-edit="DOS-001"]').textContent()).toMatch(/is in the future/);
    expect(await page.locator('[data-field-error="dateOfService"]').textContent()).toMatch(/^DOS-001: Date of service .* is in the future/);
    await ws.shot(page, 'charge-entry-02-check-findings');
    // Checking saved nothing.
    const before = await ws.api('GET', '/api/claims/summary', undefined, ws.tokens.biller);

    await page.getByLabel('Date of service').fill(daysFromNow(-2));
    await expect.poll(() => findings.textContent()).toMatch(/The form changed since this check/);
    await page.getByRole('button', { name: 'Check' }).click();
    await expect.poll(() => findings.getByTestId('check-verdict').textContent()).toMatch(/Passes the claim edits.*Unity Mutual Insurance/);
    expect(await findings.textContent()).not.toMatch(/The form changed/);
    expect(await page.locator('[data-field-error]').count()).toBe(0);
    await ws.shot(page, 'charge-entry-03-check-passed');
    expect((await ws.api('GET', '/api/claims/summary', undefined, ws.tokens.biller)).body).toEqual(before.body);

    // ---- Send, clicked twice: one claim, and its page ----
    await page.getByRole('button', { name: 'Send' }).dblclick();
    await page.waitForURL(/#\/claims\/(?!new)[^/?]+$/);
    const claimId = decodeURIComponent(new URL(page.url()).hash.replace('#/claims/', ''));
    await page.getByRole('heading', { name: new RegExp(`Claim ${claimId}`) }).waitFor();
    const task = await waitForOpenTask(ws, claimId, 'CODE_REVIEW');
    expect(task.queue).toBe('CODER');
    const claim = await ws.api('GET', `/api/claims/${claimId}`);
    expect(claim.body).toMatchObject({
      patientId,
      providerId: PROVIDER_IDS.familyMedicine,
      payerId: PAYER_IDS.unity,
      state: 'CODING',
      totalChargeCents: 12_550,
      diagnoses: [expect.objectContaining({ code: 'E11.9' })],
      lines: [expect.objectContaining({ procedureCode: '99213', units: 1, chargeCents: 12_550, diagnosisPointers: [1] })],
    });
    const after = await ws.api('GET', '/api/claims/summary', undefined, ws.tokens.biller);
    expect(after.body.total).toBe(before.body.total + 1);
    // The claim page offers the next claim for the same patient.
    await page.getByRole('link', { name: 'New claim for this patient' }).waitFor();
    await ws.shot(page, 'charge-entry-04-claim-page');

    // The coder sees it in their queue.
    const queue = await ws.api('GET', '/api/queues/CODER/tasks', undefined, ws.tokens.coder);
    expect(JSON.stringify(queue.body)).toContain(task.id);

    // ---- the header's search box finds the patient (with New claim for a biller) and the claim ----
    const search = page.getByRole('searchbox', { name: 'Search patients and claims' });
    await search.fill('quintero marisol');
    const results = page.getByRole('region', { name: 'Search results' });
    const patientHit = results.locator(`[data-patient-id="${patientId}"]`);
    await patientHit.waitFor();
    expect(await patientHit.textContent()).toMatch(/Quintero, Marisol.*Unity Mutual Insurance UMI-5520193/s);
    const claimHit = results.locator(`[data-claim-id="${claimId}"]`);
    await claimHit.waitFor();
    await ws.shot(page, 'charge-entry-05-search');
    await patientHit.getByRole('button', { name: 'New claim' }).click();
    await page.waitForURL(`**/#/claims/new?patient=${patientId}`);
    await expect.poll(() => page.getByTestId('patient').textContent()).toMatch(/Quintero, Marisol/);
    await search.fill(claimId);
    await results.locator(`[data-claim-id="${claimId}"] a`).click();
    await page.waitForURL(`**/#/claims/${claimId}`);
    await page.getByRole('heading', { name: new RegExp(`Claim ${claimId}`) }).waitFor();

    // A coder searches too, but is offered no New claim, nor the charge-entry links.
    const coder = await ws.newPage('coder');
    expect((await coder.locator('header nav a').allTextContents()).map((t) => t.trim())).toEqual(['My queue']);
    await coder.getByRole('searchbox', { name: 'Search patients and claims' }).fill('quintero');
    const coderHit = coder.getByRole('region', { name: 'Search results' }).locator(`[data-patient-id="${patientId}"]`);
    await coderHit.waitFor();
    expect(await coderHit.getByRole('button', { name: 'New claim' }).count()).toBe(0);
    await coder.goto(`${ws.baseUrl}/#/claims/new`);
    await coder.getByText('Registering patients and entering charges is for billers, supervisors and administrators.').waitFor();
    await coder.context().close();
    await page.context().close();
  });
});
