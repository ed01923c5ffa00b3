// A coder clears a code review in Chromium with the keyboard only, against the real main job: sign in, `n`
// takes the next task, `/` searches ICD-10-CM and Enter adds the code the note documents but the claim lacks,
// Ctrl+Enter confirms; the claim's workflow then scrubs and submits it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PATIENT_IDS, PROVIDER_IDS } from '../../app/seed';
import { signIn, startWorkspace, waitForClaimState, waitForOpenTask, type Workspace } from './support';

let ws: Workspace;
beforeAll(async () => {
  ws = await startWorkspace();
});
afterAll(async () => {
  await ws?.stop();
});

const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);

/** An encounter whose note documents a cough that the charge capture left out. */
async function createClaim(): Promise<string> {
  const res = await ws.api('POST', '/api/claims', {
    patientId: PATIENT_IDS[1],
    providerId: PROVIDER_IDS.familyMedicine,
    dateOfService: daysAgo(3),
    placeOfService: '11',
    documentation: 'Acute upper respiratory infection for four days with cough; afebrile, lungs clear. Supportive care advised.',
    diagnoses: ['J06.9'],
    lines: [{ procedureCode: '99213', units: 1, chargeCents: 13500, diagnosisPointers: [1] }],
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id;
}

describe('the coder workspace', () => {
  it('is served by the API process at /, and npm start says where', async () => {
    expect(ws.output()).toContain(`Workspace       ${ws.baseUrl}/`);
    const page = await fetch(`${ws.baseUrl}/`);
    expect(page.status).toBe(200);
    const html = await page.text();
    const script = /<script type="module" crossorigin src="(\/assets\/[^"]+\.js)">/.exec(html);
    expect(script, html).not.toBeNull();
    expect((await fetch(`${ws.baseUrl}${script![1]}`)).status).toBe(200);
    // The API keeps its own answers: an unknown /api path is the API's JSON 404, not the page.
    const unknown = await ws.api('GET', '/api/no-such-route');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('NOT_FOUND');
  });

  it('a coder takes the next code review with the keyboard, adds a searched code and confirms; the claim moves on', async () => {
    const claimId = await createClaim();
    const review = await waitForOpenTask(ws, claimId, 'CODE_REVIEW');

    const page = await ws.newPage();
    await page.getByLabel('Password').waitFor();
    await ws.shot(page, 'coder-01-sign-in');
    await signIn(page, 'coder');

    // A coder's navigation: their queue only.
    await expect.poll(() => page.locator('header nav a').allTextContents()).toEqual(['My queue']);
    await page.locator('table.tasks tbody tr[data-task-id]').first().waitFor();
    const row = page.locator(`tr[data-task-id="${review.id}"]`);
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.locator('td.reasons').textContent()).toMatch(/base/);
    expect(await page.locator('.keyhints').textContent()).toMatch(/get next/);
    await ws.shot(page, 'coder-02-queue');

    // n: get next (the only open code review is ours to take)
    await page.keyboard.press('n');
    await page.waitForURL(`**/#/tasks/${review.id}`);
    await page.getByRole('heading', { name: /Code review/ }).waitFor();
    await page.getByText('Acute upper respiratory infection for four days').waitFor();
    const diagnoses = page.getByRole('list', { name: 'Diagnoses on the claim' }).locator('li');
    await expect.poll(() => diagnoses.count()).toBe(1);
    await expect.poll(() => diagnoses.first().textContent()).toMatch(/J06\.9.*upper respiratory infection/i);
    // The suggestions from the note sit beside the codes.
    expect(await page.getByRole('list', { name: 'Suggested codes' }).textContent()).toMatch(/R05/);

    // / searches the code set; Enter adds the first billable result.
    await page.keyboard.press('/');
    await page.keyboard.type('cough');
    const results = page.getByRole('listbox', { name: 'Search results' });
    await results.locator('li').first().waitFor();
    const firstResult = (await results.locator('li').first().locator('.code').textContent())!.trim();
    expect(firstResult).toMatch(/^R05/);
    await ws.shot(page, 'coder-03-code-review-search');
    await page.keyboard.press('Enter');
    await expect.poll(() => diagnoses.count()).toBe(2);
    expect(await diagnoses.nth(1).getAttribute('data-code')).toBe(firstResult);

    // Point the line at both diagnoses, still from the keyboard: Tab out of the search to the pointers field.
    const pointers = page.getByLabel('Diagnosis pointers of line 1');
    await pointers.focus();
    await page.keyboard.press('Control+A');
    await page.keyboard.type('1,2');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Control+Enter');

    const done = page.locator('.done');
    await done.waitFor();
    expect(await done.textContent()).toMatch(/Done: Confirm codes/);
    // The workflow scrubs and submits; the page follows the claim without a reload.
    await expect.poll(() => page.getByTestId('claim-state').textContent(), { timeout: 30_000 }).toMatch(/Submitted|Accepted|Awaiting/);
    await ws.shot(page, 'coder-04-confirmed');

    const claim = await waitForClaimState(ws, claimId, ['SUBMITTED', 'ACKNOWLEDGED', 'AWAITING_ADJUDICATION']);
    expect(claim.diagnoses.map((d: { code: string }) => d.code)).toEqual(['J06.9', firstResult]);
    expect(claim.lines[0].diagnosisPointers).toEqual([1, 2]);
    const task = claim.tasks.find((t: { id: string }) => t.id === review.id);
    expect(task).toMatchObject({ status: 'DONE', doneById: 'coder-1', outcome: { action: 'CONFIRM_CODES' } });

    // n again: nothing left, said in words.
    await page.keyboard.press('n');
    await page.getByText(/Nothing left/).waitFor();

    // The claim page: states in order, tasks and balance.
    await page.keyboard.press('c');
    await page.waitForURL(`**/#/claims/${claimId}`);
    const states = page.getByRole('region', { name: 'States' });
    await expect.poll(() => states.textContent()).toMatch(/Coding.*Scrubbing.*Ready to submit.*Submitted/s);
    expect(await page.getByTestId('balance').textContent()).toBe('$135.00');
    await page.getByRole('region', { name: 'Timeline' }).locator('li').first().waitFor();
    await ws.shot(page, 'coder-05-claim-page');
  });
});
