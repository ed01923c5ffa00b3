// Installing what a test needs from Debian once, for every test file at once: a lock directory so that two test
// processes never run apt-get together, and a child-process runner that keeps the output for the error message.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..', '..');

/** Runs `fn` while holding a lock directory, so two test files (two processes) never do it at once. */
export async function withLock<T>(name: string, fn: () => Promise<T>): Promise<T> {
  const dir = path.join(os.tmpdir(), `claimflow-${name}.lock`);
  const started = Date.now();
  for (;;) {
    try {
      fs.mkdirSync(dir);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      // A holder killed mid-way leaves its lock behind; ten minutes is longer than any install.
      const held = fs.statSync(dir, { throwIfNoEntry: false });
      if (held && Date.now() - held.mtimeMs > 600_000) fs.rmSync(dir, { recursive: true, force: true });
      if (Date.now() - started > 900_000) throw new Error(`waited 15 min for ${dir}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  try {
    return await fn();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs a command to its end; never rejects: a command that cannot start answers code -1. */
export function run(cmd: string, args: string[], cwd = ROOT): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    // a child process's environment: this one's, non-interactive
    const p = spawn(cmd, args, { cwd, env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    p.stdout.on('data', (d: Buffer) => (output += d.toString()));
    p.stderr.on('data', (d: Buffer) => (output += d.toString()));
    p.on('error', (err) => resolve({ code: -1, output: `${output}\n${err.message}` }));
    p.on('exit', (code) => resolve({ code, output }));
  });
}

/** Debian's `pkg`, installed once if `file` is missing (the tests run as root in CI). */
export async function ensureAptPackage(pkg: string, file: string): Promise<void> {
  if (fs.existsSync(file)) return;
  // one lock for every package: apt-get holds dpkg's lock, a second install at once would fail on it
  await withLock('apt', async () => {
    if (fs.existsSync(file)) return;
    const install = ['install', '-y', '--no-install-recommends', pkg];
    let r = await run('apt-get', install);
    if (r.code !== 0) {
      // A fresh image has no package lists yet.
      await run('apt-get', ['update']);
      r = await run('apt-get', install);
    }
    if (r.code !== 0 || !fs.existsSync(file)) {
      throw new Error(`the tests need ${file}; \`apt-get install -y --no-install-recommends ${pkg}\` failed:\n${tail(r.output)}`);
    }
  });
}

export function tail(text: string, lines = 40): string {
  return text.split('\n').slice(-lines).join('\n');
}
