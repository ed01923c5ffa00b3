// The SFTP mailbox poller's activities and its start (docs/sftp-mailbox.md). They live in app/ because processing a
// file is the X12 intake of POST /api/inbound/x12 (api/inbound/x12.ts intakeX12), which activities/ may not
// import: the main job, which has the API's context at hand, serves them on the mailbox's own task queue
// (`claimflow-mailbox:<mailbox>`), so a scale-out worker never gets one. The workflow (workflows/mailboxPoller.ts)
// runs on the claim task queue like every other.
import { ApplicationFailure, type Client } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { Worker, type NativeConnection } from '@temporalio/worker';
import type { Sender } from '../api/auth/auth';
import type { ApiContext } from '../api/http/context';
import { ApiError, type Log } from '../api/http/errors';
import { intakeX12, type X12Error, type X12Intake } from '../api/inbound/x12';
import { MailboxFiles } from '../infra/mailboxFiles';
import { fetchInbound, type InboundMailbox } from '../infra/mailboxInbound';
import { sftpMailboxFromConfig, SftpMailboxError } from '../infra/sftpMailbox';
import type { Config } from '../infra/config';
import type { Metrics } from '../infra/metrics';
import type { PrismaClient } from '../generated/prisma/client';
import { DEFAULT_TEMPORAL_TIMEOUTS } from '../api/http/temporal';
import { TASK_QUEUE } from '../workflows/contract';
import {
  mailboxTaskQueue,
  mailboxPollerWorkflowId,
  type MailboxActivities,
  type MailboxFileOutcome,
  type MailboxPollerInput,
} from '../workflows/mailboxContract';
import type { mailboxPoller } from '../workflows/mailboxPoller';

/** The mailbox's sender is not a CLEARINGHOUSE user that may deliver: nothing is processed until it is (retried). */
export class MailboxSenderError extends Error {
  constructor(senderId: string, why: string) {
    super(`CLAIMFLOW_SFTP_SENDER ${senderId}: ${why}; the mailbox's files wait (RECEIVED) until it names an active CLEARINGHOUSE user`);
    this.name = 'MailboxSenderError';
  }
}

/** The CLEARINGHOUSE user the mailbox delivers as, read afresh for every file: a change of its payers applies at once. */
export async function mailboxSender(ctx: ApiContext, senderId: string): Promise<Sender> {
  const user = await ctx.prisma.user.findUnique({ where: { id: senderId }, select: { role: true, active: true, payerIds: true } });
  if (!user) throw new MailboxSenderError(senderId, 'no such user');
  if (user.role !== 'CLEARINGHOUSE') throw new MailboxSenderError(senderId, `a ${user.role} user cannot deliver clearinghouse files`);
  if (!user.active) throw new MailboxSenderError(senderId, 'the user is deactivated');
  return { id: senderId, payerIds: user.payerIds };
}

const MAX_ERROR_CHARS = 2000;

/** Where a problem is, never what the element held: the row's error is shown to supervisors and must carry no PHI. */
function describeX12Error(e: X12Error): string {
  const where = [
    e.transaction ? `transaction ${e.transaction}` : undefined,
    e.segmentIndex !== undefined ? `segment ${e.segmentIndex}${e.segmentId ? ` (${e.segmentId})` : ''}` : undefined,
    e.element !== undefined ? `element ${e.element}` : undefined,
    e.field ? `field ${e.field}` : undefined,
  ].filter(Boolean);
  // The intake's own refusals (SENDER_NOT_ALLOWED_FOR_PAYER, REMITTANCE_UNBALANCED, ...) say why; a syntax error's
  // reason may quote the element it could not read, so only its code and place are kept.
  const why = e.code.startsWith('X12_') ? '' : `: ${e.message}`;
  return `${e.code}${where.length ? ` at ${where.join(', ')}` : ''}${why}`;
}

/** PROCESSED when every transaction went through; FAILED, naming each problem, when any did not. */
export function outcomeOf(intake: X12Intake): { state: 'PROCESSED' } | { state: 'FAILED'; error: string } {
  if (!intake.readable) {
    const first = intake.error.errors[0];
    return {
      state: 'FAILED',
      error: `X12_SYNTAX: no readable transaction${first ? `; ${describeX12Error(first)}` : ''}`.slice(0, MAX_ERROR_CHARS),
    };
  }
  const problems = intake.errors.map(describeX12Error);
  for (const t of intake.transactions) {
    if (t.unknownPayer !== undefined)
      problems.push(
        `UNKNOWN_PAYER at transaction ${t.controlNumber}: no payer of ours has the 835's payer id (kept as an exception, nothing posted)`,
      );
  }
  return problems.length ? { state: 'FAILED', error: problems.join('; ').slice(0, MAX_ERROR_CHARS) } : { state: 'PROCESSED' };
}

