// Reference data a client needs to build a claim: payers (with their follow-up and appeal policies) and the
// providers of the caller's practices.
// No PHI: every signed-in role may read it (coders see payers and providers on the claims they code).
import { Router } from 'express';
import { ROLES } from '../auth/access';
import { requireRole } from '../auth/auth';
import type { z } from 'zod';
import type { Payer, Provider } from '../../generated/prisma/client';
import { callerPractices, inPractices } from '../auth/practices';
import type { ApiContext } from '../http/context';
import type { payer, payerListResponse, provider, providerListResponse } from './schemas';

export function referenceRouter({ prisma }: ApiContext): Router {
  const router = Router();

  // Who is calling (the bearer token's or the session's user), with what they may take beyond their role.
  router.get('/me', requireRole(...ROLES.anyone), async (_req, res) => {
    const user = await prisma.user.findUnique({
      where: { id: res.locals.userId as string },
      select: { id: true, name: true, role: true, skills: true, payerGroups: true, organizationIds: true },
    });
    res.json(user);
  });

  router.get('/payers', requireRole(...ROLES.anyone), async (_req, res) => {
    const payers = await prisma.payer.findMany({ orderBy: { name: 'asc' } });
    const answer: z.output<typeof payerListResponse> = { items: payers.map(payerView) };
    res.json(answer);
  });

  router.get('/providers', requireRole(...ROLES.anyone), async (_req, res) => {
    const providers = await prisma.provider.findMany({ where: inPractices(callerPractices(res)), orderBy: { name: 'asc' } });
    const answer: z.output<typeof providerListResponse> = { items: providers.map(providerView) };
    res.json(answer);
  });

  return router;
}

// Field by field rather than the row as it is: a column added to the table is not answered until the schema says so.
function payerView(p: Payer): z.output<typeof payer> {
  return {
    id: p.id,
    name: p.name,
    electronicPayerId: p.electronicPayerId,
    followUpIntervalDays: p.followUpIntervalDays,
    maxFollowUps: p.maxFollowUps,
    timelyFilingDays: p.timelyFilingDays,
    appealWindowDays: p.appealWindowDays,
    appealLevels: p.appealLevels,
    payerGroup: p.payerGroup,
  };
}

function providerView(p: Provider): z.output<typeof provider> {
  return { id: p.id, organizationId: p.organizationId, npi: p.npi, name: p.name, taxonomy: p.taxonomy, taxId: p.taxId };
}
