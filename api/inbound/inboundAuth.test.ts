// The inbound routes are the clearinghouse's door: only a CLEARINGHOUSE sender's token opens it, nothing of a
// body is read before that, each sender speaks for its own payers only, and every audit row says who sent what,
// from where and with which token. Each forged request below changes nothing: rows, states and balances stay.
import { describe, expect, it } from 'vitest';
import { PATIENT_IDS, PAYER_IDS, SIMULATOR_SENDER_ID, USER_IDS } from '../../app/seed';
import { createUser, issueToken } from '../auth/accounts';
import { startApi, submittedClaim as submittedClaimOf, testConfig, useApiFixture, type TestApi } from '../testSupport';

const f = useApiFixture();

/** A claim with submission attempt 1 sent, lines of 14,500 and 7,500. pat-02 is a Blue Peak member, pat-03 a Cascade one. */
const submittedClaim = async (patient = PATIENT_IDS[1]): Promise<string> => (await submittedClaimOf(f, patient)).claimId;

/** A Blue Peak 835 paying each claim 16,000 of its 22,000 (charge overridable per claim). */
const remittance = (claims: { id: string; chargeCents?: number }[], traceNumber: string, payerElectronicId = 'BPK47') => ({
  payerElectronicId,
  traceNumber,
  paymentDate: '2026-11-20',
  paymentMethod: 'ACH',
  paymentCents: 16_000 * claims.length,
  claims: claims.map(({ id, chargeCents = 22_000 }) => ({
    claimId: id,
    statusCode: '1',
    chargeCents,
    paidCents: 16_000,
    patientRespCents: 1_000,
    adjustments: [
      { lineNo: 1, groupCode: 'CO', carc: '45', amountCents: 2_500 + (chargeCents - 22_000) },
      { lineNo: 1, groupCode: 'PR', carc: '2', amountCents: 1_000 },
      { lineNo: 2, groupCode: 'CO', carc: '45', amountCents: 2_500 },
    ],
    lines: [
      { lineNo: 1, procedureCode: '99213', chargeCents: 14_500 + (chargeCents - 22_000), paidCents: 11_000 },
      { lineNo: 2, procedureCode: '93000', chargeCents: 7_500, paidCents: 5_000 },
    ],
  })),
});

/** Everything an inbound message could change, to compare before and after a refused one. */
async function snapshot(claimIds: string[]) {
  const { prisma } = f.db;
  return {
    messages: await prisma.inboundMessage.count(),
    remittances: await prisma.remittance.count(),
    payments: await prisma.claimPayment.count(),
    unmatched: await prisma.unmatchedClaimPayment.count(),
    tasks: await prisma.task.count({ where: { kind: 'POSTING_EXCEPTION' } }),
    claims: await prisma.claim.findMany({
      where: { id: { in: claimIds } },
      select: { id: true, state: true, paidCents: true, balanceCents: true, patientRespCents: true, payerClaimControlNo: true },
      orderBy: { id: 'asc' },
    }),
    submissions: await prisma.submission.findMany({
      where: { claimId: { in: claimIds } },
      select: { claimId: true, status: true },
      orderBy: { claimId: 'asc' },
    }),
    appeals: await prisma.appeal.findMany({ where: { claimId: { in: claimIds } }, select: { status: true } }),
  };
}

/** A minimal 835 paying `claimId` 1 cent: what an attacker would post to close a claim. */
const forged835 = (claimId: string) =>
  [
    'ISA*00*          *00*          *ZZ*FORGED         *ZZ*CLAIMFLOW      *261120*1200*^*00501*000000991*0*P*:',
    'GS*HP*FORGED*CLAIMFLOW*20261120*1200*991*X*005010X221A1',
    'ST*835*0001',
    'BPR*I*0.01*C*ACH*CCP*01*999999999*DA*123456*1512345678**01*999988880*DA*98765*20261120',
    'TRN*1*FORGED-1*1512345678',
    'DTM*405*20261120',
    'N1*PR*BLUE PEAK*XV*BPK47',
    'N1*PE*RIVERBEND*XX*1457293011',
    'LX*1',
    `CLP*${claimId}*1*22000*0.01*21999.99*12*FORGED1`,
    'CAS*PR*1*21999.99',
    'SE*10*0001',
    'GE*1*991',
    'IEA*1*000000991',
  ].join('~') + '~';

