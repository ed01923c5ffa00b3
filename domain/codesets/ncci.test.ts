// NCCI importers on the real 2024-07-01 practitioner PTP table, the MUE tables and the add-on code edits.
import path from 'node:path';
import { FIXTURES_DIR } from '../../test/fixtures';
import { describe, expect, it } from 'vitest';
import { readCodeSetFile } from '../../infra/codesets';
import { AddOnTable, parseAddOnTsv, parseMueTsv, parsePtpTsv, PtpTable } from './ncci';

const dir = path.join(FIXTURES_DIR, 'codesets/ncci');
const read = (name: string) => readCodeSetFile(path.join(dir, name));

describe('NCCI PTP importer', () => {
  it('reads all 2,546,017 practitioner pairs, 1,669,820 of them active, with the spot checks of the MANIFEST', () => {
    const ptp = parsePtpTsv(read('ncci_ptp_practitioner_2024-07-01.tsv.gz'));
    expect(ptp.stats.rows).toBe(2_546_017);
    expect(ptp.stats.active).toBe(1_669_820);
    const on = '2024-07-15';
    expect(ptp.inEffect('11042', '97597', on)?.modifierIndicator).toBe('1');
    expect(ptp.inEffect('20610', '76942', on)?.modifierIndicator).toBe('1');
    expect(ptp.inEffect('45380', '45378', on)?.modifierIndicator).toBe('0');
    expect(ptp.inEffect('93000', '93005', on)?.modifierIndicator).toBe('1');
    // the pair is ordered: column 1 then column 2
    expect(ptp.inEffect('45378', '45380', on)).toBeUndefined();
    // 90471/99213 has a row deleted 2019-12-31 and an active one
    expect(
      ptp
        .edits('90471', '99213')
        .map((e) => e.deletedOn ?? 'active')
        .sort(),
    ).toEqual(['2019-12-31', 'active']);
  }, 60_000);

  it('applies an edit through its deletion date and not after', () => {
    const t = new PtpTable();
    t.add({ column1: '90471', column2: '99213', deletedOn: '2019-12-31', modifierIndicator: '0' });
    expect(t.inEffect('90471', '99213', '2019-12-31')?.modifierIndicator).toBe('0');
    expect(t.inEffect('90471', '99213', '2020-01-01')).toBeUndefined();
    t.add({ column1: '90471', column2: '99213', effectiveOn: '2020-01-01', modifierIndicator: '1' });
    expect(t.inEffect('90471', '99213', '2020-01-01')?.modifierIndicator).toBe('1');
  });

  it('can leave out rows deleted before the edition, and a subset says which codes it covers', () => {
    const text =
      '# covers: 80053 80048 36415\ncolumn1\tcolumn2\tdeletion_date\tmodifier_indicator\n80053\t80048\t99991231\t0\n80053\t36415\t20231231\t1\n';
    const t = parsePtpTsv(text, { partial: true, dropDeletedBefore: '2024-07-01' });
    expect(t.stats.rows).toBe(1);
    expect(t.covers('36415')).toBe(true);
    expect(t.covers('99213')).toBe(false);
  });
});

describe('MUE importer', () => {
  it('reads 14,677 practitioner, 14,628 outpatient-hospital and 2,928 DME supplier edits', () => {
    const prac = parseMueTsv(read('ncci_mue_practitioner_2024-07-01.tsv'));
    expect(prac).toHaveLength(14_677);
    expect(parseMueTsv(read('ncci_mue_outpatient_hospital_2024-07-01.tsv'))).toHaveLength(14_628);
    expect(parseMueTsv(read('ncci_mue_dme_supplier_2024-07-01.tsv'))).toHaveLength(2_928);
    expect(prac.find((m) => m.code === '36415')).toEqual({ code: '36415', units: 2, mai: 3, rationale: 'CMS Policy' });
    expect(prac.find((m) => m.code === 'A0425')).toMatchObject({ units: 250, mai: 1 });
  });

  it('accepts an MAI column that carries its text, as CMS publishes it', () => {
    const text = 'hcpcs_code\tmue_units\tmue_mai\n99202\t1\t2 Date of Service Edit: Policy\n';
    expect(parseMueTsv(text)).toEqual([{ code: '99202', units: 1, mai: 2, rationale: undefined }]);
  });
});

describe('add-on code importer', () => {
  it('reads 7,465 primary/add-on pairs for 668 add-on codes', () => {
    const rows = parseAddOnTsv(read('ncci_add_on_code_edits.tsv'));
    expect(rows).toHaveLength(7_465);
    const table = new AddOnTable(rows);
    expect(table.size).toBe(668);
    expect(table.rule('99417', '2024-07-15')).toEqual({
      addOn: '99417',
      type: 1,
      primaries: new Set(['99205', '99215']),
      anyPrimary: false,
    });
    expect(table.rule('99359', '2024-07-15')?.primaries).toEqual(new Set(['99358']));
    expect(table.rule('0054T', '2024-07-15')).toMatchObject({ type: 2, anyPrimary: true });
    expect(table.rule('99213', '2024-07-15')).toBeUndefined();
  });
});
