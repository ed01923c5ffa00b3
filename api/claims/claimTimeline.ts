// A claim's story in time order, for every member of staff: transitions, tasks, submissions and
// acknowledgements, payments, appeals and notes, merged from the audit log, the read-model tables and the
// workflow's own history (signals received, updates accepted, timers fired). Entries carry a type, a time
// and a short description built from codes, amounts and ids only: free text (notes, void reasons, payer
// messages) never enters the timeline. Claim notes are read through GET /api/claims/:id/notes, task notes
// through GET /api/tasks/:id.
import { randomUUID } from 'node:crypto';
import { WorkflowNotFoundError } from '@temporalio/client';
import { optionalTsToDate, optionalTsToMs } from '@temporalio/common/lib/time';
import type { temporal as proto } from '@temporalio/proto';
import { Router } from 'express';
import type { z } from 'zod';
import type { AuditEvent } from '../../generated/prisma/client';
import { workflowIdForClaim } from '../../workflows/contract';
import { recordAudit } from '../http/audit';
import { callerId } from '../auth/auth';
import { callerPractices } from '../auth/practices';
import { visibleClaim } from './visibleClaim';
import type { ApiContext } from '../http/context';
import { isoFromDate } from '../http/dates';
import { parseInput } from '../http/errors';
import { addRoute, ALL_STAFF, describeRoute } from '../openapi/openapi';
import { addClaimNoteBody, claimNote, claimNotesResponse, timelineResponse, type timelineEntry } from '../supervisor/schemas';
import { grpcCode, isTemporalUnavailable } from '../http/temporal';

const MOUNT = '/api/claims';
/** A claim that continued as new many times has many runs; older ones than this are left out. */
const MAX_RUNS = 20;
export const NOTE_ACTION = 'claim.note';

const routes = {
  timeline: describeRoute({
    method: 'get',
    path: `${MOUNT}/:id/timeline`,
    roles: ALL_STAFF,
    tag: 'claims',
    response: timelineResponse,
    summary: "Everything that happened to a claim, in time order, from the audit log, the tables and the workflow's history",
  }),
  addNote: describeRoute({
    method: 'post',
    path: `${MOUNT}/:id/notes`,
    roles: ALL_STAFF,
    tag: 'claims',
    status: 201,
    body: addClaimNoteBody,
    response: claimNote,
    summary: 'Add a note to a claim (stored; never logged)',
  }),
  notes: describeRoute({
    method: 'get',
    path: `${MOUNT}/:id/notes`,
    roles: ALL_STAFF,
    tag: 'claims',
    response: claimNotesResponse,
    summary: "A claim's notes, oldest first (reading them is audited)",
  }),
};

type Entry = z.output<typeof timelineEntry>;

export function claimTimelineRouter(ctx: ApiContext): Router {
  const { prisma } = ctx;
  const router = Router();

  addRoute(router, MOUNT, routes.timeline, async (req, res) => {
    const claimId = req.params.id as string;
    const claim = await visibleClaim(prisma, callerPractices(res), claimId);
    const [recorded, workflow] = await Promise.all([recordedEntries(ctx, claimId), workflowEntries(ctx, claimId)]);
    const entries = [...recorded, ...workflow.entries]
      .map((e, i) => ({ e, i }))
      .sort((a, b) => a.e.at.localeCompare(b.e.at) || a.i - b.i)
      .map(({ e }) => e);
    await recordAudit(prisma, {
      actor: callerId(res),
      action: 'claim.read',
      entity: 'claim',
      entityId: claimId,
      claimId,
      detail: { view: 'timeline' },
    });
    const timeline: z.output<typeof timelineResponse> = { claimId, state: claim.state, entries, workflowHistory: workflow.status };
    res.json(timeline);
  });

  addRoute(router, MOUNT, routes.addNote, async (req, res) => {
    const claimId = req.params.id as string;
    const { text } = parseInput(addClaimNoteBody, req.body);
    const userId = callerId(res);
    await visibleClaim(prisma, callerPractices(res), claimId);
    // The note is the event: its text lives in this one audit row's detail and nowhere else (never in a log).
    const noteId = randomUUID();
    const event = await prisma.auditEvent.create({
      data: { actor: userId, action: NOTE_ACTION, entity: 'claim', entityId: claimId, claimId, detail: { noteId, text } },
    });
    const note: z.output<typeof claimNote> = { id: noteId, claimId, authorId: userId, at: event.at.toISOString(), text };
    res.location(`${MOUNT}/${claimId}/notes`).status(201).json(note);
  });

  addRoute(router, MOUNT, routes.notes, async (req, res) => {
    const claimId = req.params.id as string;
    await visibleClaim(prisma, callerPractices(res), claimId);
    const events = await prisma.auditEvent.findMany({ where: { claimId, action: NOTE_ACTION }, orderBy: { id: 'asc' } });
    await recordAudit(prisma, {
      actor: callerId(res),
      action: 'claim.read',
      entity: 'claim',
      entityId: claimId,
      claimId,
      detail: { view: 'notes' },
    });
    const notes: z.output<typeof claimNotesResponse> = {
      items: events.map((e): z.output<typeof claimNote> => {
        const d = e.detail as { noteId?: string; text?: string };
        return { id: d.noteId ?? String(e.id), claimId, authorId: e.actor, at: e.at.toISOString(), text: d.text ?? '' };
      }),
    };
    res.json(notes);
  });

  return router;
}

