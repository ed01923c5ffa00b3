// Code-set look-ups over the shipped ICD-10-CM table and the reason-code meanings, and the payer list, through the real app.
import { describe, expect, it } from 'vitest';
import { USER_IDS } from '../../app/seed';
import { useApiFixture } from '../testSupport';
import { icd10SearchResponse, payerListResponse, reasonCodesResponse } from './schemas';

const f = useApiFixture();
const get = (path: string) => f.api.request('GET', path, { user: USER_IDS.coder1 });

describe('GET /api/codes/icd10', () => {
  it('finds codes by their start, with or without the dot, header codes marked not billable', async () => {
    const res = await get('/api/codes/icd10?q=e119');
    expect(res.status).toBe(200);
    expect(res.body.results[0]).toEqual({ code: 'E11.9', description: 'Type 2 diabetes mellitus without complications', billable: true });
    // Parsing strips what the schema does not name, so equality also says the answer has nothing more.
    expect(icd10SearchResponse.parse(res.body)).toEqual(res.body);
    const header = await get('/api/codes/icd10?q=E11&limit=3');
    expect(header.body.results.map((r: { code: string }) => r.code)).toEqual(['E11', 'E11.0', 'E11.1']);
    expect(header.body.results[0].billable).toBe(false);
  });

  it('ranks billable codes by the words of a description', async () => {
    const res = await get('/api/codes/icd10?q=cough&limit=5');
    expect(res.status).toBe(200);
    expect(res.body.results).toHaveLength(5);
    expect(res.body.results[0]).toMatchObject({
      code: 'R05.9',
      description: 'Cough, unspecified',
      billable: true,
      matchedWords: ['cough'],
    });
    for (const r of res.body.results) expect(r.description.toLowerCase()).toContain('cough');
    expect(icd10SearchResponse.parse(res.body)).toEqual(res.body);
  });

  it('looks codes up exactly and names the ones the table lacks', async () => {
    const res = await get('/api/codes/icd10?codes=i10,J06.9,Q99.99X');
    expect(res.body.results.map((r: { code: string }) => r.code)).toEqual(['I10', 'J06.9']);
    expect(res.body.unknown).toEqual(['Q99.99X']);
  });

  it('refuses a limit out of range with the field named', async () => {
    const res = await get('/api/codes/icd10?q=cough&limit=500');
    expect(res.status).toBe(400);
    expect(res.body.error.field).toBe('query.limit');
  });
});

describe('GET /api/codes/adjustment-reasons', () => {
  it('explains the CARCs the simulator denies with, their RARCs and the group codes', async () => {
    const res = await get('/api/codes/adjustment-reasons');
    expect(res.status).toBe(200);
    const carc = (c: string) => res.body.carcs.find((x: { code: string }) => x.code === c);
    expect(carc('50')).toMatchObject({
      category: 'MEDICAL_NECESSITY',
      routine: false,
      meaning: expect.stringMatching(/medical necessity/),
    });
    expect(carc('11')).toMatchObject({
      category: 'CODING',
      meaning: expect.stringMatching(/diagnosis is inconsistent with the procedure/),
    });
    expect(carc('45')).toMatchObject({ routine: true });
    expect(res.body.rarcs.find((x: { code: string }) => x.code === 'N115').meaning).toMatch(/Local Coverage Determination/);
    expect(res.body.groups.map((g: { code: string }) => g.code)).toEqual(expect.arrayContaining(['CO', 'PR', 'OI']));
    expect(reasonCodesResponse.parse(res.body)).toEqual(res.body);
  });
});

describe('GET /api/payers', () => {
  it('answers every payer with each of its columns, by name', async () => {
    const res = await get('/api/payers');
    expect(res.status).toBe(200);
    expect(payerListResponse.parse(res.body)).toEqual(res.body);
    expect(res.body.items).toEqual(await f.db.prisma.payer.findMany({ orderBy: { name: 'asc' } }));
  });
});
