import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { dataDirSecret, secureDataDir } from './dataDir';

const made: string[] = [];
const savedUmask = process.umask();
afterEach(() => {
  process.umask(savedUmask);
  for (const d of made.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const modeOf = (p: string) => fs.statSync(p).mode & 0o777;

describe('the data folder', () => {
  it('is created 0700, and what an older claimflow left open to others is closed at start: folders 0700, files 0600', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'claimflow-datadir-'));
    made.push(root);
    const dir = path.join(root, '.data');
    process.umask(0o022);
    fs.mkdirSync(path.join(dir, 'pglite', 'base'), { recursive: true, mode: 0o755 });
    fs.chmodSync(dir, 0o755);
    fs.writeFileSync(path.join(dir, 'temporal.db'), 'x', { mode: 0o644 });
    fs.writeFileSync(path.join(dir, 'pglite', 'base', '1259'), 'x', { mode: 0o666 });
    fs.writeFileSync(path.join(dir, 'payload-keys'), 'k', { mode: 0o600 });
    const changed = secureDataDir(dir);
    expect(modeOf(dir)).toBe(0o700);
    expect(modeOf(path.join(dir, 'pglite'))).toBe(0o700);
    expect(modeOf(path.join(dir, 'pglite', 'base'))).toBe(0o700);
    expect(modeOf(path.join(dir, 'temporal.db'))).toBe(0o600);
    expect(modeOf(path.join(dir, 'pglite', 'base', '1259'))).toBe(0o600);
    // what was already private is not touched, and what changed is reported
    expect(changed.map((c) => path.relative(dir, c.path)).sort()).toEqual(
      ['', 'pglite', 'pglite/base', 'pglite/base/1259', 'temporal.db'].sort(),
    );
    // from now on, whatever this process (and its children: the dev server, the simulator) creates is private
    fs.writeFileSync(path.join(dir, 'simulator.json'), '{}');
    fs.mkdirSync(path.join(dir, 'later'));
    expect(modeOf(path.join(dir, 'simulator.json'))).toBe(0o600);
    expect(modeOf(path.join(dir, 'later'))).toBe(0o700);
  });

  it('makes a fresh folder private, and keeps a secret made once', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'claimflow-datadir-'));
    made.push(root);
    const dir = path.join(root, 'fresh', '.data');
    expect(secureDataDir(dir)).toEqual([]);
    expect(modeOf(dir)).toBe(0o700);
    const first = dataDirSecret(dir, 'simulator-token', () => 'one');
    expect(dataDirSecret(dir, 'simulator-token', () => 'two')).toBe(first);
    expect(modeOf(path.join(dir, 'simulator-token'))).toBe(0o600);
  });
});
