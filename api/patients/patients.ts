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
import { createPatientBody } from './schemas';
import { patientInclude, patientView } from '../http/views';

export function patientsRouter({ prisma }: ApiContext): Router {
  const router = Router();

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