describe('who may deliver', () => {
  it('every inbound route answers 401 without a sender token and 403 to a staff token, and changes nothing', async () => {
    const claimId = await submittedClaim();
    const strict = await startApi({ prisma: f.db.prisma, temporal: f.env.client, config: { ...testConfig(), trustUserHeader: false } });
    try {
      const admin = (await issueToken(f.db.prisma, USER_IDS.admin, { name: 'inbound-test' }, 'test')).token;
      const biller = (await issueToken(f.db.prisma, USER_IDS.biller1, { name: 'inbound-test' }, 'test')).token;
      const before = await snapshot([claimId]);
      const forged: [string, string, unknown][] = [
        [
          '/api/inbound/acknowledgements',
          'application/json',
          { ackId: 'forged-ack', claimId, attempt: 1, accepted: false, rejectionCode: 'A3', reason: 'forged' },
        ],
        ['/api/inbound/remittances', 'application/json', remittance([{ id: claimId }], 'FORGED-TRN')],
        ['/api/inbound/appeal-decisions', 'application/json', { decisionId: 'forged-decision', claimId, level: 1, decision: 'OVERTURNED' }],
        ['/api/inbound/x12', 'application/edi-x12', forged835(claimId)],
      ];
      for (const [path, type, body] of forged) {
        const rawBody = typeof body === 'string' ? body : JSON.stringify(body);
        const headers = { 'Content-Type': type };
        const anonymous = await strict.request('POST', path, { rawBody, headers, user: null });
        expect(anonymous.status, `${path} without a token`).toBe(401);
        expect(anonymous.body.error.code).toBe('UNAUTHENTICATED');
        const guessed = await strict.request('POST', path, { rawBody, headers, token: `cf_${'A'.repeat(43)}` });
        expect(guessed.status, `${path} with a token nobody holds`).toBe(401);
        for (const token of [admin, biller]) {
          const staff = await strict.request('POST', path, { rawBody, headers, token });
          expect(staff.status, `${path} with a staff token`).toBe(403);
        }
        // Browsers send text/plain across origins without a preflight: a page must never get an 835 in that way.
        const simple = await strict.request('POST', path, { rawBody, headers: { 'Content-Type': 'text/plain' }, user: null });
        expect(simple.status, `${path} as text/plain from a page`).toBe(401);
      }
      expect(await snapshot([claimId])).toEqual(before);
    } finally {
      await strict.close();
    }
  });

  it('reads no body before the sender is known: 12 MB of garbage without a token is a 401, not a parse error', async () => {
    const garbage = `{"claims":[${'9'.repeat(12 * 1024 * 1024)}`;
    for (const path of ['/api/inbound/remittances', '/api/inbound/x12']) {
      const res = await f.api.request('POST', path, {
        rawBody: garbage,
        user: null,
        headers: { 'Content-Type': path.endsWith('x12') ? 'application/edi-x12' : 'application/json' },
      });
      expect(res.status, path).toBe(401);
    }
    // the staff routes too: authentication first, then the body
    const staff = await f.api.request('POST', '/api/patients', { rawBody: '{"firstName":', user: null });
    expect(staff.status).toBe(401);
  });

  it('takes X12 only as application/edi-x12 or application/octet-stream, even from a sender', async () => {
    const claimId = await submittedClaim();
    const before = await snapshot([claimId]);
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json']) {
      const res = await f.api.request('POST', '/api/inbound/x12', { rawBody: forged835(claimId), headers: { 'Content-Type': type } });
      expect(res.status, type).toBe(415);
      expect(res.body.error).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE', field: 'Content-Type' });
    }
    expect(await snapshot([claimId])).toEqual(before);
    const octets = await f.api.request('POST', '/api/inbound/x12', {
      rawBody: 'ISA*00*BROKEN~',
      headers: { 'Content-Type': 'application/octet-stream' },
    });
    expect(octets.status).toBe(400); // read, and refused as X12 naming the segment
    expect(octets.body.error.code).toBe('X12_SYNTAX');
  });

  it('counts inbound requests per address before authentication: past the limit, 429 for everyone from it', async () => {
    const limited: TestApi = await startApi({
      prisma: f.db.prisma,
      temporal: f.env.client,
      inboundRateLimit: { windowMs: 60_000, max: 3 },
    });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++)
        statuses.push((await limited.request('POST', '/api/inbound/acknowledgements', { body: {}, user: null })).status);
      const sender = await limited.request('POST', '/api/inbound/acknowledgements', { body: {} });
      expect([...statuses, sender.status]).toEqual([401, 401, 401, 429]);
      expect(Number(sender.headers.get('retry-after'))).toBeGreaterThan(0);
      // people's routes are not held up by a clearinghouse's flood
      expect((await limited.request('GET', '/api/payers')).status).toBe(200);
    } finally {
      await limited.close();
    }
  });
});

