// POST /api/inbound/x12: what the clearinghouse sends as X12 files. Each transaction set is handled on its
// own: a 999 (file accepted or rejected), a 277CA (claim by claim: accepted into adjudication or rejected at
// the front end) or an 835 (remittance). They go through the same intake as the JSON routes (intake.ts), so storage, dedupe and
// workflow signals are the same whichever format the message came in. A file nothing can be read from is a
// 400 naming the segment; a bad transaction among good ones is listed in `errors` while the rest go through.
import express, { type Request, type RequestHandler, type Response } from 'express';
import type { Prisma } from '../../generated/prisma/client';
import type {
  AcknowledgementMessage,
  ProviderAdjustmentMessage,
  RemittanceAdjustment,
  RemittanceClaim,
  RemittanceMessage,
} from '../../domain/clearinghouse';
import { readTransactions, X12SyntaxError, type Transaction } from '../../domain/x12/reader';
import { parse999, type Ack999 } from '../../domain/x12/999';
import { parse277CA, type ClaimStatus277, type Status277 } from '../../domain/x12/277ca';
import { balance835, parse835, type Adjustment, type Remittance835 } from '../../domain/x12/835';
import { mayDeliverFor, type Sender } from '../auth/auth';
import type { ApiContext } from '../http/context';
import { ApiError } from '../http/errors';
import type { InboundOutcome } from '../../infra/metrics';
import { failureOutcome, processAcknowledgement, processRemittance } from './intake';
import { remittanceMessage } from './schemas';
import { isStorableText } from '../http/storableText';

/**
 * What an X12 file may come as. Never text/plain (nor any type a web page may send without a CORS preflight):
 * a page in a sender's browser must not be able to post a file on the sender's behalf.
 */
export const X12_CONTENT_TYPES = ['application/edi-x12', 'application/octet-stream'];

const readX12Text = express.text({ type: X12_CONTENT_TYPES, limit: '50mb' });

/** The body as text (50 MB holds a large 835 of thousands of claims); any other type is a 415, unread. */
export const x12BodyParser: RequestHandler = (req, res, next) => {
  // false: a body of another type (null: no body at all, which handleX12 answers as X12_EMPTY)
  if (req.is(X12_CONTENT_TYPES) === false) {
    throw new ApiError(415, 'UNSUPPORTED_MEDIA_TYPE', `an X12 file is sent as ${X12_CONTENT_TYPES.join(' or ')}`, 'Content-Type');
  }
  readX12Text(req, res, next);
};

const X12_SETS = new Set(['999', '277', '835']);
const FILE_999_KIND = 'x12-999';
const FILE_277_KIND = 'x12-277ca';
const UNMATCHED_835_KIND = 'x12-835-unknown-payer';

export interface X12TransactionResult {
  setId: string;
  controlNumber: string;
  /** ISA13 of the interchange it came in */
  interchange?: string;
  duplicate: boolean;
  /** 999: the group status (A, E, P, R...) */
  status?: string;
  /** claims the transaction was about and that claimflow knows */
  claims: string[];
  /** claims it names that claimflow has no record of (or no submission for) */
  unmatched: string[];
  /** 835: the stored remittance */
  remittanceId?: string;
  /** 835: the POSTING_EXCEPTION tasks of its claims that match none of ours */
  exceptionTaskIds?: string[];
  /** 835: the payer id it names, when no payer of ours has it (kept as an exception, nothing posted) */
  unknownPayer?: string;
}

export interface X12Error {
  /** ST02 of the transaction, when the error is about one */
  transaction?: string;
  code: string;
  message: string;
  segmentIndex?: number;
  segmentId?: string;
  element?: number;
  field?: string;
}

const syntaxError = (e: X12SyntaxError, transaction?: string): X12Error => ({
  ...(transaction ? { transaction } : {}),
  code: `X12_${e.code.toUpperCase().replace(/-/g, '_')}`,
  message: e.message,
  segmentIndex: e.segmentIndex,
  segmentId: e.segmentId,
  ...(e.element !== undefined ? { element: e.element } : {}),
});

