// The API alone in a child process, as `npm start` runs it but without Temporal (the routes these benchmarks time
// do not use it), so that its latency is measured over loopback and not inside the load generator's event loop.
import { fork, type ChildProcess } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import type { Client } from '@temporalio/client';
import { createApp } from '../api/app';
import { loadConfig } from '../infra/config';
import { openDatabase } from '../infra/db';

/** The child side: serves the API on a free loopback port, reports the port to the parent, stops on SIGTERM. */
export async function serveApi(databaseUrl: string): Promise<void> {
  const db = await openDatabase(databaseUrl, { migrate: false });
  const app = createApp({
    prisma: db.prisma,
    temporal: {} as Client,
    config: { ...loadConfig(), databaseUrl, trustUserHeader: false },
    log: (msg, fields) => console.error(JSON.stringify({ msg, ...fields })),
  });
  const server = app.listen(0, '127.0.0.1', () => process.send!({ port: (server.address() as AddressInfo).port }));
  process.once('SIGTERM', () => server.close(() => db.close().then(() => process.exit(0))));
}

/** The parent side: runs `script --serve <databaseUrl>` and resolves with the child and its port. */
export async function forkApi(script: string, databaseUrl: string): Promise<{ child: ChildProcess; port: number }> {
  const child = fork(script, ['--serve', databaseUrl], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (m) => resolve((m as { port: number }).port));
    child.once('exit', (code) => reject(new Error(`the API process exited (${code})`)));
  });
  return { child, port };
}
