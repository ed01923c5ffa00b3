// The supervisor dashboard in a real browser against the real main job: a supervisor signs in, sees stuck
// claims with their reasons, queue depth and the A/R aging chart, and reassigns stuck claims' tasks, first
// meeting the API's refusal in plain words, then succeeding; the API confirms the new assignee.
//
// How claims get stuck within seconds: CLAIMFLOW_STUCK_THRESHOLD_DAYS=CODING=0.0001 gives the CODING state a
// limit of 0.0001 day (8.6 s), so every claim waiting for its code review is listed as too long in CODING
// moments after it is created. Days stay real (dayMs one day), so dates of service, aging buckets and the
// timely-filing count are calendar figures: one claim's date of service is 75 days back with a payer that
// allows 90, which lists it for timely filing too. A shorter dayMs would make overdue tasks instead, but the
// stuck-claims view counts timely filing from the date of service in lifecycle days, and with seconds-long
// days every claim would read as thousands of days past its limit.
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PATIENT_IDS, PROVIDER_IDS, USER_IDS } from '../../app/seed';
import {
  deliver,
  forceScenario,
  SCREENSHOT_DIR,
  startWorkspace,
  waitForClaimState,
  waitForOpenTask,
  type Scenario,
  type Workspace,
} from './support';

const DAY = 86_400_000;
const isoDaysAgo = (n: number) => new Date(Date.now() - n * DAY).toISOString().slice(0, 10);

let ws: Workspace;

beforeAll(async () => {
  ws = await startWorkspace({ env: { CLAIMFLOW_STUCK_THRESHOLD_DAYS: 'CODING=0.0001' } });
}, 240_000);

afterAll(async () => {
  await ws?.stop();
}, 90_000);

/** A claim for one of the seeded patients (each has a primary coverage with a different payer). */
async function createClaim(patient: number, daysAgo: number, chargeCents: number): Promise<string> {
  const res = await ws.api(
    'POST',
    '/api/claims',
    {
      patientId: PATIENT_IDS[patient],
      providerId: PROVIDER_IDS.familyMedicine,
      dateOfService: isoDaysAgo(daysAgo),
      placeOfService: '11',
      documentation: 'Follow-up of type 2 diabetes mellitus without complications. Essential hypertension, stable.',
      lines: [
        { procedureCode: '99214', units: 1, chargeCents, diagnosisPointers: [1, 2] },
        { procedureCode: '36415', units: 1, chargeCents: 2_500, diagnosisPointers: [1] },
      ],
    },
    ws.tokens.biller,
  );
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id as string;
}

/** A claim coded by coder-1 and taken through the payer's answer in the given scenario. */
async function adjudicated(patient: number, daysAgo: number, chargeCents: number, scenario: Scenario, states: string[]): Promise<string> {
  const claimId = await createClaim(patient, daysAgo, chargeCents);
  await forceScenario(ws, claimId, scenario);
  const review = await waitForOpenTask(ws, claimId, 'CODE_REVIEW');
  expect((await ws.api('POST', `/api/tasks/${review.id}/claim`, undefined, ws.tokens.coder)).status).toBe(200);
  const coded = await ws.api(
    'POST',
    `/api/tasks/${review.id}/complete`,
    { outcome: { action: 'CONFIRM_CODES', diagnoses: ['E11.9', 'I10'] } },
    ws.tokens.coder,
  );
  expect(coded.status, JSON.stringify(coded.body)).toBe(200);
  await waitForClaimState(ws, claimId, ['SUBMITTED']);
  await deliver(ws, claimId, 'acknowledgement');
  await waitForClaimState(ws, claimId, ['AWAITING_ADJUDICATION']);
  await deliver(ws, claimId, 'remittance');
  await waitForClaimState(ws, claimId, states);
  return claimId;
}

