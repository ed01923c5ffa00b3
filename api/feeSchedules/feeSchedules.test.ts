import { describe, expect, it } from 'vitest';
import { ORGANIZATION_IDS, PAYER_IDS, USER_IDS } from '../../app/seed';
import { useApiFixture, type ApiFixture } from '../testSupport';
import { feeScheduleDryRunResponse, feeScheduleImportRefusal, feeScheduleImportResponse, feeScheduleListResponse } from './schemas';

const f: ApiFixture = useApiFixture();

const NPI = { familyMedicine: '1457293011', internalMedicine: '1673840256', lakeside: '1384629501' };
const HEADER = 'payer_id,provider_npi,procedure_code,modifier,allowed,effective_from,effective_to';
const csv = (rows: string[]) => `\ufeff${[HEADER, ...rows].join('\r\n')}\r\n`;
/** Rates the demo seed does not have (its rates are payer-wide, from 2020-01-01, open-ended). */
const GOOD = [
  `${PAYER_IDS.bluePeak},${NPI.familyMedicine},99213,,95.00,2026-01-01,2026-12-31`,
  `${PAYER_IDS.bluePeak},${NPI.familyMedicine},99213,25,99.50,2026-01-01,`,
  `${PAYER_IDS.bluePeak},,99397,,150,01/01/2026,`,
  `${PAYER_IDS.unity},${NPI.internalMedicine},99214,,131.25,2026-01-01,`,
];

const post = (text: string, query: string, user: string = USER_IDS.supervisor, contentType = 'text/csv') =>
  f.api.request('POST', `/api/fee-schedules/import?${query}`, { rawBody: text, headers: { 'Content-Type': contentType }, user });
const list = (query: string, user: string = USER_IDS.biller1) => f.api.request('GET', `/api/fee-schedules?${query}`, { user });
const stored = (organizationId: string) => f.db.prisma.feeScheduleRate.count({ where: { organizationId } });

