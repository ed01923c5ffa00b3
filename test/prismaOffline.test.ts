// Smoke test of the offline Prisma tooling we own (scripts/prisma-offline, infra/db.ts): migrations
// apply through Prisma's Wasm schema engine to PostgreSQL and PGlite, are recorded with the native
// engine's checksums, and the real Prisma CLI reads them through the engine stand-in.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations, openDatabase } from '../infra/db';
import { createTestDatabase, type TestDatabase } from './database';

const migrationDirs = fs
  .readdirSync('prisma/migrations', { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();
let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase('claimflow_prisma');
});
afterAll(async () => {
  await db?.drop();
});

describe('offline Prisma migrations', () => {
  it('applies every migration once to PostgreSQL with the checksums the native engine writes', async () => {
    expect(await applyMigrations(db.url)).toEqual([]); // createTestDatabase already migrated it
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      const rows = (await client.query('SELECT migration_name, checksum, finished_at FROM _prisma_migrations ORDER BY migration_name'))
        .rows;
      expect(rows.map((r) => r.migration_name)).toEqual(migrationDirs);
      for (const r of rows) {
        const sql = fs.readFileSync(path.join('prisma/migrations', r.migration_name, 'migration.sql'));
        expect(r.checksum).toBe(crypto.createHash('sha256').update(sql).digest('hex'));
        expect(r.finished_at).not.toBeNull();
      }
    } finally {
      await client.end();
    }
  });

  it('migrates an embedded PGlite database and Prisma reads and writes it', async () => {
    const embedded = await openDatabase('pglite:');
    try {
      await embedded.prisma.payer.create({ data: { id: 'p', name: 'Test payer', electronicPayerId: 'T1' } });
      expect(await embedded.prisma.payer.count()).toBe(1);
    } finally {
      await embedded.close();
    }
  });

  it('the real Prisma CLI, run through our engine stand-in, finds the schema up to date', () => {
    const r = spawnSync(process.execPath, ['scripts/prisma-offline/prisma.mjs', 'migrate', 'status'], {
      env: { ...process.env, DATABASE_URL: db.url, PRISMA_HIDE_UPDATE_MESSAGE: '1' },
      encoding: 'utf8',
      timeout: 90_000,
    });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Database schema is up to date/);
  });
});
