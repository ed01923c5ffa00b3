// Completing a POSTING_EXCEPTION: a remittance claim that matched no claim of ours (api/inbound/intake.ts opened the
// task and stored the payment as an UnmatchedClaimPayment). There is no workflow behind such a task, so the
// API validates and applies the outcome itself:
// - MATCH { claimId }: the payment becomes a ClaimPayment of that claim (it must exist, have the remittance's
//   payer and a lifecycle still running) and the claim's workflow gets the remittance signal a matched payment
//   would have had, so it posts once (postPayment's postedAt guard and the workflow's dedupe).
// - RESOLVED_NO_ACTION { note }: nothing posts (another practice's payment, a refund requested...).
import { randomUUID } from 'node:crypto';
import type { Prisma, Task } from '../../generated/prisma/client';
import { FINAL_STATES, remittanceSignal, type ClaimState, type TaskOutcome } from '../../workflows/contract';
import type { RemittanceAdjustment, RemittanceLine } from '../../domain/clearinghouse';
import { inPractices, type PracticeScope } from '../auth/practices';
import { recordAudit } from '../http/audit';
import { signalClaimWorkflow, type SignalOutcome } from '../claims/claimSignals';
import type { ApiContext } from '../http/context';
import { ApiError, ConflictError, UnprocessableError, ValidationError } from '../http/errors';
import { remittanceSignalFor } from '../inbound/intake';

export const POSTING_EXCEPTION_KIND = 'POSTING_EXCEPTION';
const ACTIONS = ['MATCH', 'RESOLVED_NO_ACTION'] as const;

export interface PostingExceptionResult {
  taskId: string;
  action: (typeof ACTIONS)[number];
  /** MATCH: the claim the payment now belongs to, its new ClaimPayment and whether the workflow got the signal */
  claimId?: string;
  claimPaymentId?: string;
  signal?: SignalOutcome;
}

