// Tooling, not loaded by the application: derives the shipped demo code sets in this folder from the full
// files of shared/fixtures/codesets (see README.md here for what each file holds and why).
// Run from the repository root: npx tsx domain/codesets/data/derive-demo-data.ts [fixtures dir]
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixtures = path.resolve(process.argv[2] ?? path.join(here, '../../../../shared/fixtures/codesets'));
const read = (rel: string) => {
  const buf = fs.readFileSync(path.join(fixtures, rel));
  return (rel.endsWith('.gz') ? zlib.gunzipSync(buf) : buf).toString('utf8').replace(/\r/g, '');
};
const rows = (text: string) => text.split('\n').filter(Boolean).map((l) => l.split('\t'));
const write = (name: string, lines: string[]) => {
  fs.writeFileSync(path.join(here, name), `${lines.join('\n')}\n`);
  console.log(`${name}: ${lines.length} lines, ${fs.statSync(path.join(here, name)).size} bytes`);
};

// ICD-10-CM FY2024: whole 3-character categories only, so that a code missing from a loaded category is
// really invalid. Every chapter primary care codes from daily, plus the common eye/ear, musculoskeletal and
// injury categories.
const ICD_CHAPTERS = new Set(['A', 'B', 'D', 'E', 'F', 'G', 'I', 'J', 'K', 'L', 'N', 'R', 'U', 'Z']);
const ICD_CATEGORIES = new Set([
  'H10', 'H25', 'H52', 'H57', 'H60', 'H61', 'H65', 'H66', 'H81', 'H92', 'H93',
  'M06', 'M10', 'M16', 'M17', 'M19', 'M25', 'M47', 'M48', 'M50', 'M51', 'M53', 'M54', 'M62', 'M65', 'M70', 'M72', 'M75',
  'M76', 'M77', 'M79', 'M81', 'M99',
  'S13', 'S16', 'S33', 'S39', 'S83', 'S93', 'T14', 'T78', 'T88',
]);
const icd = rows(read('icd10cm/icd10cm_order_2024.tsv')).slice(1)
  .filter(([, code]) => ICD_CHAPTERS.has(code[0]) || ICD_CATEGORIES.has(code.slice(0, 3)))
  .map(([, code, valid, description]) => `${code}\t${valid}\t${description}`);
write('icd10cm-2024-demo.tsv', icd);

// HCPCS Level II July 2024: every code with its dates, no descriptions (the scrubber needs existence and dates).
const hcpcs = rows(read('hcpcs/hcpcs_level2_attributes_2024-07.tsv'));
const h = hcpcs[0];
const [code, action, term, added] = ['hcpcs_code', 'action', 'date_term', 'date_added'].map((c) => h.indexOf(c));
write('hcpcs_level2_attributes_2024-07.tsv', hcpcs.map((r) => [r[code], r[action], r[term] ?? '', r[added]].join('\t')));

// Modifiers, place of service and add-on code edits: small, shipped whole.
for (const [from, to] of [['hcpcs/hcpcs_level2_modifiers.tsv', 'hcpcs_level2_modifiers.tsv'], ['pos/place_of_service.tsv', 'place_of_service.tsv'], ['ncci/ncci_add_on_code_edits.tsv', 'ncci_add_on_code_edits.tsv']])
  write(to, read(from).split('\n').filter(Boolean));

// MUE practitioner 2024-07-01: every code, without the rationale text.
write('ncci_mue_practitioner_2024-07-01.tsv', rows(read('ncci/ncci_mue_practitioner_2024-07-01.tsv')).map((r) => r.slice(0, 3).join('\t')));

// NCCI PTP practitioner 2024-07-01: every edit among the codes the demo and the tests bill, still in effect on
// or after 2024-07-01. The loader treats this file as a subset (the `# covers:` line lists its codes): a pair
// with a code outside it is reported as not checked, never as passing.
const DEMO_CODES = new Set([
  '99202', '99203', '99204', '99205', '99211', '99212', '99213', '99214', '99215', '99417', '99358', '99359', 'G2212',
  'G0438', 'G0439', '99283', '99284', '99285', '36415', '85025', '80053', '80048', '80061', '83036', '84443', '81002',
  '81003', '87880', '93000', '71045', '71046', '73030', '90471', '90472', '96372', '97110', '20610',
]);
const ptp = rows(read('ncci/ncci_ptp_practitioner_2024-07-01.tsv.gz'));
write('ncci_ptp_practitioner_2024-07-01-demo.tsv', [
  `# covers: ${[...DEMO_CODES].sort().join(' ')}`,
  ptp[0].join('\t'),
  ...ptp.slice(1).filter(([c1, c2, deleted]) => DEMO_CODES.has(c1) && DEMO_CODES.has(c2) && deleted >= '20240701').map((r) => r.join('\t')),
]);
