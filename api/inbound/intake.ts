// The intake of what the clearinghouse and payers send us (acknowledgements, remittances, appeal decisions),
// whichever format it came in: the JSON routes (router.ts) and the X12 files (x12.ts) both end here. Each
// message is held to the payers its sender may speak for. Each message is stored once, in the same transaction as the read-model change it causes, and only then
// signalled to the claim's workflow. A re-delivered message stores nothing but signals again, so a signal
// lost between commit and send is recovered by the sender's retry (the workflow dedupes by message id).
import { randomUUID } from 'node:crypto';
import type { Prisma, PrismaClient } from '../../generated/prisma/client';
import {
  acknowledgementSignal,
  appealDecisionSignal,
  remittanceSignal,
  type AcknowledgementSignal,
  type AppealDecisionSignal,
  type RemittanceSignal,
} from '../../workflows/contract';
import { auditRows, recordAudit } from '../http/audit';
import { mayDeliverFor, type Sender } from '../auth/auth';
import { signalClaimWorkflow, signalEach } from '../claims/claimSignals';
import type { ApiContext } from '../http/context';
import { dateFromIso } from '../http/dates';
import { ApiError, ForbiddenError, isUniqueViolation, UnprocessableError } from '../http/errors';
import type { InboundOutcome } from '../../infra/metrics';
import { findImbalance } from './remittanceBalance';
import { ANY_PAYER_GROUP, ANY_PRACTICE } from '../auth/access';
import { taskPriority } from '../../domain/priority';
import { DEFAULT_TASK_SLA_DAYS, TASK_KINDS } from '../../workflows/contract';
import type { acknowledgementMessage, appealDecisionMessage, RemittanceInput } from './schemas';
import type { z } from 'zod';

export type AcknowledgementInput = z.output<typeof acknowledgementMessage>;
export type AppealDecisionInput = z.output<typeof appealDecisionMessage>;

const ACK_KIND = 'ack';
const APPEAL_DECISION_KIND = 'appeal-decision';
const REMITTANCE_KIND = 'remittance';
const POSTING_EXCEPTION = 'POSTING_EXCEPTION';

/**
 * What claimflow did with a message that threw: refused it (a 4xx: the sender's to fix, body-parser's errors
 * included), or failed (ours: the sender retries).
 */
export function failureOutcome(err: unknown): InboundOutcome {
  const status = err instanceof ApiError ? err.status : (err as { status?: unknown } | null)?.status;
  return typeof status === 'number' && status >= 400 && status < 500 ? 'refused' : 'failed';
}

/**
 * Runs the handling of one inbound message and counts it (claimflow_inbound_messages_total) by kind and outcome:
 * accepted, duplicate (stored before: nothing changed), refused (a 4xx) or failed.
 */
export async function countInbound<T extends { duplicate: boolean }>(ctx: ApiContext, kind: string, handle: () => Promise<T>): Promise<T> {
  try {
    const result = await handle();
    ctx.metrics.inboundMessages.inc({ kind, outcome: result.duplicate ? 'duplicate' : 'accepted' });
    return result;
  } catch (err) {
    ctx.metrics.inboundMessages.inc({ kind, outcome: failureOutcome(err) });
    throw err;
  }
}

/**
 * Records a payer's decision on an appeal once and signals the claim's workflow. Throws UnprocessableError when
 * the claim (of a payer the sender speaks for) has no appeal at this level.
 */