// ---- the read model: audit log and tables ------------------------------------------------------

/** Audit actions the tables tell better (tasks, submissions, payments, appeals), and reads, which are access, not events. */
const TOLD_BY_TABLES = new Set([
  'task.opened',
  'task.completed',
  'task.cancelled',
  'task.complete',
  'claim.submitted',
  'claim.remittance',
  'payment.posted',
  'payment.reversed',
  'claim.appealed',
  'claim.appeal-decision',
]);
const isRead = (action: string) => action.endsWith('.read') || action === 'claim.list';

async function recordedEntries(ctx: ApiContext, claimId: string): Promise<Entry[]> {
  const { prisma } = ctx;
  const [claim, audit, tasks, submissions, payments, appeals] = await Promise.all([
    prisma.claim.findUniqueOrThrow({
      where: { id: claimId },
      select: { createdAt: true, totalChargeCents: true, encounter: { select: { dateOfService: true } } },
    }),
    prisma.auditEvent.findMany({ where: { claimId }, orderBy: { id: 'asc' } }),
    prisma.task.findMany({ where: { claimId }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] }),
    prisma.submission.findMany({ where: { claimId }, orderBy: { attempt: 'asc' } }),
    prisma.claimPayment.findMany({
      where: { claimId },
      include: {
        remittance: { select: { receivedAt: true, traceNumber: true } },
        adjustments: { select: { groupCode: true, carc: true } },
      },
    }),
    prisma.appeal.findMany({ where: { claimId }, orderBy: { level: 'asc' } }),
  ]);
  const out: Entry[] = [];
  const at = (d: Date) => d.toISOString();

  if (!audit.some((e) => e.action === 'claim.create')) {
    out.push({
      at: at(claim.createdAt),
      type: 'claim.created',
      source: 'record',
      actor: null,
      description: `claim created for date of service ${isoFromDate(claim.encounter.dateOfService)}`,
    });
  }
  for (const e of audit) {
    if (TOLD_BY_TABLES.has(e.action) || isRead(e.action)) continue;
    out.push(auditEntry(e));
  }
  for (const t of tasks) {
    const ref = { taskId: t.id, kind: t.kind };
    out.push({
      at: at(t.createdAt),
      type: 'task.opened',
      source: 'record',
      actor: 'workflow',
      description: `${t.kind} task opened in the ${t.queue} queue, due ${at(t.dueAt)}`,
      ref,
    });
    // Takes are audited one by one (claim, release, reassign); the row keeps only the last.
    if (t.claimedAt && !audit.some((e) => e.action === 'task.claim' && e.entityId === t.id))
      out.push({
        at: at(t.claimedAt),
        type: 'task.claimed',
        source: 'record',
        actor: t.assigneeId,
        description: `${t.kind} task claimed${t.assigneeId ? ` by ${t.assigneeId}` : ''}`,
        ref,
      });
    if (t.escalatedAt)
      out.push({
        at: at(t.escalatedAt),
        type: 'task.escalated',
        source: 'record',
        actor: 'workflow',
        description: `${t.kind} task overdue: priority raised to ${t.priority}`,
        ref,
      });
    if (t.doneAt && t.status === 'DONE') {
      const action = (t.outcome as { action?: string } | null)?.action;
      out.push({
        at: at(t.doneAt),
        type: 'task.done',
        source: 'record',
        actor: t.doneById,
        description: `${t.kind} task done${action ? `: ${action}` : ''}`,
        ref,
      });
    }
    if (t.doneAt && t.status === 'CANCELLED')
      out.push({
        at: at(t.doneAt),
        type: 'task.cancelled',
        source: 'record',
        actor: 'workflow',
        description: `${t.kind} task cancelled`,
        ref,
      });
  }
  for (const s of submissions) {
    const kind = s.frequencyCode === '7' ? 'corrected claim' : s.frequencyCode === '8' ? 'void' : 'original claim';
    out.push({
      at: at(s.submittedAt),
      type: 'submission.sent',
      source: 'record',
      actor: 'workflow',
      description: `837P attempt ${s.attempt} sent (${kind}, frequency ${s.frequencyCode}, ICN ${s.interchangeControlNumber})`,
      ref: { attempt: s.attempt },
    });
  }
  for (const p of payments) {
    const carcs = [...new Set(p.adjustments.map((a) => `${a.groupCode}-${a.carc}`))].join(', ');
    const ref = { claimPaymentId: p.id, traceNumber: p.remittance.traceNumber };
    out.push({
      at: at(p.remittance.receivedAt),
      type: 'payment.received',
      source: 'record',
      actor: 'clearinghouse',
      description: `835 claim payment received: status ${p.statusCode} (${CLP_STATUS[p.statusCode] ?? 'other'}), paid ${p.paidCents} of ${p.chargeCents} cents, patient responsibility ${p.patientRespCents}${carcs ? `; adjustments ${carcs}` : ''}`,
      ref,
    });
    if (p.postedAt) {
      out.push({
        at: at(p.postedAt),
        type: p.statusCode === '22' ? 'payment.reversed' : 'payment.posted',
        source: 'record',
        actor: 'workflow',
        description: p.statusCode === '22' ? 'payment reversal posted' : 'claim payment posted',
        ref,
      });
    }
  }
  for (const a of appeals) {
    out.push({
      at: at(a.filedAt),
      type: 'appeal.filed',
      source: 'record',
      actor: 'workflow',
      description: `appeal level ${a.level} filed (deadline ${isoFromDate(a.deadline)})`,
      ref: { level: a.level },
    });
    if (a.decidedAt)
      out.push({
        at: at(a.decidedAt),
        type: 'appeal.decided',
        source: 'record',
        actor: 'clearinghouse',
        description: `appeal level ${a.level} ${a.status.toLowerCase()}`,
        ref: { level: a.level },
      });
  }
  return out;
}