describe('fee schedule import', () => {
  it('a dry run reports every problem by row and column and writes nothing', async () => {
    const before = await stored(ORGANIZATION_IDS.riverbend);
    const res = await post(
      csv([
        ...GOOD,
        `payer-nobody,,99213,,90,2026-01-01,`,
        // Lakeside's provider is not Riverbend's: answered like an unknown NPI
        `${PAYER_IDS.bluePeak},${NPI.lakeside},99213,,90,2026-01-01,`,
        // the demo's payer-wide 99213 of Blue Peak is in effect from 2020 on, open-ended
        `${PAYER_IDS.bluePeak},,99213,,90,2026-01-01,`,
        `${PAYER_IDS.bluePeak},${NPI.familyMedicine},99213,,96.00,2026-06-01,`,
        `${PAYER_IDS.bluePeak},,99213,,abc,2026-01-01,`,
      ]),
      `dryRun=true&organizationId=${ORGANIZATION_IDS.riverbend}`,
    );
    expect(res.status).toBe(200);
    const body = feeScheduleDryRunResponse.parse(res.body);
    expect(body).toMatchObject({ dryRun: true, organizationId: ORGANIZATION_IDS.riverbend, rates: 8, toCreate: 8, toReplace: 0 });
    expect(body.problems.map((p) => [p.row, p.column])).toEqual([
      [6, 'payer_id'],
      [7, 'provider_npi'],
      [8, 'effective_from'],
      [9, 'effective_from'],
      [10, 'allowed'],
    ]);
    expect(body.problems[2].message).toContain('stored rate in effect from 2020-01-01');
    expect(body.problems[3].message).toContain('row 2');
    expect(await stored(ORGANIZATION_IDS.riverbend)).toBe(before);
  });

  it('an import with any problem is refused (422) and writes nothing; a clean one writes every rate; a second import of it adds nothing', async () => {
    const before = await stored(ORGANIZATION_IDS.riverbend);
    const refused = await post(
      csv([...GOOD, `payer-nobody,,99213,,90,2026-01-01,`]),
      `dryRun=false&organizationId=${ORGANIZATION_IDS.riverbend}`,
    );
    expect(refused.status).toBe(422);
    expect(feeScheduleImportRefusal.parse(refused.body)).toMatchObject({
      error: { code: 'IMPORT_REFUSED' },
      problems: [{ row: 6, column: 'payer_id' }],
    });
    expect(await stored(ORGANIZATION_IDS.riverbend)).toBe(before);

    const done = await post(csv(GOOD), `dryRun=false&organizationId=${ORGANIZATION_IDS.riverbend}`);
    expect(done.status).toBe(200);
    expect(feeScheduleImportResponse.parse(done.body)).toMatchObject({ dryRun: false, rates: 4, toCreate: 4, toReplace: 0, problems: [] });
    expect(await stored(ORGANIZATION_IDS.riverbend)).toBe(before + 4);
    const modifierRate = await f.db.prisma.feeScheduleRate.findFirstOrThrow({
      where: { organizationId: ORGANIZATION_IDS.riverbend, providerNpi: NPI.familyMedicine, modifier: '25' },
    });
    expect(modifierRate).toMatchObject({ payerId: PAYER_IDS.bluePeak, procedureCode: '99213', allowedCents: 9_950, effectiveTo: null });

    // the same file again, one amount changed: replaced in place, nothing added
    const again = await post(
      csv(GOOD.map((r) => r.replace('99.50', '101.00'))),
      `dryRun=false&organizationId=${ORGANIZATION_IDS.riverbend}`,
    );
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ rates: 4, toCreate: 0, toReplace: 4 });
    expect(await stored(ORGANIZATION_IDS.riverbend)).toBe(before + 4);
    // the stored row was replaced, not updated beside a copy
    expect(await f.db.prisma.feeScheduleRate.findUnique({ where: { id: modifierRate.id } })).toBeNull();
    const replaced = await f.db.prisma.feeScheduleRate.findFirstOrThrow({
      where: { organizationId: ORGANIZATION_IDS.riverbend, providerNpi: NPI.familyMedicine, modifier: '25' },
    });
    expect(replaced.allowedCents).toBe(10_100);
    const audit = await f.db.prisma.auditEvent.findMany({
      where: { action: 'feeSchedule.imported', entityId: ORGANIZATION_IDS.riverbend },
    });
    expect(audit.map((a) => a.detail)).toEqual([
      { rates: 4, created: 4, replaced: 0 },
      { rates: 4, created: 0, replaced: 4 },
    ]);
  });

  it("a practice's rates are its own: a supervisor of one practice cannot import into, or list, another's", async () => {
    const lakesideSupervisor = 'supervisor-lakeside';
    await f.db.prisma.user.create({
      data: { id: lakesideSupervisor, name: 'Lake Supervisor', role: 'SUPERVISOR', organizationIds: [ORGANIZATION_IDS.lakeside] },
    });
    const riverbendBefore = await stored(ORGANIZATION_IDS.riverbend);
    const across = await post(csv(GOOD.slice(2, 3)), `dryRun=false&organizationId=${ORGANIZATION_IDS.riverbend}`, lakesideSupervisor);
    expect(across.status).toBe(422);
    expect(across.body.error).toMatchObject({ code: 'UNKNOWN_REFERENCE', field: 'organizationId' });
    expect(await stored(ORGANIZATION_IDS.riverbend)).toBe(riverbendBefore);

    // no practice named: the caller's only one; Riverbend's provider is not Lakeside's
    const own = await post(
      csv([`${PAYER_IDS.cascade},,99397,,140,2026-01-01,`, `${PAYER_IDS.cascade},${NPI.familyMedicine},99397,,150,2026-01-01,`]),
      'dryRun=true',
      lakesideSupervisor,
    );
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({ organizationId: ORGANIZATION_IDS.lakeside, problems: [{ row: 3, column: 'provider_npi' }] });

    const lakesideRates = await list(`payerId=${PAYER_IDS.cascade}&procedureCode=99213`, lakesideSupervisor);
    expect(lakesideRates.status).toBe(200);
    const rates = feeScheduleListResponse.parse(lakesideRates.body).rates;
    expect(rates.map((r) => r.organizationId)).toEqual([ORGANIZATION_IDS.lakeside]);
    const named = await list(`organizationId=${ORGANIZATION_IDS.riverbend}`, lakesideSupervisor);
    expect(named.status).toBe(422);
    expect(named.body.error.field).toBe('organizationId');
  });

  it('lists the rates of a payer for the billing roles, a provider rate with its NPI and a payer-wide one with null', async () => {
    const res = await list(`payerId=${PAYER_IDS.bluePeak}&procedureCode=99213`);
    expect(res.status).toBe(200);
    const body = feeScheduleListResponse.parse(res.body);
    // biller-1 works for Riverbend only
    expect(new Set(body.rates.map((r) => r.organizationId))).toEqual(new Set([ORGANIZATION_IDS.riverbend]));
    expect(body.rates).toContainEqual(
      expect.objectContaining({ providerNpi: null, modifier: null, allowedCents: 9_200, effectiveFrom: '2020-01-01', effectiveTo: null }),
    );
    expect(body.rates).toContainEqual(
      expect.objectContaining({ providerNpi: NPI.familyMedicine, modifier: null, allowedCents: 9_500, effectiveTo: '2026-12-31' }),
    );
    expect(body.truncated).toBe(false);
  });

  it('refuses the wrong roles, a missing dryRun, another content type and an empty file, naming what is wrong', async () => {
    expect((await post(csv(GOOD), 'dryRun=true', USER_IDS.biller1)).status).toBe(403);
    expect((await list('', USER_IDS.coder1)).status).toBe(403);
    expect((await f.api.request('GET', '/api/fee-schedules', { user: null })).status).toBe(401);
    const noDryRun = await post(csv(GOOD), `organizationId=${ORGANIZATION_IDS.riverbend}`);
    expect(noDryRun.status).toBe(400);
    expect(noDryRun.body.error.field).toBe('dryRun');
    const json = await post(JSON.stringify({ rows: [] }), 'dryRun=true', USER_IDS.supervisor, 'application/json');
    expect(json.status).toBe(415);
    expect((await post('', `dryRun=true&organizationId=${ORGANIZATION_IDS.riverbend}`)).status).toBe(400);
    const badCode = await list('procedureCode=9921');
    expect(badCode.status).toBe(400);
    expect(badCode.body.error.field).toBe('procedureCode');
  });

  it('imports and re-imports 20,000 rates in one transaction each', async () => {
    const payers = [PAYER_IDS.medicare, PAYER_IDS.bluePeak, PAYER_IDS.unity, PAYER_IDS.cascade];
    const rows = payers.flatMap((payer) =>
      Array.from({ length: 5_000 }, (_, i) => `${payer},,Z${String(i).padStart(4, '0')},,${(i % 300) + 10}.00,2026-01-01,`),
    );
    const before = await stored(ORGANIZATION_IDS.lakeside);
    const query = `dryRun=false&organizationId=${ORGANIZATION_IDS.lakeside}`;
    let started = Date.now();
    const first = await post(csv(rows), query);
    const firstMs = Date.now() - started;
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ rates: 20_000, toCreate: 20_000, toReplace: 0 });
    started = Date.now();
    const again = await post(csv(rows), query);
    const againMs = Date.now() - started;
    expect(again.body).toMatchObject({ rates: 20_000, toCreate: 0, toReplace: 20_000 });
    expect(await stored(ORGANIZATION_IDS.lakeside)).toBe(before + 20_000);
    console.log(`fee schedule import of 20,000 rates: ${firstMs} ms; re-import replacing them: ${againMs} ms`);
  }, 120_000);
});
