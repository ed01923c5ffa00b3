// Fetching a real OpenSSH mailbox into a real PostgreSQL exactly once: stored before archived, never twice, not
// even across a crash, a dropped connection or two fetchers at once.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../test/database';
import { FIXTURES_DIR } from '../test/fixtures';
import { LAYOUT, startSshd, type TestSshd } from '../test/support/sshd';
import { MailboxFiles } from './mailboxFiles';
import { fetchInbound, MAX_FILE_BYTES, type InboundMailbox, type InboundStore, type ReceivedFile } from './mailboxInbound';
import { SftpMailbox } from './sftpMailbox';

const fixture = (folder: string, name: string) => fs.readFileSync(path.join(FIXTURES_DIR, 'x12', folder, name));
const ACK_999 = fixture('999', 'imsweb-x12-parser__x12_999_accepted.txt');
const ACK_277CA = fixture('277ca', 'imsweb-x12-parser__x12_277CA_rejected.txt');
const REMIT_835 = fixture('835', 'linuxforhealth-x12__managed-care.835');
const TA1 = fixture('ta1', 'uhin-x12-parser-library__TA1.edi');
const MANY_CLAIMS = fixture('837p', 'imsweb-x12-parser__x12_many_claims.txt');
const PROFEE_MULTIPLE = fixture('835', 'tastypackets-x12-parser__profee-multiple.edi');

let sshd: TestSshd;
let db: TestDatabase;
let files: MailboxFiles;
const open: SftpMailbox[] = [];

function mailbox(): SftpMailbox {
  const m = new SftpMailbox({
    host: sshd.host,
    port: sshd.port,
    username: sshd.user,
    privateKey: fs.readFileSync(sshd.privateKeyPath),
    hostKeyFingerprints: [sshd.hostKeyFingerprint],
    folders: { ...LAYOUT },
    timeoutMs: 10_000,
  });
  open.push(m);
  return m;
}

const sha256 = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');
const rows = () => db.prisma.mailboxFile.findMany({ orderBy: [{ receivedAt: 'asc' }, { name: 'asc' }] });

beforeAll(async () => {
  [sshd, db] = await Promise.all([startSshd(), createTestDatabase('claimflow_mailbox')]);
  files = new MailboxFiles(db.prisma);
});

afterAll(async () => {
  for (const m of open) await m.close();
  await sshd?.stop();
  await db?.drop();
});

beforeEach(async () => {
  for (const folder of Object.values(LAYOUT)) for (const name of sshd.filesIn(folder)) fs.rmSync(path.join(sshd.root, folder, name));
  await db.prisma.mailboxFile.deleteMany();
});