const CLP_STATUS: Record<string, string> = {
  '1': 'paid as primary',
  '2': 'paid as secondary',
  '3': 'paid as tertiary',
  '4': 'denied',
  '22': 'reversal',
};

/** One audit row as an entry; detail fields are picked one by one so that free text never comes through. */
function auditEntry(e: AuditEvent): Entry {
  const d = (e.detail ?? {}) as Record<string, unknown>;
  const str = (k: string) => (typeof d[k] === 'string' ? (d[k] as string) : undefined);
  const num = (k: string) => (typeof d[k] === 'number' ? (d[k] as number) : undefined);
  const base = { at: e.at.toISOString(), source: 'audit' as const, actor: e.actor };
  switch (e.action) {
    case 'claim.create':
      return {
        ...base,
        type: 'claim.created',
        description: `claim created: ${num('lines') ?? '?'} lines, ${num('totalChargeCents') ?? '?'} cents, payer ${str('payerId') ?? '?'}`,
      };
    case 'claim.transition': {
      const to = str('to') ?? '?';
      return {
        ...base,
        at: str('at') ?? base.at,
        type: 'state.changed',
        description: `${str('from') ?? 'new'} → ${to}${transitionReason(to, str('reason'))}`,
        ref: { state: to },
      };
    }
    case 'claim.coded': {
      // Diagnosis codes tie a condition to a patient: the count, not the codes.
      const diagnoses = Array.isArray(d.diagnoses) ? d.diagnoses.length : 0;
      const lines = num('lineCount');
      return { ...base, type: 'codes.applied', description: `codes applied: ${diagnoses} diagnoses${lines ? `, ${lines} lines` : ''}` };
    }
    case 'claim.acknowledgement': {
      const accepted = d.accepted === true;
      return {
        ...base,
        type: 'acknowledgement.received',
        description: `acknowledgement of attempt ${num('attempt') ?? '?'}: ${accepted ? 'accepted' : `rejected${str('rejectionCode') ? ` (${str('rejectionCode')})` : ''}`}`,
        ref: { attempt: num('attempt') ?? 0 },
      };
    }
    case 'claim.status-checked':
      return {
        ...base,
        type: 'status.checked',
        description: `claim status inquiry: ${str('category') ?? '?'}${str('statusCode') ? ` (${str('statusCode')})` : ''}`,
      };
    case 'statement.produced':
      return { ...base, type: 'statement.produced', description: `patient statement for ${num('amountCents') ?? '?'} cents` };
    case 'claim.written-off':
      return {
        ...base,
        type: 'claim.written-off',
        description: `${num('amountCents') ?? '?'} cents written off${e.actor !== 'workflow' ? ` (approved by ${e.actor})` : ''}`,
      };
    case 'claim.void':
      return { ...base, type: 'claim.void-requested', description: `void requested by ${e.actor}` };
    case NOTE_ACTION:
      return { ...base, type: 'note.added', description: `note added by ${e.actor}`, ref: { noteId: str('noteId') ?? String(e.id) } };
    case 'task.claim':
      return { ...base, type: 'task.claimed', description: `${str('kind') ?? 'a'} task taken by ${e.actor}`, ref: { taskId: e.entityId } };
    case 'task.release':
      return {
        ...base,
        type: 'task.released',
        description: `${str('kind') ?? 'a'} task given back to its queue by ${e.actor}`,
        ref: { taskId: e.entityId },
      };
    case 'task.reassign':
      return {
        ...base,
        type: 'task.reassigned',
        description: `${str('kind') ?? 'a'} task reassigned from ${str('from') ?? 'nobody'} to ${str('to') ?? '?'} by ${e.actor}`,
        ref: { taskId: e.entityId },
      };
    case 'task.priority':
      return {
        ...base,
        type: 'task.priority-set',
        description: `${str('kind') ?? 'a'} task priority set from ${num('from') ?? '?'} to ${num('to') ?? '?'} by ${e.actor}`,
        ref: { taskId: e.entityId },
      };
    case 'task.note':
      return {
        ...base,
        type: 'note.added',
        description: `note added to a task by ${e.actor}`,
        ref: { taskId: e.entityId, noteId: str('noteId') ?? String(e.id) },
      };
    case 'claim.activity-reset':
      return { ...base, type: 'activity.reset', description: `failing workflow step retried by ${e.actor}` };
    default:
      return { ...base, type: e.action, description: e.action };
  }
}

