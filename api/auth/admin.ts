// /api/admin: users, their API tokens and passwords, for administrators. A token's text is in the answer that
// issues it and nowhere else; token and password routes are rate-limited per address.
import { Router } from 'express';
import { createUser, issueToken, revokeToken, setPassword, tokenView, updateUser, userView } from './accounts';
import { ROLES } from './access';
import { callerId, requireRole } from './auth';
import type { ApiContext } from '../http/context';
import { NotFoundError, parseInput } from '../http/errors';
import { fixedWindowLimit, type RateLimit } from '../http/rateLimit';
import { createTokenBody, createUserBody, setPasswordBody, updateUserBody } from './schemas';
import type { SessionPolicy } from './sessions';

export function adminRouter({ prisma }: ApiContext, tokenRateLimit: RateLimit, sessions: SessionPolicy): Router {
  const router = Router();
  const admin = requireRole(...ROLES.admin);
  const limited = fixedWindowLimit(tokenRateLimit);

  router.get('/users', admin, async (_req, res) => {
    const users = await prisma.user.findMany({ orderBy: { id: 'asc' } });
    res.json({ items: users.map(userView) });
  });

  router.post('/users', admin, async (req, res) => {
    const body = parseInput(createUserBody, req.body);
    const user = await createUser(prisma, body, callerId(res));
    res.location(`/api/admin/users/${user.id}`).status(201).json(userView(user));
  });

  router.patch('/users/:id', admin, async (req, res) => {
    const changes = parseInput(updateUserBody, req.body);
    const user = await updateUser(prisma, req.params.id, changes, callerId(res));
    res.json(userView(user));
  });

  // Sets or resets a password: the user's sessions end and a sign-in lock is lifted (accounts.ts setPassword).
  router.put('/users/:id/password', limited, admin, async (req, res) => {
    const { password } = parseInput(setPasswordBody, req.body);
    const done = await setPassword(prisma, req.params.id, password, callerId(res), new Date(sessions.now()));
    res.json({ userId: req.params.id, ...done });
  });

  router.get('/users/:id/tokens', limited, admin, async (req, res) => {
    const user = await prisma.user.findUnique({ where: { id: req.params.id }, include: { tokens: { orderBy: { createdAt: 'asc' } } } });
    if (!user) throw new NotFoundError('user');
    res.json({ items: user.tokens.map(tokenView) });
  });

  router.post('/users/:id/tokens', limited, admin, async (req, res) => {
    const body = parseInput(createTokenBody, req.body);
    const { token, record } = await issueToken(prisma, req.params.id, body, callerId(res));
    res.set('Cache-Control', 'no-store');
    res.status(201).json({ ...tokenView(record), token });
  });

  router.delete('/tokens/:id', limited, admin, async (req, res) => {
    const token = await revokeToken(prisma, req.params.id, callerId(res));
    res.json(tokenView(token));
  });

  return router;
}
