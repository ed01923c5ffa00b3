// The JSON shapes the API answers with, built from read-model rows: calendar dates as YYYY-MM-DD,
// instants as ISO strings, money as integer cents.
import type { EligibilityCheck, Prisma, PrismaClient, Task, TaskNote } from '../../generated/prisma/client';
import { explainTaskRank, type TaskRankInput } from '../../domain/priority';
import { TASK_KINDS, type TaskKind } from '../../workflows/contract';
import { isoFromDate } from './dates';
import type {
  ClaimDetailView,
  ClaimSummaryView,
  EligibilityCheckView,
  PatientView,
  QueueItemView,
  TaskNoteView,
  TaskView,
} from './viewSchemas';

type ClaimDetailPart<K extends 'lines' | 'diagnoses' | 'submissions' | 'payments' | 'appeals' | 'history'> = ClaimDetailView[K][number];
type PaymentPart<K extends 'adjustments' | 'lines'> = ClaimDetailPart<'payments'>[K][number];

// Overloaded so that a column that cannot be null stays a string in the views' types.
function iso(d: Date): string;
function iso(d: Date | null | undefined): string | null;
function iso(d: Date | null | undefined): string | null {
  return d ? d.toISOString() : null;
}

const claimDetailInclude = {
  encounter: true,
  lines: { orderBy: { lineNo: 'asc' } },
  diagnoses: { orderBy: { seq: 'asc' } },
  submissions: { orderBy: { attempt: 'asc' } },
  payments: {
    orderBy: { remittance: { receivedAt: 'asc' } },
    include: {
      remittance: { select: { traceNumber: true, paymentDate: true, paymentMethod: true } },
      adjustments: { orderBy: [{ lineNo: { sort: 'asc', nulls: 'first' } }, { groupCode: 'asc' }, { carc: 'asc' }] },
      lines: { orderBy: { lineNo: 'asc' } },
    },
  },
  appeals: { orderBy: { level: 'asc' } },
  tasks: { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] },
} satisfies Prisma.ClaimInclude;
type ClaimDetailRow = Prisma.ClaimGetPayload<{ include: typeof claimDetailInclude }>;

/** The claim as the read model knows it, with everything attached to it; null if there is no such claim. */
export async function loadClaimDetail(prisma: PrismaClient, claimId: string, now = new Date()): Promise<ClaimDetailView | null> {
  const claim = await prisma.claim.findUnique({ where: { id: claimId }, include: claimDetailInclude });
  if (!claim) return null;
  const [transitions, eligibility] = await Promise.all([
    prisma.auditEvent.findMany({ where: { claimId, action: 'claim.transition' }, orderBy: { id: 'asc' } }),
    prisma.eligibilityCheck.findUnique({
      where: { coverageId_dateOfService: { coverageId: claim.coverageId, dateOfService: claim.encounter.dateOfService } },
    }),
  ]);
  return {
    ...claimSummaryView(claim, now),
    frequencyCode: claim.frequencyCode,
    payerClaimControlNo: claim.payerClaimControlNo,
    coverageId: claim.coverageId,
    encounterId: claim.encounterId,
    placeOfService: claim.encounter.placeOfService,
    documentation: claim.encounter.documentation,
    adjustedCents: claim.adjustedCents,
    patientRespCents: claim.patientRespCents,
    writtenOffCents: claim.writtenOffCents,
    updatedAt: iso(claim.updatedAt),
    closedAt: iso(claim.closedAt),
    lines: claim.lines.map((l): ClaimDetailPart<'lines'> => ({
      lineNo: l.lineNo,
      procedureCode: l.procedureCode,
      modifiers: l.modifiers,
      units: l.units,
      chargeCents: l.chargeCents,
      diagnosisPointers: l.diagnosisPointers,
      paidCents: l.paidCents,
      adjustedCents: l.adjustedCents,
      patientRespCents: l.patientRespCents,
    })),
    diagnoses: claim.diagnoses.map((d): ClaimDetailPart<'diagnoses'> => ({ seq: d.seq, code: d.code, suggested: d.suggested })),
    submissions: claim.submissions.map((s): ClaimDetailPart<'submissions'> => ({
      attempt: s.attempt,
      frequencyCode: s.frequencyCode,
      status: s.status,
      rejectReason: s.rejectReason,
      clearinghouseRef: s.clearinghouseRef,
      submittedAt: iso(s.submittedAt),
      respondedAt: iso(s.respondedAt),
    })),
    payments: claim.payments.map((p) => paymentView(p)),
    appeals: claim.appeals.map((a): ClaimDetailPart<'appeals'> => ({
      level: a.level,
      status: a.status,
      deadline: isoFromDate(a.deadline),
      packet: a.packet,
      filedAt: iso(a.filedAt),
      decidedAt: iso(a.decidedAt),
    })),
    tasks: claim.tasks.map((t) => taskView(t, now)),
    eligibility: eligibility ? eligibilityView(eligibility) : null,
    history: transitions.map((e): ClaimDetailPart<'history'> => ({ at: iso(e.at), actor: e.actor, detail: e.detail })),
  };
}

