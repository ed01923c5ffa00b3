// Code-set files are recognised by name, each with the dates of service it answers for.
import { describe, expect, it } from 'vitest';
import { describeCodeSetFile } from './catalog';

describe('code-set file catalog', () => {
  it('ICD-10-CM files answer for their fiscal year, 1 October to 30 September', () => {
    expect(describeCodeSetFile('icd10cm/icd10cm_order_2024.tsv')).toMatchObject({
      role: 'icd10cm',
      label: 'ICD-10-CM FY2024',
      effectiveFrom: '2023-10-01',
      effectiveTo: '2024-09-30',
      partial: false,
    });
    expect(describeCodeSetFile('icd10cm/icd10cm-order-Jan-2021.txt.gz')).toMatchObject({
      effectiveFrom: '2020-10-01',
      effectiveTo: '2021-09-30',
    });
    expect(describeCodeSetFile('icd10cm-order-April-2023.txt')).toMatchObject({ effectiveFrom: '2023-04-01', effectiveTo: '2023-09-30' });
    expect(describeCodeSetFile('data/icd10cm-2024-demo.tsv')).toMatchObject({ label: 'ICD-10-CM FY2024 demo subset', partial: true });
  });

  it('HCPCS quarterly files answer from 1 January to the end of their quarter; the annual CMS file for its year', () => {
    expect(describeCodeSetFile('hcpcs/hcpcs_level2_attributes_2024-07.tsv')).toMatchObject({
      role: 'hcpcs-attributes',
      edition: '2024-07',
      effectiveFrom: '2024-01-01',
      effectiveTo: '2024-09-30',
    });
    expect(describeCodeSetFile('hcpcs/hcpcs_level2_descriptions_2024-07.tsv')).toMatchObject({
      role: 'hcpcs-descriptions',
      edition: '2024-07',
    });
    expect(describeCodeSetFile('hcpcs/HCPC2019_CONTR_ANWEB.txt.gz')).toMatchObject({
      role: 'hcpcs-fixed-width',
      encoding: 'latin1',
      effectiveFrom: '2019-01-01',
      effectiveTo: '2019-12-31',
    });
  });

  it('NCCI files answer for their quarter; undated lists for any date; other files are not scrubbing code sets', () => {
    expect(describeCodeSetFile('ncci/ncci_ptp_practitioner_2024-07-01.tsv.gz')).toMatchObject({
      role: 'ptp',
      effectiveFrom: '2024-07-01',
      effectiveTo: '2024-09-30',
    });
    expect(describeCodeSetFile('ncci_ptp_practitioner_2024-07-01-demo.tsv')).toMatchObject({ role: 'ptp', partial: true });
    expect(describeCodeSetFile('ncci/ncci_mue_practitioner_2024-07-01.tsv')).toMatchObject({ role: 'mue', effectiveTo: '2024-09-30' });
    const addOns = describeCodeSetFile('ncci/ncci_add_on_code_edits.tsv');
    expect([addOns?.role, addOns?.effectiveFrom, addOns?.effectiveTo]).toEqual(['addOns', undefined, undefined]);
    expect(describeCodeSetFile('ncci_add_on_code_edits_2024-07-01.tsv')).toMatchObject({
      effectiveFrom: '2024-07-01',
      effectiveTo: '2024-09-30',
    });
    expect(describeCodeSetFile('pos/place_of_service.tsv')).toMatchObject({ role: 'pos' });
    expect(describeCodeSetFile('hcpcs/hcpcs_level2_modifiers.tsv')).toMatchObject({ role: 'modifiers' });
    for (const other of [
      'ncci/ncci_mue_outpatient_hospital_2024-07-01.tsv',
      'ncci/ncci_mue_dme_supplier_2024-07-01.tsv',
      'carc_rarc/carc_rarc_2024-06.tsv',
      'hcpcs/hcpcs_level2_noc_codes.tsv',
      'hcpcs/HCPC2019_README.txt',
    ])
      expect(describeCodeSetFile(other), other).toBeUndefined();
  });
});
