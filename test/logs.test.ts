// No PHI in any log: a whole demo run (scripts/demo.ts: the main job with its Temporal dev server, PGlite, API,
// claim worker and payer simulator child, and scripted coder, biller and supervisor desks) with the worker logging
// every workflow and activity event it can, plus requests that carry patient details into the API's error paths
// while it runs. Afterwards every line any of its processes wrote is searched for the demo patients' names, birth
// dates (as ISO, X12 and US dates), member ids and addresses and the claims' clinical notes, read back from the
// demo's own database.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openDatabase } from '../infra/db';

const root = path.resolve(import.meta.dirname, '..');
const CLAIMS = 20;
/** the log files the main job writes into its data folder: the API's events, the worker, the simulator, Temporal */
const LOG_FILES = ['api.log', 'worker.log', 'simulator.log', 'temporal.log'];

interface Secret {
  what: string;
  value: string;
}

interface Demo {
  code: number | null;
  stdout: string;
  stderr: string;
  dataDir: string;
  apiUrl?: string;
  /** answers to the requests that carried patient details, by what they were */
  probes: Record<string, number>;
}

let tmp: string;
let child: ChildProcess | undefined;
let demo: Demo;
let secrets: Secret[] = [];
let claimIds: string[] = [];

/** Requests a careless API would log with the patient details in them. Fewer than 20 failed sign-ins: the
 * demo's desks share this address and must not be rate-limited. */
