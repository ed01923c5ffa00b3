// The data folder holds PHI (the embedded database, Temporal's state, the simulator's claims) and secrets
// (payload keys, tokens): readable by the user claimflow runs as, and nobody else.
import fs from 'node:fs';
import path from 'node:path';

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/** A folder or file whose mode lets anyone but its owner in: what secureDataDir changed. */
export interface LoosenedEntry {
  path: string;
  from: number;
  to: number;
}

/**
 * Creates `dir` (0700) if missing, makes everything this process and its children create from now on private
 * (umask 077), and tightens what is already there: folders to 0700, files to 0600. Returns what it had to change,
 * so that the start can say so. Links are left alone (their target's mode is not theirs to set).
 */
export function secureDataDir(dir: string): LoosenedEntry[] {
  process.umask(0o077);
  fs.mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  const changed: LoosenedEntry[] = [];
  const tighten = (p: string, want: number) => {
    const mode = fs.lstatSync(p).mode & 0o777;
    if ((mode & 0o077) === 0) return;
    fs.chmodSync(p, want);
    changed.push({ path: p, from: mode, to: want });
  };
  const walk = (d: string) => {
    tighten(d, PRIVATE_DIR_MODE);
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (entry.isFile()) tighten(p, PRIVATE_FILE_MODE);
    }
  };
  walk(dir);
  return changed;
}

/** A secret kept in the data folder, made once (0600) and read back on every start. */
export function dataDirSecret(dir: string, name: string, make: () => string): string {
  const file = path.join(dir, name);
  try {
    fs.writeFileSync(file, `${make()}\n`, { mode: PRIVATE_FILE_MODE, flag: 'wx' });
  } catch (err) {
    // there already: keep it (another process may have made it a moment ago)
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  return fs.readFileSync(file, 'utf8').trim();
}