async function until<T>(what: string, fn: () => Promise<T | undefined | null | false>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

const text = (page: Page, selector: string) => page.locator(selector).innerText();

/** The dialog floats over the visible part of the page: a whole-page shot would show it over half the page. */
const shotOfViewport = (page: Page, name: string) => page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`) });

describe('the supervisor dashboard', () => {
  it("shows stuck claims, queues and A/R, and reassigns a stuck claim's task", async () => {
    // Three payers, three ages: 0-30, 31-60 and 61-90 days since the date of service.
    const recent = await createClaim(0, 3, 18_000); // Medicare
    const middle = await createClaim(2, 40, 32_000); // Cascade
    const nearLimit = await createClaim(1, 75, 45_000); // Blue Peak: 90-day timely filing, 15 days left
    const claims = [recent, middle, nearLimit];
    const reviews = await Promise.all(claims.map((id) => waitForOpenTask(ws, id, 'CODE_REVIEW')));
    // Two more claims a coder codes and the payer decides: one paid, one denied for coding. They give the
    // throughput, handling-time, denial-rate and clean-claim figures something to count.
    const [paid, denied] = await Promise.all([
      adjudicated(4, 10, 21_000, 'PAY_IN_FULL', ['PAID', 'POSTED', 'CLOSED']), // Unity
      adjudicated(2, 20, 26_000, 'CODING_DENIAL', ['DENIED']), // Cascade
    ]);
    await waitForOpenTask(ws, denied, 'CHART_AUDIT');

    const stuck = await until('all three claims listed as stuck', async () => {
      const res = await ws.api('GET', '/api/supervisor/stuck-claims', undefined, ws.tokens.supervisor);
      const listed = res.body.items?.filter((i: { claimId: string }) => claims.includes(i.claimId));
      return listed?.length === 3 && listed.every((i: any) => i.reasons.some((r: any) => r.code === 'STATE_TOO_LONG')) && res.body;
    });
    expect(stuck.items.find((i: any) => i.claimId === nearLimit).reasons.map((r: any) => r.code)).toContain('TIMELY_FILING');

    const page = await ws.newPage('supervisor');
    await page.getByRole('heading', { name: 'Supervisor dashboard' }).waitFor();
    // The supervisor lands on the dashboard; every claim shows up with its reasons.
    for (const id of claims) await page.locator(`tr[data-claim="${id}"]`).waitFor({ timeout: 30_000 });
    expect(await page.locator(`tr[data-claim="${paid}"]`).count(), 'a paid claim is not stuck').toBe(0);
    const nearRow = await text(page, `tr[data-claim="${nearLimit}"]`);
    expect(nearRow).toMatch(/Too long in state/i);
    expect(nearRow).toMatch(/in coding for \d+ (s|min); the limit is 9 s/);
    expect(nearRow).toMatch(/Timely filing/i);
    expect(nearRow).toMatch(/left of the payer's 90-day limit/);
    expect(nearRow).toContain('$475.00');
    await expect(page.locator(`tr[data-claim="${nearLimit}"] a.sv-claim-link`).getAttribute('href')).resolves.toBe(`#/claims/${nearLimit}`);

    // Queue depth: what the page shows is what the API counts (three code reviews and a chart audit for coders).
    const health = (await ws.api('GET', '/api/supervisor/queues', undefined, ws.tokens.supervisor)).body;
    const coderQueue = health.queues.find((q: any) => q.queue === 'CODER');
    expect(coderQueue.open).toBe(4);
    const coderRow = await text(page, 'tr[data-queue="CODER"]');
    expect(coderRow.split('\t').map((s) => s.trim())).toEqual(expect.arrayContaining(['Coder', '4', '0']));
    await page.getByRole('img', { name: /Queue depth/ }).waitFor();
    expect(
      await page
        .getByRole('img', { name: /Queue depth/ })
        .locator('desc')
        .textContent(),
    ).toMatch(/Coder: 4 \(0 overdue\)/);

    // The A/R aging chart: one stacked bar per payer, each segment with its dollars in its title.
    const aging = page.getByRole('img', { name: /A\/R aging by payer/ });
    await aging.waitFor();
    const segments = await aging.locator('rect > title').allTextContents();
    expect(segments).toEqual(expect.arrayContaining([expect.stringMatching(/Blue Peak.*61-90 days: \$475\.00/)]));
    expect(segments.some((s) => /31-60 days: \$345\.00/.test(s))).toBe(true);
    expect(segments.some((s) => /0-30 days: \$205\.00/.test(s))).toBe(true);
    const throughput = page.getByRole('img', { name: /Tasks done per user/ });
    expect(await throughput.locator('desc').textContent()).toContain(`${USER_IDS.coder1}: 2 (`);
    expect(await text(page, '.sv-handling')).toMatch(/Code review\s+2/);
    // One payment denied for coding (the simulator picks a coding or bundling CARC) out of two adjudicated; both first submissions were clean.
    const denials = page.getByRole('img', { name: /Denial rate by category/ });
    expect(await denials.locator('desc').textContent()).toMatch(/(coding problem|bundling): 50% \(1; CARC \w+\)/);
    expect(await text(page, '.sv-kpis')).toMatch(/Denial rate\s+50%/i);
    expect(await text(page, '.sv-kpis')).toMatch(/Clean-claim rate\s+100%/i);
    const firstUpdate = await text(page, '[data-testid="updated"]');
    expect(firstUpdate).toMatch(/^updated \d\d:\d\d:\d\d/);
    await ws.shot(page, 'supervisor-dashboard');
    // Polling: the figures are asked for again, and the time says so, with nobody touching the page.
    await page.waitForFunction(
      (before) =>
        !/refreshing/.test(document.querySelector('[data-testid="updated"]')!.textContent!) &&
        document.querySelector('[data-testid="updated"]')!.textContent !== before,
      firstUpdate,
      { timeout: 20_000 },
    );

    // Pick the code review of two stuck claims from their open tasks.
    for (const [claimId, review] of [
      [middle, reviews[1]],
      [nearLimit, reviews[2]],
    ] as const) {
      await page.locator(`tr[data-claim="${claimId}"]`).getByRole('button', { name: 'Open tasks…' }).click();
      await page.getByRole('checkbox', { name: `select code review task ${review.id}` }).check();
    }
    await page.getByText('2 tasks selected').waitFor();

    // A routing rule nobody meets: the API refuses, the dialog says why, and nothing moves.
    const rule = await ws.api('PUT', '/api/routing-rules/CODE_REVIEW/*', { requiredSkill: 'cardiology' }, ws.tokens.supervisor);
    expect(rule.status).toBe(200);
    await page.getByRole('button', { name: 'Reassign…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Reassign 2 tasks' });
    await dialog.getByRole('combobox').selectOption(USER_IDS.coder2);
    await shotOfViewport(page, 'supervisor-reassign-dialog');
    await dialog.getByRole('button', { name: 'Reassign 2 tasks' }).click();
    const refusal = await dialog.getByRole('alert').innerText();
    expect(refusal).toContain('code review task on claim');
    expect(refusal).toContain('need the skill "cardiology"');
    expect(refusal).toContain('Nothing was reassigned');
    await shotOfViewport(page, 'supervisor-reassign-refused');
    for (const t of reviews)
      expect((await ws.api('GET', `/api/tasks/${t.id}`, undefined, ws.tokens.supervisor)).body.assigneeId).toBeNull();

    // Without the rule the same request goes through, all of it at once.
    expect((await ws.api('PUT', '/api/routing-rules/CODE_REVIEW/*', { requiredSkill: null }, ws.tokens.supervisor)).status).toBe(200);
    await dialog.getByRole('button', { name: 'Reassign 2 tasks' }).click();
    await page.getByText('Reassigned 2 tasks to Morgan Coder (coder-2)').waitFor();
    expect(await dialog.count()).toBe(0);

    for (const t of [reviews[1], reviews[2]]) {
      const after = await ws.api('GET', `/api/tasks/${t.id}`, undefined, ws.tokens.supervisor);
      expect(after.status).toBe(200);
      expect(after.body).toMatchObject({ assigneeId: USER_IDS.coder2, status: 'CLAIMED' });
    }
    const untouched = await ws.api('GET', `/api/tasks/${reviews[0].id}`, undefined, ws.tokens.supervisor);
    expect(untouched.body).toMatchObject({ assigneeId: null, status: 'OPEN' });

    // The dashboard catches up without a reload: the coder queue now has two tasks taken by coder-2.
    await page.locator('tr[data-queue="CODER"]', { hasText: 'coder-2 (2)' }).waitFor({ timeout: 20_000 });
    await page.locator(`tr[data-claim="${nearLimit}"] + tr.sv-subrow`, { hasText: 'claimed by coder-2' }).waitFor({ timeout: 20_000 });
    await ws.shot(page, 'supervisor-reassigned');

    // One task from the coder queue's own listing goes through the single-task route.
    await page.locator('tr[data-queue="CODER"]').getByRole('button', { name: 'Show tasks…' }).click();
    const listing = page.getByTestId('queue-tasks-CODER');
    await listing.getByLabel('not taken by anyone').check();
    await listing.getByRole('checkbox', { name: `select code review task ${reviews[0].id}` }).check();
    await page.getByRole('button', { name: 'Reassign…' }).click();
    const single = page.getByRole('dialog', { name: 'Reassign 1 task' });
    await single.getByRole('combobox').selectOption(USER_IDS.coder1);
    await single.getByRole('button', { name: 'Reassign 1 task' }).click();
    await page.getByText('Reassigned 1 task to Casey Coder (coder-1)').waitFor();
    expect((await ws.api('GET', `/api/tasks/${reviews[0].id}`, undefined, ws.tokens.supervisor)).body).toMatchObject({
      assigneeId: USER_IDS.coder1,
      status: 'CLAIMED',
    });
    // It leaves the "not taken by anyone" listing; the chart audit of the denied claim stays there.
    await listing
      .getByRole('checkbox', { name: `select code review task ${reviews[0].id}` })
      .waitFor({ state: 'detached', timeout: 20_000 });
    await listing.getByRole('checkbox', { name: /^select chart audit/ }).waitFor();
    await ws.shot(page, 'supervisor-queue-listing');
  }, 300_000);
});
