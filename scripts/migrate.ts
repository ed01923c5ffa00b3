// `npm run migrate`: applies pending migrations from prisma/migrations to DATABASE_URL (or the embedded
// PGlite database under .data/) with Prisma's Wasm schema engine, and names what it applied.
import { loadConfig, showStacks } from '../infra/config';
import { applyMigrations, createDatabaseIfMissing } from '../infra/db';
import { describeError, lockHolder, StartupError } from '../infra/process';

async function main(): Promise<void> {
  const config = loadConfig();
  const url = config.databaseUrl;
  let applied: string[];
  if (url.startsWith('pglite:')) {
    const holder = lockHolder(config.dataDir);
    if (holder !== undefined)
      throw new StartupError(`${config.dataDir} is in use by claimflow (pid ${holder}); it applies migrations at start by itself`);
    const dir = url.slice('pglite:'.length);
    const { PGlite } = await import('@electric-sql/pglite');
    const pglite = new PGlite(dir);
    try {
      applied = await applyMigrations(url, pglite);
    } finally {
      await pglite.close();
    }
    console.log(`database: embedded PGlite in ${dir}`);
  } else if (/^postgres(ql)?:\/\//.test(url)) {
    await createDatabaseIfMissing(url);
    applied = await applyMigrations(url);
    const u = new URL(url);
    console.log(`database: PostgreSQL ${u.host}${u.pathname}`);
  } else {
    throw new StartupError(`DATABASE_URL must be postgresql://... or pglite:<dir>, got a ${url.split(':')[0]} URL`);
  }
  if (applied.length === 0) console.log('no pending migrations');
  for (const name of applied) console.log(`applied ${name}`);
}

main().catch((err: unknown) => {
  console.error(`claimflow migrate: ${describeError(err)}`);
  if (showStacks() && err instanceof Error) console.error(err.stack);
  process.exit(1);
});
