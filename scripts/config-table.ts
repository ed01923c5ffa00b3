// `npx tsx scripts/config-table.ts`: prints README.md's Configuration table as SETTINGS (infra/config.ts) makes it;
// with `--write`, puts it in README.md in place of the one there. infra/config.test.ts fails until they agree.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { configTable, withConfigTable } from '../infra/configTable';

const README = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../README.md');

const args = process.argv.slice(2);
if (args.length === 0) {
  console.log(configTable());
} else if (args.length === 1 && args[0] === '--write') {
  const before = fs.readFileSync(README, 'utf8');
  const after = withConfigTable(before);
  fs.writeFileSync(README, after);
  console.log(after === before ? 'README.md: the Configuration table was already up to date' : 'README.md: Configuration table rewritten');
} else {
  console.error('usage: npx tsx scripts/config-table.ts [--write]');
  process.exit(2);
}