describe('what a sender may speak for', () => {
  async function senderFor(id: string, payerIds: string[]): Promise<string> {
    await createUser(f.db.prisma, { id, name: `sender ${id}`, role: 'CLEARINGHOUSE', payerIds }, 'test');
    return (await issueToken(f.db.prisma, id, { name: 'test' }, 'test')).token;
  }

  it("a sender refuses to deliver another payer's remittance (403) and cannot touch its claims' acknowledgements or appeals", async () => {
    const token = await senderFor('ch-cascade-only', [PAYER_IDS.cascade]);
    const bluePeakClaim = await submittedClaim(PATIENT_IDS[1]);
    const before = await snapshot([bluePeakClaim]);
    const remit = await f.api.request('POST', '/api/inbound/remittances', {
      token,
      body: remittance([{ id: bluePeakClaim }], 'TRN-NOT-YOURS'),
    });
    expect(remit.status).toBe(403);
    expect(remit.body.error).toMatchObject({ code: 'SENDER_NOT_ALLOWED_FOR_PAYER', field: 'payerElectronicId' });
    // a claim of a payer the sender does not speak for is answered as no claim at all
    const ack = await f.api.request('POST', '/api/inbound/acknowledgements', {
      token,
      body: { ackId: 'ack-not-yours', claimId: bluePeakClaim, attempt: 1, accepted: false, reason: 'x' },
    });
    expect(ack.status).toBe(422);
    expect(ack.body.error).toMatchObject({ code: 'UNKNOWN_REFERENCE', field: 'claimId' });
    const x12 = await f.api.request('POST', '/api/inbound/x12', {
      token,
      rawBody: forged835(bluePeakClaim),
      headers: { 'Content-Type': 'application/edi-x12' },
    });
    expect(x12.status).toBe(202);
    expect(x12.body.transactions).toEqual([]);
    expect(x12.body.errors).toEqual([expect.objectContaining({ code: 'SENDER_NOT_ALLOWED_FOR_PAYER' })]);
    expect(await snapshot([bluePeakClaim])).toEqual(before);
  });

  it("a remittance naming a claim of another payer, or a charge that is not the claim's, becomes a posting exception and posts nothing", async () => {
    const ours = await submittedClaim(PATIENT_IDS[1]); // Blue Peak, 22,000
    const cascadeClaim = await submittedClaim(PATIENT_IDS[2]); // Cascade, 22,000
    const wrongCharge = await submittedClaim(PATIENT_IDS[1]); // Blue Peak, but the 835 says 25,000
    const before = await snapshot([cascadeClaim, wrongCharge]);
    const res = await f.api.request('POST', '/api/inbound/remittances', {
      body: remittance([{ id: ours }, { id: cascadeClaim }, { id: wrongCharge, chargeCents: 25_000 }], 'TRN-CROSS-PAYER'),
    });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ matched: 1, unmatched: [cascadeClaim, wrongCharge] });
    expect(res.body.exceptionTaskIds).toHaveLength(2);
    const tasks = await f.db.prisma.task.findMany({ where: { id: { in: res.body.exceptionTaskIds } } });
    expect(tasks.map((t) => [(t.context as any).claimRef, (t.context as any).reason]).sort()).toEqual(
      [
        [cascadeClaim, 'CLAIM_OF_ANOTHER_PAYER'],
        [wrongCharge, 'CHARGE_MISMATCH'],
      ].sort(),
    );
    expect(tasks.every((t) => t.queue === 'BILLER' && t.kind === 'POSTING_EXCEPTION')).toBe(true);
    // nothing posted to either: no claim payment, the claims as they were
    expect(await f.db.prisma.claimPayment.count({ where: { claimId: { in: [cascadeClaim, wrongCharge] } } })).toBe(0);
    expect((await snapshot([cascadeClaim, wrongCharge])).claims).toEqual(before.claims);
    expect(await f.db.prisma.claimPayment.count({ where: { claimId: ours } })).toBe(1);
  });
});

