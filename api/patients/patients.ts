// /api/patients: registering a patient with their coverages, and reading one back (audited).
import { Router } from 'express';
import { memberIdKey, nameKey } from '../../domain/search';
import { recordAudit } from '../http/audit';
import { ROLES } from '../auth/access';
import { callerId, requireRole } from '../auth/auth';
import { callerPractices, inPractices } from '../auth/practices';
import { practiceFor } from './practiceFor';
import type { ApiContext } from '../http/context';
import { dateFromIso } from '../http/dates';
import { NotFoundError, parseInput, UnprocessableError } from '../http/errors';
import { newCoverageId, newPatientId } from '../http/ids';
import { createPatientBody, patientResponse, updateCoverageBody } from './schemas';
import { addRoute, describeRoute } from '../openapi/openapi';
import { patientInclude, patientView } from '../http/views';

const MOUNT = '/api/patients';

const routes = {
  updateCoverage: describeRoute({
    method: 'patch',
    path: `${MOUNT}/:id/coverages/:coverageId`,
    roles: ROLES.billing,
    tag: 'patients',
    summary: "Corrects a coverage's member id, group number or relationship",
    description:
      "For a patient of one of the caller's practices (404 otherwise). Claims of the coverage keep it: the next eligibility " +
      'check or status inquiry asks with the corrected values, and an eligibility check on file for the old values is not ' +
      'reused. The audit log records which fields changed, not their values.',
    body: updateCoverageBody,
    response: patientResponse,
  }),
};

export function patientsRouter({ prisma }: ApiContext): Router {
  const router = Router();

  addRoute(router, MOUNT, routes.updateCoverage, async (req, res) => {
    const body = parseInput(updateCoverageBody, req.body);
    const patientId = String(req.params.id);
    const coverageId = String(req.params.coverageId);
    const userId = callerId(res);
    const patient = await prisma.$transaction(async (tx) => {
      const coverage = await tx.coverage.findFirst({
        where: { id: coverageId, patientId, patient: inPractices(callerPractices(res)) },
        select: { id: true },
      });
      if (!coverage) throw new NotFoundError('coverage');
      await tx.coverage.update({
        where: { id: coverage.id },
        data: {
          ...(body.memberId !== undefined ? { memberId: body.memberId, memberIdKey: memberIdKey(body.memberId) } : {}),
          ...(body.groupNumber !== undefined ? { groupNumber: body.groupNumber } : {}),
          ...(body.relationship !== undefined ? { relationship: body.relationship } : {}),
        },
      });
      await recordAudit(tx, {
        actor: userId,
        action: 'coverage.update',
        entity: 'patient',
        entityId: patientId,
        detail: { coverageId: coverage.id, fields: Object.keys(body) },
      });
      return tx.patient.findUniqueOrThrow({ where: { id: patientId }, include: patientInclude });
    });
    res.json(patientView(patient));
  });

  router.post('/', requireRole(...ROLES.billing), async (req, res) => {
    const body = parseInput(createPatientBody, req.body);
    const userId = callerId(res);
    const patientId = newPatientId();
    const patient = await prisma.$transaction(async (tx) => {
      const organizationId = await practiceFor(tx, callerPractices(res), body.organizationId);
      const payerIds = [...new Set(body.coverages.map((c) => c.payerId))];
      const known = new Set((await tx.payer.findMany({ where: { id: { in: payerIds } }, select: { id: true } })).map((p) => p.id));
      const unknownAt = body.coverages.findIndex((c) => !known.has(c.payerId));
      if (unknownAt >= 0) throw new UnprocessableError('UNKNOWN_REFERENCE', 'no such payer', `coverages[${unknownAt}].payerId`);
      const created = await tx.patient.create({
        data: {
          id: patientId,
          organizationId,
          firstName: body.firstName,
          lastName: body.lastName,
          firstNameKey: nameKey(body.firstName),
          lastNameKey: nameKey(body.lastName),
          birthDate: dateFromIso(body.birthDate),
          sex: body.sex,
          addressLine: body.addressLine,
          city: body.city,
          state: body.state,
          postalCode: body.postalCode,
          coverages: {
            create: body.coverages.map((c) => ({
              id: newCoverageId(),
              payerId: c.payerId,
              memberId: c.memberId,
              memberIdKey: memberIdKey(c.memberId),
              groupNumber: c.groupNumber ?? null,
              priority: c.priority,
              relationship: c.relationship ?? '18',
            })),
          },
        },
        include: patientInclude,
      });
      await recordAudit(tx, {
        actor: userId,
        action: 'patient.create',
        entity: 'patient',
        entityId: patientId,
        detail: { coverages: body.coverages.length, organizationId },
      });
      return created;
    });
    res.location(`/api/patients/${patientId}`).status(201).json(patientView(patient));
  });

  router.get('/:id', requireRole(...ROLES.billing), async (req, res) => {
    const patient = await prisma.patient.findFirst({
      where: { id: req.params.id, ...inPractices(callerPractices(res)) },
      include: patientInclude,
    });
    if (!patient) throw new NotFoundError('patient');
    await recordAudit(prisma, { actor: callerId(res), action: 'patient.read', entity: 'patient', entityId: patient.id });
    res.json(patientView(patient));
  });

  return router;
}
