// CPU time and memory of a process from /proc (Linux): what a benchmark reports per process (a worker, the
// Temporal server), and the whole machine's busy share, which says whether the cores were the limit.
import fs from 'node:fs';
import os from 'node:os';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** User + system CPU seconds a process has used so far; undefined once it is gone. */
export function cpuSeconds(pid: number): number | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/** Resident set size now (VmRSS) and its peak since the process started (VmHWM), in MB. */
export function memoryMb(pid: number): { rss: number; hwm: number } | undefined {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
    return { rss: kb('VmRSS') / 1024, hwm: kb('VmHWM') / 1024 };
  } catch {
    return undefined;
  }
}

/** Busy and total jiffies of all cores, from /proc/stat. */
function machineTicks(): { busy: number; total: number } {
  const cpu = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const idle = cpu[3] + (cpu[4] ?? 0);
  const total = cpu.reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}

/**
 * Watches processes for the length of a run: CPU seconds used between start and stop, the peak RSS sampled
 * every second (VmHWM would include start-up, e.g. a worker bundling its workflows), and the machine's busy share.
 */
export class ProcessWatch {
  private readonly startCpu = new Map<number, number>();
  private readonly peakRss = new Map<number, number>();
  private readonly lastRss = new Map<number, number>();
  private startMachine = machineTicks();
  private startedAt = Date.now();
  private timer?: NodeJS.Timeout;

  constructor(private readonly pids: Record<string, number>) {}

  start(): void {
    this.startedAt = Date.now();
    this.startMachine = machineTicks();
    for (const pid of Object.values(this.pids)) this.startCpu.set(pid, cpuSeconds(pid) ?? 0);
    this.sample();
    this.timer = setInterval(() => this.sample(), 1_000);
    this.timer.unref();
  }

  private sample(): void {
    for (const pid of Object.values(this.pids)) {
      const m = memoryMb(pid);
      if (!m) continue;
      this.lastRss.set(pid, m.rss);
      this.peakRss.set(pid, Math.max(this.peakRss.get(pid) ?? 0, m.rss));
    }
  }

  /** Per process: CPU seconds in the window, average cores used, peak and current RSS; and the machine's busy share. */
  stop(): {
    seconds: number;
    machineBusy: number;
    perProcess: { name: string; pid: number; cpuS: number; cores: number; peakRssMb: number; rssMb: number }[];
  } {
    this.sample();
    if (this.timer) clearInterval(this.timer);
    const seconds = (Date.now() - this.startedAt) / 1000;
    const end = machineTicks();
    const machineBusy = (end.busy - this.startMachine.busy) / Math.max(1, end.total - this.startMachine.total);
    const perProcess = Object.entries(this.pids).map(([name, pid]) => {
      const cpuS = (cpuSeconds(pid) ?? this.startCpu.get(pid) ?? 0) - (this.startCpu.get(pid) ?? 0);
      return { name, pid, cpuS, cores: cpuS / seconds, peakRssMb: this.peakRss.get(pid) ?? 0, rssMb: this.lastRss.get(pid) ?? 0 };
    });
    return { seconds, machineBusy, perProcess };
  }
}

export const cores = () => os.cpus().length;