async function probe(
  apiUrl: string,
  p: { first: string; last: string; birthDate: string; memberId: string },
): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  const send = async (what: string, url: string, init: RequestInit = {}) => {
    const res = await fetch(`${apiUrl}${url}`, { ...init, signal: AbortSignal.timeout(10_000) });
    await res.text();
    out[what] = res.status;
  };
  const name = encodeURIComponent(`${p.first} ${p.last}`);
  await send('path with a name, no token', `/api/patients/${name}?birthDate=${p.birthDate}`);
  await send('bad bearer', `/api/claims?patient=${name}`, { headers: { Authorization: `Bearer cf_${p.last}-${p.memberId}` } });
  await send('malformed URL', `/api/claims/%E0%A4%A${encodeURIComponent(p.last)}`, { headers: { Authorization: `Bearer ${p.memberId}` } });
  await send('malformed JSON', '/api/patients', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: `{"firstName": "${p.first}", "lastName": ${p.last}, "birthDate": "${p.birthDate}"`,
  });
  await send('inbound acknowledgement for no claim', '/api/inbound/acknowledgements', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ claimId: `${p.last}-${p.memberId}`, accepted: false, patientName: `${p.first} ${p.last}` }),
  });
  await send('inbound remittance with a stranger', '/api/inbound/remittances', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ payerId: p.memberId, claims: [{ claimId: p.last, patient: { firstName: p.first, birthDate: p.birthDate } }] }),
  });
  const d8 = p.birthDate.replaceAll('-', '');
  await send('inbound X12 that reads badly', '/api/inbound/x12', {
    method: 'POST',
    headers: { 'Content-Type': 'application/edi-x12' },
    body: `ISA*00*BROKEN~ST*835*0001~NM1*QC*1*${p.last}*${p.first}****MI*${p.memberId}~DMG*D8*${d8}~SE*3*0001~`,
  });
  return out;
}

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'claimflow-logs-'));
  const dataDir = path.join(tmp, 'demo');
  const seedPatient = { first: 'Evelyn', last: 'Marsh', birthDate: '1948-03-14', memberId: '9DM107919X1' };
  demo = { code: null, stdout: '', stderr: '', dataDir, probes: {} };
  const proc = spawn(process.execPath, ['--import', 'tsx', 'scripts/demo.ts', '--claims', String(CLAIMS), '--timeout-s', '420'], {
    cwd: root,
    env: {
      ...process.env,
      CLAIMFLOW_DEMO_DATA_DIR: dataDir,
      CLAIMFLOW_WORKER_LOG_LEVEL: 'DEBUG',
      CLAIMFLOW_WORKFLOW_BUNDLE: inject('workflowBundlePath'),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child = proc;
  let probing: Promise<void> | undefined;
  proc.stdout!.on('data', (chunk: Buffer) => {
    demo.stdout += chunk.toString('utf8');
    const up = /up: API (http:\/\/\S+?),/.exec(demo.stdout);
    if (up && !probing) {
      demo.apiUrl = up[1];
      // The seed's first patient; the test checks below that the database holds exactly these details.
      probing = probe(up[1], seedPatient).then((answers) => void (demo.probes = answers));
    }
  });
  proc.stderr!.on('data', (chunk: Buffer) => (demo.stderr += chunk.toString('utf8')));
  demo.code = await new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  child = undefined;
  await probing;

  // What counts as PHI, from the demo's own database (PGlite: open once the demo has let go of it).
  const db = await openDatabase(`pglite:${path.join(dataDir, 'pglite')}`, { migrate: false });
  try {
    const claims = await db.prisma.claim.findMany({
      include: { patient: { include: { coverages: true } }, encounter: true, tasks: { include: { notes: true } } },
    });
    claimIds = claims.map((c) => c.id);
    const seen = new Set<string>();
    const add = (what: string, value: string | null | undefined) => {
      if (!value || seen.has(`${what}|${value}`)) return;
      seen.add(`${what}|${value}`);
      secrets.push({ what, value });
    };
    for (const c of claims) {
      const p = c.patient;
      const iso = p.birthDate.toISOString().slice(0, 10);
      add('first name', p.firstName);
      add('last name', p.lastName);
      add('birth date', iso);
      add('birth date (X12 D8)', iso.replaceAll('-', ''));
      add('birth date (US)', `${iso.slice(5, 7)}/${iso.slice(8, 10)}/${iso.slice(0, 4)}`);
      add('address', p.addressLine);
      for (const cov of p.coverages) add('member id', cov.memberId);
      add('clinical note', c.encounter.documentation);
      for (const t of c.tasks) for (const n of t.notes) add('task note', n.body);
    }
    const marsh = claims.find((c) => c.patient.lastName === seedPatient.last)?.patient;
    expect(marsh, 'the probed patient is a demo patient').toBeDefined();
    expect([marsh!.firstName, marsh!.birthDate.toISOString().slice(0, 10), marsh!.coverages[0].memberId]).toEqual([
      seedPatient.first,
      seedPatient.birthDate,
      seedPatient.memberId,
    ]);
  } finally {
    await db.close();
  }
}, 480_000);

afterAll(async () => {
  if (child?.pid) {
    // still running when the set-up gave up: the demo stops its dev server and simulator on SIGTERM
    process.kill(child.pid, 'SIGTERM');
    await new Promise((r) => child?.once('exit', r));
  }
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

/** Every log source of the run: the demo's own output and each process's log file. */
function logSources(): { name: string; text: string }[] {
  const files = fs
    .readdirSync(demo.dataDir)
    .filter((f) => f.endsWith('.log'))
    .sort();
  return [
    { name: 'demo stdout', text: demo.stdout },
    { name: 'demo stderr', text: demo.stderr },
    ...files.map((f) => ({ name: f, text: fs.readFileSync(path.join(demo.dataDir, f), 'utf8') })),
  ];
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('a full demo run', () => {
  it('closes every claim, with every process logging into its data folder', () => {
    expect(demo.code, `${demo.stdout.slice(-3_000)}\n${demo.stderr.slice(-2_000)}`).toBe(0);
    // every claim finished: closed, or voided by the desks (an ELIGIBILITY task on the demo's terminated coverage)
    const finished = /claims closed: (\d+)\/(\d+)(?:, voided: (\d+))?/.exec(demo.stdout);
    expect(finished, demo.stdout.slice(-1_000)).not.toBeNull();
    expect(Number(finished![1]) + Number(finished![3] ?? 0)).toBe(CLAIMS);
    expect(Number(finished![2])).toBe(CLAIMS);
    expect(claimIds).toHaveLength(CLAIMS);
    const files = fs
      .readdirSync(demo.dataDir)
      .filter((f) => f.endsWith('.log'))
      .sort();
    expect(files).toEqual([...LOG_FILES].sort());
    const worker = fs.readFileSync(path.join(demo.dataDir, 'worker.log'), 'utf8');
    expect(worker).toContain('"Activity completed"');
    expect(worker).toContain('"Workflow completed"');
    expect(fs.readFileSync(path.join(demo.dataDir, 'simulator.log'), 'utf8')).toContain('delivery.delivered');
    expect(fs.readFileSync(path.join(demo.dataDir, 'temporal.log'), 'utf8')).toContain('Temporal Server');
    // the requests with patient details reached the API and were refused
    expect(Object.keys(demo.probes)).toHaveLength(7);
    for (const [what, status] of Object.entries(demo.probes)) {
      expect(status, what).toBeGreaterThanOrEqual(400);
      expect(status, what).toBeLessThan(500);
    }
  });

  it('logs no patient name, birth date, member id, address or note anywhere', () => {
    const sources = logSources();
    // The search sees what the run did: claim ids (not PHI) are in the logs, so PHI would be too if it were logged.
    const all = sources.map((s) => s.text).join('\n');
    expect(claimIds.filter((id) => all.includes(id)).length).toBeGreaterThanOrEqual(CLAIMS / 2);
    expect(secrets.filter((s) => s.what === 'last name').length).toBeGreaterThanOrEqual(10);
    expect(secrets.some((s) => s.what === 'member id')).toBe(true);

    const hits: string[] = [];
    for (const { what, value } of secrets) {
      // Whole words, case as stored: "Grace" the patient, not "graceful" the shutdown.
      const pattern = new RegExp(`(?<![A-Za-z0-9])${escape(value)}(?![A-Za-z0-9])`);
      for (const source of sources) {
        const m = pattern.exec(source.text);
        if (m)
          hits.push(`${source.name}: ${what} "${value}" in …${source.text.slice(Math.max(0, m.index - 80), m.index + value.length + 40)}…`);
      }
    }
    const lines = sources.map((s) => `${s.name} ${s.text.split('\n').filter(Boolean).length}`).join(', ');
    console.log(`searched ${lines} lines for ${secrets.length} PHI values of ${new Set(claimIds).size} claims: ${hits.length} found`);
    expect(hits).toEqual([]);
  });
});
