// Reference data a client needs to build a claim: payers (with their follow-up and appeal policies) and providers.
import { Router } from 'express';
import type { ApiContext } from './context';

export function referenceRouter({ prisma }: ApiContext): Router {
  const router = Router();

  router.get('/payers', async (_req, res) => {
    const payers = await prisma.payer.findMany({ orderBy: { name: 'asc' } });
    res.json({ items: payers });
  });

  router.get('/providers', async (_req, res) => {
    const providers = await prisma.provider.findMany({ orderBy: { name: 'asc' } });
    res.json({ items: providers });
  });

  return router;
}