/** What the X12 intake made of a file: its transactions' results and problems, or why nothing could be read. */
export type X12Intake =
  | { readable: true; transactions: X12TransactionResult[]; errors: X12Error[] }
  | {
      readable: false;
      /** the 400 answer's error: X12_SYNTAX, the first problem's place, and every problem found */
      error: {
        code: 'X12_SYNTAX';
        message: string;
        segmentIndex?: number;
        segmentId?: string;
        element?: number;
        reason?: string;
        errors: X12Error[];
      };
    };

export async function handleX12(ctx: ApiContext, sender: Sender, req: Request, res: Response): Promise<void> {
  const text = typeof req.body === 'string' ? req.body : '';
  // ?controlTotals=false: for a sender known to write wrong SE/GE/IEA counts (the reader's own option).
  const intake = await intakeX12(ctx, sender, text, { controlTotals: req.query.controlTotals !== 'false' });
  if (!intake.readable) {
    res.status(400).json({ error: intake.error });
    return;
  }
  res.status(202).json({ transactions: intake.transactions, errors: intake.errors });
}

/**
 * The X12 intake itself, whoever brought the file: POST /api/inbound/x12 and the SFTP mailbox poller
 * (app/mailboxPoller.ts) both call it, so a file does the same whichever way it came. Throws ApiError X12_EMPTY
 * for an empty file, and whatever is not the sender's to fix (the database, Temporal) for the caller to retry.
 */
export async function intakeX12(
  ctx: ApiContext,
  sender: Sender,
  text: string,
  options: { controlTotals?: boolean } = {},
): Promise<X12Intake> {
  if (text.trim() === '') {
    ctx.metrics.inboundMessages.inc({ kind: 'x12-file', outcome: 'refused' });
    throw new ApiError(400, 'X12_EMPTY', `an X12 body is required (Content-Type: ${X12_CONTENT_TYPES.join(' or ')})`);
  }
  const read = readTransactions(text, { controlTotals: options.controlTotals ?? true });
  // X12's character sets have no NUL, and PostgreSQL stores none: a transaction carrying one is refused here,
  // naming the segment and element, instead of failing at the database after part of it was stored.
  // Counted per transaction set (x12-999, x12-277, x12-835, x12-unsupported), or x12-file when none could be read.
  const count = (kind: string, outcome: InboundOutcome) => ctx.metrics.inboundMessages.inc({ kind, outcome });
  const kindOf = (t: Transaction) => (X12_SETS.has(t.setId) ? `x12-${t.setId}` : 'x12-unsupported');
  if (read.transactions.length === 0) count('x12-file', 'refused');
  read.transactions = read.transactions.filter((t) => {
    const nul = unstorableElement(t);
    if (nul) {
      read.errors.push(nul);
      count(kindOf(t), 'refused');
    }
    return !nul;
  });
  const errors: X12Error[] = read.errors.map((e) => syntaxError(e));
  if (read.transactions.length === 0) {
    const first = read.errors[0];
    return {
      readable: false,
      error: {
        code: 'X12_SYNTAX',
        message: first ? `the file holds no readable transaction: ${first.message}` : 'the file holds no transaction',
        ...(first
          ? {
              segmentIndex: first.segmentIndex,
              segmentId: first.segmentId,
              ...(first.element !== undefined ? { element: first.element } : {}),
              reason: first.reason,
            }
          : {}),
        errors,
      },
    };
  }

  const transactions: X12TransactionResult[] = [];
  for (const t of read.transactions) {
    const kind = kindOf(t);
    try {
      let result: X12TransactionResult | undefined;
      switch (t.setId) {
        case '999':
          result = await process999(ctx, sender, t);
          break;
        case '277':
          result = await process277(ctx, sender, t);
          break;
        case '835':
          result = await process835(ctx, sender, t);
          break;
        default:
          count(kind, 'refused');
          errors.push({
            transaction: t.controlNumber,
            code: 'X12_UNSUPPORTED',
            message: `transaction set ${t.setId} is not one claimflow receives here (999, 277CA, 835)${t.setId === '837' ? "; a practice's 837P claims go to POST /api/imports/837p" : ''}`,
            segmentIndex: t.segments[0].index,
            segmentId: 'ST',
            element: 1,
          });
      }
      if (result) {
        count(kind, result.duplicate ? 'duplicate' : 'accepted');
        transactions.push(result);
      }
    } catch (err) {
      count(kind, err instanceof X12SyntaxError ? 'refused' : failureOutcome(err));
      if (err instanceof X12SyntaxError) errors.push(syntaxError(err, t.controlNumber));
      else if (err instanceof ApiError && err.status < 500) {
        errors.push({
          transaction: t.controlNumber,
          code: err.code,
          message: err.message,
          segmentIndex: t.segments[0].index,
          segmentId: 'ST',
          ...(err.field ? { field: err.field } : {}),
        });
      } else throw err;
    }
  }
  return { readable: true, transactions, errors };
}