/** An EligibilityCheck row as the claim page shows it; plan and benefits are the JSON eligibilityFromResponse made. */
export function eligibilityView(row: EligibilityCheck): EligibilityCheckView {
  return {
    id: row.id,
    coverageId: row.coverageId,
    dateOfService: isoFromDate(row.dateOfService),
    status: row.status as EligibilityCheckView['status'],
    advice: (row.advice ?? null) as EligibilityCheckView['advice'],
    plan: row.plan as EligibilityCheckView['plan'],
    benefits: row.benefits as EligibilityCheckView['benefits'],
    reasons: row.reasons,
    checkedAt: row.checkedAt.toISOString(),
    checkedBy: row.checkedBy,
  };
}

function paymentView(p: ClaimDetailRow['payments'][number]): ClaimDetailPart<'payments'> {
  return {
    id: p.id,
    remittanceId: p.remittanceId,
    traceNumber: p.remittance.traceNumber,
    paymentDate: isoFromDate(p.remittance.paymentDate),
    paymentMethod: p.remittance.paymentMethod,
    statusCode: p.statusCode,
    chargeCents: p.chargeCents,
    paidCents: p.paidCents,
    patientRespCents: p.patientRespCents,
    payerClaimControlNo: p.payerClaimControlNo,
    postedAt: iso(p.postedAt),
    adjustments: p.adjustments.map((a): PaymentPart<'adjustments'> => ({
      lineNo: a.lineNo,
      groupCode: a.groupCode,
      carc: a.carc,
      rarc: a.rarc,
      amountCents: a.amountCents,
    })),
    lines: p.lines.map((l): PaymentPart<'lines'> => ({
      lineNo: l.lineNo,
      procedureCode: l.procedureCode,
      chargeCents: l.chargeCents,
      paidCents: l.paidCents,
    })),
  };
}

type ClaimSummaryRow = Prisma.ClaimGetPayload<{ include: { encounter: { select: { dateOfService: true } } } }>;
export const claimSummaryInclude = { encounter: { select: { dateOfService: true } } } satisfies Prisma.ClaimInclude;

/** A claim in a list: where it is and what it is worth, without documentation or lines. */
export function claimSummaryView(claim: ClaimSummaryRow, now = new Date()): ClaimSummaryView {
  return {
    id: claim.id,
    organizationId: claim.organizationId,
    state: claim.state,
    stateEnteredAt: iso(claim.stateEnteredAt),
    msInState: Math.max(0, now.getTime() - claim.stateEnteredAt.getTime()),
    patientId: claim.patientId,
    providerId: claim.providerId,
    payerId: claim.payerId,
    dateOfService: isoFromDate(claim.encounter.dateOfService),
    totalChargeCents: claim.totalChargeCents,
    paidCents: claim.paidCents,
    balanceCents: claim.balanceCents,
    createdAt: iso(claim.createdAt),
  };
}

