// The SFTP mailbox against a real OpenSSH server (test/support/sshd.ts): key login, a pinned host key, the
// mailbox's folders, atomic upload, archive, dropped connections and time-outs.
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FIXTURES_DIR } from '../test/fixtures';
import { LAYOUT, startSshd, type TestSshd } from '../test/support/sshd';
import { loadConfig } from './config';
import { freePorts } from './process';
import {
  hostKeyFingerprint,
  SftpAuthenticationError,
  SftpHostKeyMismatchError,
  SftpMailbox,
  SftpMailboxError,
  sftpMailboxFromConfig,
  type SftpMailboxOptions,
} from './sftpMailbox';

const MANY_CLAIMS = path.join(FIXTURES_DIR, 'x12', '837p', 'imsweb-x12-parser__x12_many_claims.txt');

let sshd: TestSshd;
const open: SftpMailbox[] = [];

function mailbox(overrides: Partial<SftpMailboxOptions> = {}): SftpMailbox {
  const m = new SftpMailbox({
    host: sshd.host,
    port: sshd.port,
    username: sshd.user,
    privateKey: fs.readFileSync(sshd.privateKeyPath),
    hostKeyFingerprints: [sshd.hostKeyFingerprint],
    folders: { ...LAYOUT },
    timeoutMs: 10_000,
    ...overrides,
  });
  open.push(m);
  return m;
}

beforeAll(async () => {
  sshd = await startSshd();
});

afterAll(async () => {
  for (const m of open) await m.close();
  await sshd?.stop();
});

beforeEach(() => {
  for (const folder of Object.values(LAYOUT)) for (const name of sshd.filesIn(folder)) fs.rmSync(path.join(sshd.root, folder, name));
});

