// The books after a fault: for every claim, what claimflow recorded (database and workflow) set against
// what the payer simulator saw. Every disagreement is a problem, named by claim; the test wants none.
import { workflowIdForClaim, claimStatusQuery } from '../../workflows/contract';
import { mapLimit } from '../../infra/process';
import type { Rig } from './rig';

export interface Ledger {
  claims: number;
  closed: number;
  /** claims by number of attempts the workflow made (1 for all, unless an acknowledgement went missing) */
  attemptsHistogram: Record<number, number>;
  /** 837s the simulator took in, and the repeats of a key it answered with the first receipt */
  submissionsReceived: number;
  distinctSubmissions: number;
  duplicateSubmissionsAbsorbed: number;
  payments: number;
  paymentsPosted: number;
  postingAuditEvents: number;
  /** transitions written twice to the audit trail (a retried recordTransition whose first commit landed) */
  duplicatedTransitionEvents: number;
  problems: string[];
}

export async function auditClaims(rig: Rig, claimIds: string[]): Promise<Ledger> {
  const { prisma } = rig.db;
  const problems: string[] = [];
  const claims = await prisma.claim.findMany({ where: { id: { in: claimIds } } });
  const submissions = await prisma.submission.findMany({
    where: { claimId: { in: claimIds } },
    select: { claimId: true, attempt: true, idempotencyKey: true },
  });
  const payments = await prisma.claimPayment.findMany({
    where: { claimId: { in: claimIds } },
    select: { id: true, claimId: true, remittanceId: true, postedAt: true },
  });
  const postings = await prisma.auditEvent.groupBy({
    by: ['claimId'],
    where: { claimId: { in: claimIds }, action: 'payment.posted' },
    _count: true,
  });
  const remittances = await prisma.remittance.findMany({
    where: { claimPayments: { some: { claimId: { in: claimIds } } } },
    select: { id: true, traceNumber: true },
  });
  const traceOf = new Map(remittances.map((r) => [r.id, r.traceNumber]));
  const postingsOf = new Map(postings.map((p) => [p.claimId, p._count]));
  const group = <T extends { claimId: string | null }>(rows: T[]) => {
    const m = new Map<string, T[]>();
    for (const r of rows) m.set(r.claimId!, [...(m.get(r.claimId!) ?? []), r]);
    return m;
  };
  const subsOf = group(submissions);
  const paysOf = group(payments);
  const stats = rig.simulator.stats();
  const attemptsHistogram: Record<number, number> = {};
  let closed = 0;

  await mapLimit(claimIds, 16, async (id) => {
    const claim = claims.find((c) => c.id === id);
    if (!claim) return void problems.push(`${id}: not in the database`);
    if (claim.state === 'CLOSED') closed += 1;
    else problems.push(`${id}: ${claim.state}, not CLOSED`);
    if (claim.balanceCents !== 0) problems.push(`${id}: balance ${claim.balanceCents}`);
    if (claim.paidCents + claim.adjustedCents + claim.patientRespCents + claim.writtenOffCents !== claim.totalChargeCents) {
      problems.push(
        `${id}: paid ${claim.paidCents} + adjusted ${claim.adjustedCents} + patient ${claim.patientRespCents} + written off ${claim.writtenOffCents} != charge ${claim.totalChargeCents}`,
      );
    }

    // Attempts: the workflow's count, our Submission rows and the payer's distinct idempotency keys agree.
    const view = await rig.client.workflow.getHandle(workflowIdForClaim(id)).query(claimStatusQuery);
    attemptsHistogram[view.attempt] = (attemptsHistogram[view.attempt] ?? 0) + 1;
    const ourKeys = (subsOf.get(id) ?? []).map((s) => s.idempotencyKey).sort();
    const expectedKeys = Array.from({ length: view.attempt }, (_, i) => `${id}:${i + 1}`).sort();
    if (JSON.stringify(ourKeys) !== JSON.stringify(expectedKeys))
      problems.push(`${id}: submissions ${ourKeys.join(',')} for ${view.attempt} attempts`);
    const res = await fetch(`${rig.simulatorUrl}/admin/claims/${encodeURIComponent(id)}`, {
      headers: { authorization: `Bearer ${rig.simulatorToken}` },
    });
    const payerSide = (await res.json()) as { submissions: { idempotencyKey: string; accepted: boolean; remittanceIds: string[] }[] };
    const theirKeys = payerSide.submissions.map((s) => s.idempotencyKey).sort();
    if (JSON.stringify(theirKeys) !== JSON.stringify(expectedKeys))
      problems.push(`${id}: the payer accepted ${theirKeys.join(',')} for ${view.attempt} attempts`);

    // Payments: one per remittance the payer issued, each posted once.
    const issued = payerSide.submissions.flatMap((s) => s.remittanceIds).sort();
    const pays = paysOf.get(id) ?? [];
    const received = pays.map((p) => traceOf.get(p.remittanceId)).sort();
    if (JSON.stringify(received) !== JSON.stringify(issued))
      problems.push(`${id}: payments for remittances ${received.join(',')}, payer issued ${issued.join(',')}`);
    if (new Set(pays.map((p) => p.remittanceId)).size !== pays.length) problems.push(`${id}: two payments from one remittance`);
    if (pays.some((p) => p.postedAt === null)) problems.push(`${id}: a payment not posted`);
    const postedEvents = postingsOf.get(id) ?? 0;
    if (postedEvents !== pays.length) problems.push(`${id}: ${postedEvents} payment.posted events for ${pays.length} payments`);
  });

  const [{ n: duplicatedTransitionEvents }] = await prisma.$queryRaw<{ n: number }[]>`
    SELECT COALESCE(SUM(c - 1), 0)::int AS n FROM (
      SELECT COUNT(*) AS c FROM "AuditEvent"
      WHERE action = 'claim.transition' AND "claimId" = ANY(${claimIds})
      GROUP BY "claimId", detail->>'to', detail->>'at') t`;
  return {
    claims: claimIds.length,
    closed,
    attemptsHistogram,
    submissionsReceived: stats.submissionsReceived,
    distinctSubmissions: stats.distinctIdempotencyKeys,
    duplicateSubmissionsAbsorbed: stats.duplicates,
    payments: payments.length,
    paymentsPosted: payments.filter((p) => p.postedAt !== null).length,
    postingAuditEvents: [...postingsOf.values()].reduce((a, b) => a + b, 0),
    duplicatedTransitionEvents,
    problems: problems.slice(0, 30),
  };
}

/** Claims of these ids in CLOSED, read straight from PostgreSQL. */
export async function closedCount(rig: Rig, claimIds: string[]): Promise<number> {
  return rig.db.prisma.claim.count({ where: { id: { in: claimIds }, state: 'CLOSED' } });
}