/** Reasons the workflow writes are codes and amounts, except two: a void's reason (a person's words) and a payer's rejection text. */
function transitionReason(to: string, reason: string | undefined): string {
  if (!reason || to === 'VOIDED') return '';
  if (to === 'REJECTED') return `: ${reason.split(':')[0]}`;
  return `: ${reason}`;
}

// ---- the workflow's history ------------------------------------------------------------------

type HistoryEvent = proto.api.history.v1.IHistoryEvent;

async function workflowEntries(
  ctx: ApiContext,
  claimId: string,
): Promise<{ status: 'included' | 'not-found' | 'unavailable'; entries: Entry[] }> {
  const { temporal, timeouts, config } = ctx;
  const workflowId = workflowIdForClaim(claimId);
  const entries: Entry[] = [];
  try {
    await temporal.withDeadline(Date.now() + timeouts.callMs, async () => {
      // The latest run first; each run's start names the run it continued from.
      let runId: string | undefined;
      for (let run = 0; run < MAX_RUNS; run++) {
        const history = await temporal.workflow.getHandle(workflowId, runId).fetchHistory();
        const events = history.events ?? [];
        entries.push(...historyEntries(events, config.dayMs));
        const previous = events[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId;
        if (!previous) break;
        runId = previous;
      }
    });
    return { status: 'included', entries };
  } catch (err) {
    // fetchHistory reports a missing workflow as a plain NOT_FOUND service error
    if (err instanceof WorkflowNotFoundError || grpcCode(err) === 5) return { status: entries.length ? 'included' : 'not-found', entries };
    if (isTemporalUnavailable(err) || (err as Error).name === 'TimeoutError') return { status: 'unavailable', entries: [] };
    throw err;
  }
}

function historyEntries(events: HistoryEvent[], dayMs: number): Entry[] {
  const timers = new Map<string, number>();
  const activities = new Map<string, string>();
  const out: Entry[] = [];
  for (const e of events) {
    const at = optionalTsToDate(e.eventTime)?.toISOString();
    if (!at) continue;
    const base = { at, source: 'workflow' as const, actor: null };
    const id = String(e.eventId ?? '');
    if (e.workflowExecutionStartedEventAttributes) {
      const a = e.workflowExecutionStartedEventAttributes;
      out.push({
        ...base,
        type: a.continuedExecutionRunId ? 'workflow.continued' : 'workflow.started',
        description: a.continuedExecutionRunId
          ? 'workflow run continued from the previous run (continue-as-new)'
          : 'claim workflow started',
      });
    } else if (e.workflowExecutionSignaledEventAttributes) {
      out.push({
        ...base,
        type: 'workflow.signal',
        description: `signal received: ${e.workflowExecutionSignaledEventAttributes.signalName ?? '?'}`,
      });
    } else if (e.workflowExecutionUpdateAcceptedEventAttributes) {
      const name = e.workflowExecutionUpdateAcceptedEventAttributes.acceptedRequest?.input?.name ?? '?';
      out.push({ ...base, type: 'workflow.update', description: `update accepted: ${name}` });
    } else if (e.timerStartedEventAttributes) {
      timers.set(e.timerStartedEventAttributes.timerId ?? '', optionalTsToMs(e.timerStartedEventAttributes.startToFireTimeout) ?? 0);
    } else if (e.timerFiredEventAttributes) {
      const ms = timers.get(e.timerFiredEventAttributes.timerId ?? '');
      out.push({
        ...base,
        type: 'workflow.timer-fired',
        description: ms !== undefined ? `timer fired after ${Math.round((ms / dayMs) * 10) / 10} days` : 'timer fired',
      });
    } else if (e.activityTaskScheduledEventAttributes) {
      activities.set(id, e.activityTaskScheduledEventAttributes.activityType?.name ?? '?');
    } else if (e.activityTaskFailedEventAttributes) {
      out.push({
        ...base,
        type: 'workflow.activity-failed',
        description: `${activities.get(String(e.activityTaskFailedEventAttributes.scheduledEventId ?? '')) ?? 'an activity'} failed for good`,
      });
    } else if (e.activityTaskTimedOutEventAttributes) {
      out.push({
        ...base,
        type: 'workflow.activity-failed',
        description: `${activities.get(String(e.activityTaskTimedOutEventAttributes.scheduledEventId ?? '')) ?? 'an activity'} timed out for good`,
      });
    } else if (e.workflowExecutionContinuedAsNewEventAttributes) {
      out.push({ ...base, type: 'workflow.continued-as-new', description: 'history long: the workflow continued as new' });
    } else if (e.workflowExecutionCompletedEventAttributes) {
      out.push({ ...base, type: 'workflow.closed', description: 'claim workflow completed' });
    } else if (
      e.workflowExecutionFailedEventAttributes ||
      e.workflowExecutionTerminatedEventAttributes ||
      e.workflowExecutionCanceledEventAttributes ||
      e.workflowExecutionTimedOutEventAttributes
    ) {
      out.push({
        ...base,
        type: 'workflow.closed',
        description: 'claim workflow ended without completing (failed, terminated, cancelled or timed out)',
      });
    }
  }
  return out;
}
