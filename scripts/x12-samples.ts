// `npx tsx scripts/x12-samples.ts <folder>`: writes the generated 270/271/276/277 samples (test/x12InquirySamples.ts)
// to <folder>, one file per sample named <name>.<type>, for an outside validator (linuxforhealth-x12) to judge.
import fs from 'node:fs';
import path from 'node:path';
import { inquirySamples } from '../test/x12InquirySamples';

const args = process.argv.slice(2);
if (args.length !== 1 || args[0].startsWith('-')) {
  console.error('usage: npx tsx scripts/x12-samples.ts <folder>');
  process.exit(2);
}
const folder = path.resolve(args[0]);
fs.mkdirSync(folder, { recursive: true });
const counts: Record<string, number> = {};
for (const s of inquirySamples()) {
  fs.writeFileSync(path.join(folder, `${s.name}.${s.type}`), s.text);
  counts[s.type] = (counts[s.type] ?? 0) + 1;
}
console.log(
  `${folder}: ${Object.entries(counts)
    .map(([type, n]) => `${n} × ${type}`)
    .join(', ')}`,
);
