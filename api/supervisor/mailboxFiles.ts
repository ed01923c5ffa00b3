// GET /api/supervisor/mailbox-files: what came in through the clearinghouse's SFTP mailbox and how the poller's
// X12 intake took it, newest first, so that a FAILED file (unreadable, an unknown payer, a payer the mailbox's
// sender may not deliver for) is seen. Names, kinds, states and errors only: never a file's content, which is PHI.
// A mailbox file serves every practice at once, so, like a posting exception of no practice, only callers who
// see every practice see them; anyone else gets an empty list.
import { z } from 'zod';
import type { ApiContext } from '../http/context';
import { decodeCursor, DEFAULT_PAGE_SIZE, encodeCursor } from '../http/paging';
import type { PracticeScope } from '../auth/practices';
import type { mailboxFilesQuery, mailboxFilesResponse } from './schemas';

const cursorKey = z.object({ receivedAt: z.iso.datetime(), id: z.string() });

export async function listMailboxFiles(
  ctx: ApiContext,
  query: z.output<typeof mailboxFilesQuery>,
  scope: PracticeScope,
): Promise<z.input<typeof mailboxFilesResponse>> {
  if (!scope.all) return { items: [], nextCursor: null };
  const limit = query.limit ?? DEFAULT_PAGE_SIZE;
  const after = decodeCursor(cursorKey, query.cursor);
  const rows = await ctx.prisma.mailboxFile.findMany({
    where: {
      ...(query.state ? { state: { in: query.state } } : {}),
      ...(after
        ? {
            OR: [{ receivedAt: { lt: new Date(after.receivedAt) } }, { receivedAt: new Date(after.receivedAt), id: { lt: after.id } }],
          }
        : {}),
    },
    orderBy: [{ receivedAt: 'desc' }, { id: 'desc' }],
    take: limit + 1,
    // every column but content
    select: {
      id: true,
      mailbox: true,
      folder: true,
      name: true,
      kind: true,
      state: true,
      size: true,
      sha256: true,
      error: true,
      receivedAt: true,
      archivedAs: true,
      processedAt: true,
    },
  });
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    items: page.map((r) => ({ ...r, receivedAt: r.receivedAt.toISOString(), processedAt: r.processedAt?.toISOString() ?? null })),
    nextCursor: rows.length > limit && last ? encodeCursor({ receivedAt: last.receivedAt.toISOString(), id: last.id }) : null,
  };
}