export async function processAppealDecision(
  ctx: ApiContext,
  sender: Sender,
  message: AppealDecisionInput,
): Promise<{ duplicate: boolean }> {
  const { duplicate, claimId, signal } = await storeOnce(ctx.prisma, APPEAL_DECISION_KIND, message.decisionId, async (tx) => {
    await requireClaim(tx, sender, message.claimId);
    const updated = await tx.appeal.updateMany({
      where: { claimId: message.claimId, level: message.level },
      data: { status: message.decision, decidedAt: new Date() },
    });
    if (updated.count === 0) throw new UnprocessableError('UNKNOWN_REFERENCE', 'the claim has no appeal at this level', 'level');
    await recordAudit(tx, {
      actor: sender.id,
      action: 'claim.appeal-decision',
      entity: 'claim',
      entityId: message.claimId,
      claimId: message.claimId,
      detail: { decisionId: message.decisionId, level: message.level, decision: message.decision },
    });
    const signal: AppealDecisionSignal = { decisionId: message.decisionId, level: message.level, decision: message.decision };
    return { claimId: message.claimId, signal };
  });
  await signalClaimWorkflow(ctx, claimId, appealDecisionSignal, signal);
  return { duplicate };
}

/**
 * Stores an acknowledgement (JSON or from a 277CA/999) once and signals the claim's workflow. Throws
 * UnprocessableError when the claim or its submission attempt is unknown.
 */
export async function processAcknowledgement(
  ctx: ApiContext,
  sender: Sender,
  message: AcknowledgementInput,
): Promise<{ duplicate: boolean }> {
  const { prisma } = ctx;
  const { duplicate, claimId, signal } = await storeOnce(prisma, ACK_KIND, message.ackId, async (tx) => {
    await requireClaim(tx, sender, message.claimId);
    const respondedAt = new Date();
    const updated = await tx.submission.updateMany({
      where: { claimId: message.claimId, attempt: message.attempt },
      data: {
        status: message.accepted ? 'ACCEPTED' : 'REJECTED',
        rejectReason: message.accepted ? null : [message.rejectionCode, message.reason].filter(Boolean).join(' ') || null,
        respondedAt,
      },
    });
    if (updated.count === 0) throw new UnprocessableError('UNKNOWN_REFERENCE', 'the claim has no submission with this attempt', 'attempt');
    if (message.payerClaimControlNo) {
      await tx.claim.update({ where: { id: message.claimId }, data: { payerClaimControlNo: message.payerClaimControlNo } });
    }
    await recordAudit(tx, {
      actor: sender.id,
      action: 'claim.acknowledgement',
      entity: 'claim',
      entityId: message.claimId,
      claimId: message.claimId,
      detail: { ackId: message.ackId, attempt: message.attempt, accepted: message.accepted, rejectionCode: message.rejectionCode ?? null },
    });
    const signal: AcknowledgementSignal = {
      ackId: message.ackId,
      attempt: message.attempt,
      accepted: message.accepted,
      rejectionCode: message.rejectionCode,
      reason: message.reason,
      payerClaimControlNo: message.payerClaimControlNo,
    };
    return { claimId: message.claimId, signal };
  });
  await signalClaimWorkflow(ctx, claimId, acknowledgementSignal, signal);
  return { duplicate };
}

export interface RemittanceOutcome {
  duplicate: boolean;
  remittanceId: string;
  matched: number;
  unmatched: string[];
  /** the POSTING_EXCEPTION tasks opened for the unmatched claims (the same ones again on a re-delivery) */
  exceptionTaskIds: string[];
}

/**
 * Checks, stores (once per payer + trace number) and signals a remittance. Throws UnprocessableError when it
 * does not balance, repeats a claim, or names a payer we do not know.
 */
