// /api/users: who a supervisor can hand work to. The admin listing (/api/admin/users) is for administrators
// and carries more than reassignment needs; this one answers only id, name, role and active, to the roles
// that reassign tasks (SUPERVISORS is ROLES.oversight, the roles of POST /api/tasks/:id/reassign).
import { Router } from 'express';
import { z } from 'zod';
import { STAFF_ROLES } from './auth';
import type { ApiContext } from '../http/context';
import { parseInput } from '../http/errors';
import { addRoute, describeRoute, SUPERVISORS } from '../openapi/openapi';
import { enumList } from '../http/queryParams';

const MOUNT = '/api/users';

export const userListQuery = z.strictObject({
  role: enumList(STAFF_ROLES)
    .describe(`one role or a comma-separated list of ${STAFF_ROLES.join(', ')}; every role when absent`)
    .optional(),
  active: z
    .enum(['true', 'false'], 'must be true or false')
    .transform((s) => s === 'true')
    .describe('only active (true) or only deactivated (false) users; both when absent')
    .optional(),
});

export const userListResponse = z.object({
  items: z.array(z.object({ id: z.string(), name: z.string(), role: z.enum(STAFF_ROLES), active: z.boolean() })),
});

const routes = {
  list: describeRoute({
    method: 'get',
    path: MOUNT,
    roles: SUPERVISORS,
    tag: 'tasks',
    summary: 'Users a supervisor may reassign tasks to: id, name, role and active flag, by id',
    description: 'Skills and payer groups are not listed: a reassignment that breaks a routing rule is refused with the reason.',
    query: userListQuery,
    response: userListResponse,
  }),
};

export function usersRouter({ prisma }: ApiContext): Router {
  const router = Router();
  addRoute(router, MOUNT, routes.list, async (req, res) => {
    const q = parseInput(userListQuery, req.query);
    const users = await prisma.user.findMany({
      // people only: a clearinghouse sender works no queue and is never handed a task
      where: { role: { in: q.role ?? [...STAFF_ROLES] }, ...(q.active === undefined ? {} : { active: q.active }) },
      select: { id: true, name: true, role: true, active: true },
      orderBy: { id: 'asc' },
    });
    res.json({ items: users });
  });
  return router;
}
