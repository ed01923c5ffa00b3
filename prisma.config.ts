import { defineConfig } from 'prisma/config';

// The CLI (migrate, db, studio) reads DATABASE_URL; `generate` needs no database.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  ...(process.env.DATABASE_URL ? { datasource: { url: process.env.DATABASE_URL } } : {}),
});
