// The MailboxFile table: files fetched from clearinghouse mailboxes, stored once per mailbox, name and content
// (its unique key is what makes two fetchers, or a fetch re-run after a crash, store a file once), then handed
// to whatever processes them, oldest first.
import type { Db } from './db';
import type { InboundStore, ReceivedFile } from './mailboxInbound';

export interface MailboxFileRow {
  id: string;
  mailbox: string;
  folder: string;
  name: string;
  sha256: string;
  size: number;
  content: Buffer;
  kind: string;
  receivedAt: Date;
}

/** How processing a file ended: the intake took it, or refused it (the reason is kept; never PHI). */
export type ProcessingOutcome = { state: 'PROCESSED' } | { state: 'FAILED'; error: string };

export class MailboxFiles implements InboundStore {
  constructor(private readonly db: Db) {}

  async receive(file: ReceivedFile): Promise<{ id: string; created: boolean }> {
    // ON CONFLICT DO NOTHING: a second fetcher's insert of the same file neither fails nor adds a row.
    const { count } = await this.db.mailboxFile.createMany({
      data: [{ ...file, content: new Uint8Array(file.content) }],
      skipDuplicates: true,
    });
    const row = await this.db.mailboxFile.findUniqueOrThrow({
      where: { mailbox_name_sha256: { mailbox: file.mailbox, name: file.name, sha256: file.sha256 } },
      select: { id: true },
    });
    return { id: row.id, created: count === 1 };
  }

  async markArchived(id: string, archivedAs: string): Promise<void> {
    await this.db.mailboxFile.updateMany({ where: { id, archivedAt: null }, data: { archivedAs, archivedAt: new Date() } });
  }

  /** The oldest file still waiting to be processed, with its content; undefined when none waits. */
  async nextUnprocessed(): Promise<MailboxFileRow | undefined> {
    const row = await this.db.mailboxFile.findFirst({
      where: { state: 'RECEIVED' },
      orderBy: [{ receivedAt: 'asc' }, { id: 'asc' }],
      select: { id: true, mailbox: true, folder: true, name: true, sha256: true, size: true, content: true, kind: true, receivedAt: true },
    });
    return row ? { ...row, content: Buffer.from(row.content) } : undefined;
  }

  /** The ids of a mailbox's files still waiting, oldest first: what the poller processes, from here, never from the server. */
  async pendingIds(mailbox: string, limit = 100): Promise<string[]> {
    const rows = await this.db.mailboxFile.findMany({
      where: { mailbox, state: 'RECEIVED' },
      orderBy: [{ receivedAt: 'asc' }, { id: 'asc' }],
      select: { id: true },
      take: limit,
    });
    return rows.map((r) => r.id);
  }

  /** One file with its content, whatever its state; undefined when there is none with this id. */
  async byId(id: string): Promise<(MailboxFileRow & { state: string }) | undefined> {
    const row = await this.db.mailboxFile.findUnique({
      where: { id },
      select: {
        id: true,
        mailbox: true,
        folder: true,
        name: true,
        sha256: true,
        size: true,
        content: true,
        kind: true,
        receivedAt: true,
        state: true,
      },
    });
    return row ? { ...row, content: Buffer.from(row.content) } : undefined;
  }

  /** Records how processing ended; false when the file was not waiting (processed already, or unknown). */
  async markProcessed(id: string, outcome: ProcessingOutcome): Promise<boolean> {
    const { count } = await this.db.mailboxFile.updateMany({
      where: { id, state: 'RECEIVED' },
      data: { state: outcome.state, error: outcome.state === 'FAILED' ? outcome.error : null, processedAt: new Date() },
    });
    return count === 1;
  }
}
