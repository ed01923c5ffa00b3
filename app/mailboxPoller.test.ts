// The SFTP mailbox poller, all real: an OpenSSH mailbox (test/support/sshd.ts), the Temporal dev server with the
// claim worker and the poller's workflow, the API's X12 intake and PostgreSQL. Files written by claimflow's own
// X12 writers for claims that exist move those claims; a file offered again changes nothing; a failed file is
// FAILED and listed; a poller killed between the intake and its bookkeeping applies the money once.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_TEMPORAL_TIMEOUTS } from '../api/http/temporal';
import type { ApiContext } from '../api/http/context';
import { workerDataConverter } from '../infra/codec';
import { write999 } from '../domain/x12/write999';
import { write277CA } from '../domain/x12/write277ca';
import { write835 } from '../domain/x12/write835';
import type { EnvelopeArgs } from '../domain/x12/envelopeWriter';
import { MailboxFiles, type ProcessingOutcome } from '../infra/mailboxFiles';
import { fetchInbound } from '../infra/mailboxInbound';
import { SftpMailbox } from '../infra/sftpMailbox';
import { FIXTURES_DIR } from '../test/fixtures';
import { claimAwaitingAdjudication, startHarness, type Harness } from '../test/harness';
import { LAYOUT, startSshd, type TestSshd } from '../test/support/sshd';
import { mailboxPollerWorkflowId } from '../workflows/mailboxContract';
import { PATIENT_IDS, USER_IDS } from './seed';
import {
  startConfiguredMailboxPoller,
  startMailboxPoller,
  startMailboxPollerWorkflow,
  type MailboxPollerDeps,
  type RunningMailboxPoller,
} from './mailboxPoller';

const SENDER_ID = 'mailbox-clearinghouse';
const LIMITED_SUPERVISOR = 'supervisor-one-practice';

let h: Harness;
let sshd: TestSshd;
let mailbox: SftpMailbox;
let ctx: ApiContext;
let payerId: string;
let payerElectronicId: string;
let otherPayerElectronicId: string;
const pollers: RunningMailboxPoller[] = [];
let firstRun: string;

beforeAll(async () => {
  [h, sshd] = await Promise.all([startHarness({ timeSkipping: false }), startSshd()]);
  mailbox = new SftpMailbox({
    host: sshd.host,
    port: sshd.port,
    username: sshd.user,
    privateKey: fs.readFileSync(sshd.privateKeyPath),
    hostKeyFingerprints: [sshd.hostKeyFingerprint],
    folders: { ...LAYOUT },
    timeoutMs: 10_000,
  });
  ctx = {
    prisma: h.db.prisma,
    temporal: h.client,
    config: { ...h.config, sftpPollSeconds: 1 },
    log: () => {},
    metrics: h.metrics,
    timeouts: DEFAULT_TEMPORAL_TIMEOUTS,
    clearinghouse: () => undefined,
  };
  const { payer } = await h.db.prisma.coverage.findFirstOrThrow({
    where: { patientId: PATIENT_IDS[0], priority: 'PRIMARY' },
    include: { payer: true },
  });
  payerId = payer.id;
  payerElectronicId = payer.electronicPayerId;
  otherPayerElectronicId = (await h.db.prisma.payer.findFirstOrThrow({ where: { id: { not: payerId } } })).electronicPayerId;
  // The mailbox speaks for the patient's payer only.
  await h.db.prisma.user.create({ data: { id: SENDER_ID, name: 'Mailbox clearinghouse', role: 'CLEARINGHOUSE', payerIds: [payerId] } });
  const practice = await h.db.prisma.organization.findFirstOrThrow();
  await h.db.prisma.user.create({
    data: { id: LIMITED_SUPERVISOR, name: 'One-practice supervisor', role: 'SUPERVISOR', organizationIds: [practice.id] },
  });
}, 180_000);

afterAll(async () => {
  for (const p of pollers) await p.stop();
  await mailbox?.close();
  await sshd?.stop();
  await h?.shutdown();
}, 60_000);

