// Loads the ICD-10-CM code set once per process: the shipped demo subset, or a full CMS-derived TSV
// (code, valid_for_submission, long description columns) named by ICD10CM_FILE.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildIndex, type CodeEntry, type CodeIndex } from '../domain/codeSearch';

const DEMO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../domain/codesets/data/icd10cm-2024-demo.tsv');
let cached: CodeIndex | undefined;

export function parseIcd10Tsv(text: string): CodeEntry[] {
  const out: CodeEntry[] = [];
  for (const line of text.split('\n')) {
    const cols = line.split('\t');
    if (cols.length < 3 || cols[0] === 'order' || cols[0] === 'code') continue;
    // the fixture's order file has a leading order column; the demo subset does not
    const [code, valid, description] = /^\d{5}$/.test(cols[0]) ? cols.slice(1) : cols;
    out.push({ code, billable: valid === '1', description });
  }
  return out;
}

export function loadIcd10(file = process.env.ICD10CM_FILE || DEMO): CodeIndex {
  if (!cached) cached = buildIndex(parseIcd10Tsv(fs.readFileSync(file, 'utf8')));
  return cached;
}
