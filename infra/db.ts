// Opens the database: PostgreSQL through adapter-pg for a postgresql:// URL, embedded PGlite for pglite:<dir>.
// Pending migrations from prisma/migrations are applied first, with Prisma's own (Wasm) schema engine.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../generated/prisma/client';
import { loadWasmEngine, makeAdapterFactory } from './prismaEngine.mjs';

export type Db = PrismaClient;
export interface OpenedDb {
  prisma: PrismaClient;
  close(): Promise<void>;
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const MIGRATIONS = path.join(root, 'prisma', 'migrations');
const SCHEMA = path.join(root, 'prisma', 'schema.prisma');

function readMigrations() {
  const lock = path.join(MIGRATIONS, 'migration_lock.toml');
  const dirs = fs
    .readdirSync(MIGRATIONS, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
  return {
    baseDir: MIGRATIONS,
    lockfile: { path: 'migration_lock.toml', content: fs.existsSync(lock) ? fs.readFileSync(lock, 'utf8') : null },
    shadowDbInitScript: '',
    migrationDirectories: dirs.map((name) => ({
      path: name,
      migrationFile: {
        path: 'migration.sql',
        content: { tag: 'ok', value: fs.readFileSync(path.join(MIGRATIONS, name, 'migration.sql'), 'utf8') },
      },
    })),
  };
}

/** `prisma migrate deploy` without the native engine: returns the names of migrations it applied. */
export async function applyMigrations(url: string, pglite?: unknown): Promise<string[]> {
  const wasm = await loadWasmEngine();
  const factory = await makeAdapterFactory(url, { pglite });
  const engine = await wasm.SchemaEngine.new({ datamodels: [[SCHEMA, fs.readFileSync(SCHEMA, 'utf8')]] }, () => {}, factory);
  try {
    const res = await engine.applyMigrations({ migrationsList: readMigrations(), filters: { externalTables: [], externalEnums: [] } });
    return res.appliedMigrationNames as string[];
  } finally {
    engine.free?.();
  }
}

export async function createDatabaseIfMissing(url: string): Promise<void> {
  const { default: pg } = await import('pg');
  const { parseIntoClientConfig } = await import('pg-connection-string');
  const cfg = parseIntoClientConfig(url);
  const admin = new pg.Client({ ...cfg, database: 'postgres' });
  await admin.connect();
  try {
    const found = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [cfg.database]);
    if (found.rowCount === 0) await admin.query(`CREATE DATABASE "${String(cfg.database).replace(/"/g, '')}"`);
  } finally {
    await admin.end();
  }
}

export async function openDatabase(url: string, { migrate = true } = {}): Promise<OpenedDb> {
  if (/^postgres(ql)?:\/\//.test(url)) {
    if (migrate) {
      await createDatabaseIfMissing(url);
      await applyMigrations(url);
    }
    const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: url, max: 20 }) });
    return { prisma, close: () => prisma.$disconnect() };
  }
  if (url.startsWith('pglite:')) {
    const dir = url.slice('pglite:'.length);
    if (dir) fs.mkdirSync(dir, { recursive: true });
    const { PGlite } = await import('@electric-sql/pglite');
    const { PrismaPGlite } = await import('pglite-prisma-adapter');
    const pglite = new PGlite(dir || undefined);
    if (migrate) await applyMigrations(url, pglite);
    const prisma = new PrismaClient({ adapter: new PrismaPGlite(pglite) });
    return {
      prisma,
      close: async () => {
        await prisma.$disconnect();
        await pglite.close();
      },
    };
  }
  throw new Error(`DATABASE_URL must be postgresql://... or pglite:<dir>, got a ${url.split(':')[0]} URL`);
}