function poll(files: MailboxFiles = new MailboxFiles(h.db.prisma)): Promise<RunningMailboxPoller> {
  const deps: MailboxPollerDeps = { ctx, mailbox, files, senderId: SENDER_ID };
  return startMailboxPoller({
    deps,
    connection: h.env.nativeConnection,
    namespace: 'default',
    client: h.client,
    dataConverter: workerDataConverter(h.payloadKeys),
    // a continue-as-new every three polls (a second or so each): the tests run across several runs
    pollsPerRun: 3,
  }).then((p) => {
    pollers.push(p);
    return p;
  });
}

async function until<T>(what: string, read: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T;
  do {
    last = await read();
    if (ok(last)) return last;
    await new Promise((r) => setTimeout(r, 200));
  } while (Date.now() < deadline);
  throw new Error(`${what}: still ${JSON.stringify(last)}`);
}

const fileRow = (name: string) =>
  h.db.prisma.mailboxFile.findMany({
    where: { name },
    orderBy: { receivedAt: 'asc' },
    select: { state: true, error: true, archivedAs: true },
  });
const settled = (name: string) =>
  until(
    `mailbox file ${name}`,
    () => fileRow(name),
    (rows) => rows.length > 0 && rows.every((r) => r.state !== 'RECEIVED'),
  );

let nextIsa = 70_000;
const envelope = (): EnvelopeArgs => {
  const n = ++nextIsa;
  return {
    sender: { qualifier: 'ZZ', id: 'TESTCH' },
    receiver: { qualifier: 'ZZ', id: 'CLAIMFLOW' },
    control: { interchangeControlNumber: n, groupControlNumber: n, transactionControlNumber: String(n) },
    now: { date: '2026-12-01', time: '0900' },
    usage: 'T',
  };
};

/** The harness's claim (99214 $180 + 36415 $25) paid $150 with $20 patient share. */
function remit835(claimId: string, trace: string, payerIdInFile = payerElectronicId): string {
  return write835({
    ...envelope(),
    payment: {
      amountCents: 15_000,
      method: 'ACH',
      date: '2026-12-02',
      bank: {
        payer: { routingNumber: '011000015', accountNumber: '1234567' },
        payee: { routingNumber: '021000021', accountNumber: '7654321' },
      },
    },
    traceNumber: trace,
    payer: {
      name: 'DEMO PAYER',
      id: payerIdInFile,
      taxId: '123456789',
      address: { line1: '1 PAYER WAY', city: 'SALEM', state: 'OR', postalCode: '97301' },
      technicalContact: { name: 'EDI', phone: '8005550100' },
    },
    payee: { name: 'RIVERBEND FAMILY MEDICINE', npi: '1234567893' },
    claims: [
      {
        claimId,
        status: '1',
        filingIndicator: '12',
        patient: { last: 'TEST', memberId: 'M1' },
        chargeCents: 20_500,
        paidCents: 15_000,
        patientRespCents: 2_000,
        payerClaimControlNo: `PCN${trace}`,
        lines: [
          {
            procedureCode: '99214',
            chargeCents: 18_000,
            paidCents: 13_000,
            controlNumber: '1',
            adjustments: [
              { group: 'CO', reason: '45', amountCents: 3_000 },
              { group: 'PR', reason: '2', amountCents: 2_000 },
            ],
          },
          {
            procedureCode: '36415',
            chargeCents: 2_500,
            paidCents: 2_000,
            controlNumber: '2',
            adjustments: [{ group: 'CO', reason: '45', amountCents: 500 }],
          },
        ],
      },
    ],
  });
}

/** A claim coded and submitted (its 837 sent), not yet acknowledged: what a 999 and a 277CA answer. */
async function submittedClaim(): Promise<{ claimId: string; isa: number; st: string }> {
  const claimId = await h.createClaim({ patientId: PATIENT_IDS[0] });
  await h.forceScenario(claimId, 'PAY_IN_FULL');
  const review = await h.waitForTask(claimId, 'CODE_REVIEW');
  expect((await h.completeTask(review.id, { action: 'CONFIRM_CODES', diagnoses: ['E11.9', 'I10'] }, USER_IDS.coder1)).status).toBe(200);
  await h.waitForState(claimId, 'SUBMITTED');
  const submission = await until(
    'the submission',
    () => h.db.prisma.submission.findFirst({ where: { claimId, attempt: 1 } }),
    (s) => s?.interchangeControlNumber != null && s.transactionControlNumber != null,
  );
  return { claimId, isa: submission!.interchangeControlNumber!, st: submission!.transactionControlNumber! };
}

