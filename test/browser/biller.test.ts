// A biller works a denial into an appeal in Chromium against the real main job: the simulated payer is told
// to deny the claim for medical necessity (CARC 50 / RARC N115), the biller sees what the codes mean, appeals,
// and the claim is APPEALED. When the payer upholds it and no appeal level is left, the workflow's refusal of a
// second appeal is shown in words, and a write-off request goes through. Also: a bad token is refused at
// sign-in, the navigation hides what a role may not use, and sign-out returns to the sign-in.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PATIENT_IDS, PROVIDER_IDS } from '../../app/seed';
import { deliver, forceScenario, PEOPLE, signIn, startWorkspace, waitForClaimState, waitForOpenTask, type Workspace } from './support';

let ws: Workspace;
beforeAll(async () => {
  ws = await startWorkspace();
});
afterAll(async () => {
  await ws?.stop();
});

describe('the data folder of the running main job', () => {
  it('is readable by its owner only: the folder closed at start, every file in it 0600, every folder 0700', () => {
    const open: string[] = [];
    const walk = (p: string) => {
      const st = fs.lstatSync(p);
      if (st.isSymbolicLink()) return;
      if ((st.mode & 0o077) !== 0) open.push(`${path.relative(ws.dataDir, p) || '.'} ${(st.mode & 0o777).toString(8)}`);
      if (st.isDirectory()) for (const e of fs.readdirSync(p)) walk(path.join(p, e));
    };
    walk(ws.dataDir);
    expect(open).toEqual([]);
    // the files that matter most are there to be checked
    for (const f of ['payload-keys', 'simulator-token', 'temporal.db', 'simulator.log'])
      expect(fs.existsSync(path.join(ws.dataDir, f)), f).toBe(true);
  });
});

const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);
const navTexts = async (page: import('playwright-core').Page) =>
  (await page.locator('header nav a').allTextContents()).map((t) => t.trim());

/**
 * A claim for a Unity Mutual patient (one appeal level), coded through the API, submitted, acknowledged and
 * denied by the simulator on our word, so that a DENIAL_REVIEW waits in the biller queue.
 */