export async function completePostingException(
  ctx: ApiContext,
  task: Task,
  userId: string,
  outcome: TaskOutcome,
  scope: PracticeScope,
): Promise<PostingExceptionResult> {
  const action = outcome.action as (typeof ACTIONS)[number];
  if (!(ACTIONS as readonly string[]).includes(action)) {
    throw new ValidationError(`a ${POSTING_EXCEPTION_KIND} task takes ${ACTIONS.join(' or ')}, not ${action}`, 'outcome.action');
  }
  if (outcome.diagnoses || outcome.lines) {
    throw new ValidationError(`a ${POSTING_EXCEPTION_KIND} task takes no codes`, outcome.diagnoses ? 'outcome.diagnoses' : 'outcome.lines');
  }
  const unmatchedId = (task.context as { unmatchedPaymentId?: string } | null)?.unmatchedPaymentId;
  if (!unmatchedId) throw new ConflictError('TASK_COMPLETION_REJECTED', 'the task does not name its unmatched payment');

  if (action === 'RESOLVED_NO_ACTION') {
    const note = outcome.note;
    if (!note) throw new ValidationError('a note saying why nothing is posted is required', 'outcome.note');
    if (outcome.claimId) throw new ValidationError('RESOLVED_NO_ACTION takes no claimId', 'outcome.claimId');
    await ctx.prisma.$transaction(async (tx) => {
      await claimUnmatched(tx, unmatchedId, userId);
      await closeTask(tx, task, userId, { action, note });
      // The note is free text and may carry PHI: only the action is audited.
      await recordAudit(tx, {
        actor: userId,
        action: 'task.complete',
        entity: 'task',
        entityId: task.id,
        detail: { kind: task.kind, action },
      });
    });
    return { taskId: task.id, action };
  }

  const claimId = outcome.claimId;
  if (!claimId) throw new ValidationError('MATCH needs the claimId the payment belongs to', 'outcome.claimId');
  const payment = await ctx.prisma.$transaction(async (tx) => {
    const unmatched = await tx.unmatchedClaimPayment.findUniqueOrThrow({ where: { id: unmatchedId }, include: { remittance: true } });
    const claim = await tx.claim.findFirst({
      where: { id: claimId, ...inPractices(scope) },
      select: { id: true, payerId: true, state: true },
    });
    if (!claim) throw new UnprocessableError('UNKNOWN_REFERENCE', 'no such claim', 'outcome.claimId');
    if (claim.payerId !== unmatched.remittance.payerId) {
      throw new ApiError(409, 'PAYER_MISMATCH', `claim ${claimId} is billed to another payer than the remittance's`, 'outcome.claimId');
    }
    if (FINAL_STATES.includes(claim.state as ClaimState)) {
      throw new ApiError(
        409,
        'CLAIM_CLOSED',
        `claim ${claimId} is ${claim.state.toLowerCase()}: its lifecycle can no longer post a payment`,
        'outcome.claimId',
      );
    }
    await claimUnmatched(tx, unmatchedId, userId);
    const paymentId = randomUUID();
    const adjustments = unmatched.adjustments as unknown as RemittanceAdjustment[];
    const lines = unmatched.lines as unknown as RemittanceLine[];
    const created = await tx.claimPayment.create({
      data: {
        id: paymentId,
        remittanceId: unmatched.remittanceId,
        claimId,
        sequence: unmatched.sequence,
        statusCode: unmatched.statusCode,
        chargeCents: unmatched.chargeCents,
        paidCents: unmatched.paidCents,
        patientRespCents: unmatched.patientRespCents,
        payerClaimControlNo: unmatched.payerClaimControlNo,
        adjustments: {
          create: adjustments.map((a) => ({
            lineNo: a.lineNo ?? null,
            groupCode: a.groupCode,
            carc: a.carc,
            amountCents: a.amountCents,
            rarc: a.rarc ?? null,
          })),
        },
        lines: {
          create: lines.map((l) => ({
            lineNo: l.lineNo,
            procedureCode: l.procedureCode,
            chargeCents: l.chargeCents,
            paidCents: l.paidCents,
          })),
        },
      },
      include: { adjustments: { select: { carc: true } } },
    });
    await tx.unmatchedClaimPayment.update({ where: { id: unmatchedId }, data: { claimPaymentId: paymentId } });
    await closeTask(tx, task, userId, { action, claimId, ...(outcome.note ? { note: outcome.note } : {}) });
    await recordAudit(tx, {
      actor: userId,
      action: 'task.complete',
      entity: 'task',
      entityId: task.id,
      claimId,
      detail: { kind: task.kind, action },
    });
    await recordAudit(tx, {
      actor: userId,
      action: 'claim.remittance',
      entity: 'claim',
      entityId: claimId,
      claimId,
      detail: {
        remittanceId: unmatched.remittanceId,
        claimPaymentId: paymentId,
        statusCode: unmatched.statusCode,
        paidCents: unmatched.paidCents,
        matchedFrom: unmatchedId,
      },
    });
    return created;
  });
  // After the commit, as for any remittance: a lost signal is re-sent when the 835 is re-delivered.
  const signal = await signalClaimWorkflow(ctx, claimId, remittanceSignal, remittanceSignalFor(payment));
  return { taskId: task.id, action, claimId, claimPaymentId: payment.id, signal };
}

/** Marks the unmatched payment resolved; 409 if someone resolved it meanwhile. */
async function claimUnmatched(tx: Prisma.TransactionClient, id: string, userId: string): Promise<void> {
  const won = await tx.unmatchedClaimPayment.updateMany({
    where: { id, resolvedAt: null },
    data: { resolvedAt: new Date(), resolvedById: userId },
  });
  if (won.count === 0) throw new ConflictError('TASK_NOT_OPEN', 'the unmatched payment has already been resolved');
}

async function closeTask(tx: Prisma.TransactionClient, task: Task, userId: string, outcome: Record<string, string>): Promise<void> {
  const done = await tx.task.updateMany({
    where: { id: task.id, status: { in: ['OPEN', 'CLAIMED'] } },
    data: { status: 'DONE', outcome, doneAt: new Date(), doneById: userId, ...(task.assigneeId ? {} : { assigneeId: userId }) },
  });
  if (done.count === 0) throw new ConflictError('TASK_NOT_OPEN', 'the task changed meanwhile; read it again');
}