describe('a payer that splits a claim', () => {
  /** One line of a claim paid on its own, as payers do when they split a claim across remittances. */
  const splitPart = (claimId: string, trace: string, lineChargeCents: number) => ({
    payerElectronicId: 'BPK47',
    traceNumber: trace,
    paymentDate: '2026-11-20',
    paymentMethod: 'ACH',
    paymentCents: 5_000,
    claims: [
      {
        claimId,
        statusCode: '1',
        chargeCents: lineChargeCents,
        paidCents: 5_000,
        patientRespCents: 0,
        adjustments: [{ lineNo: 2, groupCode: 'CO', carc: '45', amountCents: lineChargeCents - 5_000 }],
        lines: [{ lineNo: 2, procedureCode: '93000', chargeCents: lineChargeCents, paidCents: 5_000 }],
      },
    ],
  });

  it('posts a part whose lines are lines of the claim, and makes an exception of one whose line is not', async () => {
    const claimId = await submittedClaim(); // lines of 14,500 and 7,500
    const part = await f.api.request('POST', '/api/inbound/remittances', { body: splitPart(claimId, 'TRN-SPLIT-1', 7_500) });
    expect(part.status).toBe(202);
    expect(part.body).toMatchObject({ matched: 1, unmatched: [] });
    const odd = await f.api.request('POST', '/api/inbound/remittances', { body: splitPart(claimId, 'TRN-SPLIT-2', 7_400) });
    expect(odd.body).toMatchObject({ matched: 0, unmatched: [claimId] });
    const task = await f.db.prisma.task.findUniqueOrThrow({ where: { id: odd.body.exceptionTaskIds[0] } });
    expect((task.context as { reason: string }).reason).toBe('CHARGE_MISMATCH');
    expect(await f.db.prisma.claimPayment.count({ where: { claimId } })).toBe(1);
  });
});

describe('the audit trail of what comes through the API', () => {
  it('records the sender, its address and its token id on what it delivered, and the same for a person', async () => {
    const claimId = await submittedClaim();
    const strict = await startApi({ prisma: f.db.prisma, temporal: f.env.client, config: { ...testConfig(), trustUserHeader: false } });
    try {
      const sender = await issueToken(f.db.prisma, SIMULATOR_SENDER_ID, { name: 'audit-test' }, 'test');
      const res = await strict.request('POST', '/api/inbound/acknowledgements', {
        token: sender.token,
        body: { ackId: 'ack-audited', claimId, attempt: 1, accepted: true },
      });
      expect(res.status).toBe(202);
      const row = await f.db.prisma.auditEvent.findFirstOrThrow({ where: { action: 'claim.acknowledgement', claimId } });
      expect(row).toMatchObject({ actor: SIMULATOR_SENDER_ID, tokenId: sender.record.id, address: expect.stringMatching(/127\.0\.0\.1$/) });

      const biller = await issueToken(f.db.prisma, USER_IDS.biller1, { name: 'audit-test' }, 'test');
      expect((await strict.request('GET', `/api/claims/${claimId}`, { token: biller.token })).status).toBe(200);
      const read = await f.db.prisma.auditEvent.findFirstOrThrow({ where: { action: 'claim.read', claimId, tokenId: biller.record.id } });
      expect(read).toMatchObject({ actor: USER_IDS.biller1, address: expect.stringMatching(/127\.0\.0\.1$/) });
    } finally {
      await strict.close();
    }
  });
});
