// /api/organizations: the practices the billing office works for. Anyone signed in lists the practices they
// see; administrators register a practice and change its billing identity (the 837P's billing provider
// address and, for a group, its NPI and tax id; the submitter it is enrolled as).
import { Router } from 'express';
import type { z } from 'zod';
import type { Organization } from '../../generated/prisma/client';
import { ROLES } from '../auth/access';
import { callerId } from '../auth/auth';
import { callerPractices, maySee } from '../auth/practices';
import { recordAudit } from '../http/audit';
import type { ApiContext } from '../http/context';
import { ApiError, isUniqueViolation, NotFoundError, parseInput, UnprocessableError } from '../http/errors';
import { addRoute, describeRoute } from '../openapi/openapi';
import { createOrganizationBody, organizationListResponse, organizationResponse, updateOrganizationBody } from './schemas';

const MOUNT = '/api/organizations';

const routes = {
  list: describeRoute({
    method: 'get',
    path: MOUNT,
    roles: ROLES.anyone,
    tag: 'organizations',
    summary: 'The practices the caller works for (every practice for those assigned "*")',
    response: organizationListResponse,
  }),
  create: describeRoute({
    method: 'post',
    path: MOUNT,
    roles: ROLES.admin,
    tag: 'organizations',
    status: 201,
    summary: 'Register a practice: its name, billing address and, for a group that bills as itself, its NPI and tax id',
    body: createOrganizationBody,
    response: organizationResponse,
  }),
  update: describeRoute({
    method: 'patch',
    path: `${MOUNT}/:id`,
    roles: ROLES.admin,
    tag: 'organizations',
    summary: "Change a practice's name or billing identity; claims submitted from then on carry it",
    body: updateOrganizationBody,
    response: organizationResponse,
  }),
};

export function organizationView(o: Organization): z.output<typeof organizationResponse> {
  return {
    id: o.id,
    name: o.name,
    npi: o.npi,
    taxId: o.taxId,
    addressLine: o.addressLine,
    city: o.city,
    state: o.state,
    zip9: o.zip9,
    submitterId: o.submitterId,
    submitterName: o.submitterName,
    createdAt: o.createdAt.toISOString(),
  };
}

export function organizationsRouter({ prisma }: ApiContext): Router {
  const router = Router();

  addRoute(router, MOUNT, routes.list, async (_req, res) => {
    const scope = callerPractices(res);
    const rows = await prisma.organization.findMany({
      where: scope.all ? {} : { id: { in: [...scope.ids] } },
      orderBy: { name: 'asc' },
    });
    res.json({ items: rows.map(organizationView) });
  });

  addRoute(router, MOUNT, routes.create, async (req, res) => {
    const body = parseInput(createOrganizationBody, req.body);
    const actor = callerId(res);
    try {
      const created = await prisma.$transaction(async (tx) => {
        const org = await tx.organization.create({ data: body });
        await recordAudit(tx, { actor, action: 'organization.create', entity: 'organization', entityId: org.id, detail: {} });
        return org;
      });
      res.location(`${MOUNT}/${created.id}`).status(201).json(organizationView(created));
    } catch (err) {
      if (isUniqueViolation(err)) throw new ApiError(409, 'ORGANIZATION_EXISTS', `a practice with id ${body.id} already exists`, 'id');
      throw err;
    }
  });

  addRoute(router, MOUNT, routes.update, async (req, res) => {
    const changes = parseInput(updateOrganizationBody, req.body);
    const id = req.params.id as string;
    const actor = callerId(res);
    if (!maySee(callerPractices(res), id)) throw new NotFoundError('organization');
    const updated = await prisma.$transaction(async (tx) => {
      const found = await tx.organization.findUnique({ where: { id } });
      if (!found) throw new NotFoundError('organization');
      const next = { ...found, ...changes };
      if ((next.npi === null) !== (next.taxId === null)) {
        throw new UnprocessableError('GROUP_INCOMPLETE', 'give both npi and taxId (the group bills as itself) or neither', 'npi');
      }
      const org = await tx.organization.update({ where: { id }, data: changes });
      await recordAudit(tx, {
        actor,
        action: 'organization.update',
        entity: 'organization',
        entityId: id,
        detail: { fields: Object.keys(changes) },
      });
      return org;
    });
    res.json(organizationView(updated));
  });

  return router;
}
