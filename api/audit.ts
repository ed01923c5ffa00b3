// Who read or changed which claim or patient. `detail` must never carry PHI: counts, codes and ids only.
import type { Prisma, PrismaClient } from '../generated/prisma/client';

export interface AuditEntry {
  actor: string;
  action: string;
  entity: 'claim' | 'patient' | 'task' | 'user' | 'apiToken' | 'routingRule';
  entityId: string;
  claimId?: string | null;
  detail?: Prisma.InputJsonObject;
}

/** Actor recorded for what the clearinghouse/payer sends us. */
export const CLEARINGHOUSE_ACTOR = 'clearinghouse';

export async function recordAudit(db: PrismaClient | Prisma.TransactionClient, entry: AuditEntry): Promise<void> {
  await db.auditEvent.create({
    data: {
      actor: entry.actor,
      action: entry.action,
      entity: entry.entity,
      entityId: entry.entityId,
      claimId: entry.claimId ?? null,
      detail: entry.detail ?? {},
    },
  });
}