export interface MailboxPollerDeps {
  /** the API's context: the intake signals claim workflows through its Temporal client and counts into its metrics */
  ctx: ApiContext;
  mailbox: InboundMailbox;
  files: MailboxFiles;
  /** CLAIMFLOW_SFTP_SENDER */
  senderId: string;
}

/**
 * Hands one stored file to the X12 intake, then records the outcome. Exactly once in effect: the intake stores
 * every message once (InboundMessage by kind and id, Remittance by payer and trace number) and re-signals what a
 * re-delivery finds unposted, so a file processed again after a crash between the intake and markProcessed changes
 * nothing and posts no money twice. What the intake refuses marks the file FAILED; anything else (the database,
 * Temporal, the sender setting) throws for the activity to be retried, the file staying RECEIVED.
 */
export async function processMailboxFile(deps: MailboxPollerDeps, id: string): Promise<MailboxFileOutcome> {
  const { ctx, files } = deps;
  const file = await files.byId(id);
  if (!file) throw ApplicationFailure.nonRetryable(`no mailbox file ${id}`, 'MailboxFileNotFound');
  if (file.state !== 'RECEIVED') return { state: 'ALREADY_DONE', kind: file.kind };
  const sender = await mailboxSender(ctx, deps.senderId);
  // latin1 maps each byte to one character: what the server held, byte for byte (X12 is ASCII in practice).
  const text = file.content.toString('latin1');
  let outcome: { state: 'PROCESSED' } | { state: 'FAILED'; error: string };
  try {
    outcome = outcomeOf(await intakeX12(ctx, sender, text));
  } catch (err) {
    if (!(err instanceof ApiError) || err.status >= 500) throw err;
    outcome = { state: 'FAILED', error: `${err.code}: ${err.message}`.slice(0, MAX_ERROR_CHARS) };
  }
  const recorded = await files.markProcessed(id, outcome);
  if (!recorded) return { state: 'ALREADY_DONE', kind: file.kind };
  ctx.metrics.mailboxFiles.inc({ kind: file.kind, outcome: outcome.state === 'PROCESSED' ? 'processed' : 'failed' });
  ctx.log(
    outcome.state === 'PROCESSED' ? 'mailbox file processed' : 'mailbox file failed',
    { mailboxFileId: id, kind: file.kind, size: file.size, ...(outcome.state === 'FAILED' ? { error: outcome.error } : {}) },
    outcome.state === 'PROCESSED' ? 'info' : 'warn',
  );
  return { state: outcome.state, kind: file.kind };
}

/** The activities of MailboxActivities, for one mailbox. */
export function mailboxActivities(deps: MailboxPollerDeps): MailboxActivities {
  const { mailbox, files, ctx } = deps;
  const ownMailbox = (name: string) => {
    // A poller of another mailbox (the setting changed while it ran) must not be served by this one.
    if (name !== mailbox.name) {
      throw ApplicationFailure.nonRetryable(`this main job polls ${mailbox.name}, not ${name}`, 'MailboxNotConfigured');
    }
  };
  return {
    async fetchMailbox(name) {
      ownMailbox(name);
      try {
        const report = await fetchInbound(mailbox, files);
        return {
          listed: report.listed,
          stored: report.stored.length,
          alreadyStored: report.alreadyStored.length,
          skipped: report.skipped.length,
        };
      } catch (err) {
        // A host key that does not match or a refused key will not mend by retrying: the poll goes on without it.
        if (err instanceof SftpMailboxError)
          throw ApplicationFailure.create({ message: err.message, type: err.code, nonRetryable: !err.retryable });
        throw err;
      }
    },
    async pendingMailboxFiles(name) {
      ownMailbox(name);
      return { ids: await files.pendingIds(name), pollSeconds: ctx.config.sftpPollSeconds };
    },
    processMailboxFile: (id) => processMailboxFile(deps, id),
  };
}

export interface RunningMailboxPoller {
  workflowId: string;
  worker: Worker;
  /** stops serving the activities; the workflow stays (asleep, or waiting for its activity) for the next start to join */
  stop(): Promise<void>;
}

