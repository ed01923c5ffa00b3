declare module 'vitest' {
  export interface ProvidedContext {
    workflowBundlePath: string;
  }
}

// Runs once before all test files: bundles the workflow code once (every worker in every file reuses
// it) and checks that the real PostgreSQL the tests need is there, with a clear message if not.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { bundleWorkflowCode } from '@temporalio/worker';
import { WORKFLOWS_PATH } from '../worker/worker';
import { FAILURE_CONVERTER_PATH } from '../infra/codec';

// A test-only setting, read by the tests themselves (documented in README's table, not in Config).
export const TEST_PG_URL = process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

export default async function setup({ provide }: { provide: (key: string, value: unknown) => void }) {
  const client = new pg.Client({ connectionString: TEST_PG_URL });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (err) {
    throw new Error(`tests need PostgreSQL at ${TEST_PG_URL} (set TEST_DATABASE_URL): ${(err as Error).message}`);
  } finally {
    await client.end().catch(() => {});
  }
  const { code } = await bundleWorkflowCode({
    workflowsPath: WORKFLOWS_PATH,
    failureConverterPath: FAILURE_CONVERTER_PATH,
    logger: { trace() {}, debug() {}, info() {}, warn: console.warn, error: console.error, log() {} } as any,
  });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'claimflow-bundle-'));
  const file = path.join(dir, 'workflow-bundle.js');
  fs.writeFileSync(file, code);
  provide('workflowBundlePath', file);
  return () => fs.rmSync(dir, { recursive: true, force: true });
}