describe('fetchInbound', () => {
  it('stores every inbound file with its kind, then archives it; the poller takes them oldest first', async () => {
    sshd.drop('ack.999', ACK_999);
    sshd.drop('ack.277', ACK_277CA);
    sshd.drop('era.835', REMIT_835);
    sshd.drop('interchange.ta1', TA1);
    sshd.drop('report.pdf', Buffer.from('%PDF-1.7 not X12'));

    const report = await fetchInbound(mailbox(), files);
    expect(report.listed).toBe(5);
    expect(report.skipped).toEqual([]);
    expect(Object.fromEntries(report.stored.map((s) => [s.name, s.kind]))).toEqual({
      'ack.999': '999',
      'ack.277': '277CA',
      'era.835': '835',
      'interchange.ta1': 'TA1',
      'report.pdf': 'UNKNOWN',
    });
    expect(sshd.filesIn(LAYOUT.inbound)).toEqual([]);
    expect(sshd.filesIn(LAYOUT.archive)).toEqual(['ack.277', 'ack.999', 'era.835', 'interchange.ta1', 'report.pdf']);

    const stored = await rows();
    expect(stored).toHaveLength(5);
    for (const row of stored) {
      expect(row).toMatchObject({ mailbox: `${sshd.user}@127.0.0.1:${sshd.port}`, folder: 'from-payer', state: 'RECEIVED' });
      expect(row.archivedAs).toBe(`from-payer/archive/${row.name}`);
      expect(sha256(Buffer.from(row.content))).toBe(row.sha256);
    }

    // processing reads the database: the server's copies are archived already
    const seen: string[] = [];
    for (let next = await files.nextUnprocessed(); next; next = await files.nextUnprocessed()) {
      seen.push(next.name);
      const outcome = next.kind === 'UNKNOWN' ? ({ state: 'FAILED', error: 'not X12' } as const) : ({ state: 'PROCESSED' } as const);
      expect(await files.markProcessed(next.id, outcome)).toBe(true);
      // a second outcome for the same file changes nothing
      expect(await files.markProcessed(next.id, { state: 'PROCESSED' })).toBe(false);
    }
    expect(seen.sort()).toEqual(stored.map((r) => r.name).sort());
    const after = await rows();
    expect(after.filter((r) => r.state === 'PROCESSED')).toHaveLength(4);
    expect(after.find((r) => r.name === 'report.pdf')).toMatchObject({ state: 'FAILED', error: 'not X12' });
  });

  it('stores a file offered twice once, and the same name with other content as a new file', async () => {
    const m = mailbox();
    sshd.drop('daily.835', REMIT_835);
    await fetchInbound(m, files);
    // the clearinghouse offers the very same file again
    sshd.drop('daily.835', REMIT_835);
    const again = await fetchInbound(m, files);
    expect(again).toMatchObject({ stored: [], alreadyStored: ['daily.835'] });
    expect(await db.prisma.mailboxFile.count()).toBe(1);
    // next day, same name, new remittance
    const nextDay = Buffer.from(REMIT_835.toString('latin1').replace('945', '946'), 'latin1');
    sshd.drop('daily.835', nextDay);
    const third = await fetchInbound(m, files);
    expect(third.stored.map((s) => s.name)).toEqual(['daily.835']);
    expect((await rows()).map((r) => r.sha256)).toEqual([sha256(REMIT_835), sha256(nextDay)]);
    // nothing in the archive was overwritten: three files, the repeats under their hash
    const archived = sshd.filesIn(LAYOUT.archive);
    expect(archived).toEqual(
      ['daily.835', `daily.835.${sha256(REMIT_835).slice(0, 12)}`, `daily.835.${sha256(nextDay).slice(0, 12)}`].sort(),
    );
  });

  it('a crash after storing and before archiving: the next run archives the file without a second row', async () => {
    sshd.drop('ack.999', ACK_999);
    // the real store, and then the process dies (here: throws) before the archive step
    const crashing: InboundStore = {
      async receive(file: ReceivedFile) {
        await files.receive(file);
        throw new Error('killed after the commit');
      },
      markArchived: (id, as) => files.markArchived(id, as),
    };
    await expect(fetchInbound(mailbox(), crashing)).rejects.toThrow('killed after the commit');
    expect(sshd.filesIn(LAYOUT.inbound)).toEqual(['ack.999']);
    expect(await db.prisma.mailboxFile.count()).toBe(1);

    const next = await fetchInbound(mailbox(), files);
    expect(next).toMatchObject({ stored: [], alreadyStored: ['ack.999'] });
    expect(sshd.filesIn(LAYOUT.inbound)).toEqual([]);
    expect(sshd.filesIn(LAYOUT.archive)).toEqual(['ack.999']);
    const [row] = await rows();
    expect(await db.prisma.mailboxFile.count()).toBe(1);
    expect(row).toMatchObject({ name: 'ack.999', kind: '999', archivedAs: 'from-payer/archive/ack.999' });
  });

  it('the connection dropped right after storing: the same run logs in again and archives, one row each', async () => {
    sshd.drop('a.999', ACK_999);
    sshd.drop('b.277', ACK_277CA);
    const dropping: InboundStore = {
      async receive(file: ReceivedFile) {
        const r = await files.receive(file);
        await sshd.dropConnections();
        return r;
      },
      markArchived: (id, as) => files.markArchived(id, as),
    };
    const before = await sshd.logins();
    const report = await fetchInbound(mailbox(), dropping);
    // one login, and one more after each of the two drops
    expect(await sshd.logins(before + 3)).toBe(before + 3);
    expect(report.stored.map((s) => s.name).sort()).toEqual(['a.999', 'b.277']);
    expect(sshd.filesIn(LAYOUT.archive)).toEqual(['a.999', 'b.277']);
    expect(await db.prisma.mailboxFile.count()).toBe(2);
  });

  it('two fetchers at once store each file once and archive it once', async () => {
    const names: string[] = [];
    for (let i = 0; i < 12; i++) {
      const name = `ack-${String(i).padStart(2, '0')}.999`;
      const file = sshd.drop(name, Buffer.from(ACK_999.toString('latin1').replace('000000905', String(100_000_000 + i)), 'latin1'));
      // distinct times: both fetchers take the files in the same order
      fs.utimesSync(file, new Date(Date.UTC(2026, 0, 1, 0, i)), new Date(Date.UTC(2026, 0, 1, 0, i)));
      names.push(name);
    }
    // Both fetchers download the first file, then insert it at the same moment: the database must keep one.
    let arrived = 0;
    let release!: () => void;
    const bothThere = new Promise<void>((r) => (release = r));
    const meetingAtFirstFile = (): InboundStore => {
      let first = true;
      return {
        async receive(file: ReceivedFile) {
          if (first) {
            first = false;
            if (++arrived === 2) release();
            await bothThere;
          }
          return files.receive(file);
        },
        markArchived: (id, as) => files.markArchived(id, as),
      };
    };
    const [one, two] = await Promise.all([fetchInbound(mailbox(), meetingAtFirstFile()), fetchInbound(mailbox(), meetingAtFirstFile())]);
    expect([one.listed, two.listed]).toEqual([12, 12]);
    expect(one.stored.length + two.stored.length).toBe(12);
    // the first file: one of them stored it, the other found it stored
    expect([...one.stored, ...two.stored].filter((s) => s.name === names[0])).toHaveLength(1);
    expect([...one.alreadyStored, ...two.alreadyStored]).toContain(names[0]);
    expect(await db.prisma.mailboxFile.count()).toBe(12);
    expect((await rows()).map((r) => r.name).sort()).toEqual(names);
    expect(sshd.filesIn(LAYOUT.inbound)).toEqual([]);
    // archived once each: a name with a hash suffix would mean a file was archived twice
    expect(sshd.filesIn(LAYOUT.archive)).toEqual(names);
  });

  it('leaves a file the partner is still writing for the next run, then takes it whole', async () => {
    const half = ACK_277CA.subarray(0, 400);
    const file = sshd.drop('growing.277', half);
    const real = mailbox();
    // the partner writes on between our listing and our download
    const partnerStillWriting: InboundMailbox = {
      name: real.name,
      folders: real.folders,
      list: (folder) => real.list(folder),
      async download(folder, name) {
        if (fs.statSync(file).size < ACK_277CA.length) fs.appendFileSync(file, ACK_277CA.subarray(400));
        return real.download(folder, name);
      },
      archive: (name, tag) => real.archive(name, tag),
    };
    const first = await fetchInbound(partnerStillWriting, files);
    expect(first.skipped).toEqual([{ name: 'growing.277', reason: expect.stringContaining('size changed') }]);
    expect(await db.prisma.mailboxFile.count()).toBe(0);
    expect(sshd.filesIn(LAYOUT.inbound)).toEqual(['growing.277']);

    const second = await fetchInbound(partnerStillWriting, files);
    expect(second.stored).toMatchObject([{ name: 'growing.277', kind: '277CA', size: ACK_277CA.length }]);
  });

  it('leaves a file over the size limit on the server, reported, and fetches the rest', async () => {
    sshd.drop('ack.999', ACK_999);
    // sparse: as large as it says, without the disk
    const huge = sshd.drop('huge.835', '');
    fs.truncateSync(huge, MAX_FILE_BYTES + 1);
    const report = await fetchInbound(mailbox(), files);
    expect(report.stored.map((s) => s.name)).toEqual(['ack.999']);
    expect(report.skipped).toEqual([{ name: 'huge.835', reason: expect.stringContaining('over the') }]);
    expect(sshd.filesIn(LAYOUT.inbound)).toEqual(['huge.835']);
    expect(await db.prisma.mailboxFile.count()).toBe(1);
  });

  it('keeps large and binary files byte for byte (820-claim 837P, 156-interchange 835, every byte value)', async () => {
    const everyByte = Buffer.from(Array.from({ length: 4096 }, (_, i) => i % 256));
    sshd.drop('many-claims.837', MANY_CLAIMS);
    sshd.drop('profee-multiple.835', PROFEE_MULTIPLE);
    sshd.drop('binary.bin', everyByte);
    const started = performance.now();
    const report = await fetchInbound(mailbox(), files);
    const ms = performance.now() - started;
    expect(Object.fromEntries(report.stored.map((s) => [s.name, [s.kind, s.size]]))).toEqual({
      'many-claims.837': ['837P', MANY_CLAIMS.length],
      'profee-multiple.835': ['835', PROFEE_MULTIPLE.length],
      'binary.bin': ['UNKNOWN', 4096],
    });
    for (const [name, content] of [
      ['many-claims.837', MANY_CLAIMS],
      ['profee-multiple.835', PROFEE_MULTIPLE],
      ['binary.bin', everyByte],
    ] as const) {
      const row = await db.prisma.mailboxFile.findFirstOrThrow({ where: { name } });
      expect(Buffer.from(row.content).equals(content), name).toBe(true);
      expect(row.sha256).toBe(sha256(content));
    }
    const bytes = MANY_CLAIMS.length + PROFEE_MULTIPLE.length + everyByte.length;
    console.log(`fetched, stored and archived ${bytes} bytes in 3 files in ${ms.toFixed(0)} ms (login included)`);
  });
});
