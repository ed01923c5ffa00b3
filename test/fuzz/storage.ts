// What a refused request may not change, and what no response may carry. Test-only.
import { expect } from 'vitest';
import type { PrismaClient } from '../../generated/prisma/client';

/**
 * Rows per table of the public schema, every table the migrations made, so a table added later is counted
 * too. ApiToken is left out: reading with a token stamps lastUsedAt, which is no stored input.
 */
export async function rowCounts(prisma: PrismaClient): Promise<Record<string, number>> {
  const tables = await prisma.$queryRawUnsafe<{ name: string }[]>(
    `SELECT table_name AS name FROM information_schema.tables
      WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name NOT IN ('_prisma_migrations', 'ApiToken')
      ORDER BY table_name`,
  );
  const sql = tables
    .map((t) => `SELECT '${t.name.replace(/'/g, "''")}' AS name, count(*)::int AS n FROM "${t.name.replace(/"/g, '""')}"`)
    .join(' UNION ALL ');
  const rows = await prisma.$queryRawUnsafe<{ name: string; n: number }[]>(sql);
  return Object.fromEntries(rows.map((r) => [r.name, Number(r.n)]));
}

/** No stack trace, source path or internal error text in a response body. */
export function assertNoLeak(text: string, input: string): void {
  expect(text, `${input}: a stack frame in the body`).not.toMatch(/\n\s+at \S/);
  expect(text, `${input}: a source path in the body`).not.toMatch(/\.(ts|js|mjs):\d+/);
  expect(text, `${input}: an internal error in the body`).not.toMatch(/TypeError|RangeError|ReferenceError|PrismaClient|Invalid `prisma/);
}
