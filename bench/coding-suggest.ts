// Coding-suggestion benchmark: how often the expected ICD-10-CM code is the first suggestion, and among the
// first five, for the short notes in bench/data/coding-pairs.json; printed with the machine it ran on.
// Run: npx tsx bench/coding-suggest.ts [--demo-only] [--verbose]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEMO_CODESETS_DIR, readCodeSetFile } from '../infra/codesets';
import { buildIndex, suggestCodes, type CodeIndex } from '../domain/codeSearch';
import { parseIcd10cm } from '../domain/codesets/icd10cm';
import { describeMachine } from './machine';

interface Pair {
  text: string;
  code: string;
  split: 'tuning' | 'holdout';
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const pairs: Pair[] = JSON.parse(fs.readFileSync(path.join(root, 'bench/data/coding-pairs.json'), 'utf8')).pairs;
const sets: { name: string; file: string }[] = [
  { name: 'ICD-10-CM FY2024, full (fixtures)', file: path.resolve(root, '../shared/fixtures/codesets/icd10cm/icd10cm_order_2024.tsv') },
  { name: 'ICD-10-CM FY2024, shipped demo subset', file: path.join(DEMO_CODESETS_DIR, 'icd10cm-2024-demo.tsv') },
].filter((s) => !(process.argv.includes('--demo-only') && s.name.includes('full')));

const pct = (n: number, d: number) => `${((100 * n) / d).toFixed(1)}% (${n}/${d})`;

console.log(`${await describeMachine()}, ${os.platform()} ${os.arch()}`);
console.log(
  `pairs: ${pairs.length} (${pairs.filter((p) => p.split === 'tuning').length} tuning, ${pairs.filter((p) => p.split === 'holdout').length} holdout)\n`,
);

for (const set of sets) {
  if (!fs.existsSync(set.file)) {
    console.log(`${set.name}: ${set.file} not found, skipped\n`);
    continue;
  }
  let t = performance.now();
  const index: CodeIndex = buildIndex(parseIcd10cm(readCodeSetFile(set.file)));
  const buildMs = performance.now() - t;
  t = performance.now();
  const results = pairs.map((p) => ({ ...p, suggestions: suggestCodes(index, p.text, 5).map((s) => s.code) }));
  const perNoteMs = (performance.now() - t) / pairs.length;
  console.log(`${set.name}: ${index.entries.length} codes, index built in ${buildMs.toFixed(0)} ms, ${perNoteMs.toFixed(2)} ms per note`);
  for (const split of ['all', 'tuning', 'holdout'] as const) {
    const rows = results.filter((r) => split === 'all' || r.split === split);
    const top1 = rows.filter((r) => r.suggestions[0] === r.code).length;
    const top5 = rows.filter((r) => r.suggestions.includes(r.code)).length;
    console.log(`  ${split.padEnd(8)} top-1 ${pct(top1, rows.length).padEnd(16)} top-5 ${pct(top5, rows.length)}`);
  }
  const misses = results.filter((r) => !r.suggestions.includes(r.code));
  for (const m of misses) console.log(`  miss [${m.split}] ${m.code}: "${m.text}" -> ${m.suggestions.join(', ') || '(nothing)'}`);
  if (process.argv.includes('--verbose'))
    for (const m of results.filter((r) => r.suggestions.includes(r.code) && r.suggestions[0] !== r.code))
      console.log(`  not first [${m.split}] ${m.code} at ${m.suggestions.indexOf(m.code) + 1}: "${m.text}" -> ${m.suggestions.join(', ')}`);
  console.log();
}
