// A real OpenSSH server for the SFTP mailbox tests: Debian's sshd on a free loopback port, with a host key of its
// own, one client key, key authentication only and `ForceCommand internal-sftp` into a chroot mailbox laid out as
// a clearinghouse's would be (docs/sftp-mailbox.md). Each call starts a server of its own (port, folder, keys),
// so test files may run several at once.
//
// Who logs in: a dedicated unprivileged user, `claimflow-sftp` (created with useradd when missing), not root.
// sshd itself must run as root (it chroots, and reads a root-only host key), and the tests run as root in CI and
// in a fresh container, where useradd is always there (Debian's passwd package is essential). Logging in as root
// with `PermitRootLogin prohibit-password` would work too, but root ignores file modes: the mailbox's layout
// (a root-owned chroot the user cannot write, writable folders inside it) would then be untested, and a mailbox
// that lets claimflow write where the clearinghouse does not read would pass.
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { freePorts } from '../../infra/process';
import { ensureAptPackage, run, tail, withLock } from './install';

const SSHD = '/usr/sbin/sshd';
const SSH_KEYGEN = '/usr/bin/ssh-keygen';
export const SFTP_USER = 'claimflow-sftp';

/**
 * Where the servers' folders live. Not under /tmp: sshd wants every folder above a chroot and above an
 * authorized_keys file owned by root and writable by no one else, and /tmp is world-writable.
 */
const BASE = '/var/lib/claimflow-test-sshd';

/** The mailbox's folders, as paths inside the chroot (what the SFTP client sees). */
export const LAYOUT = {
  outbound: 'to-payer',
  inbound: 'from-payer',
  archive: 'from-payer/archive',
} as const;

export interface TestSshd {
  host: '127.0.0.1';
  port: number;
  user: string;
  /** the client's ed25519 private key (OpenSSH format) the server accepts */
  privateKeyPath: string;
  /** the server host key's fingerprint as `ssh-keygen -l` prints it: `SHA256:<base64, no padding>` */
  hostKeyFingerprint: string;
  /** the chroot on this machine's disk: `path.join(root, LAYOUT.inbound, name)` is a file the partner dropped */
  root: string;
  /** a file the clearinghouse drops for claimflow (written as the partner would: whole, owned by root) */
  drop(name: string, content: string | Buffer): string;
  /** the names in one of the mailbox's folders, on disk, sorted */
  filesIn(folder: string): string[];
  /** ends every open SFTP connection as a network failure would, leaving the server listening */
  dropConnections(): Promise<void>;
  /** a second, unrelated key pair, for "the server refuses a key it does not know" */
  otherKeyPath(): Promise<string>;
  /** logins the server accepted so far, waiting up to 2 s for its log to show at least `atLeast` */
  logins(atLeast?: number): Promise<number>;
  /** sshd's log so far (for a failing test's message) */
  log(): string;
  stop(): Promise<void>;
}

/** Starts an sshd of its own; retries on another port when the one it was given was taken meanwhile. */
export async function startSshd(): Promise<TestSshd> {
  await ensureAptPackage('openssh-server', SSHD);
  await ensureSftpUser();
  fs.mkdirSync(BASE, { recursive: true, mode: 0o755 });
  removeAbandoned();
  const dir = fs.mkdtempSync(path.join(BASE, 'sshd-'));
  // mkdtemp makes it 0700: sshd checks the modes of the path to the chroot and to authorized_keys
  fs.chmodSync(dir, 0o755);
  try {
    const keys = await makeKeys(dir);
    const root = makeMailbox(dir);
    for (let attempt = 1; ; attempt++) {
      const [port] = await freePorts(1);
      try {
        return await launch(dir, root, port, keys);
      } catch (err) {
        if (!(err instanceof PortTakenError) || attempt >= 5) throw err;
      }
    }
  } catch (err) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}

class PortTakenError extends Error {}

interface Keys {
  hostKey: string;
  hostKeyFingerprint: string;
  clientKey: string;
}

async function keygen(file: string, comment: string): Promise<void> {
  const r = await run(SSH_KEYGEN, ['-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', file]);
  if (r.code !== 0) throw new Error(`ssh-keygen failed:\n${r.output}`);
}