export async function processRemittance(ctx: ApiContext, sender: Sender, message: RemittanceInput): Promise<RemittanceOutcome> {
  const { prisma } = ctx;
  const imbalance = findImbalance(message);
  if (imbalance) throw new UnprocessableError('REMITTANCE_UNBALANCED', imbalance.message, imbalance.field);
  const payer = await prisma.payer.findUnique({ where: { electronicPayerId: message.payerElectronicId }, select: { id: true } });
  if (!payer) throw new UnprocessableError('UNKNOWN_REFERENCE', 'no payer has this electronic payer id', 'payerElectronicId');
  assertMayDeliverFor(sender, payer.id, 'payerElectronicId');

  const stored = await storeRemittance(ctx, sender, payer.id, message);
  const payments = await prisma.claimPayment.findMany({
    where: { remittanceId: stored.remittanceId, ...(stored.duplicate ? { postedAt: null } : {}) },
    include: { adjustments: { select: { carc: true } } },
    orderBy: { sequence: 'asc' },
  });
  // One claim's payments (a reversal, then its correction) are signalled in remittance order, one after the
  // other: the workflow posts them in the order it receives them. Different claims go in parallel.
  const byClaim = new Map<string, typeof payments>();
  for (const p of payments) byClaim.set(p.claimId, [...(byClaim.get(p.claimId) ?? []), p]);
  await signalEach([...byClaim.values()], async (ps) => {
    for (const p of ps) await signalClaimWorkflow(ctx, p.claimId, remittanceSignal, remittanceSignalFor(p));
  });
  return {
    duplicate: stored.duplicate,
    remittanceId: stored.remittanceId,
    matched: stored.matchedClaimIds.length,
    unmatched: message.claims.map((c) => c.claimId).filter((id) => !stored.matchedClaimIds.includes(id)),
    exceptionTaskIds: stored.exceptionTaskIds,
  };
}

interface Stored<T> {
  duplicate: boolean;
  claimId: string;
  signal: T;
}

/**
 * Runs `write` and records the message (kind, externalId) in one transaction. A message seen before, or
 * one a concurrent request records first, returns what was stored then, with duplicate: true.
 */
async function storeOnce<T extends object>(
  prisma: PrismaClient,
  kind: string,
  externalId: string,
  write: (tx: Prisma.TransactionClient) => Promise<{ claimId: string; signal: T }>,
): Promise<Stored<T>> {
  const earlier = () => prisma.inboundMessage.findUnique({ where: { kind_externalId: { kind, externalId } } });
  const asDuplicate = (seen: NonNullable<Awaited<ReturnType<typeof earlier>>>): Stored<T> => ({
    duplicate: true,
    claimId: seen.claimId ?? '',
    signal: (seen.body as { signal: T }).signal,
  });
  const seen = await earlier();
  if (seen) return asDuplicate(seen);
  try {
    return await prisma.$transaction(async (tx) => {
      const { claimId, signal } = await write(tx);
      await tx.inboundMessage.create({
        data: { kind, externalId, claimId, body: { signal: JSON.parse(JSON.stringify(signal)) as Prisma.InputJsonObject } },
      });
      return { duplicate: false, claimId, signal };
    });
  } catch (err) {
    const raced = isUniqueViolation(err) ? await earlier() : null;
    if (raced) return asDuplicate(raced);
    throw err;
  }
}

/**
 * The claim must exist and be billed to a payer the sender speaks for. A claim of another payer is answered
 * as no claim at all, so that a sender cannot learn which claim ids other payers' claims have.
 */
async function requireClaim(tx: Prisma.TransactionClient, sender: Sender, claimId: string): Promise<void> {
  const claim = await tx.claim.findUnique({ where: { id: claimId }, select: { payerId: true } });
  if (!claim || !mayDeliverFor(sender, claim.payerId)) throw new UnprocessableError('UNKNOWN_REFERENCE', 'no such claim', 'claimId');
}

/** A remittance from a payer the sender does not speak for: refused whole. */
export function assertMayDeliverFor(sender: Sender, payerId: string, field: string): void {
  if (!mayDeliverFor(sender, payerId)) {
    throw new ForbiddenError(`sender ${sender.id} may not deliver messages of payer ${payerId}`, 'SENDER_NOT_ALLOWED_FOR_PAYER', field);
  }
}

interface StoredRemittance {
  remittanceId: string;
  duplicate: boolean;
  matchedClaimIds: string[];
  exceptionTaskIds: string[];
}