/** The first element holding text the database cannot store (the same rule as for JSON bodies). */
function unstorableElement(t: Transaction): X12SyntaxError | undefined {
  for (const seg of t.segments) {
    const element = seg.elements.findIndex((e) => !isStorableText(e));
    if (element >= 0) {
      return new X12SyntaxError({
        code: 'bad-value',
        segmentIndex: seg.index,
        segmentId: seg.id,
        element,
        reason: 'a NUL character (or unpaired surrogate) is not X12 text',
      });
    }
  }
  return undefined;
}

function fileKey(t: Transaction): string {
  const i = t.interchange;
  return `${i?.senderQualifier ?? ''}:${i?.senderId ?? ''}:${i?.controlNumber ?? 'bare'}:${t.group?.controlNumber ?? ''}:${t.controlNumber}`;
}

function base(t: Transaction): Pick<X12TransactionResult, 'setId' | 'controlNumber' | 'interchange'> {
  return { setId: t.setId, controlNumber: t.controlNumber, ...(t.interchange ? { interchange: t.interchange.controlNumber } : {}) };
}

/** Records a file-level message once; false when it was recorded before. */
async function recordOnce(
  ctx: ApiContext,
  kind: string,
  externalId: string,
  claimId: string | null,
  body: Prisma.InputJsonObject,
): Promise<boolean> {
  const seen = await ctx.prisma.inboundMessage.findUnique({ where: { kind_externalId: { kind, externalId } } });
  if (seen) return false;
  const created = await ctx.prisma.inboundMessage.createMany({ data: [{ kind, externalId, claimId, body }], skipDuplicates: true });
  return created.count === 1;
}

// ---- 999 ------------------------------------------------------------------------------------------------

/**
 * A 999 answers one of our 837 files. Accepted: recorded, nothing else changes (the 277CA says more).
 * Rejected sets: the submission they carried is rejected, as a front-end rejection would be. Our 837s use
 * GS06 = ISA13 = Submission.interchangeControlNumber and ST02 = Submission.transactionControlNumber.
 */
async function process999(ctx: ApiContext, sender: Sender, t: Transaction): Promise<X12TransactionResult> {
  const ack = parse999(t);
  const key = fileKey(t);
  const claims: string[] = [];
  const unmatched: string[] = [];
  const group = Number(ack.group.controlNumber);
  for (const set of ack.sets) {
    const submission = Number.isSafeInteger(group)
      ? await ctx.prisma.submission.findFirst({
          where: { interchangeControlNumber: group, transactionControlNumber: set.controlNumber },
          orderBy: { submittedAt: 'desc' },
          include: { claim: { select: { payerId: true } } },
        })
      : null;
    if (!submission || !mayDeliverFor(sender, submission.claim.payerId)) {
      unmatched.push(`${ack.group.controlNumber}/${set.controlNumber}`);
      continue;
    }
    claims.push(submission.claimId);
    if (set.accepted) continue;
    await processAcknowledgement(ctx, sender, {
      ackId: `999:${key}:${set.controlNumber}`.slice(0, 200),
      claimId: submission.claimId,
      attempt: submission.attempt,
      accepted: false,
      rejectionCode: `999-${set.status}`,
      reason: reason999(set),
    });
  }
  // A group rejected as a whole (AK9 R) with no set responses: every submission of that group is rejected.
  if (ack.sets.length === 0 && !ack.accepted && Number.isSafeInteger(group)) {
    const subs = await ctx.prisma.submission.findMany({
      where: { interchangeControlNumber: group, status: 'SENT' },
      include: { claim: { select: { payerId: true } } },
    });
    for (const s of subs.filter((x) => mayDeliverFor(sender, x.claim.payerId))) {
      claims.push(s.claimId);
      await processAcknowledgement(ctx, sender, {
        ackId: `999:${key}`.slice(0, 200),
        claimId: s.claimId,
        attempt: s.attempt,
        accepted: false,
        rejectionCode: `999-${ack.status}`,
        reason: `the 837 file was rejected (AK9 ${ack.status}${ack.groupErrors.length ? `, errors ${ack.groupErrors.join(', ')}` : ''})`,
      });
    }
  }
  const fresh = await recordOnce(ctx, FILE_999_KIND, key, claims[0] ?? null, {
    status: ack.status,
    group: ack.group.controlNumber,
    sets: ack.sets.map((s) => ({ controlNumber: s.controlNumber, status: s.status })),
  });
  return { ...base(t), duplicate: !fresh, status: ack.status, claims, unmatched };
}

