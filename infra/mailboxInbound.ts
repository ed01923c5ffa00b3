// Fetching a mailbox's inbound folder exactly once: each file is downloaded, stored in the database, and only then
// archived on the server. A crash at any point loses nothing and doubles nothing: a file stored but not archived
// is listed again at the next run, found stored (same mailbox, name and SHA-256) and archived; processing reads
// the stored copy, never the server's. Processing itself is the poller's (nextUnprocessed / markProcessed).
import crypto from 'node:crypto';
import { classifyX12File } from '../domain/x12/fileKind';
import { SftpMailboxError, type MailboxEntry } from './sftpMailbox';

/** What fetchInbound needs of a mailbox (SftpMailbox is one). */
export interface InboundMailbox {
  /** which mailbox: user@host:port, kept on every row */
  readonly name: string;
  readonly folders: { inbound: string };
  list(folder: string): Promise<MailboxEntry[]>;
  download(folder: string, name: string): Promise<Buffer>;
  /** moves an inbound file to the archive; undefined when it was no longer there */
  archive(name: string, tag: string): Promise<string | undefined>;
}

export interface ReceivedFile {
  mailbox: string;
  folder: string;
  name: string;
  sha256: string;
  size: number;
  content: Buffer;
  /** classifyX12File's kind: 999, TA1, 277CA, 277, 835, 271, 837P, 837I, 270, 276, MIXED or UNKNOWN */
  kind: string;
}

/** Where fetched files are kept (mailboxFiles.ts keeps them in the MailboxFile table). */
export interface InboundStore {
  /** Stores the file unless the mailbox already has this name with this content; answers its row either way. */
  receive(file: ReceivedFile): Promise<{ id: string; created: boolean }>;
  markArchived(id: string, archivedAs: string): Promise<void>;
}

export interface FetchReport {
  /** files found in the inbound folder */
  listed: number;
  /** new rows */
  stored: { id: string; name: string; kind: string; size: number }[];
  /** files that were stored by an earlier run (or another fetcher) and are now archived */
  alreadyStored: string[];
  /** files left on the server for the next run, and why */
  skipped: { name: string; reason: string }[];
}

/**
 * Files larger than this stay on the server, reported as skipped: the whole file is held in memory and in one
 * bytea value, and a remittance of this size is not one a clearinghouse sends (its 835s run to a few MB).
 */
export const MAX_FILE_BYTES = 64 * 1024 * 1024;

export const sha256Hex = (content: Buffer): string => crypto.createHash('sha256').update(content).digest('hex');

/**
 * One pass over the inbound folder. A lost connection is tried again once by the mailbox; if it stays lost this
 * throws (retryable) and what was not yet stored stays on the server for the next run.
 */
export async function fetchInbound(mailbox: InboundMailbox, store: InboundStore): Promise<FetchReport> {
  const folder = mailbox.folders.inbound;
  const entries = await mailbox.list(folder);
  const report: FetchReport = { listed: entries.length, stored: [], alreadyStored: [], skipped: [] };
  for (const entry of entries) {
    if (entry.size > MAX_FILE_BYTES) {
      report.skipped.push({ name: entry.name, reason: `${entry.size} bytes, over the ${MAX_FILE_BYTES}-byte limit: left on the server` });
      continue;
    }
    let content: Buffer;
    try {
      content = await mailbox.download(folder, entry.name);
    } catch (err) {
      // another fetcher archived it since the listing: it is stored there
      if (err instanceof SftpMailboxError && !err.retryable) {
        report.skipped.push({ name: entry.name, reason: err.code === 'NOT_FOUND' ? 'gone since the listing' : err.message });
        continue;
      }
      throw err;
    }
    if (content.length !== entry.size) {
      // The partner is still writing it (a partner that does not write by rename): take it when it has settled.
      report.skipped.push({ name: entry.name, reason: `its size changed while it was read (${entry.size} → ${content.length} bytes)` });
      continue;
    }
    const sha256 = sha256Hex(content);
    // latin1 maps every byte to one character: the envelope is ASCII whatever the rest holds
    const kind = classifyX12File(content.toString('latin1')).kind;
    const { id, created } = await store.receive({
      mailbox: mailbox.name,
      folder,
      name: entry.name,
      sha256,
      size: content.length,
      content,
      kind,
    });
    if (created) report.stored.push({ id, name: entry.name, kind, size: content.length });
    else report.alreadyStored.push(entry.name);
    // Only now, with the row committed, may the server's copy move.
    const archivedAs = await mailbox.archive(entry.name, sha256.slice(0, 12));
    if (archivedAs) await store.markArchived(id, archivedAs);
  }
  return report;
}