/**
 * Stores the remittance, a ClaimPayment (with adjustments and line payments) for every claim we know, an
 * UnmatchedClaimPayment and a POSTING_EXCEPTION task for every claim we do not, the provider-level adjustments
 * (PLB), and the message itself. The same payer + trace number is the same 835: stored once, so a re-delivery
 * opens no second exception.
 */
async function storeRemittance(ctx: ApiContext, sender: Sender, payerId: string, message: RemittanceInput): Promise<StoredRemittance> {
  const { prisma } = ctx;
  const existing = async (): Promise<StoredRemittance | null> => {
    const found = await prisma.remittance.findUnique({
      where: { payerId_traceNumber: { payerId, traceNumber: message.traceNumber } },
      include: { claimPayments: { select: { claimId: true } }, unmatchedPayments: { select: { id: true } } },
    });
    if (!found) return null;
    const tasks = await prisma.task.findMany({
      where: { id: { in: found.unmatchedPayments.map((u) => exceptionTaskId(u.id)) } },
      select: { id: true },
    });
    return {
      remittanceId: found.id,
      duplicate: true,
      matchedClaimIds: found.claimPayments.map((p) => p.claimId),
      exceptionTaskIds: tasks.map((t) => t.id),
    };
  };
  const seen = await existing();
  if (seen) return seen;

  try {
    return await prisma.$transaction(
      async (tx) => {
        const remittanceId = randomUUID();
        await tx.remittance.create({
          data: {
            id: remittanceId,
            payerId,
            traceNumber: message.traceNumber,
            paymentCents: message.paymentCents,
            paymentMethod: message.paymentMethod,
            paymentDate: dateFromIso(message.paymentDate),
          },
        });
        const known = await tx.claim.findMany({
          where: { id: { in: message.claims.map((c) => c.claimId) } },
          select: { id: true, organizationId: true, payerId: true, totalChargeCents: true, lines: { select: { chargeCents: true } } },
        });
        const byId = new Map(known.map((c) => [c.id, c]));
        const numbered = message.claims.map((c, sequence) => ({
          ...c,
          sequence,
          paymentId: randomUUID(),
          mismatch: mismatchOf(c, payerId, byId.get(c.claimId)),
          // A claim of ours that the payment does not fit: its practice's billers work the exception.
          organizationId: byId.get(c.claimId)?.organizationId ?? null,
        }));
        const matched = numbered.filter((c) => c.mismatch === undefined);
        const unmatched = numbered.filter((c) => c.mismatch !== undefined);

        await tx.providerAdjustment.createMany({
          data: (message.providerAdjustments ?? []).map((a) => ({
            remittanceId,
            providerId: a.providerId ?? null,
            fiscalPeriodDate: a.fiscalPeriodDate ? dateFromIso(a.fiscalPeriodDate) : null,
            reasonCode: a.reasonCode,
            referenceId: a.referenceId ?? null,
            amountCents: a.amountCents,
          })),
        });
        const exceptionTaskIds = await openPostingExceptions(ctx, tx, { sender, remittanceId, payerId, message, unmatched });

        // Bulk inserts: an 835 can carry hundreds of claims and the transaction must stay short.
        await tx.claimPayment.createMany({
          data: matched.map((c) => ({
            id: c.paymentId,
            remittanceId,
            claimId: c.claimId,
            sequence: c.sequence,
            statusCode: c.statusCode,
            chargeCents: c.chargeCents,
            paidCents: c.paidCents,
            patientRespCents: c.patientRespCents,
            payerClaimControlNo: c.payerClaimControlNo ?? null,
          })),
        });
        await tx.paymentAdjustment.createMany({
          data: matched.flatMap((c) =>
            c.adjustments.map((a) => ({
              claimPaymentId: c.paymentId,
              lineNo: a.lineNo ?? null,
              groupCode: a.groupCode,
              carc: a.carc,
              amountCents: a.amountCents,
              rarc: a.rarc ?? null,
            })),
          ),
        });
        await tx.linePayment.createMany({
          data: matched.flatMap((c) =>
            c.lines.map((l) => ({
              claimPaymentId: c.paymentId,
              lineNo: l.lineNo,
              procedureCode: l.procedureCode,
              chargeCents: l.chargeCents,
              paidCents: l.paidCents,
            })),
          ),
        });
        await tx.inboundMessage.create({
          data: {
            kind: REMITTANCE_KIND,
            externalId: `${payerId}:${message.traceNumber}`,
            body: message as unknown as Prisma.InputJsonObject,
          },
        });
        await tx.auditEvent.createMany({
          data: auditRows(
            matched.map((c) => ({
              actor: sender.id,
              action: 'claim.remittance',
              entity: 'claim',
              entityId: c.claimId,
              claimId: c.claimId,
              detail: { remittanceId, claimPaymentId: c.paymentId, statusCode: c.statusCode, paidCents: c.paidCents },
            })),
          ),
        });
        return { remittanceId, duplicate: false, matchedClaimIds: matched.map((c) => c.claimId), exceptionTaskIds };
      },
      { timeout: 60_000 },
    );
  } catch (err) {
    const raced = isUniqueViolation(err) ? await existing() : null;
    if (raced) return raced;
    throw err;
  }
}