describe('SftpMailbox against OpenSSH', () => {
  it('pins the host key by the fingerprint ssh-keygen prints', () => {
    const pub = fs.readFileSync(path.join(path.dirname(sshd.privateKeyPath), 'ssh_host_ed25519_key.pub'), 'utf8');
    const blob = Buffer.from(pub.split(' ')[1], 'base64');
    expect(hostKeyFingerprint(blob)).toBe(sshd.hostKeyFingerprint);
  });

  it('uploads atomically: the partner sees the file whole under its name, never written in place, and no .part after', async () => {
    const content = fs.readFileSync(MANY_CLAIMS);
    const folder = path.join(sshd.root, LAYOUT.outbound);
    // inotify, as a partner's poller watching the folder would see it
    const events: { type: string; name: string }[] = [];
    const watcher = fs.watch(folder, (type, name) => events.push({ type, name: String(name) }));
    const m = mailbox();
    const started = performance.now();
    await m.upload('claims-0001.837', content);
    const ms = performance.now() - started;
    await new Promise((r) => setTimeout(r, 100));
    watcher.close();

    expect(sshd.filesIn(LAYOUT.outbound)).toEqual(['claims-0001.837']);
    expect(fs.readFileSync(path.join(folder, 'claims-0001.837')).equals(content)).toBe(true);
    // written as .part (many writes), then renamed once: the final name never saw a write
    expect(events.filter((e) => e.name === 'claims-0001.837.part' && e.type === 'change').length).toBeGreaterThan(0);
    expect(events.filter((e) => e.name === 'claims-0001.837')).toEqual([{ type: 'rename', name: 'claims-0001.837' }]);
    console.log(`uploaded ${content.length} bytes atomically in ${ms.toFixed(0)} ms`);
  });

  it('never replaces a file already in the outbound folder, and leaves no .part behind', async () => {
    const m = mailbox();
    await m.upload('claims-0002.837', 'ISA*first~');
    const err = await m.upload('claims-0002.837', 'ISA*second~').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SftpMailboxError);
    expect(err).toMatchObject({ code: 'FILE_EXISTS', retryable: false });
    expect(sshd.filesIn(LAYOUT.outbound)).toEqual(['claims-0002.837']);
    expect(fs.readFileSync(path.join(sshd.root, LAYOUT.outbound, 'claims-0002.837'), 'utf8')).toBe('ISA*first~');
  });

  it('refuses names that would leave its folder or pose as a partial file', async () => {
    const m = mailbox();
    for (const bad of ['../escape.837', 'a/b.837', '..', '', 'x.837.part']) {
      await expect(m.upload(bad, 'x'), bad).rejects.toMatchObject({ code: 'REFUSED' });
    }
    await expect(m.download(LAYOUT.inbound, '../../etc/passwd')).rejects.toMatchObject({ code: 'REFUSED' });
  });

  it('lists the files of the inbound folder oldest first (no folders, no hidden or .part files), downloads and archives them', async () => {
    sshd.drop('b-999.txt', 'ISA*999~');
    const older = sshd.drop('a-835.txt', 'ISA*835~');
    fs.utimesSync(older, new Date('2026-01-01T00:00:00Z'), new Date('2026-01-01T00:00:00Z'));
    sshd.drop('c-277.txt.part', 'still being written');
    sshd.drop('.hidden', 'x');
    const m = mailbox();

    const listed = await m.list(LAYOUT.inbound);
    expect(listed.map((e) => e.name)).toEqual(['a-835.txt', 'b-999.txt']);
    expect(listed[0]).toMatchObject({ size: 8, modifiedAt: new Date('2026-01-01T00:00:00Z') });
    expect((await m.download(LAYOUT.inbound, 'a-835.txt')).toString()).toBe('ISA*835~');

    expect(await m.archive('a-835.txt', 'aaaa')).toBe('from-payer/archive/a-835.txt');
    expect(sshd.filesIn(LAYOUT.archive)).toEqual(['a-835.txt']);
    // the clearinghouse reuses a name: the archive keeps both
    sshd.drop('a-835.txt', 'ISA*835 again~');
    expect(await m.archive('a-835.txt', 'bbbb')).toBe('from-payer/archive/a-835.txt.bbbb');
    sshd.drop('a-835.txt', 'ISA*835 a third time~');
    expect(await m.archive('a-835.txt', 'bbbb')).toBe('from-payer/archive/a-835.txt.bbbb.2');
    expect(fs.readFileSync(path.join(sshd.root, LAYOUT.archive, 'a-835.txt'), 'utf8')).toBe('ISA*835~');
    // gone already (another fetcher archived it): nothing to do, and nothing overwritten
    expect(await m.archive('a-835.txt', 'cccc')).toBeUndefined();
    await expect(m.download(LAYOUT.inbound, 'a-835.txt')).rejects.toMatchObject({ code: 'NOT_FOUND', retryable: false });
  });

  it('refuses a server whose host key is not the pinned one, naming both fingerprints', async () => {
    const stranger = fs.readFileSync(`${await sshd.otherKeyPath()}.pub`, 'utf8');
    const otherFingerprint = hostKeyFingerprint(Buffer.from(stranger.split(' ')[1], 'base64'));
    const m = mailbox({ hostKeyFingerprints: [otherFingerprint] });
    const before = await sshd.logins();
    const err = await m.list(LAYOUT.inbound).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SftpHostKeyMismatchError);
    expect(err).toMatchObject({
      code: 'HOST_KEY_MISMATCH',
      retryable: false,
      offered: sshd.hostKeyFingerprint,
      expected: [otherFingerprint],
    });
    expect((err as Error).message).toContain(sshd.hostKeyFingerprint);
    // refused before logging in: the key never reached the server
    expect(await sshd.logins()).toBe(before);
  });

  it('is refused by the server with a key it does not know', async () => {
    const m = mailbox({ privateKey: fs.readFileSync(await sshd.otherKeyPath()) });
    const err = await m.list(LAYOUT.inbound).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SftpAuthenticationError);
    expect(err).toMatchObject({ code: 'AUTH_REFUSED', retryable: false });
  });

  it('logs in again when the connection drops between two calls, for a listing and for an upload', async () => {
    const m = mailbox();
    sshd.drop('x.999', 'ISA*x~');
    expect((await m.list(LAYOUT.inbound)).map((e) => e.name)).toEqual(['x.999']);
    const before = await sshd.logins(1);
    await sshd.dropConnections();
    expect((await m.list(LAYOUT.inbound)).map((e) => e.name)).toEqual(['x.999']);
    expect(await sshd.logins(before + 1)).toBe(before + 1);

    await sshd.dropConnections();
    await m.upload('after-drop.837', 'ISA*after~');
    expect(sshd.filesIn(LAYOUT.outbound)).toEqual(['after-drop.837']);
  });

  it('gives up on a server that accepts the connection and never answers, within its time-out', async () => {
    const silent = net.createServer(() => {});
    const [port] = await freePorts(1);
    await new Promise<void>((r) => silent.listen(port, '127.0.0.1', r));
    try {
      const m = mailbox({ port, timeoutMs: 1_000 });
      const started = Date.now();
      const err = await m.list(LAYOUT.inbound).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'TIMEOUT', retryable: true });
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      silent.close();
    }
  });

  it('says a closed port is unavailable, for the poller to try later', async () => {
    const [port] = await freePorts(1);
    await expect(mailbox({ port }).list(LAYOUT.inbound)).rejects.toMatchObject({ code: 'UNAVAILABLE', retryable: true });
  });

  it('cannot write outside the folders the mailbox user owns (the chroot is root-owned)', async () => {
    const m = mailbox({ folders: { ...LAYOUT, outbound: '/' } });
    await expect(m.upload('stray.837', 'x')).rejects.toMatchObject({ code: 'REFUSED' });
    expect(fs.readdirSync(sshd.root).sort()).toEqual(['from-payer', 'to-payer']);
  });
});