/**
 * Starts the mailbox's poller workflow, or joins the one already running: USE_EXISTING on its fixed id, so there is
 * one poller per mailbox however many main jobs start. Answers the run it started or joined.
 */
export async function startMailboxPollerWorkflow(
  client: Client,
  mailbox: string,
  o: { workflowTaskQueue?: string; pollsPerRun?: number } = {},
): Promise<{ workflowId: string; runId: string }> {
  const input: MailboxPollerInput = { mailbox, ...(o.pollsPerRun ? { pollsPerRun: o.pollsPerRun } : {}) };
  const handle = await client.workflow.start<typeof mailboxPoller>('mailboxPoller', {
    taskQueue: o.workflowTaskQueue ?? TASK_QUEUE,
    workflowId: mailboxPollerWorkflowId(mailbox),
    args: [input],
    workflowIdConflictPolicy: 'USE_EXISTING',
  });
  return { workflowId: handle.workflowId, runId: handle.firstExecutionRunId };
}

/**
 * Serves the mailbox activities on the mailbox's task queue and starts the mailbox's poller workflow, or joins the one
 * already running (USE_EXISTING on its fixed id: one poller per mailbox however many main jobs start).
 */
export async function startMailboxPoller(o: {
  deps: MailboxPollerDeps;
  connection: NativeConnection;
  namespace: string;
  client: Client;
  dataConverter?: DataConverter;
  /** the claim task queue the workflow runs on; TASK_QUEUE unless a test says */
  workflowTaskQueue?: string;
  pollsPerRun?: number;
  onFatal?: (err: Error) => void;
}): Promise<RunningMailboxPoller> {
  const worker = await Worker.create({
    connection: o.connection,
    namespace: o.namespace,
    taskQueue: mailboxTaskQueue(o.deps.mailbox.name),
    activities: mailboxActivities(o.deps),
    dataConverter: o.dataConverter,
    // the workflow asks for one thing at a time; an 835 of hundreds of claims is work enough for this process
    maxConcurrentActivityTaskExecutions: 1,
  });
  let stopping = false;
  const running = worker.run().catch((err: unknown) => {
    if (!stopping) o.onFatal?.(err instanceof Error ? err : new Error(String(err)));
  });
  const stop = async () => {
    stopping = true;
    try {
      worker.shutdown();
    } catch {
      // not running any more
    }
    await running;
  };
  let workflowId: string;
  try {
    ({ workflowId } = await startMailboxPollerWorkflow(o.client, o.deps.mailbox.name, o));
  } catch (err) {
    await stop();
    throw err;
  }
  return { workflowId, worker, stop };
}

/**
 * What the main job does with the settings: nothing while CLAIMFLOW_SFTP_HOST is unset; else the mailbox they name,
 * its poller started (or joined), and a stop that ends the activity worker, then the SFTP connection.
 */
export async function startConfiguredMailboxPoller(o: {
  config: Config;
  prisma: PrismaClient;
  client: Client;
  connection: NativeConnection;
  namespace: string;
  metrics: Metrics;
  log: Log;
  dataConverter?: DataConverter;
  onFatal?: (err: Error) => void;
}): Promise<(RunningMailboxPoller & { mailbox: string }) | undefined> {
  const mailbox = sftpMailboxFromConfig(o.config);
  if (!mailbox) return undefined;
  let poller: RunningMailboxPoller;
  try {
    poller = await startMailboxPoller({
      deps: {
        ctx: {
          prisma: o.prisma,
          temporal: o.client,
          config: o.config,
          log: o.log,
          metrics: o.metrics,
          timeouts: DEFAULT_TEMPORAL_TIMEOUTS,
          // the X12 intake never asks a payer anything: no on-demand eligibility check runs from the mailbox
          clearinghouse: () => undefined,
        },
        mailbox,
        files: new MailboxFiles(o.prisma),
        // loadConfig requires it along with the host
        senderId: o.config.sftpSender!,
      },
      connection: o.connection,
      namespace: o.namespace,
      client: o.client,
      dataConverter: o.dataConverter,
      onFatal: o.onFatal,
    });
  } catch (err) {
    await mailbox.close();
    throw err;
  }
  return {
    ...poller,
    mailbox: mailbox.name,
    stop: async () => {
      await poller.stop();
      await mailbox.close();
    },
  };
}
