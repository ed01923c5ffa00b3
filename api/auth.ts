// Who is calling. For now the X-User-Id header names an active User; token authentication replaces this
// one middleware later, and everything downstream reads the caller through callerId().
import type { RequestHandler, Response } from 'express';
import type { PrismaClient } from '../generated/prisma/client';
import { ForbiddenError, UnauthenticatedError } from './errors';

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

type RoleName = 'CODER' | 'BILLER' | 'SUPERVISOR' | 'ADMIN';

/** Every route declares who may call it; anyone else gets 403 (after authentication's 401). */
export function requireRole(...roles: RoleName[]): RequestHandler {
  return (_req, res, next) => {
    const role = res.locals.userRole as RoleName | undefined;
    if (!role) throw new UnauthenticatedError();
    if (!roles.includes(role)) throw new ForbiddenError(`this needs one of the roles ${roles.join(', ')}; you are ${role}`);
    next();
  };
}

export function callerRole(res: Response): RoleName {
  const role = res.locals.userRole;
  if (typeof role !== 'string') throw new UnauthenticatedError();
  return role as RoleName;
}
