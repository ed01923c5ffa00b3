// Who read or changed which claim or patient. `detail` must never carry PHI: counts, codes and ids only.
import type { Prisma, PrismaClient } from '../../generated/prisma/client';
import { originColumns } from './requestContext';

export interface AuditEntry {
  actor: string;
  action: string;
  entity: 'claim' | 'patient' | 'task' | 'user' | 'apiToken' | 'routingRule' | 'organization' | 'session' | 'provider';
  entityId: string;
  claimId?: string | null;
  detail?: Prisma.InputJsonObject;
}

export async function recordAudit(db: PrismaClient | Prisma.TransactionClient, entry: AuditEntry): Promise<void> {
  await db.auditEvent.create({
    data: {
      actor: entry.actor,
      action: entry.action,
      entity: entry.entity,
      entityId: entry.entityId,
      claimId: entry.claimId ?? null,
      detail: entry.detail ?? {},
      ...originColumns(),
    },
  });
}

/** Rows for auditEvent.createMany, with the request's origin (address, token id) like recordAudit's. */
export function auditRows(entries: AuditEntry[]): Prisma.AuditEventCreateManyInput[] {
  const origin = originColumns();
  return entries.map((e) => ({
    actor: e.actor,
    action: e.action,
    entity: e.entity,
    entityId: e.entityId,
    claimId: e.claimId ?? null,
    detail: e.detail ?? {},
    ...origin,
  }));
}
