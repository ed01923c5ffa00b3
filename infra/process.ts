// Small pieces every long-running claimflow process needs: one-line start-up errors, free-port checks,
// a lock on the data folder, and a bounded-concurrency loop.
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

/** A start-up failure the operator can act on: printed as one line, without a stack. */
export class StartupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StartupError';
  }
}

/** One readable line for any error: the message of a StartupError, the first useful message otherwise. */
export function describeError(err: unknown): string {
  if (err instanceof StartupError) return err.message;
  if (err instanceof AggregateError && err.errors.length) return describeError(err.errors[0]);
  if (err instanceof Error) {
    const code = (err as NodeJS.ErrnoException).code;
    const msg = err.message.split('\n')[0].trim() || code || err.name;
    return code && !msg.includes(code) ? `${msg} (${code})` : msg;
  }
  return String(err);
}

/** host:port with IPv6 hosts bracketed; 0.0.0.0 and :: become loopback for a URL someone can open. */
export function urlHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}

/** Throws a StartupError naming the setting to change when `port` is taken on `host`. */
export async function assertPortFree(port: number, host: string, setting: string, what: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE') {
        reject(new StartupError(`port ${port} on ${host} (${what}) is already in use: stop whatever holds it or set ${setting}`));
      } else if (err.code === 'EACCES') {
        reject(new StartupError(`not allowed to listen on port ${port} (${what}): choose another with ${setting}`));
      } else if (err.code === 'EADDRNOTAVAIL') {
        reject(new StartupError(`cannot listen on ${host}: no such address on this machine (${what})`));
      } else reject(err);
    });
    probe.listen({ port, host, exclusive: true }, () => probe.close(() => resolve()));
  });
}

/** A port the OS says is free right now on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** `count` distinct free ports. */
export async function freePorts(count: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < count) ports.add(await freePort());
  return [...ports];
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export const LOCK_FILE = 'claimflow.lock';

/** The pid of another live process holding dataDir's lock, if any. */
export function lockHolder(dataDir: string): number | undefined {
  try {
    const pid = Number(fs.readFileSync(path.join(dataDir, LOCK_FILE), 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 && pid !== process.pid && pidAlive(pid) ? pid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Takes the data folder for this process: the embedded database and the dev server's file may be open
 * in one process only. A lock left by a process that is gone is taken over.
 */
export function lockDataDir(dataDir: string): () => void {
  fs.mkdirSync(dataDir, { recursive: true });
  const holder = lockHolder(dataDir);
  if (holder !== undefined) {
    throw new StartupError(`${dataDir} is in use by another claimflow process (pid ${holder}): stop it first, or set CLAIMFLOW_DATA_DIR`);
  }
  const file = path.join(dataDir, LOCK_FILE);
  fs.writeFileSync(file, `${process.pid}\n`);
  return () => {
    try {
      if (fs.readFileSync(file, 'utf8').trim() === String(process.pid)) fs.unlinkSync(file);
    } catch {
      // already gone
    }
  };
}

/** Runs fn over items with at most `limit` in flight; results in item order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i], i);
    }
  });
  await Promise.all(lanes);
  return out;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** The command line of a live process, where the OS shows it (/proc on Linux); undefined otherwise. */
export function commandLineOf(pid: number): string | undefined {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    return undefined;
  }
}

/**
 * Stops a child that an earlier run of this job left behind (the job was killed outright): only the process
 * named in `pidFile`, and only if its command line still contains `mustContain`.
 */
export async function stopLeftover(pidFile: string, mustContain: string, log: (line: string) => void, what: string): Promise<void> {
  let pid: number;
  try {
    pid = Number(fs.readFileSync(pidFile, 'utf8').trim());
  } catch {
    return;
  }
  const cmd = Number.isInteger(pid) && pid > 0 && pidAlive(pid) ? commandLineOf(pid) : undefined;
  if (cmd?.includes(mustContain)) {
    log(`stopping ${what} left running by an earlier run (pid ${pid})`);
    process.kill(pid, 'SIGTERM');
    const deadline = Date.now() + 15_000;
    while (pidAlive(pid) && Date.now() < deadline) await sleep(200);
    if (pidAlive(pid)) process.kill(pid, 'SIGKILL');
  }
  fs.rmSync(pidFile, { force: true });
}