async function deniedClaim(): Promise<{ claimId: string; taskId: string }> {
  const created = await ws.api('POST', '/api/claims', {
    patientId: PATIENT_IDS[4],
    providerId: PROVIDER_IDS.familyMedicine,
    dateOfService: daysAgo(5),
    placeOfService: '11',
    documentation: 'Low back pain for two weeks after lifting, no radiation to the legs, no red-flag symptoms. Home exercise program.',
    diagnoses: ['M54.50'],
    lines: [{ procedureCode: '99213', units: 1, chargeCents: 8500, diagnosisPointers: [1] }],
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const claimId: string = created.body.id;
  // Before the claim reaches the payer: the simulator plays this scenario for it.
  await forceScenario(ws, claimId, 'DENY_APPEAL_UPHELD');
  const review = await waitForOpenTask(ws, claimId, 'CODE_REVIEW');
  const coded = await ws.api(
    'POST',
    `/api/tasks/${review.id}/complete`,
    { outcome: { action: 'CONFIRM_CODES', diagnoses: ['M54.50'] } },
    ws.tokens.coder,
  );
  expect(coded.status, JSON.stringify(coded.body)).toBe(200);
  await waitForClaimState(ws, claimId, ['SUBMITTED']);
  await deliver(ws, claimId, 'acknowledgement');
  await waitForClaimState(ws, claimId, ['AWAITING_ADJUDICATION']);
  await deliver(ws, claimId, 'remittance');
  await waitForClaimState(ws, claimId, ['DENIED']);
  const task = await waitForOpenTask(ws, claimId, 'DENIAL_REVIEW');
  return { claimId, taskId: task.id };
}

describe('the biller workspace', () => {
  it('refuses a wrong password at sign-in, shows each role only its screens, and signs out: the session ends', async () => {
    const page = await ws.newPage();
    await page.getByLabel('User id').fill(PEOPLE.biller.userId);
    await page.getByLabel('Password').fill('not the right password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/Not accepted: the user id or password is wrong/);
    expect(await page.locator('header.topbar').count()).toBe(0);
    expect(await page.context().cookies()).toEqual([]);
    await ws.shot(page, 'biller-01-sign-in-refused');

    await signIn(page, 'biller');
    expect(await navTexts(page)).toEqual(['My queue', 'Register patient', 'New claim', 'Import charges']);
    expect(await page.locator('header .who').textContent()).toMatch(/Jordan Biller · biller/);
    // The session is an HttpOnly cookie the page's script cannot read, and nothing is left in the tab's storage.
    const [cookie] = await page.context().cookies();
    expect(cookie).toMatchObject({ name: 'claimflow_session', httpOnly: true, sameSite: 'Strict', path: '/' });
    expect(await page.evaluate(() => document.cookie)).toBe('');
    expect(await page.evaluate(() => sessionStorage.length + localStorage.length)).toBe(0);
    // Typing the dashboard's address is no way round the navigation.
    await page.goto(`${ws.baseUrl}/#/supervisor`);
    await page.getByText('The supervisor dashboard is for supervisors and administrators.').waitFor();
    // A reload keeps the session (the cookie), and the CSRF token comes back with it: a change still goes through.
    await page.reload();
    await page.locator('header.topbar').waitFor();
    const note = await page.evaluate(async () => {
      const s = (await (await fetch('/api/auth/session')).json()) as { csrfToken: string };
      const res = await fetch('/api/tasks/NO-SUCH-TASK/notes', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': s.csrfToken },
        body: JSON.stringify({ body: 'x' }),
      });
      const forged = await fetch('/api/tasks/NO-SUCH-TASK/notes', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ body: 'x' }),
      });
      return [res.status, forged.status];
    });
    expect(note).toEqual([404, 403]);

    // An administrator's password reset ends the session: the next call answers 401 and the workspace asks again.
    const reset = await ws.api('PUT', `/api/admin/users/${PEOPLE.biller.userId}/password`, { password: PEOPLE.biller.password });
    expect(reset.body).toMatchObject({ sessionsEnded: 1 });
    await page.goto(`${ws.baseUrl}/#/queue`);
    await page.getByText('Your session ended').waitFor();
    expect(await page.locator('header.topbar').count()).toBe(0);
    await signIn(page, 'biller');
    const [again] = await page.context().cookies();
    expect(again.value).not.toBe(cookie.value);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Password').waitFor();
    expect(await page.context().cookies()).toEqual([]);
    for (const value of [cookie.value, again.value]) {
      const withOldCookie = await fetch(`${ws.baseUrl}/api/me`, { headers: { Cookie: `claimflow_session=${value}` } });
      expect(withOldCookie.status).toBe(401);
    }

    const supervisor = await ws.newPage('supervisor');
    expect(await navTexts(supervisor)).toEqual(['My queue', 'Register patient', 'New claim', 'Import charges', 'Supervisor']);
    await supervisor.context().close();
    await page.context().close();
  });

  it('a biller sees what the denial codes mean, appeals, and the claim is APPEALED; a second appeal is refused in words', async () => {
    const { claimId, taskId } = await deniedClaim();

    const page = await ws.newPage('biller');
    await page.goto(`${ws.baseUrl}/#/queue`);
    const row = page.locator(`tr[data-task-id="${taskId}"]`);
    await row.waitFor();
    expect(await row.textContent()).toMatch(/Denial review/);
    expect(await row.locator('td.reasons').textContent()).toMatch(/denial review base \d+/);
    await ws.shot(page, 'biller-02-queue');

    await page.keyboard.press('n');
    await page.waitForURL(`**/#/tasks/${taskId}`);
    const reasons = page.getByRole('list', { name: 'Denial reasons' });
    await expect.poll(() => reasons.locator('[data-carc="50"] .meaning').textContent()).toMatch(/not deemed a medical necessity/);
    await expect.poll(() => reasons.locator('[data-rarc="N115"]').textContent()).toMatch(/Local Coverage Determination/);
    expect(await page.getByRole('region', { name: 'What this task asks' }).textContent()).toMatch(/Appeal levels left1 of 1/);
    await ws.shot(page, 'biller-03-denial-review');

    // 2 picks "Appeal" (choices: 1 corrected claim, 2 appeal, 3 write-off); Ctrl+Enter sends it.
    await page.keyboard.press('2');
    await expect.poll(() => page.locator('.choice.chosen').textContent()).toMatch(/Appeal/);
    await page.keyboard.press('Control+Enter');
    await page.locator('.done').waitFor();
    await expect.poll(() => page.getByTestId('claim-state').textContent(), { timeout: 30_000 }).toBe('Appealed');
    await ws.shot(page, 'biller-04-appealed');
    const appealed = await waitForClaimState(ws, claimId, ['APPEALED']);
    expect(appealed.appeals).toEqual([expect.objectContaining({ level: 1 })]);
    expect(appealed.tasks.find((t: { id: string }) => t.id === taskId)).toMatchObject({
      status: 'DONE',
      doneById: 'biller-1',
      outcome: { action: 'APPEAL' },
    });

    // The payer upholds the denial; Unity Mutual has one appeal level, so a second appeal is the workflow's to refuse.
    await deliver(ws, claimId, 'appeal-decision');
    const upheld = await waitForOpenTask(ws, claimId, 'APPEAL_UPHELD_REVIEW');
    await page.goto(`${ws.baseUrl}/#/tasks/${upheld.id}`);
    await page.getByRole('heading', { name: /Appeal upheld/ }).waitFor();
    await page.keyboard.press('1');
    await expect.poll(() => page.locator('.choice.chosen').textContent()).toMatch(/Appeal/);
    await page.keyboard.press('Control+Enter');
    const refusal = page.locator('.refusal');
    await refusal.waitFor();
    expect(await refusal.textContent()).toMatch(
      /The claim’s workflow refused this\. All 1 appeal levels of this payer are used up\. Nothing was changed/,
    );
    await ws.shot(page, 'biller-05-second-appeal-refused');

    // A write-off needs a note; with one, it goes through ($85.00 is under the approval threshold).
    await page.keyboard.press('2');
    await page.getByLabel(/Note/).fill('Payer upheld medical-necessity denial at its only appeal level.');
    await page.keyboard.press('Control+Enter');
    await page.locator('.done').waitFor();
    await expect.poll(() => page.getByTestId('claim-state').textContent(), { timeout: 30_000 }).toMatch(/Written off|Closed/);
    const closed = await waitForClaimState(ws, claimId, ['WRITTEN_OFF', 'CLOSED']);
    expect(closed.writtenOffCents).toBe(8500);

    // The claim page tells the whole story with the codes explained.
    await page.goto(`${ws.baseUrl}/#/claims/${claimId}`);
    const states = page.getByRole('region', { name: 'States' });
    await expect.poll(() => states.textContent()).toMatch(/Denied.*Appealed.*Written off/s);
    const payments = page.getByRole('region', { name: 'Payments' });
    await expect.poll(() => payments.textContent()).toMatch(/CO-50.*not deemed a medical necessity/s);
    expect(await page.getByTestId('balance').textContent()).toBe('$0.00');
    await page.getByRole('region', { name: 'Timeline' }).locator('li').first().waitFor();
    await ws.shot(page, 'biller-06-claim-page');
  });
});
