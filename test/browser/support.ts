// Browser tests drive the real thing: the main job (`scripts/start.ts`, as `npm start` runs it) in a child
// process with its own data folder, free ports and a fresh PostgreSQL database, and Debian's Chromium through
// playwright-core. Nothing is faked: the web workspace is the built web/dist that the API process serves.
//
// Why PostgreSQL and not the embedded PGlite: PGlite can be open in one process only, so with it the test could
// not issue tokens or look at rows while the main job runs; a database per workspace on the machine's server
// (as test/database.ts does for every other test file) also starts faster than PGlite's wasm migrations.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { inject } from 'vitest';
import { issueToken, setPassword } from '../../api/auth/accounts';
import { freePorts } from '../../infra/process';
import { seedReferenceData, USER_IDS } from '../../app/seed';
import { createTestDatabase, type TestDatabase } from '../database';
import { ensureAptPackage, run, tail, withLock } from '../support/install';

export const ROOT = path.resolve(import.meta.dirname, '..', '..');
export const SCREENSHOT_DIR = path.join(ROOT, 'test-results', 'screenshots');
const CHROMIUM = '/usr/bin/chromium';

/** The people the tests play: coder-1, biller-1, supervisor-1 and admin. */
export type Person = 'coder' | 'biller' | 'supervisor' | 'admin';

/** Who signs in as whom, with which password: set on the seeded users before the main job starts. */
export const PEOPLE: Record<Person, { userId: string; password: string }> = {
  coder: { userId: USER_IDS.coder1, password: 'coder one browser password' },
  biller: { userId: USER_IDS.biller1, password: 'biller one browser password' },
  supervisor: { userId: USER_IDS.supervisor, password: 'supervisor browser password' },
  admin: { userId: USER_IDS.admin, password: 'admin browser password' },
};

export interface Workspace {
  baseUrl: string;
  /** API tokens for the test's own calls (machines keep using tokens); people in the browser sign in with PEOPLE's passwords */
  tokens: Record<Person, string>;
  /** the API with a bearer token (the admin's when none is given); body is parsed JSON, or text when not JSON */
  api(method: string, path: string, body?: unknown, token?: string): Promise<{ status: number; body: any }>;
  /** the payer simulator the main job runs (scheduled delivery): /admin/scenarios, /admin/deliver, ... */
  simulatorUrl: string;
  /** what the simulator's routes require: the main job keeps it in the data folder */
  simulatorToken: string;
  /** the main job's CLAIMFLOW_DATA_DIR (handed to it open to others, 0755) */
  dataDir: string;
  browser: Browser;
  /** a page in its own browser context (own cookies), on the workspace; signed in through the form when a person is given */
  newPage(as?: Person): Promise<Page>;
  /** saves test-results/screenshots/<name>.png (whole page) and returns its path */
  shot(page: Page, name: string): Promise<string>;
  stop(): Promise<void>;
  /** the main job's stdout and stderr so far, for a failing test's message */
  output(): string;
}

export interface WorkspaceOptions {
  /** CLAIMFLOW_DAY_MS: length of a lifecycle day; default one real day, so only the test moves claims on */
  dayMs?: number;
  /** extra environment for the main job */
  env?: Record<string, string>;
}

