// A new user's first claim, as docs/first-claim.md walks it, in Chromium against the real main job with the demo
// claims a first `npm start` loads: the sign-in page, a coder's queue holding the demo work, a biller registering
// a patient and entering an encounter whose check finds a problem, sending it once fixed, and the claim waiting
// in the coder's queue. Its screenshots (first-claim-*.png) are the ones in docs/screenshots/.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PAYER_IDS, PROVIDER_IDS } from '../../app/seed';
import { signIn, startWorkspace, waitForOpenTask, type Workspace } from './support';

/** Fewer than a first `npm start`'s 40, enough to fill a queue. */
const DEMO_CLAIMS = 12;

let ws: Workspace;
beforeAll(async () => {
  ws = await startWorkspace({ env: { CLAIMFLOW_DEMO_CLAIMS: String(DEMO_CLAIMS) } });
});
afterAll(async () => {
  await ws?.stop();
});

const daysFromNow = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);

describe('a new user’s first claim', () => {
  it('signs in, finds the demo work, registers a patient, checks and sends a claim, and a coder has it', async () => {
    // ---- the sign-in page, then a coder's queue with the demo claims in it ----
    const coder = await ws.newPage();
    await coder.getByLabel('Password').waitFor();
    await ws.shot(coder, 'first-claim-01-sign-in');
    await signIn(coder, 'coder');
    // The load runs after the start; then each claim's workflow opens its code review.
    await expect.poll(() => ws.output(), { timeout: 90_000, interval: 500 }).toContain(`loaded ${DEMO_CLAIMS} demo claims`);
    // coder-1 works for Riverbend, which has three demo claims in four: the queue shows a code review for each
    const riverbend = (await ws.api('GET', '/api/claims/summary', undefined, ws.tokens.coder)).body.total;
    expect(riverbend).toBeGreaterThanOrEqual(DEMO_CLAIMS / 2);
    const rows = coder.locator('table.tasks tbody tr[data-task-id]');
    await expect.poll(() => rows.count(), { timeout: 60_000, interval: 500 }).toBe(riverbend);
    await ws.shot(coder, 'first-claim-02-queue-demo-work');

    // ---- a biller registers a patient ----
    const page = await ws.newPage('biller');
    await page.getByRole('link', { name: 'Register patient' }).click();
    await page.getByRole('heading', { name: 'Register a patient' }).waitFor();
    await page.getByLabel('First name').fill('Dana');
    await page.getByLabel('Last name').fill('Hollis');
    await page.getByLabel('Birth date').fill('1986-09-02');
    await page.getByLabel('Sex').selectOption('F');
    await page.getByLabel('Address').fill('7 Cedar Court');
    await page.getByLabel('City').fill('Fairhaven');
    await page.getByLabel('State').fill('OR');
    await page.getByLabel('ZIP code').fill('97401');
    const coverage = page.getByRole('group', { name: 'Coverage 1' });
    await coverage.getByLabel('Payer').selectOption(PAYER_IDS.bluePeak);
    await coverage.getByLabel('Member id').fill('BPK-310877-02');
    await ws.shot(page, 'first-claim-03-register-patient');
    await page.getByRole('button', { name: 'Register and enter charges' }).click();
    await page.waitForURL(/#\/claims\/new\?patient=/);

    // ---- the encounter, checked: the scrubber finds the date of service in the future ----
    await page.getByRole('heading', { name: 'New claim' }).waitFor();
    await expect.poll(() => page.getByTestId('patient').textContent()).toMatch(/Hollis, Dana/);
    await page.getByLabel('Provider').selectOption(PROVIDER_IDS.familyMedicine);
    await page.getByLabel('Date of service').fill(daysFromNow(1));
    await page.getByLabel('Documentation').fill('Essential hypertension, follow-up visit; BP 134/86, medication continued.');
    await page.getByLabel(/Search ICD-10-CM/).fill('essential hypertension');
    const option = page.getByRole('option').filter({ hasText: 'I10' }).first();
    await option.waitFor();
    await option.click();
    await page.getByLabel('Procedure of line 1').fill('99213');
    await page.getByLabel('Charge of line 1 in dollars').fill('125.00');
    await page.getByRole('button', { name: 'Check' }).click();
    const findings = page.getByRole('region', { name: 'Scrubber findings' });
    await expect.poll(() => findings.getByTestId('check-verdict').textContent()).toMatch(/1 error: the claim would stop at scrubbing/);
    await ws.shot(page, 'first-claim-04-check-findings');

    // ---- fixed, checked again, sent: the claim's page ----
    await page.getByLabel('Date of service').fill(daysFromNow(-1));
    await page.getByRole('button', { name: 'Check' }).click();
    await expect.poll(() => findings.getByTestId('check-verdict').textContent()).toMatch(/Passes the claim edits/);
    await page.getByRole('button', { name: 'Send' }).click();
    await page.waitForURL(/#\/claims\/(?!new)[^/?]+$/);
    const claimId = decodeURIComponent(new URL(page.url()).hash.replace('#/claims/', ''));
    await page.getByRole('heading', { name: new RegExp(`Claim ${claimId}`) }).waitFor();
    const task = await waitForOpenTask(ws, claimId, 'CODE_REVIEW');
    await ws.shot(page, 'first-claim-05-claim-page');

    // ---- the coder's queue has it ----
    await coder.reload();
    const row = coder.locator(`tr[data-task-id="${task.id}"]`);
    await row.waitFor();
    expect(await row.textContent()).toContain(claimId);
    // j moves the selection down to it, so that the picture shows which one it is
    for (let i = 0; i < riverbend + 1 && (await row.getAttribute('aria-selected')) !== 'true'; i++) await coder.keyboard.press('j');
    expect(await row.getAttribute('aria-selected')).toBe('true');
    await ws.shot(coder, 'first-claim-06-coder-queue');
    await coder.context().close();
    await page.context().close();
  });
});