async function makeKeys(dir: string): Promise<Keys> {
  const hostKey = path.join(dir, 'ssh_host_ed25519_key');
  const clientKey = path.join(dir, 'client_ed25519');
  await Promise.all([keygen(hostKey, 'claimflow test sshd'), keygen(clientKey, 'claimflow test client')]);
  fs.copyFileSync(`${clientKey}.pub`, path.join(dir, 'authorized_keys'));
  fs.chmodSync(path.join(dir, 'authorized_keys'), 0o644);
  const printed = await run(SSH_KEYGEN, ['-l', '-E', 'sha256', '-f', `${hostKey}.pub`]);
  const fingerprint = /SHA256:[A-Za-z0-9+/]+/.exec(printed.output)?.[0];
  if (!fingerprint) throw new Error(`ssh-keygen -l printed no fingerprint:\n${printed.output}`);
  return { hostKey, hostKeyFingerprint: fingerprint, clientKey };
}

/**
 * The chroot and its folders. sshd refuses a chroot that is not owned by root or that anyone else may write;
 * the folders inside belong to the mailbox user.
 */
function makeMailbox(dir: string): string {
  const root = path.join(dir, 'mailbox');
  fs.mkdirSync(root, { mode: 0o755 });
  const { uid, gid } = sftpUserIds();
  for (const folder of Object.values(LAYOUT)) {
    const p = path.join(root, folder);
    fs.mkdirSync(p, { recursive: true, mode: 0o755 });
    fs.chownSync(p, uid, gid);
  }
  return root;
}