export async function startWorkspace(opts: WorkspaceOptions = {}): Promise<Workspace> {
  await Promise.all([ensureChromium(), ensureWebBuilt()]);

  const db: TestDatabase = await createTestDatabase('claimflow_browser');
  let child: ChildProcess | undefined;
  let launching: Promise<Browser> | undefined;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'claimflow-browser-'));
  // as an older claimflow or a loose umask would have left it: the main job must close it at start
  fs.chmodSync(dataDir, 0o755);
  const cleanup = async () => {
    const browser = await launching?.catch(() => undefined);
    await browser?.close().catch(() => {});
    if (child) await stopChild(child, dataDir);
    await db.drop().catch(() => {});
    fs.rmSync(dataDir, { recursive: true, force: true });
  };

  try {
    // Users first (the main job's own seeding is idempotent), so the tokens and passwords exist before the API does.
    await seedReferenceData(db.prisma);
    for (const { userId, password } of Object.values(PEOPLE)) await setPassword(db.prisma, userId, password, 'browser-test');
    const issue = async (userId: string) => (await issueToken(db.prisma, userId, { name: 'browser test' }, 'browser-test')).token;
    const tokens: Record<Person, string> = {
      coder: await issue(USER_IDS.coder1),
      biller: await issue(USER_IDS.biller1),
      supervisor: await issue(USER_IDS.supervisor),
      admin: await issue(USER_IDS.admin),
    };

    // Chromium starts while the main job does.
    launching = chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
    let apiPort = 0;
    let simulatorPort = 0;
    let out = '';
    // freePorts can only say a port was free a moment ago: another test file's process may take it before the main
    // job binds it. A job that stops on a taken port is started again on new ports.
    for (let attempt = 1; ; attempt++) {
      const [picked, simPicked, temporalDevPort, temporalUiPort] = await freePorts(4);
      apiPort = picked!;
      simulatorPort = simPicked!;
      // the environment (the configuration) of the `npm start` this test runs as a child process
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        CLAIMFLOW_DATA_DIR: dataDir,
        DATABASE_URL: db.url,
        HOST: '127.0.0.1',
        PORT: String(apiPort),
        SIMULATOR_PORT: String(simulatorPort),
        TEMPORAL_DEV_PORT: String(temporalDevPort),
        TEMPORAL_UI_PORT: String(temporalUiPort),
        CLAIMFLOW_DAY_MS: String(opts.dayMs ?? 86_400_000),
        // the bundle test/globalSetup.ts built once: each main job skips its own webpack run
        CLAIMFLOW_WORKFLOW_BUNDLE: inject('workflowBundlePath'),
        // a real PostgreSQL is not the embedded demo: the simulator runs because it is asked for
        CLAIMFLOW_SIMULATOR: '1',
        // two main jobs may run at once: no fixed metrics ports
        CLAIMFLOW_METRICS_ADDRESS: '',
        CLAIMFLOW_WORKER_METRICS_ADDRESS: '',
        ...opts.env,
      };
      // Whatever the developer's shell points at, this workspace runs its own Temporal and simulator.
      for (const k of ['TEMPORAL_ADDRESS', 'TEMPORAL_PROFILE', 'TEMPORAL_CONFIG_FILE', 'SIMULATOR_URL', 'CLAIMFLOW_TRUST_USER_HEADER'])
        delete env[k];

      // node --import tsx: one process, so the signal reaches start.ts itself and it stops its dev server.
      // The IPC channel and childGuard stop the job if this test process is killed outright.
      child = spawn(
        process.execPath,
        ['--import', 'tsx', '--import', path.join(ROOT, 'app', 'childGuard.mjs'), path.join(ROOT, 'scripts', 'start.ts')],
        {
          cwd: ROOT,
          env,
          stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
        },
      );
      out = '';
      child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
      const running = new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`the main job did not start within 150 s:\n${tail(out)}`)), 150_000);
        child!.stdout!.on('data', () => {
          if (out.includes('claimflow is running')) {
            clearTimeout(timer);
            resolve();
          }
        });
        child!.once('exit', (code) => {
          clearTimeout(timer);
          reject(new Error(`the main job exited with ${code} before it was ready:\n${tail(out)}`));
        });
      });
      try {
        await running;
        break;
      } catch (err) {
        if (attempt >= 3 || !/is already in use/.test((err as Error).message)) throw err;
        child = undefined;
      }
    }
    const browser = await launching;

    const baseUrl = `http://127.0.0.1:${apiPort}`;
    const simulatorUrl = `http://127.0.0.1:${simulatorPort}`;
    const contexts: BrowserContext[] = [];

    const simulatorToken = fs.readFileSync(path.join(dataDir, 'simulator-token'), 'utf8').trim();
    const ws: Workspace = {
      baseUrl,
      tokens,
      simulatorUrl,
      simulatorToken,
      dataDir,
      browser,
      output: () => out,
      async api(method, p, body, token = tokens.admin) {
        const res = await fetch(`${baseUrl}${p}`, {
          method,
          headers: { Authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        const text = await res.text();
        let parsed: unknown = text;
        try {
          parsed = text ? JSON.parse(text) : undefined;
        } catch {
          // not JSON: hand back the text
        }
        return { status: res.status, body: parsed };
      },
      async newPage(as) {
        const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
        contexts.push(context);
        const page = await context.newPage();
        await page.goto(`${baseUrl}/`);
        if (as) await signIn(page, as);
        return page;
      },
      async shot(page, name) {
        fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
        const file = path.join(SCREENSHOT_DIR, `${name}.png`);
        // The whole page as one tall viewport: a fullPage capture would leave sticky bars (the key hints)
        // where the original viewport ended, over the content.
        const viewport = page.viewportSize() ?? { width: 1280, height: 860 };
        const height = await page.evaluate(() => document.documentElement.scrollHeight);
        await page.setViewportSize({ width: viewport.width, height: Math.max(viewport.height, height) });
        try {
          await page.screenshot({ path: file });
        } finally {
          await page.setViewportSize(viewport);
        }
        return file;
      },
      async stop() {
        for (const c of contexts) await c.close().catch(() => {});
        await cleanup();
      },
    };
    return ws;
  } catch (err) {
    await cleanup();
    throw err;
  }
}

// ---- helpers the browser tests share -----------------------------------------------------------------

/** Signs in through the workspace's form, as a person would: user id, password, Enter. */
export async function signIn(page: Page, as: Person): Promise<void> {
  await page.getByLabel('User id').fill(PEOPLE[as].userId);
  await page.getByLabel('Password').fill(PEOPLE[as].password);
  await page.keyboard.press('Enter');
  await page.locator('header.topbar').waitFor({ timeout: 15_000 });
}

export type Scenario =
  | 'PAY_IN_FULL'
  | 'PARTIAL_PATIENT_RESP'
  | 'FRONT_END_REJECT'
  | 'SILENT_THEN_PAY'
  | 'SILENT_FOREVER'
  | 'CODING_DENIAL'
  | 'DENY_APPEAL_OVERTURNED'
  | 'DENY_APPEAL_UPHELD';

/** The simulated payer plays this scenario for the claim (call it before the claim is submitted). */
export async function forceScenario(ws: Workspace, claimId: string, scenario: Scenario): Promise<void> {
  const res = await fetch(`${ws.simulatorUrl}/admin/scenarios`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${ws.simulatorToken}` },
    body: JSON.stringify({ claimId, scenario }),
  });
  if (!res.ok) throw new Error(`forcing ${scenario} failed: ${res.status} ${await res.text()}`);
}

/**
 * Deliver what the simulator holds for the claim now instead of on its schedule. A message is queued only once
 * the simulator has the submission, so this polls briefly until something went out.
 */
export async function deliver(
  ws: Workspace,
  claimId: string,
  kind?: 'acknowledgement' | 'remittance' | 'appeal-decision',
  timeoutMs = 20_000,
): Promise<unknown[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await fetch(`${ws.simulatorUrl}/admin/deliver`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ws.simulatorToken}` },
      body: JSON.stringify({ claimId, ...(kind ? { kind } : {}) }),
    });
    if (!res.ok) throw new Error(`deliver failed: ${res.status} ${await res.text()}`);
    const { delivered } = (await res.json()) as { delivered: { outcome: string }[] };
    const failed = delivered.filter((d) => d.outcome !== 'delivered');
    if (failed.length) throw new Error(`delivery failed: ${JSON.stringify(failed)}`);
    if (delivered.length) return delivered;
    if (Date.now() > deadline) throw new Error(`nothing to deliver for ${claimId}${kind ? ` (${kind})` : ''} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

/** Polls GET /api/claims/:id until its state is one of `states`; returns the claim. */
export async function waitForClaimState(ws: Workspace, claimId: string, states: string[], timeoutMs = 30_000): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  let last: any;
  for (;;) {
    const res = await ws.api('GET', `/api/claims/${claimId}`);
    last = res.body;
    if (res.status === 200 && states.includes(last.state)) return last;
    if (Date.now() > deadline)
      throw new Error(
        `claim ${claimId} did not reach ${states.join('/')} in ${timeoutMs} ms; last: ${last?.state ?? JSON.stringify(last)}`,
      );
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Polls until the claim has an open task of this kind; returns the task. */
export async function waitForOpenTask(ws: Workspace, claimId: string, kind: string, timeoutMs = 30_000): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await ws.api('GET', `/api/claims/${claimId}`);
    const task = (res.body?.tasks ?? []).find((t: any) => t.kind === kind && (t.status === 'OPEN' || t.status === 'CLAIMED'));
    if (task) return task;
    if (Date.now() > deadline) throw new Error(`claim ${claimId} has no open ${kind} task after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

// ---- set-up: Chromium and the built workspace, once for all test files -----------------------------

/** Debian's chromium package, installed once if missing (the tests run as root in CI). */
export async function ensureChromium(): Promise<void> {
  await ensureAptPackage('chromium', CHROMIUM);
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : fs.statSync(p).mtimeMs);
  }
  return newest;
}

