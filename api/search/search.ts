// GET /api/search: the workspace's one search box. Patients by name (last and first, either order, each a prefix),
// birth date or member id; claims by claim id, by date of service, or of the patients found. Every condition is an
// index range (Patient name and birth-date keys, Coverage.memberIdKey, Claim.patientId, Encounter.dateOfService),
// scoped to the caller's practices. What was shown is audited by id; the query itself may be a name and is not.
import { Router } from 'express';
import type { z } from 'zod';
import type { Prisma, PrismaClient } from '../../generated/prisma/client';
import { parseSearch, prefixUpperBound, type SearchTerms } from '../../domain/search';
import { ROLES } from '../auth/access';
import { callerId } from '../auth/auth';
import { callerPractices, inPractices, type PracticeScope } from '../auth/practices';
import { recordAudit } from '../http/audit';
import type { ApiContext } from '../http/context';
import { dateFromIso, isoFromDate } from '../http/dates';
import { parseInput, ValidationError } from '../http/errors';
import { claimSummaryView } from '../http/views';
import { addRoute, describeRoute } from '../openapi/openapi';
import { claimHit, patientHit, searchQuery, searchResponse } from './schemas';

const MOUNT = '/api/search';
const DEFAULT_LIMIT = 20;

const routes = {
  search: describeRoute({
    method: 'get',
    path: MOUNT,
    roles: ROLES.anyone,
    tag: 'search',
    summary: 'Find patients and claims by name, birth date, member id, claim id or date of service',
    description:
      'The query is read as what it can mean and each meaning is searched: name words match last and first names by prefix (either order), ' +
      'a date matches birth dates (with names or a member id: and) and, alone, dates of service; a token with digits matches member ids ' +
      '(dashes and case ignored) and claim ids. Only the practices the caller works for are searched.',
    query: searchQuery,
    response: searchResponse,
  }),
};

type PatientHit = z.output<typeof patientHit>;
type ClaimHit = z.output<typeof claimHit>;

const startsWith = (key: string) => ({ gte: key, lt: prefixUpperBound(key) });

/** Null when the terms say nothing about patients (a claim id or a date of service alone). */
function patientWhere(terms: SearchTerms, scope: PracticeScope): Prisma.PatientWhereInput | null {
  const and: Prisma.PatientWhereInput[] = [];
  const [a, b] = terms.names;
  if (b) {
    and.push({
      OR: [
        { lastNameKey: startsWith(a), firstNameKey: startsWith(b) },
        { lastNameKey: startsWith(b), firstNameKey: startsWith(a) },
      ],
    });
  } else if (a) {
    and.push({ OR: [{ lastNameKey: startsWith(a) }, { firstNameKey: startsWith(a) }] });
  }
  if (terms.memberId) and.push({ coverages: { some: { memberIdKey: terms.memberId } } });
  if (terms.date) and.push({ birthDate: dateFromIso(terms.date) });
  // A date alone is a birth date here and a date of service for claims. A claim id is also read as the member id
  // it could be: the two formats overlap.
  if (and.length === 0) return null;
  return { AND: [inPractices(scope), ...and] };
}

async function findPatients(prisma: PrismaClient, where: Prisma.PatientWhereInput, limit: number) {
  const rows = await prisma.patient.findMany({
    where,
    orderBy: [{ lastNameKey: 'asc' }, { firstNameKey: 'asc' }, { id: 'asc' }],
    take: limit + 1,
    include: { coverages: { orderBy: { priority: 'asc' }, include: { payer: { select: { name: true } } } } },
  });
  const hits: PatientHit[] = rows.slice(0, limit).map((p) => ({
    id: p.id,
    organizationId: p.organizationId,
    firstName: p.firstName,
    lastName: p.lastName,
    birthDate: isoFromDate(p.birthDate),
    coverages: p.coverages.map((c) => ({ payerId: c.payerId, payerName: c.payer.name, memberId: c.memberId, priority: c.priority })),
  }));
  return { hits, more: rows.length > limit };
}

async function findClaims(
  prisma: PrismaClient,
  terms: SearchTerms,
  scope: PracticeScope,
  patientIds: string[],
  limit: number,
): Promise<{ hits: ClaimHit[]; more: boolean }> {
  // Each meaning is its own index range (claim id, patients' claims, a date of service's claims), read apart and
  // merged here: one query ORing them makes PostgreSQL walk every claim by creation time.
  const meanings: Prisma.ClaimWhereInput[] = [];
  if (terms.claimId) meanings.push({ id: terms.claimId });
  if (patientIds.length) meanings.push({ patientId: { in: patientIds } });
  if (terms.date && !terms.names.length && !terms.memberId) meanings.push({ encounter: { dateOfService: dateFromIso(terms.date) } });
  const include = {
    encounter: { select: { dateOfService: true } },
    patient: { select: { firstName: true, lastName: true, birthDate: true } },
  } as const;
  const found = await Promise.all(
    meanings.map((where) =>
      prisma.claim.findMany({
        where: { AND: [inPractices(scope), where] },
        orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
        take: limit + 1,
        include,
      }),
    ),
  );
  const byId = new Map(found.flat().map((c) => [c.id, c]));
  const rows = [...byId.values()].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || a.id.localeCompare(b.id));
  const now = new Date();
  const hits = rows.slice(0, limit).map((c) => ({
    ...claimSummaryView(c, now),
    patient: { firstName: c.patient.firstName, lastName: c.patient.lastName, birthDate: isoFromDate(c.patient.birthDate) },
  }));
  return { hits, more: rows.length > limit };
}

export function searchRouter({ prisma }: ApiContext): Router {
  const router = Router();

  addRoute(router, MOUNT, routes.search, async (req, res) => {
    const query = parseInput(searchQuery, req.query);
    const terms = parseSearch(query.q);
    if (!terms) throw new ValidationError('give at least two letters of a name, a date, a member id or a claim id', 'q');
    const limit = query.limit ?? DEFAULT_LIMIT;
    const scope = callerPractices(res);
    const where = patientWhere(terms, scope);
    const patients = where ? await findPatients(prisma, where, limit) : { hits: [], more: false };
    const claims = await findClaims(
      prisma,
      terms,
      scope,
      patients.hits.map((p) => p.id),
      limit,
    );
    await recordAudit(prisma, {
      actor: callerId(res),
      action: 'patient.search',
      entity: 'patient',
      entityId: '*',
      detail: { patientIds: patients.hits.map((p) => p.id), claimIds: claims.hits.map((c) => c.id) },
    });
    const answer: z.output<typeof searchResponse> = {
      understood: { names: terms.names, date: terms.date ?? null, claimId: terms.claimId ?? null, memberId: terms.memberId ?? null },
      patients: patients.hits,
      claims: claims.hits,
      more: { patients: patients.more, claims: claims.more },
    };
    res.json(answer);
  });

  return router;
}
