// What the benchmarks ran on, printed beside every figure: the machine is shared, so a figure without the
// cores, memory and load average it was measured under cannot be compared with another.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import pg from 'pg';
import { LOCAL_TEMPORAL_CLI } from '../infra/temporal';

export interface MachineFacts {
  cores: number;
  model: string;
  totalMemGiB: number;
  node: string;
  postgres?: string;
  temporalCli?: string;
}

/** The load average now: it moves while a benchmark runs, so every figure carries its own. */
export function loadAverage(): string {
  return os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join('/');
}

/** A short tag for the end of a figure's line: `[2 cores, 23.5 GiB, load 3.1/2.8/2.0]`. */
export function machineTag(): string {
  return `[${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, load ${loadAverage()}]`;
}

function temporalCliVersion(): string | undefined {
  // The CLI the dev server runs: the project-local one when the install step put it there.
  const candidates = [LOCAL_TEMPORAL_CLI, 'temporal'];
  for (const exe of candidates) {
    if (exe !== 'temporal' && !fs.existsSync(exe)) continue;
    try {
      return execFileSync(exe, ['--version'], { encoding: 'utf8', timeout: 10_000 })
        .trim()
        .replace(/^temporal version /, '');
    } catch {
      // not installed under this name
    }
  }
  return undefined;
}

async function postgresVersion(url: string): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    const { rows } = await client.query<{ server_version: string }>('SHOW server_version');
    return rows[0]?.server_version;
  } catch {
    return undefined;
  } finally {
    await client.end().catch(() => {});
  }
}

// The benchmarks are programs of their own: their database is their flag (BENCH_DATABASE_URL, else the tests').
export async function machineFacts(
  databaseUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres',
): Promise<MachineFacts> {
  const cpus = os.cpus();
  return {
    cores: cpus.length,
    model: cpus[0]?.model.trim() ?? 'unknown',
    totalMemGiB: os.totalmem() / 2 ** 30,
    node: process.version,
    postgres: await postgresVersion(databaseUrl),
    temporalCli: temporalCliVersion(),
  };
}

/** One line: cores, model, memory, load average, Node, PostgreSQL and Temporal CLI versions. */
export async function describeMachine(databaseUrl?: string): Promise<string> {
  const m = await machineFacts(databaseUrl);
  return (
    `machine: ${m.cores} cores (${m.model}), ${m.totalMemGiB.toFixed(1)} GiB RAM, load ${loadAverage()}, Node ${m.node}, ` +
    `PostgreSQL ${m.postgres ?? 'not reachable'}, Temporal CLI ${m.temporalCli ?? 'not found'}`
  );
}

/** Prints the machine line; every benchmark calls this first. */
export async function printMachine(databaseUrl?: string): Promise<void> {
  console.log(await describeMachine(databaseUrl));
}
