// Reference data a client needs to build a claim: payers (with their follow-up and appeal policies) and providers.
// No PHI: every signed-in role may read it (coders see payers and providers on the claims they code).
import { Router } from 'express';
import { ROLES } from '../auth/access';
import { requireRole } from '../auth/auth';
import type { ApiContext } from '../http/context';

export function referenceRouter({ prisma }: ApiContext): Router {
  const router = Router();

  // Who the bearer token belongs to: the web workspace signs in with a token and shows only that role's screens.
  router.get('/me', requireRole(...ROLES.anyone), async (_req, res) => {
    const user = await prisma.user.findUnique({
      where: { id: res.locals.userId as string },
      select: { id: true, name: true, role: true, skills: true, payerGroups: true },
    });
    res.json(user);
  });

  router.get('/payers', requireRole(...ROLES.anyone), async (_req, res) => {
    const payers = await prisma.payer.findMany({ orderBy: { name: 'asc' } });
    res.json({ items: payers });
  });

  router.get('/providers', requireRole(...ROLES.anyone), async (_req, res) => {
    const providers = await prisma.provider.findMany({ orderBy: { name: 'asc' } });
    res.json({ items: providers });
  });

  return router;
}