const metric = async (name: string) => (await h.metrics.registry.getSingleMetricAsString(name)) ?? '';

describe('the SFTP mailbox poller', () => {
  it('999, 277CA and 835 files move their claims once; each file archived and PROCESSED; the same file again changes nothing', async () => {
    const a = await submittedClaim();
    sshd.drop(
      'ack-1.999',
      write999({
        ...envelope(),
        group: { functionalId: 'HC', controlNumber: String(a.isa), version: '005010X222A1' },
        sets: [{ setId: '837', controlNumber: a.st, accepted: true }],
      }),
    );
    sshd.drop(
      'ack-1.277',
      write277CA({
        ...envelope(),
        reference: String(a.isa).padStart(9, '0'),
        payer: { name: 'DEMO PAYER', id: payerElectronicId },
        informationReceiver: { name: 'CLAIMFLOW', id: 'CLAIMFLOW' },
        provider: { name: 'RIVERBEND FAMILY MEDICINE', npi: '1234567893' },
        receivedDate: '2026-12-01',
        claims: [
          {
            claimId: a.claimId,
            status: { category: 'A2', code: '20' },
            chargeCents: 20_500,
            payerClaimControlNo: 'PCN-A',
            patient: { last: 'TEST', first: 'PAT', memberId: 'M1' },
            serviceDate: { from: '2026-12-01' },
          },
        ],
      }),
    );

    const first = await poll();
    expect(first.workflowId).toBe(mailboxPollerWorkflowId(mailbox.name));
    const run = (await h.client.workflow.getHandle(first.workflowId).describe()).runId;
    firstRun = run;
    // a second main job (another process) joins the poller already running: one workflow per mailbox
    expect(await startMailboxPollerWorkflow(h.client, mailbox.name)).toEqual({ workflowId: first.workflowId, runId: run });

    await h.waitForState(a.claimId, 'AWAITING_ADJUDICATION', 60_000);
    expect(await settled('ack-1.999')).toEqual([{ state: 'PROCESSED', error: null, archivedAs: `${LAYOUT.archive}/ack-1.999` }]);
    expect(await settled('ack-1.277')).toMatchObject([{ state: 'PROCESSED', error: null }]);
    const submission = await h.db.prisma.submission.findFirstOrThrow({ where: { claimId: a.claimId, attempt: 1 } });
    expect(submission.status).toBe('ACCEPTED');
    expect((await h.db.prisma.claim.findUniqueOrThrow({ where: { id: a.claimId } })).payerClaimControlNo).toBe('PCN-A');
    expect(await h.db.prisma.inboundMessage.count({ where: { kind: 'x12-999', claimId: a.claimId } })).toBe(1);

    const era = remit835(a.claimId, `MBX-${a.claimId}`);
    sshd.drop('era-1.835', era);
    await h.waitForState(a.claimId, 'CLOSED', 60_000);
    expect(await settled('era-1.835')).toMatchObject([{ state: 'PROCESSED', error: null }]);
    const paid = await h.db.prisma.claim.findUniqueOrThrow({ where: { id: a.claimId } });
    expect(paid).toMatchObject({ paidCents: 15_000, adjustedCents: 3_500, patientRespCents: 2_000, balanceCents: 0 });
    expect(sshd.filesIn(LAYOUT.inbound)).toEqual([]);
    expect(sshd.filesIn(LAYOUT.archive)).toEqual(expect.arrayContaining(['ack-1.277', 'ack-1.999', 'era-1.835']));

    // The clearinghouse drops the same 835 again (same name, same bytes): archived beside the first, not stored again.
    sshd.drop('era-1.835', era);
    await until(
      'the second copy archived',
      async () => sshd.filesIn(LAYOUT.archive).filter((n) => n.startsWith('era-1.835')),
      (n) => n.length === 2,
    );
    expect(await fileRow('era-1.835')).toHaveLength(1);
    expect(await h.db.prisma.claimPayment.count({ where: { claimId: a.claimId } })).toBe(1);
    expect(await h.db.prisma.claim.findUniqueOrThrow({ where: { id: a.claimId } })).toMatchObject({ paidCents: 15_000, balanceCents: 0 });
    expect(await metric('claimflow_mailbox_files_total')).toMatch(/kind="835",outcome="processed"\} 1/);
    expect(await metric('claimflow_mailbox_files_total')).toMatch(/kind="999",outcome="processed"\} 1/);
  }, 180_000);

  it('an unreadable file and an 835 of a payer the mailbox may not deliver for are FAILED, listed for supervisors, and move nothing', async () => {
    const { claimId } = await claimAwaitingAdjudication(h);
    sshd.drop('garbage.835', 'this is not an X12 file at all\n');
    // an interchange acknowledgement: no transaction set for the intake to take
    sshd.drop('interchange.ta1', fs.readFileSync(path.join(FIXTURES_DIR, 'x12', 'ta1', 'uhin-x12-parser-library__TA1.edi')));
    sshd.drop('other-payer.835', remit835(claimId, `MBX-OTHER-${claimId}`, otherPayerElectronicId));
    expect(await settled('garbage.835')).toEqual([
      { state: 'FAILED', error: expect.stringMatching(/^X12_SYNTAX/), archivedAs: expect.any(String) },
    ]);
    const [ta1] = await settled('interchange.ta1');
    expect(ta1).toMatchObject({ state: 'FAILED', error: expect.stringMatching(/^X12_SYNTAX: no readable transaction/) });
    const [refused] = await settled('other-payer.835');
    expect(refused.state).toBe('FAILED');
    expect(refused.error).toMatch(/SENDER_NOT_ALLOWED_FOR_PAYER/);
    expect(await h.db.prisma.remittance.count({ where: { traceNumber: `MBX-OTHER-${claimId}` } })).toBe(0);
    expect((await h.status(claimId)).state).toBe('AWAITING_ADJUDICATION');
    expect(await metric('claimflow_mailbox_files_total')).toMatch(/kind="835",outcome="failed"\} 1/);
    expect(await metric('claimflow_mailbox_files_total')).toMatch(/kind="UNKNOWN",outcome="failed"\} 1/);

    const list = await h.api('GET', '/api/supervisor/mailbox-files?state=FAILED', undefined, USER_IDS.supervisor);
    expect(list.status).toBe(200);
    expect(list.body.items.map((i: { name: string }) => i.name).sort()).toEqual(['garbage.835', 'interchange.ta1', 'other-payer.835']);
    for (const item of list.body.items) {
      expect(Object.keys(item).sort()).toEqual(
        ['archivedAs', 'error', 'folder', 'id', 'kind', 'mailbox', 'name', 'processedAt', 'receivedAt', 'sha256', 'size', 'state'].sort(),
      );
    }
    // no content, no member id or name of the file anywhere in the answer
    expect(JSON.stringify(list.body)).not.toMatch(/TEST|M1\b/);
    const paged = await h.api('GET', '/api/supervisor/mailbox-files?limit=1', undefined, USER_IDS.supervisor);
    expect(paged.body.items).toHaveLength(1);
    const next = await h.api(
      'GET',
      `/api/supervisor/mailbox-files?limit=1&cursor=${paged.body.nextCursor}`,
      undefined,
      USER_IDS.supervisor,
    );
    expect(next.body.items[0].id).not.toBe(paged.body.items[0].id);

    expect((await h.api('GET', '/api/supervisor/mailbox-files', undefined, USER_IDS.biller2)).status).toBe(403);
    expect((await h.api('GET', '/api/supervisor/mailbox-files', undefined, LIMITED_SUPERVISOR)).body).toEqual({
      items: [],
      nextCursor: null,
    });
    const bad = await h.api('GET', '/api/supervisor/mailbox-files?state=DONE', undefined, USER_IDS.supervisor);
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toMatch(/state/);
  }, 180_000);

  it('a poller killed after storing a file, and again between the intake and its bookkeeping, applies the money once', async () => {
    for (const p of pollers.splice(0)) await p.stop();
    const { claimId } = await claimAwaitingAdjudication(h);
    sshd.drop('era-crash.835', remit835(claimId, `MBX-CRASH-${claimId}`));
    // The fetch ran, stored and archived; the poller died before processing: the file is only in the database now.
    const files = new MailboxFiles(h.db.prisma);
    const fetched = await fetchInbound(mailbox, files);
    expect(fetched.stored.map((s) => s.name)).toEqual(['era-crash.835']);
    expect(sshd.filesIn(LAYOUT.inbound)).toEqual([]);
    expect(fs.existsSync(path.join(sshd.root, LAYOUT.archive, 'era-crash.835'))).toBe(true);

    // Restarted, it dies once more: the intake has posted the remittance, the file is not yet marked.
    let killed = 0;
    class KilledBeforeTheMark extends MailboxFiles {
      override async markProcessed(id: string, outcome: ProcessingOutcome): Promise<boolean> {
        if (killed++ === 0) throw new Error('the worker died here');
        return super.markProcessed(id, outcome);
      }
    }
    await poll(new KilledBeforeTheMark(h.db.prisma));
    await h.waitForState(claimId, 'CLOSED', 60_000);
    expect(await settled('era-crash.835')).toMatchObject([{ state: 'PROCESSED', error: null }]);
    expect(killed).toBe(2);
    expect(await h.db.prisma.remittance.count({ where: { traceNumber: `MBX-CRASH-${claimId}` } })).toBe(1);
    expect(await h.db.prisma.claimPayment.count({ where: { claimId } })).toBe(1);
    const posted = await h.db.prisma.auditEvent.count({ where: { claimId, action: 'payment.posted' } });
    expect(posted).toBe(1);
    expect(await h.db.prisma.claim.findUniqueOrThrow({ where: { id: claimId } })).toMatchObject({ paidCents: 15_000, balanceCents: 0 });
  }, 180_000);

  it('from the settings, as the main job starts it: nothing while CLAIMFLOW_SFTP_HOST is unset; set, the mailbox they name is polled by the same workflow', async () => {
    for (const p of pollers.splice(0)) await p.stop();
    const common = {
      prisma: h.db.prisma,
      client: h.client,
      connection: h.env.nativeConnection,
      namespace: 'default',
      metrics: h.metrics,
      log: () => {},
      dataConverter: workerDataConverter(h.payloadKeys),
    };
    expect(await startConfiguredMailboxPoller({ ...common, config: { ...h.config, sftpHost: undefined } })).toBeUndefined();
    const poller = await startConfiguredMailboxPoller({
      ...common,
      config: {
        ...h.config,
        sftpHost: sshd.host,
        sftpPort: sshd.port,
        sftpUser: sshd.user,
        sftpPrivateKeyFile: sshd.privateKeyPath,
        sftpHostKeyFingerprints: [sshd.hostKeyFingerprint],
        sftpSender: SENDER_ID,
        sftpInboundDir: LAYOUT.inbound,
        sftpArchiveDir: LAYOUT.archive,
        sftpOutboundDir: LAYOUT.outbound,
        sftpPollSeconds: 1,
      },
    });
    pollers.push(poller!);
    expect(poller!.mailbox).toBe(mailbox.name);
    const handle = h.client.workflow.getHandle(poller!.workflowId);
    // the workflow the first test started, continued as new every three polls since
    const now = await handle.describe();
    expect(now.status.name).toBe('RUNNING');
    expect(now.runId).not.toBe(firstRun);
    sshd.drop('settings.999', 'ISA*not really~');
    expect(await settled('settings.999')).toMatchObject([{ state: 'FAILED', error: expect.stringMatching(/^X12_SYNTAX/) }]);
  }, 120_000);
});
