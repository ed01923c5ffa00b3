import { defineConfig } from 'prisma/config';

// The CLI (migrate, db, studio) reads DATABASE_URL; `generate` needs no database. This is the Prisma CLI's own
// configuration file, loaded by that program, so it reads the environment itself rather than infra/config.ts.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  ...(process.env.DATABASE_URL ? { datasource: { url: process.env.DATABASE_URL } } : {}),
});