describe('the SFTP mailbox settings', () => {
  const SFTP_ENV = [
    'CLAIMFLOW_SFTP_HOST',
    'CLAIMFLOW_SFTP_PORT',
    'CLAIMFLOW_SFTP_USER',
    'CLAIMFLOW_SFTP_PRIVATE_KEY_FILE',
    'CLAIMFLOW_SFTP_HOST_KEY_FINGERPRINTS',
    'CLAIMFLOW_SFTP_SENDER',
    'CLAIMFLOW_SFTP_OUTBOUND_DIR',
    'CLAIMFLOW_SFTP_INBOUND_DIR',
    'CLAIMFLOW_SFTP_ARCHIVE_DIR',
    'CLAIMFLOW_SFTP_POLL_SECONDS',
    'CLAIMFLOW_SFTP_TIMEOUT_SECONDS',
  ];
  const saved = { ...process.env };
  beforeEach(() => {
    for (const n of SFTP_ENV) delete process.env[n];
  });
  afterAll(() => {
    process.env = { ...saved };
  });

  it('is off while CLAIMFLOW_SFTP_HOST is unset, with the documented defaults', () => {
    const c = loadConfig();
    expect(sftpMailboxFromConfig(c)).toBeUndefined();
    expect(c).toMatchObject({
      sftpPort: 22,
      sftpOutboundDir: 'to-payer',
      sftpInboundDir: 'from-payer',
      sftpArchiveDir: 'from-payer/archive',
      sftpPollSeconds: 300,
      sftpTimeoutSeconds: 30,
    });
  });

  it('wants a user, a key, the pinned host key and the sender once a host is set, naming what is missing', () => {
    process.env.CLAIMFLOW_SFTP_HOST = 'sftp.clearinghouse.example';
    expect(() => loadConfig()).toThrow(
      /CLAIMFLOW_SFTP_HOST is set, so CLAIMFLOW_SFTP_USER, CLAIMFLOW_SFTP_PRIVATE_KEY_FILE, CLAIMFLOW_SFTP_HOST_KEY_FINGERPRINTS, CLAIMFLOW_SFTP_SENDER must be set too/,
    );
    process.env.CLAIMFLOW_SFTP_USER = 'claimflow';
    process.env.CLAIMFLOW_SFTP_PRIVATE_KEY_FILE = '/etc/claimflow/sftp_ed25519';
    process.env.CLAIMFLOW_SFTP_SENDER = 'clearinghouse-mailbox';
    expect(() => loadConfig()).toThrow(/so CLAIMFLOW_SFTP_HOST_KEY_FINGERPRINTS must be set too/);
  });

  it('refuses a fingerprint that is not SHA256, a port out of range and a folder that climbs out', () => {
    for (const bad of ['MD5:16:27:ac:a5:76:28:2d:36:63:1b:56:4d:eb:df:a6:48', 'SHA256:short', 'yes', 'SHA256:' + 'A'.repeat(44)]) {
      process.env.CLAIMFLOW_SFTP_HOST_KEY_FINGERPRINTS = bad;
      expect(() => loadConfig(), bad).toThrow(/CLAIMFLOW_SFTP_HOST_KEY_FINGERPRINTS must be SHA256 fingerprints/);
    }
    process.env.CLAIMFLOW_SFTP_HOST_KEY_FINGERPRINTS = `SHA256:${'a'.repeat(43)}, SHA256:${'B'.repeat(43)}=`;
    expect(loadConfig().sftpHostKeyFingerprints).toEqual([`SHA256:${'a'.repeat(43)}`, `SHA256:${'B'.repeat(43)}`]);
    process.env.CLAIMFLOW_SFTP_PORT = '70000';
    expect(() => loadConfig()).toThrow(/CLAIMFLOW_SFTP_PORT must be a port/);
    delete process.env.CLAIMFLOW_SFTP_PORT;
    for (const bad of ['../etc', 'inbox/../../x', 'a//b']) {
      process.env.CLAIMFLOW_SFTP_ARCHIVE_DIR = bad;
      expect(() => loadConfig(), bad).toThrow(/CLAIMFLOW_SFTP_ARCHIVE_DIR must be a folder path/);
    }
    process.env.CLAIMFLOW_SFTP_ARCHIVE_DIR = '/home/claimflow/archive/';
    expect(loadConfig().sftpArchiveDir).toBe('/home/claimflow/archive');
  });

  it('connects to the mailbox the settings name', async () => {
    Object.assign(process.env, {
      CLAIMFLOW_SFTP_HOST: sshd.host,
      CLAIMFLOW_SFTP_PORT: String(sshd.port),
      CLAIMFLOW_SFTP_USER: sshd.user,
      CLAIMFLOW_SFTP_PRIVATE_KEY_FILE: sshd.privateKeyPath,
      CLAIMFLOW_SFTP_HOST_KEY_FINGERPRINTS: sshd.hostKeyFingerprint,
      CLAIMFLOW_SFTP_SENDER: 'clearinghouse-mailbox',
      CLAIMFLOW_SFTP_TIMEOUT_SECONDS: '5',
    });
    const m = sftpMailboxFromConfig(loadConfig())!;
    open.push(m);
    expect(m.name).toBe(`${sshd.user}@127.0.0.1:${sshd.port}`);
    sshd.drop('configured.999', 'ISA*configured~');
    expect((await m.list(m.folders.inbound)).map((e) => e.name)).toEqual(['configured.999']);
  });
});