/** The tests exercise the workspace as built: rebuild web/dist when a source is newer than the build. */
export async function ensureWebBuilt(): Promise<void> {
  const web = path.join(ROOT, 'web');
  const built = path.join(web, 'dist', 'index.html');
  const stale = () => {
    const at = fs.statSync(built, { throwIfNoEntry: false })?.mtimeMs ?? 0;
    return Math.max(newestMtime(path.join(web, 'src')), fs.statSync(path.join(web, 'index.html')).mtimeMs) > at;
  };
  if (!stale()) return;
  await withLock('web-build', async () => {
    if (!stale()) return;
    const r = await run(process.execPath, [
      path.join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'),
      'build',
      '--config',
      path.join(web, 'vite.config.ts'),
      '--logLevel',
      'warn',
    ]);
    if (r.code !== 0) throw new Error(`vite build of the web workspace failed:\n${tail(r.output)}`);
  });
}

/** SIGTERM (start.ts shuts everything down in order), SIGKILL if it hangs. */
async function stopChild(child: ChildProcess, dataDir: string): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    await exited;
    clearTimeout(timer);
  }
  // The dev server runs in its own process group; should the job have died without stopping it, its pid file says which.
  const pidFile = path.join(dataDir, 'temporal.pid');
  const pid = fs.existsSync(pidFile) ? Number(fs.readFileSync(pidFile, 'utf8').trim()) : NaN;
  if (Number.isInteger(pid) && pid > 0) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}