function sftpUserIds(): { uid: number; gid: number } {
  const line = fs
    .readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${SFTP_USER}:`));
  if (!line) throw new Error(`no user ${SFTP_USER} in /etc/passwd`);
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

/** The unprivileged mailbox user, created once: no home, no shell, no password (a key is the only way in). */
async function ensureSftpUser(): Promise<void> {
  const exists = () => fs.readFileSync('/etc/passwd', 'utf8').includes(`\n${SFTP_USER}:`);
  if (exists()) return;
  await withLock('sftp-user', async () => {
    if (exists()) return;
    // `-p '*'`: no password can match it, yet the account is not "locked" ('!'), which sshd would refuse even
    // for a key when PAM is off.
    const r = await run('useradd', [
      '--system',
      '--no-create-home',
      '--home-dir',
      '/nonexistent',
      '--shell',
      '/usr/sbin/nologin',
      '-p',
      '*',
      SFTP_USER,
    ]);
    if (r.code !== 0 || !exists()) throw new Error(`useradd ${SFTP_USER} failed (the SFTP tests run as root):\n${r.output}`);
  });
}

/** OpenSSH 9.8 added penalties per source address, which would slow the refused-login tests (all from 127.0.0.1). */
async function hasPerSourcePenalties(): Promise<boolean> {
  const r = await run(SSHD, ['-V']);
  const m = /OpenSSH_(\d+)\.(\d+)/.exec(r.output);
  return !!m && (Number(m[1]) > 9 || (Number(m[1]) === 9 && Number(m[2]) >= 8));
}

function sshdConfig(dir: string, root: string, port: number, keys: Keys, penalties: boolean): string {
  return [
    `Port ${port}`,
    'ListenAddress 127.0.0.1',
    `HostKey ${keys.hostKey}`,
    `PidFile ${path.join(dir, 'sshd.pid')}`,
    `AuthorizedKeysFile ${path.join(dir, 'authorized_keys')}`,
    'AuthenticationMethods publickey',
    'PubkeyAuthentication yes',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'PermitEmptyPasswords no',
    'PermitRootLogin no',
    `AllowUsers ${SFTP_USER}`,
    'UsePAM no',
    'StrictModes yes',
    'AllowTcpForwarding no',
    'AllowAgentForwarding no',
    'X11Forwarding no',
    'PermitTTY no',
    'PermitTunnel no',
    'Subsystem sftp internal-sftp',
    'ForceCommand internal-sftp',
    `ChrootDirectory ${root}`,
    'LogLevel VERBOSE',
    ...(penalties ? ['PerSourcePenalties no'] : []),
    '',
  ].join('\n');
}

async function launch(dir: string, root: string, port: number, keys: Keys): Promise<TestSshd> {
  // sshd's privilege separation wants this folder; a fresh container has none until the service first starts.
  fs.mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const config = path.join(dir, 'sshd_config');
  fs.writeFileSync(config, sshdConfig(dir, root, port, keys, await hasPerSourcePenalties()), { mode: 0o600 });
  const check = await run(SSHD, ['-t', '-f', config]);
  if (check.code !== 0) throw new Error(`sshd -t refused the test configuration:\n${check.output}`);

  // -D: stay in the foreground (this process owns it); -e: log to stderr, where the test reads it.
  const child: ChildProcess = spawn(SSHD, ['-D', '-e', '-f', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr!.on('data', (d: Buffer) => (log += d.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`sshd did not listen within 10 s:\n${tail(log)}`)), 10_000);
    const onData = () => {
      if (log.includes(`Server listening on 127.0.0.1 port ${port}`)) {
        clearTimeout(timer);
        child.stderr!.off('data', onData);
        resolve();
      }
    };
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(log.includes('Address already in use') ? new PortTakenError() : new Error(`sshd exited with ${code}:\n${tail(log)}`));
    });
  });

  fs.writeFileSync(path.join(dir, SERVER_PID), String(child.pid));
  // A test process that exits without stop() (a crash, an interrupted run) takes its server with it.
  const stopOnExit = () => child.kill('SIGKILL');
  process.once('exit', stopOnExit);

  let others = 0;
  const sshd: TestSshd = {
    host: '127.0.0.1',
    port,
    user: SFTP_USER,
    privateKeyPath: keys.clientKey,
    hostKeyFingerprint: keys.hostKeyFingerprint,
    root,
    drop(name, content) {
      const file = path.join(root, LAYOUT.inbound, name);
      // whole or not at all, as a partner writing by rename would: a test must not race its own write
      const part = path.join(dir, `.drop-${crypto.randomUUID()}`);
      fs.writeFileSync(part, content, { mode: 0o644 });
      fs.renameSync(part, file);
      return file;
    },
    filesIn(folder) {
      return fs
        .readdirSync(path.join(root, folder), { withFileTypes: true })
        .filter((e) => e.isFile())
        .map((e) => e.name)
        .sort();
    },
    async dropConnections() {
      // The per-connection sshd processes are this server's children: ending them is a connection lost mid-way.
      // Each connection is a privileged monitor and its unprivileged child, both holding the socket: end both.
      for (const pid of descendantsOf(child.pid!)) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
      await new Promise((r) => setTimeout(r, 50));
    },
    async otherKeyPath() {
      const file = path.join(dir, `stranger_${++others}`);
      await keygen(file, 'a key the server does not know');
      return file;
    },
    async logins(atLeast = 0) {
      const count = () => log.match(/Accepted publickey/g)?.length ?? 0;
      // the log line reaches this process a moment after the login it records
      for (let i = 0; i < 40 && count() < atLeast; i++) await new Promise((r) => setTimeout(r, 50));
      return count();
    },
    log: () => log,
    async stop() {
      process.off('exit', stopOnExit);
      await sshd.dropConnections();
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(timer);
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  return sshd;
}

const SERVER_PID = 'server.pid';

/**
 * Folders of servers that are gone (their test process was killed before stop()): removed. A folder whose
 * server still runs belongs to a test file running now, and one without a pid yet is still starting.
 */
function removeAbandoned(): void {
  for (const name of fs.readdirSync(BASE)) {
    const dir = path.join(BASE, name);
    let pid: number;
    try {
      pid = Number(fs.readFileSync(path.join(dir, SERVER_PID), 'utf8'));
    } catch {
      continue;
    }
    if (!Number.isInteger(pid) || alive(pid)) continue;
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Process ids below `pid` (children, their children, ...), from /proc. */
function descendantsOf(pid: number): number[] {
  const parents = new Map<number, number>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      // the command may hold spaces and parentheses: the fields after the last ')' are fixed
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parents.set(Number(entry), ppid);
    } catch {
      // gone meanwhile
    }
  }
  const below = new Set([pid]);
  for (let grew = true; grew;) {
    grew = false;
    for (const [p, parent] of parents) {
      if (below.has(parent) && !below.has(p)) {
        below.add(p);
        grew = true;
      }
    }
  }
  below.delete(pid);
  return [...below];
}
