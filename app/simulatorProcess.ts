// The payer simulator as a child process of the main job: `node --import tsx simulator/main.ts`, its output
// appended to a log file, restarted (a bounded number of times) if it dies while nobody asked it to stop.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sleep, StartupError } from '../infra/process';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const GUARD = path.join(root, 'app', 'childGuard.mjs');

export interface SimulatorProcessOptions {
  /** what the simulator's routes require (SIMULATOR_TOKEN) */
  token: string;
  /** the simulator's credential for claimflow's inbound routes */
  inboundToken: string;
  port: number;
  /** claimflow's API base URL, where the simulator delivers acknowledgements and remittances */
  inboundUrl: string;
  dayMs: number;
  seed: number;
  stateFile: string;
  logFile: string;
  /** restarts allowed inside `restartWindowMs` before the simulator counts as broken */
  maxRestarts?: number;
  restartWindowMs?: number;
  log?: (line: string) => void;
  /** the simulator died and may not be restarted any more */
  onGiveUp?: (err: Error) => void;
}

export interface SimulatorProcess {
  url: string;
  pid(): number | undefined;
  stop(): Promise<void>;
}

async function waitForHealth(url: string, proc: ChildProcess, deadline: number): Promise<void> {
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (proc.exitCode !== null || proc.signalCode !== null) {
      throw new Error(`it exited (${proc.exitCode ?? proc.signalCode}) before it answered`);
    }
    try {
      const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(1000) });
      if (res.ok) return;
      last = `HTTP ${res.status}`;
    } catch (err) {
      last = (err as Error).message;
    }
    await sleep(150);
  }
  throw new Error(`no healthy answer from ${url}/health in time (${last})`);
}

export async function startSimulatorProcess(o: SimulatorProcessOptions): Promise<SimulatorProcess> {
  const url = `http://127.0.0.1:${o.port}`;
  const log = o.log ?? (() => {});
  const maxRestarts = o.maxRestarts ?? 5;
  const windowMs = o.restartWindowMs ?? 120_000;
  fs.mkdirSync(path.dirname(o.logFile), { recursive: true });
  const logFd = fs.openSync(o.logFile, 'a');
  // The child's environment: its own configuration (simulator/config.ts), and SIMULATOR_OUTBOUND_FORMAT & co. passed on.
  const env = {
    ...process.env,
    SIMULATOR_TOKEN: o.token,
    CLAIMFLOW_INBOUND_TOKEN: o.inboundToken,
    SIMULATOR_PORT: String(o.port),
    SIMULATOR_HOST: '127.0.0.1',
    SIMULATOR_SEED: String(o.seed),
    SIMULATOR_STATE_FILE: o.stateFile,
    SIMULATOR_DELIVERY: 'scheduled',
    CLAIMFLOW_INBOUND_URL: o.inboundUrl,
    CLAIMFLOW_DAY_MS: String(o.dayMs),
  };

  let proc: ChildProcess;
  let stopping = false;
  const restarts: number[] = [];

  const spawnOnce = (): ChildProcess => {
    // Own process group (detached): a Ctrl-C in the terminal reaches only the main job, which stops the
    // simulator in its turn. The guard stops it should the main job die without doing so.
    const child = spawn(process.execPath, ['--import', 'tsx', '--import', GUARD, path.join('simulator', 'main.ts')], {
      cwd: root,
      env,
      stdio: ['ignore', logFd, logFd, 'ipc'],
      detached: true,
    });
    child.channel?.unref();
    child.once('exit', (code, signal) => {
      if (stopping) return;
      const now = Date.now();
      while (restarts.length && now - restarts[0] > windowMs) restarts.shift();
      if (restarts.length >= maxRestarts) {
        o.onGiveUp?.(
          new Error(`the payer simulator died ${restarts.length + 1} times within ${Math.round(windowMs / 1000)} s; see ${o.logFile}`),
        );
        return;
      }
      restarts.push(now);
      const delay = Math.min(500 * 2 ** (restarts.length - 1), 8_000);
      log(`payer simulator exited (${code ?? signal}); restarting in ${delay} ms (see ${o.logFile})`);
      setTimeout(() => {
        if (stopping) return;
        proc = spawnOnce();
        waitForHealth(url, proc, Date.now() + 30_000).then(
          () => log('payer simulator is back'),
          (err) => log(`payer simulator restart failed: ${(err as Error).message}`),
        );
      }, delay).unref();
    });
    return child;
  };

  proc = spawnOnce();
  try {
    await waitForHealth(url, proc, Date.now() + 60_000);
  } catch (err) {
    stopping = true;
    if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
    fs.closeSync(logFd);
    throw new StartupError(`the payer simulator did not start: ${(err as Error).message}; see ${o.logFile}`);
  }

  return {
    url,
    pid: () => proc.pid,
    async stop() {
      if (stopping) return;
      stopping = true;
      const p = proc;
      if (p.exitCode === null && p.signalCode === null) {
        const exited = new Promise((r) => p.once('exit', r));
        p.kill('SIGTERM');
        const t = setTimeout(() => p.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(t);
      }
      fs.closeSync(logFd);
    },
  };
}
