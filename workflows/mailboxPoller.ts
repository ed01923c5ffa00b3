// mailboxPoller: polls one SFTP mailbox for as long as it lives. Each poll fetches the inbound folder into the
// MailboxFile table, then hands every stored file still waiting to the X12 intake, one activity per file, then
// sleeps. The files come from the database, so a poll whose fetch failed (the server is down) still processes what
// an earlier fetch stored, and a file stored just before a crash is processed by the next poll. Deterministic:
// nothing here but activities, timers and continue-as-new.
import { ActivityFailure, continueAsNew, log, proxyActivities, sleep, workflowInfo } from '@temporalio/workflow';
import { MAILBOX_POLLS_PER_RUN, mailboxTaskQueue, type MailboxActivities, type MailboxPollerInput } from './mailboxContract';

// Fetching: a few tries, then the poll goes on without it (the server's trouble must not stop what is stored).
const fetchingOptions = {
  startToCloseTimeout: '10 minutes',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 3 },
} as const;
// Reading the queue and processing: a file the intake refuses is marked FAILED by the activity itself, so a
// failure here is ours (the database, Temporal): retried for about ten minutes, then left RECEIVED for the next poll
// rather than holding up every file behind it.
const processingOptions = {
  startToCloseTimeout: '10 minutes',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes', maximumAttempts: 8 },
} as const;

const DEFAULT_POLL_SECONDS = 300;

export async function mailboxPoller(input: MailboxPollerInput): Promise<void> {
  const polls = input.pollsPerRun ?? MAILBOX_POLLS_PER_RUN;
  const taskQueue = mailboxTaskQueue(input.mailbox);
  const fetching = proxyActivities<Pick<MailboxActivities, 'fetchMailbox'>>({ taskQueue, ...fetchingOptions });
  const processing = proxyActivities<Pick<MailboxActivities, 'pendingMailboxFiles' | 'processMailboxFile'>>({
    taskQueue,
    ...processingOptions,
  });
  for (let poll = 0; poll < polls; poll++) {
    try {
      const fetched = await fetching.fetchMailbox(input.mailbox);
      if (fetched.stored || fetched.skipped) log.info('mailbox fetched', { ...fetched });
    } catch (err) {
      if (!(err instanceof ActivityFailure)) throw err;
      log.warn('mailbox fetch failed; processing what is stored', { error: err.cause?.message ?? err.message });
    }
    let pollSeconds = DEFAULT_POLL_SECONDS;
    try {
      const pending = await processing.pendingMailboxFiles(input.mailbox);
      pollSeconds = pending.pollSeconds;
      for (const id of pending.ids) {
        try {
          await processing.processMailboxFile(id);
        } catch (err) {
          if (!(err instanceof ActivityFailure)) throw err;
          log.warn('mailbox file not processed; left for the next poll', { id, error: err.cause?.message ?? err.message });
        }
      }
    } catch (err) {
      if (!(err instanceof ActivityFailure)) throw err;
      log.warn('mailbox files could not be listed', { error: err.cause?.message ?? err.message });
    }
    if (workflowInfo().continueAsNewSuggested) break;
    await sleep(pollSeconds * 1000);
  }
  await continueAsNew<typeof mailboxPoller>(input);
}
