import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES_DIR } from '../../test/fixtures';
import { classifyX12File, type X12FileKind } from './fileKind';

const X12 = path.join(FIXTURES_DIR, 'x12');
const read = (folder: string, name: string) => fs.readFileSync(path.join(X12, folder, name), 'latin1');

/** The kind each fixture folder holds (MANIFEST.md's conventions). */
const FOLDER_KIND: Record<string, X12FileKind> = {
  '270': '270',
  '271': '271',
  '276': '276',
  '277': '277',
  '277ca': '277CA',
  '835': '835',
  '837i': '837I',
  '837p': '837P',
  '999': '999',
  ta1: 'TA1',
};

/** Broken files keep the kind their envelope names: refusing them is the intake's job, with its own errors. */
const INVALID_KIND: Record<string, X12FileKind> = {
  'imsweb-x12-parser__x12_bad_first_line.txt': '837P',
  'imsweb-x12-parser__x12_missing_elements.txt': '837P',
  'imsweb-x12-parser__x12_no_isa_line.txt': '837P',
  'imsweb-x12-parser__x12_segment_errors.txt': '837P',
  'xlate-staedi__invalid999.edi': '999',
};

describe('classifyX12File', () => {
  it('classifies every fixture as its folder says', () => {
    const folders = fs.readdirSync(X12).filter((f) => f !== 'invalid');
    expect(folders.sort()).toEqual(Object.keys(FOLDER_KIND).sort());
    let files = 0;
    for (const folder of folders) {
      for (const name of fs.readdirSync(path.join(X12, folder))) {
        expect(classifyX12File(read(folder, name)), `${folder}/${name}`).toEqual({ kind: FOLDER_KIND[folder] });
        files++;
      }
    }
    expect(files).toBeGreaterThanOrEqual(60);
  });

  it('classifies a broken file by its envelope, so the intake can refuse it with its own errors', () => {
    expect(fs.readdirSync(path.join(X12, 'invalid')).sort()).toEqual(Object.keys(INVALID_KIND).sort());
    for (const [name, kind] of Object.entries(INVALID_KIND)) expect(classifyX12File(read('invalid', name)), name).toEqual({ kind });
  });

  it('tells a 277CA (X214) from a 277 status answer (X212), also in a bare ST..SE file that names its guide in ST03', () => {
    const ca = read('277ca', 'imsweb-x12-parser__x12_277CA_accepted.txt');
    expect(classifyX12File(ca)).toEqual({ kind: '277CA' });
    expect(classifyX12File('ST*277*0001*005010X214~BHT*0085*08*1*20240101*1200*TH~SE*3*0001~')).toEqual({ kind: '277CA' });
    expect(classifyX12File('ST*277*0001*005010X212~BHT*0010*08*1*20240101*1200*DG~SE*3*0001~')).toEqual({ kind: '277' });
  });

  it('names every kind of a file that carries several, in file order', () => {
    const both = read('999', 'imsweb-x12-parser__x12_999_accepted.txt') + read('277ca', 'imsweb-x12-parser__x12_277CA_rejected.txt');
    expect(classifyX12File(both)).toEqual({ kind: 'MIXED', kinds: ['999', '277CA'] });
  });

  it('calls a file it cannot file UNKNOWN, with a reason that quotes nothing of the file', () => {
    const pdf = classifyX12File('%PDF-1.7 Remittance advice for JANE DOE');
    expect(pdf).toMatchObject({ kind: 'UNKNOWN' });
    expect(JSON.stringify(pdf)).not.toContain('JANE');
    expect(classifyX12File('')).toMatchObject({ kind: 'UNKNOWN', reason: expect.stringContaining('no ST or TA1') });
    // an enrollment file (834) is X12, but not one claimflow exchanges
    const enrollment = read('835', 'linuxforhealth-x12__managed-care.835').replace('ST*835*', 'ST*834*');
    expect(classifyX12File(enrollment)).toEqual({ kind: 'UNKNOWN', reason: expect.stringContaining('transaction set 834') });
    // a dental 837 (X224) is not a professional or institutional claim
    const dental = read('837p', 'linuxforhealth-x12__demo.example1.837').replaceAll('005010X222A2', '005010X224A2');
    expect(classifyX12File(dental)).toEqual({ kind: 'UNKNOWN', reason: expect.stringContaining('005010X224A2') });
  });
});
