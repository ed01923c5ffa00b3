// Where the shared X12 and code-set fixtures live (see their MANIFEST.md). They are not part of the repository:
// CLAIMFLOW_FIXTURES_DIR names them; otherwise ../shared/fixtures beside the checkout (the development layout),
// otherwise the workplace's copy, so that a clone anywhere (CI clones into /tmp) finds the same files.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function locate(): string {
  // A test-only setting, read by the tests themselves (documented in README's table, not in Config).
  const candidates = [process.env.CLAIMFLOW_FIXTURES_DIR, path.resolve(REPO, '../shared/fixtures'), '/work/shared/fixtures'];
  const found = candidates.find((dir): dir is string => !!dir && fs.existsSync(path.join(dir, 'MANIFEST.md')));
  if (!found) throw new Error(`shared fixtures not found (looked in ${candidates.filter(Boolean).join(', ')}); set CLAIMFLOW_FIXTURES_DIR`);
  return found;
}

/** The fixtures folder, without a trailing slash. */
export const FIXTURES_DIR = locate();