const OPEN_STATUSES = new Set(['OPEN', 'CLAIMED']);

/** What the task's context says about the money and the deadline its priority was computed from. */
function rankInput(task: Task): TaskRankInput {
  const ctx = (task.context ?? {}) as Record<string, unknown>;
  const dateOf = (v: unknown) => (typeof v === 'string' && !Number.isNaN(Date.parse(v)) ? new Date(v) : undefined);
  const appeal = dateOf(ctx.appealDeadline);
  const filing = dateOf(ctx.timelyFilingDeadline);
  return {
    kind: task.kind,
    priority: task.priority,
    amountCents: typeof ctx.balanceCents === 'number' ? ctx.balanceCents : undefined,
    deadline: appeal ? { name: 'appeal deadline', at: appeal } : filing ? { name: 'timely filing deadline', at: filing } : undefined,
    dueAt: task.dueAt,
    workable: OPEN_STATUSES.has(task.status),
    escalatedAt: task.escalatedAt,
    prioritySetAt: task.prioritySetAt,
    prioritySetById: task.prioritySetById,
  };
}

/** A task as a queue lists it: the task, its rank explained, and the claim facts the filters use. */
export function queueItemView(
  task: Task & { claim: { payerId: string; balanceCents: number } | null },
  now: Date,
  dayMs: number,
): QueueItemView {
  const { claim, ...row } = task;
  return { ...taskView(row, now, dayMs), claim: claim ? { payerId: claim.payerId, balanceCents: claim.balanceCents } : null };
}

export function noteView(n: TaskNote): TaskNoteView {
  return { id: n.id, taskId: n.taskId, authorId: n.authorId, body: n.body, createdAt: iso(n.createdAt) };
}

export function taskView(task: Task, now = new Date(), dayMs = 86_400_000): TaskView {
  return {
    id: task.id,
    claimId: task.claimId,
    organizationId: task.organizationId,
    workflowId: task.workflowId,
    queue: task.queue,
    kind: task.kind,
    actions: [...(TASK_KINDS[task.kind as TaskKind]?.actions ?? [])],
    status: task.status,
    priority: task.priority,
    rank: explainTaskRank(rankInput(task), now, dayMs),
    dueAt: iso(task.dueAt),
    overdue: OPEN_STATUSES.has(task.status) && task.dueAt.getTime() < now.getTime(),
    assigneeId: task.assigneeId,
    context: task.context,
    outcome: task.outcome,
    escalatedFromId: task.escalatedFromId,
    escalatedAt: iso(task.escalatedAt),
    createdAt: iso(task.createdAt),
    claimedAt: iso(task.claimedAt),
    doneAt: iso(task.doneAt),
    doneById: task.doneById,
    prioritySetById: task.prioritySetById,
    prioritySetAt: iso(task.prioritySetAt),
  };
}

type PatientRow = Prisma.PatientGetPayload<{ include: { coverages: { include: { payer: { select: { name: true } } } } } }>;
export const patientInclude = {
  coverages: { orderBy: { priority: 'asc' }, include: { payer: { select: { name: true } } } },
} satisfies Prisma.PatientInclude;

export function patientView(p: PatientRow): PatientView {
  return {
    id: p.id,
    organizationId: p.organizationId,
    firstName: p.firstName,
    lastName: p.lastName,
    birthDate: isoFromDate(p.birthDate),
    sex: p.sex,
    addressLine: p.addressLine,
    city: p.city,
    state: p.state,
    postalCode: p.postalCode,
    balanceCents: p.balanceCents,
    createdAt: iso(p.createdAt),
    coverages: p.coverages.map((c): PatientView['coverages'][number] => ({
      id: c.id,
      payerId: c.payerId,
      payerName: c.payer.name,
      memberId: c.memberId,
      groupNumber: c.groupNumber,
      priority: c.priority,
      relationship: c.relationship,
    })),
  };
}
