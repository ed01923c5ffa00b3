// Who is calling. For now the X-User-Id header names an active User; token authentication replaces this
// one middleware later, and everything downstream reads the caller through callerId().
import type { RequestHandler, Response } from 'express';
import type { PrismaClient } from '../generated/prisma/client';
import { UnauthenticatedError } from './errors';

export function requireUser(prisma: PrismaClient): RequestHandler {
  return async (req, res, next) => {
    const userId = req.get('X-User-Id')?.trim();
    if (!userId) throw new UnauthenticatedError('the X-User-Id header is required');
    const user = await prisma.user.findUnique({ where: { id: userId }, select: { id: true, active: true, role: true } });
    if (!user || !user.active) throw new UnauthenticatedError();
    res.locals.userId = user.id;
    res.locals.userRole = user.role;
    next();
  };
}

export function callerId(res: Response): string {
  const id = res.locals.userId;
  if (typeof id !== 'string') throw new UnauthenticatedError();
  return id;
}