/** Why a remittance claim cannot post to the claim it names: a biller decides on a posting exception. */
export type PostingMismatch = 'UNKNOWN_CLAIM' | 'CLAIM_OF_ANOTHER_PAYER' | 'CHARGE_MISMATCH';

/**
 * A claim payment posts only to a claim of the remittance's own payer whose charge it repeats: the whole claim's
 * (a reversal, status 22, repeats it negated), or, when the payer split the claim, the charges of some of its
 * lines, each line of the payment being one of the claim's. Anything else is a biller's call, never a posting: a
 * payer's 835 cannot move another payer's claim, and a charge that is not ours means it adjudicated something else.
 */
function mismatchOf(
  c: { chargeCents: number; lines: { chargeCents: number }[] },
  payerId: string,
  claim: { payerId: string; totalChargeCents: number; lines: { chargeCents: number }[] } | undefined,
): PostingMismatch | undefined {
  if (!claim) return 'UNKNOWN_CLAIM';
  if (claim.payerId !== payerId) return 'CLAIM_OF_ANOTHER_PAYER';
  const charge = Math.abs(c.chargeCents);
  if (charge === claim.totalChargeCents) return undefined;
  if (charge > claim.totalChargeCents || c.lines.length === 0) return 'CHARGE_MISMATCH';
  // a split claim: every line paid is a line of ours, none twice, and they add up to the charge paid
  const ours = claim.lines.map((l) => l.chargeCents);
  for (const line of c.lines) {
    const at = ours.indexOf(Math.abs(line.chargeCents));
    if (at < 0) return 'CHARGE_MISMATCH';
    ours.splice(at, 1);
  }
  return c.lines.reduce((s, l) => s + Math.abs(l.chargeCents), 0) === charge ? undefined : 'CHARGE_MISMATCH';
}

/** The POSTING_EXCEPTION task of an unmatched claim payment: one per payment, whatever re-delivers it. */
export const exceptionTaskId = (unmatchedPaymentId: string): string => `EXC-${unmatchedPaymentId}`;

/**
 * Stores each unmatched claim payment and opens its POSTING_EXCEPTION task in the biller queue. The task has no
 * claim and no workflow; its context carries the remittance details a biller needs to find the claim (no
 * patient names: the 835's NM1 names never reach this message).
 */