function reason999(set: Ack999['sets'][number]): string {
  const first = set.segmentErrors[0];
  const where = first
    ? ` at ${first.segmentId} (segment ${first.position} of the transaction)${first.elementErrors[0] ? `, element ${first.elementErrors[0].position} (error ${first.elementErrors[0].code})` : first.code ? ` (error ${first.code})` : ''}`
    : '';
  return `the 837 transaction ${set.controlNumber} was rejected by the 999 (IK5 ${set.status}${set.errorCodes.length ? ` ${set.errorCodes.join(',')}` : ''})${where}`.slice(
    0,
    500,
  );
}

// ---- 277CA ----------------------------------------------------------------------------------------------

const ACCEPTED_CATEGORIES = new Set(['A1', 'A2']);
const REJECTED_CATEGORIES = new Set(['A3', 'A4', 'A6', 'A7', 'A8']);

/** For each claim of a 277CA: the same processing as a JSON acknowledgement. */
async function process277(ctx: ApiContext, sender: Sender, t: Transaction): Promise<X12TransactionResult> {
  const ack = parse277CA(t);
  const key = fileKey(t);
  const claims: string[] = [];
  const unmatched: string[] = [];
  let duplicates = 0;
  let handled = 0;
  for (const c of ack.claims) {
    const decision = decide277(c);
    if (!decision) continue; // pending or finalized statuses: nothing an acknowledgement changes
    const claimId = c.patientControlNumber;
    const submission = await submissionFor(ctx, claimId, ack.reference);
    // A claim of a payer the sender does not speak for is answered as one we do not know.
    if (!submission || !mayDeliverFor(sender, submission.claim.payerId)) {
      unmatched.push(claimId);
      continue;
    }
    const stc = [decision.status.category, decision.status.code, decision.status.entity].filter(Boolean).join(':');
    const message: AcknowledgementMessage = {
      ackId: `277:${key}:${claimId}:${stc}`.slice(0, 200),
      claimId,
      attempt: submission.attempt,
      accepted: decision.accepted,
      ...(decision.accepted ? {} : { rejectionCode: stc, reason: decision.reason }),
      ...(c.payerClaimControlNumber ? { payerClaimControlNo: c.payerClaimControlNumber } : {}),
    };
    const { duplicate } = await processAcknowledgement(ctx, sender, message);
    handled++;
    if (duplicate) duplicates++;
    claims.push(claimId);
  }
  const fresh = await recordOnce(ctx, FILE_277_KIND, key, claims[0] ?? null, { claims: claims.length, unmatched: unmatched.length });
  return { ...base(t), duplicate: !fresh || (handled > 0 && duplicates === handled), claims, unmatched };
}

function decide277(c: ClaimStatus277): { accepted: boolean; status: Status277; reason: string } | undefined {
  const reports = [...c.reports, ...c.lines.flatMap((l) => l.reports)];
  for (const r of reports) {
    const rejected = r.statuses.find((s) => REJECTED_CATEGORIES.has(s.category));
    if (rejected) return { accepted: false, status: rejected, reason: (r.message ?? rejected.text).slice(0, 500) };
  }
  for (const r of c.reports) {
    const accepted = r.statuses.find((s) => ACCEPTED_CATEGORIES.has(s.category));
    if (accepted) return { accepted: true, status: accepted, reason: accepted.text };
  }
  return undefined;
}

