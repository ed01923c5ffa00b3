// The SFTP mailbox poller's contract (docs/sftp-mailbox.md): its workflow id, the task queue its activities run
// on, and the activities it proxies. The main job registers the activities (app/mailboxPoller.ts); the workflow
// (mailboxPoller.ts) runs on the claim task queue like every other.

/**
 * The task queue of one mailbox's activities. Only a main job configured for that mailbox serves it (the activities
 * call the X12 intake, which lives with the API), so main jobs of two mailboxes on one namespace never take each
 * other's files.
 */
export const mailboxTaskQueue = (mailbox: string): string => `claimflow-mailbox:${mailbox}`;

/** One poller per mailbox (user@host:port: no PHI), started with USE_EXISTING: a second start joins the first. */
export const mailboxPollerWorkflowId = (mailbox: string): string => `mailbox-poller:${mailbox}`;

export interface MailboxPollerInput {
  /** user@host:port, as MailboxFile.mailbox has it */
  mailbox: string;
  /** polls per run before continue-as-new; default MAILBOX_POLLS_PER_RUN */
  pollsPerRun?: number;
}

/** A run's history grows by about 6 events per poll plus 6 per file: a few hundred polls stay far from the limits. */
export const MAILBOX_POLLS_PER_RUN = 200;

export interface FetchSummary {
  listed: number;
  stored: number;
  alreadyStored: number;
  skipped: number;
}

export interface PendingFiles {
  /** RECEIVED files of this mailbox, oldest first (at most a page: the rest at the next poll) */
  ids: string[];
  /** CLAIMFLOW_SFTP_POLL_SECONDS as the main job has it now: a changed setting applies without a restart of the poller */
  pollSeconds: number;
}

export interface MailboxFileOutcome {
  state: 'PROCESSED' | 'FAILED' | 'ALREADY_DONE';
  /** the file's kind (classifyX12File) */
  kind: string;
}

export interface MailboxActivities {
  /** One pass of fetchInbound over the inbound folder: store, then archive. */
  fetchMailbox(mailbox: string): Promise<FetchSummary>;
  /** The stored files still waiting, from the database (never the server). */
  pendingMailboxFiles(mailbox: string): Promise<PendingFiles>;
  /** Hands one stored file to the X12 intake and records how it ended (PROCESSED, or FAILED with the reason). */
  processMailboxFile(id: string): Promise<MailboxFileOutcome>;
}