async function openPostingExceptions(
  ctx: ApiContext,
  tx: Prisma.TransactionClient,
  {
    sender,
    remittanceId,
    payerId,
    message,
    unmatched,
  }: {
    sender: Sender;
    remittanceId: string;
    payerId: string;
    message: RemittanceInput;
    unmatched: (RemittanceInput['claims'][number] & { sequence: number; mismatch?: PostingMismatch; organizationId: string | null })[];
  },
): Promise<string[]> {
  if (unmatched.length === 0) return [];
  // The billing office's rule: an exception belongs to a practice only when it names one of its claims.
  const rule = await tx.routingRule.findUnique({
    where: { organizationId_kind_payerGroup: { organizationId: ANY_PRACTICE, kind: POSTING_EXCEPTION, payerGroup: ANY_PAYER_GROUP } },
  });
  const slaDays = rule?.slaDays ?? DEFAULT_TASK_SLA_DAYS[POSTING_EXCEPTION];
  const dueAt = new Date(Date.now() + slaDays * ctx.config.dayMs);
  const rows = unmatched.map((c) => ({ ...c, unmatchedId: randomUUID() }));
  await tx.unmatchedClaimPayment.createMany({
    data: rows.map((c) => ({
      id: c.unmatchedId,
      remittanceId,
      sequence: c.sequence,
      claimRef: c.claimId,
      statusCode: c.statusCode,
      chargeCents: c.chargeCents,
      paidCents: c.paidCents,
      patientRespCents: c.patientRespCents,
      payerClaimControlNo: c.payerClaimControlNo ?? null,
      adjustments: c.adjustments as unknown as Prisma.InputJsonArray,
      lines: c.lines as unknown as Prisma.InputJsonArray,
    })),
  });
  await tx.task.createMany({
    data: rows.map((c) => ({
      id: exceptionTaskId(c.unmatchedId),
      claimId: null,
      organizationId: c.organizationId,
      workflowId: null,
      queue: TASK_KINDS[POSTING_EXCEPTION].queue,
      kind: POSTING_EXCEPTION,
      priority: taskPriority({ kind: POSTING_EXCEPTION, amountCents: Math.abs(c.paidCents) }),
      dueAt,
      context: {
        remittanceId,
        unmatchedPaymentId: c.unmatchedId,
        payerId,
        payerElectronicId: message.payerElectronicId,
        traceNumber: message.traceNumber,
        paymentDate: message.paymentDate,
        claimRef: c.claimId,
        // why it did not post: no claim of ours, a claim of another payer, or a charge that is not the claim's
        reason: c.mismatch ?? 'UNKNOWN_CLAIM',
        statusCode: c.statusCode,
        chargeCents: c.chargeCents,
        paidCents: c.paidCents,
        patientRespCents: c.patientRespCents,
        ...(c.payerClaimControlNo ? { payerClaimControlNo: c.payerClaimControlNo } : {}),
        adjustments: c.adjustments as unknown as Prisma.InputJsonArray,
      },
    })),
  });
  await tx.auditEvent.createMany({
    data: auditRows(
      rows.map((c) => ({
        actor: sender.id,
        action: 'task.opened',
        entity: 'task',
        entityId: exceptionTaskId(c.unmatchedId),
        detail: {
          kind: POSTING_EXCEPTION,
          remittanceId,
          unmatchedPaymentId: c.unmatchedId,
          paidCents: c.paidCents,
          reason: c.mismatch ?? 'UNKNOWN_CLAIM',
        },
      })),
    ),
  });
  return rows.map((c) => exceptionTaskId(c.unmatchedId));
}

export function remittanceSignalFor(payment: {
  id: string;
  statusCode: string;
  chargeCents: number;
  paidCents: number;
  patientRespCents: number;
  adjustments: { carc: string }[];
}): RemittanceSignal {
  return {
    claimPaymentId: payment.id,
    statusCode: payment.statusCode as RemittanceSignal['statusCode'],
    chargeCents: payment.chargeCents,
    paidCents: payment.paidCents,
    patientRespCents: payment.patientRespCents,
    carcs: [...new Set(payment.adjustments.map((a) => a.carc))].sort(),
  };
}