/** The submission a claim acknowledgement answers: the one whose 837 ISA13 it quotes, else the latest SENT. */
async function submissionFor(ctx: ApiContext, claimId: string, reference: string | undefined) {
  if (claimId.length > 64) return null;
  const ref = reference && /^\d{1,9}$/.test(reference) ? Number(reference) : undefined;
  const include = { claim: { select: { payerId: true } } } as const;
  if (ref !== undefined) {
    const quoted = await ctx.prisma.submission.findFirst({ where: { claimId, interchangeControlNumber: ref }, include });
    if (quoted) return quoted;
  }
  return (
    (await ctx.prisma.submission.findFirst({ where: { claimId, status: 'SENT' }, orderBy: { attempt: 'desc' }, include })) ??
    (await ctx.prisma.submission.findFirst({ where: { claimId }, orderBy: { attempt: 'desc' }, include }))
  );
}

// ---- 835 ------------------------------------------------------------------------------------------------

/** The same processing as a JSON remittance, from parse835's model. */
async function process835(ctx: ApiContext, sender: Sender, t: Transaction): Promise<X12TransactionResult> {
  const r = parse835(t);
  const balance = balance835(r);
  if (!balance.balanced) {
    const problem = balance.problems[0] ?? 'the 835 does not balance';
    throw new ApiError(422, 'REMITTANCE_UNBALANCED', problem, problem.startsWith('payment') ? 'BPR02' : 'CLP03');
  }
  const payerElectronicId = await payerOf(ctx, r);
  if (!payerElectronicId) {
    // A payer we do not know: nothing can post, but the remittance is kept (a biller exception) and listed.
    const named = r.payer.references.find((x) => x.qualifier === '2U')?.value ?? r.payer.id ?? r.trace.payerId ?? r.payer.name;
    const { message } = remittanceFrom835(r, named, t.interchange?.date);
    const fresh = await recordOnce(
      ctx,
      UNMATCHED_835_KIND,
      `${named}:${r.trace.number}`,
      null,
      message as unknown as Prisma.InputJsonObject,
    );
    return { ...base(t), duplicate: !fresh, claims: [], unmatched: r.claims.map((c) => c.patientControlNumber), unknownPayer: named };
  }
  const { message, skipped } = remittanceFrom835(r, payerElectronicId, t.interchange?.date);
  if (message.claims.length === 0) {
    return { ...base(t), duplicate: false, claims: [], unmatched: skipped };
  }
  const parsed = remittanceMessage.safeParse(message);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ApiError(422, 'REMITTANCE_INVALID', issue.message, issue.path.map(String).join('.') || undefined);
  }
  const outcome = await processRemittance(ctx, sender, parsed.data);
  const unmatched = [...outcome.unmatched, ...skipped];
  return {
    ...base(t),
    duplicate: outcome.duplicate,
    remittanceId: outcome.remittanceId,
    exceptionTaskIds: outcome.exceptionTaskIds,
    claims: message.claims.map((c) => c.claimId).filter((id) => !unmatched.includes(id)),
    unmatched,
  };
}

async function payerOf(ctx: ApiContext, r: Remittance835): Promise<string | undefined> {
  const candidates = [
    ...r.payer.references.filter((x) => x.qualifier === '2U').map((x) => x.value),
    r.payer.id,
    r.trace.payerId,
    r.trace.payerId?.replace(/^1/, ''),
    r.trace.supplementalCode,
  ].filter((x): x is string => !!x && x.trim() !== '');
  if (candidates.length === 0) return undefined;
  const found = await ctx.prisma.payer.findMany({ where: { electronicPayerId: { in: candidates } }, select: { electronicPayerId: true } });
  return candidates.find((c) => found.some((f) => f.electronicPayerId === c));
}

const STATUS: Record<string, RemittanceClaim['statusCode']> = {
  '1': '1',
  '2': '2',
  '3': '3',
  '4': '4',
  '22': '22',
  '19': '1',
  '20': '2',
  '21': '3',
};
const GROUP: Record<string, RemittanceAdjustment['groupCode']> = { CO: 'CO', PR: 'PR', OA: 'OI', OI: 'OI', PI: 'PI', CR: 'CR' };

