// A/R measures: aging by payer, denial rate by CARC category, clean-claim rate and days in A/R (formulas in
// domain/metrics.ts; this module loads their rows).
import { z } from 'zod';
import { agingReport, CALENDAR_DAY_MS, cleanClaimRate, daysInAr, denialRates, type FirstSubmissionFacts } from '../../domain/metrics';
import { expectedVsCollected } from '../../domain/expectedPayment';
import { inPractices, type PracticeScope } from '../auth/practices';
import type { ApiContext } from '../http/context';
import { dateFromIso, isoFromDate } from '../http/dates';
import { arQuery } from './schemas';
import { CLOSED_STATES } from './shared';

const CHARGE_PERIOD_DAYS = 90;

export async function arMeasures(ctx: ApiContext, q: z.output<typeof arQuery>, scope: PracticeScope) {
  const { prisma } = ctx;
  const now = q.asOf ? new Date(q.asOf) : new Date();
  const windowDays = q.windowDays ?? 90;
  const today = isoFromDate(now);
  const daysBefore = (n: number) => isoFromDate(new Date(dateFromIso(today).getTime() - n * CALENDAR_DAY_MS));
  const windowFrom = daysBefore(windowDays - 1);
  const chargesFrom = daysBefore(CHARGE_PERIOD_DAYS - 1);
  const mine = inPractices(scope);

  const [open, payers, charges, payments, firstSubmissions, answeredLines] = await Promise.all([
    prisma.claim.findMany({
      where: {
        ...mine,
        state: { notIn: CLOSED_STATES },
        balanceCents: { gt: 0 },
        encounter: { dateOfService: { lte: dateFromIso(today) } },
      },
      select: { payerId: true, balanceCents: true, encounter: { select: { dateOfService: true } } },
    }),
    prisma.payer.findMany({ select: { id: true, name: true } }),
    prisma.claim.aggregate({
      where: {
        ...mine,
        state: { not: 'VOIDED' },
        encounter: { dateOfService: { gte: dateFromIso(chargesFrom), lte: dateFromIso(today) } },
      },
      _sum: { totalChargeCents: true },
    }),
    prisma.claimPayment.findMany({
      where: { claim: mine, remittance: { paymentDate: { gte: dateFromIso(windowFrom), lte: dateFromIso(today) } } },
      select: { statusCode: true, adjustments: { select: { carc: true } } },
    }),
    prisma.submission.findMany({
      where: { claim: mine, attempt: 1, submittedAt: { gte: dateFromIso(windowFrom), lte: now } },
      select: { claimId: true, status: true, submittedAt: true },
    }),
    prisma.claimLine.findMany({
      where: {
        claim: {
          ...mine,
          state: { not: 'VOIDED' },
          encounter: { dateOfService: { gte: dateFromIso(windowFrom), lte: dateFromIso(today) } },
          payments: { some: { postedAt: { not: null } } },
        },
      },
      select: { expectedAllowedCents: true, paidCents: true, patientRespCents: true, claim: { select: { payerId: true } } },
    }),
  ]);

  const aging = agingReport(
    open.map((c) => ({ payerId: c.payerId, balanceCents: c.balanceCents, dateOfService: isoFromDate(c.encounter.dateOfService) })),
    now,
  );
  const payerName = new Map(payers.map((p) => [p.id, p.name]));
  const cleanFacts = await firstSubmissionFacts(ctx, firstSubmissions);
  const expected = expectedVsCollected(
    answeredLines.map((l) => ({
      payerId: l.claim.payerId,
      expectedAllowedCents: l.expectedAllowedCents,
      paidCents: l.paidCents,
      patientRespCents: l.patientRespCents,
    })),
  );

  return {
    asOf: now.toISOString(),
    windowDays,
    window: { from: windowFrom, to: today },
    aging: {
      basis:
        'open claim balances (claims not closed, voided or written off, serviced by the as-of date) by whole calendar days since the date of service',
      total: aging.total,
      byPayer: aging.byPayer.map((p) => ({ payerId: p.payerId, payerName: payerName.get(p.payerId) ?? p.payerId, ...p.aging })),
    },
    denials: denialRates(payments.map((p) => ({ statusCode: p.statusCode, carcs: [...new Set(p.adjustments.map((a) => a.carc))] }))),
    cleanClaims: cleanClaimRate(cleanFacts),
    expectedVsCollected: {
      basis:
        'lines of claims serviced in the window with a payment posted: their contracted fee schedule amount against what the payer paid; lines without a contracted rate are counted apart',
      total: expected.total,
      byPayer: expected.byPayer.map((p) => ({ ...p, payerName: payerName.get(p.payerId) ?? p.payerId })),
    },
    daysInAr: daysInAr({
      openArCents: aging.total.totalCents,
      chargesCents: charges._sum.totalChargeCents ?? 0,
      periodDays: CHARGE_PERIOD_DAYS,
    }),
  };
}

/** What decides whether each claim's first submission was clean: its acknowledgement, the workflow's verdict, scrub fixes, resubmission. */
async function firstSubmissionFacts(
  ctx: ApiContext,
  firsts: { claimId: string; status: 'SENT' | 'ACCEPTED' | 'REJECTED'; submittedAt: Date }[],
): Promise<FirstSubmissionFacts[]> {
  if (firsts.length === 0) return [];
  const ids = firsts.map((f) => f.claimId);
  const [seconds, scrubFixes, verdicts] = await Promise.all([
    ctx.prisma.submission.findMany({ where: { claimId: { in: ids }, attempt: 2 }, select: { claimId: true, submittedAt: true } }),
    ctx.prisma.task.findMany({
      where: { claimId: { in: ids }, kind: { in: ['SCRUB_FIX_CODING', 'SCRUB_FIX_BILLING'] } },
      select: { claimId: true, createdAt: true },
    }),
    ctx.prisma.auditEvent.findMany({
      where: {
        claimId: { in: ids },
        action: 'claim.transition',
        OR: [{ detail: { path: ['to'], equals: 'ACKNOWLEDGED' } }, { detail: { path: ['to'], equals: 'REJECTED' } }],
      },
      select: { claimId: true, at: true, detail: true },
      orderBy: { id: 'asc' },
    }),
  ]);
  return firsts.map((f) => {
    const second = seconds.find((s) => s.claimId === f.claimId);
    const verdict = verdicts.find((v) => v.claimId === f.claimId && v.at >= f.submittedAt);
    const verdictState = (verdict?.detail as { to?: string } | undefined)?.to;
    return {
      firstSubmissionStatus: f.status,
      firstVerdict:
        verdict && (!second || verdict.at <= second.submittedAt)
          ? verdictState === 'ACKNOWLEDGED'
            ? ('ACCEPTED' as const)
            : ('REJECTED' as const)
          : undefined,
      resubmittedBeforeVerdict: !!second && (!verdict || verdict.at > second.submittedAt),
      scrubFixedBeforeSubmission: scrubFixes.some((t) => t.claimId === f.claimId && t.createdAt < f.submittedAt),
    };
  });
}
