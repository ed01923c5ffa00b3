// Append-only event log written by activities. The dedupe key is the activity's own identity, so a
// retried activity never logs its event twice.
import { Context } from '@temporalio/activity';
import type { Prisma } from '../generated/prisma/client';

type Tx = Prisma.TransactionClient;

export function activityKey(suffix = ''): string | undefined {
  try {
    const info = Context.current().info;
    return `${info.workflowExecution?.runId}:${info.activityId}${suffix}`;
  } catch {
    return undefined; // called outside an activity (scripts, tests)
  }
}

export async function audit(
  tx: Tx,
  e: { actor: string; action: string; entity: string; entityId: string; claimId?: string; detail?: Record<string, unknown> },
  dedupeKey = activityKey(),
): Promise<void> {
  if (dedupeKey && (await tx.auditEvent.findUnique({ where: { dedupeKey }, select: { id: true } }))) return;
  await tx.auditEvent.create({ data: { ...e, detail: (e.detail ?? {}) as Prisma.InputJsonValue, dedupeKey } });
}