/**
 * parse835's model as the RemittanceMessage the JSON path takes. Lines are numbered by REF*6R (our line
 * number) when it is one, else by SVC order. Claims with a status a remittance cannot post (23, 25) are
 * left out and listed.
 */
export function remittanceFrom835(
  r: Remittance835,
  payerElectronicId: string,
  fallbackDate?: string,
): { message: RemittanceMessage; skipped: string[] } {
  const skipped: string[] = [];
  const claims: RemittanceClaim[] = [];
  for (const c of r.claims) {
    const statusCode = STATUS[c.status];
    // Our claim ids are at most 20 characters (CLM01): a longer CLP01 cannot be one of ours.
    if (!statusCode || c.patientControlNumber.length > 20) {
      skipped.push(c.patientControlNumber);
      continue;
    }
    const adjustments: RemittanceAdjustment[] = c.adjustments.map((a) => adjustmentOf(a));
    const used = new Set<number>();
    const lines = c.lines.map((l, i) => {
      const own = l.controlNumber && /^\d{1,4}$/.test(l.controlNumber) ? Number(l.controlNumber) : undefined;
      const lineNo = own !== undefined && own >= 1 && !used.has(own) ? own : nextFree(used, i + 1);
      used.add(lineNo);
      const rarc = l.remarks.find((x) => x.qualifier === 'HE')?.code;
      l.adjustments.forEach((a, j) => adjustments.push(adjustmentOf(a, lineNo, j === 0 ? rarc : undefined)));
      return { lineNo, procedureCode: l.procedure.code || l.procedure.qualifier || 'UNKNOWN', chargeCents: l.charge, paidCents: l.paid };
    });
    const patientShare = adjustments.filter((a) => a.groupCode === 'PR').reduce((s, a) => s + a.amountCents, 0);
    claims.push({
      claimId: c.patientControlNumber,
      statusCode,
      chargeCents: c.charge,
      paidCents: c.paid,
      patientRespCents: c.patientResponsibility ?? patientShare,
      ...(c.payerClaimControlNumber ? { payerClaimControlNo: c.payerClaimControlNumber } : {}),
      adjustments,
      lines,
    });
  }
  const method = r.payment.method === 'CHK' ? 'CHK' : r.payment.method === 'NON' ? 'NON' : 'ACH';
  const providerAdjustments: ProviderAdjustmentMessage[] = r.providerAdjustments.flatMap((p) =>
    p.adjustments.map((a) => ({
      ...(p.providerId ? { providerId: p.providerId } : {}),
      ...(p.fiscalPeriodDate ? { fiscalPeriodDate: p.fiscalPeriodDate } : {}),
      reasonCode: a.reason,
      ...(a.reference ? { referenceId: a.reference } : {}),
      amountCents: a.amount,
    })),
  );
  // BPR02 (balance835 has checked it is ΣCLP04 − ΣPLB). Computed from what the message carries so that claims
  // left out above (statuses 23, 25) do not unbalance it; with none left out it is BPR02 itself.
  const paymentCents = claims.reduce((s, c) => s + c.paidCents, 0) - providerAdjustments.reduce((s, a) => s + a.amountCents, 0);
  return {
    message: {
      payerElectronicId,
      traceNumber: r.trace.number,
      paymentDate: r.payment.date ?? r.productionDate ?? fallbackDate ?? new Date().toISOString().slice(0, 10),
      paymentMethod: method,
      paymentCents,
      claims,
      providerAdjustments,
    },
    skipped,
  };
}

function adjustmentOf(a: Adjustment, lineNo?: number, rarc?: string): RemittanceAdjustment {
  return {
    ...(lineNo !== undefined ? { lineNo } : {}),
    groupCode: GROUP[a.group] ?? 'OI',
    carc: a.reason,
    amountCents: a.amount,
    ...(rarc ? { rarc } : {}),
  };
}

function nextFree(used: Set<number>, from: number): number {
  let n = from;
  while (used.has(n)) n++;
  return n;
}
