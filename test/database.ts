// A fresh PostgreSQL database per test file on the machine's server, migrated by our own migration code.
import crypto from 'node:crypto';
import pg from 'pg';
import { openDatabase, type OpenedDb } from '../infra/db';

// A test-only setting, read by the tests themselves (documented in README's table, not in Config).
const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase extends OpenedDb {
  url: string;
  drop(): Promise<void>;
}

export async function createTestDatabase(prefix = 'claimflow_test'): Promise<TestDatabase> {
  const name = `${prefix}_${crypto.randomBytes(5).toString('hex')}`;
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const db = await openDatabase(url.toString());
  return {
    ...db,
    url: url.toString(),
    async drop() {
      await db.close();
      const admin = new pg.Client({ connectionString: ADMIN_URL });
      await admin.connect();
      try {
        await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await admin.end();
      }
    },
  };
}
