// /fhir: FHIR R4 for EHRs (docs/fhir.md). Claims come in as a Claim or a transaction Bundle and become the same
// encounter and claim rows POST /api/claims makes, with the same lifecycle workflow; the claim, and the payer's
// adjudication once its 835 has come, go out as Claim, ClaimResponse and ExplanationOfBenefit. Callers are
// authenticated (api/app.ts) before this router runs; every read is limited to the caller's practices.
import { Router, type Request, type Response } from 'express';
import type { Bundle, BundleEntry, Resource } from '@medplum/fhirtypes';
import { capabilityStatement } from '../../domain/fhir/capabilityStatement';
import { FhirInputError, readClaimBundle, readClaimResource, type ClaimIntake } from '../../domain/fhir/claimIn';
import { claimOut } from '../../domain/fhir/claimOut';
import { claimResponseOut, explanationOfBenefitOut } from '../../domain/fhir/claimResponseOut';
import { ROLES } from '../auth/access';
import { callerId } from '../auth/auth';
import { callerPractices } from '../auth/practices';
import { startClaimWorkflow } from '../claims/claimWorkflow';
import { recordAudit } from '../http/audit';
import type { ApiContext } from '../http/context';
import { NotFoundError, parseInput, TemporalUnavailableError, ValidationError } from '../http/errors';
import { callTemporal } from '../http/temporal';
import { addRoute, describeRoute } from '../openapi/openapi';
import { takeFhirClaim, type FhirClaimTaken } from './claimIntake';
import { FHIR_JSON, refusalOf } from './errors';
import { loadAdjudications, loadClaimRecord } from './records';
import {
  capabilityStatementResource,
  claimBody,
  claimResource,
  claimResponseResource,
  claimResponseSearchQuery,
  explanationOfBenefitResource,
  explanationOfBenefitSearchQuery,
  searchsetBundle,
  transactionBundleBody,
  transactionResponseBundle,
} from './schemas';

const MOUNT = '/fhir';
const FHIR_VERSION_OF_CLAIMFLOW = '0.1.0';
const fhir = { tag: 'fhir', roles: ROLES.fhir, fhir: true } as const;

const routes = {
  metadata: describeRoute({
    ...fhir,
    method: 'get',
    path: `${MOUNT}/metadata`,
    summary: 'The CapabilityStatement: which FHIR resources and interactions claimflow supports',
    response: capabilityStatementResource,
  }),
  transaction: describeRoute({
    ...fhir,
    method: 'post',
    path: MOUNT,
    summary: 'A transaction Bundle of one Claim and its parties: the claim created (once per Claim.identifier) and its workflow started',
    description:
      'Entries reference each other by fullUrl (urn:uuid). The patient is found in the practitioner’s practice by claimflow id, member id ' +
      'with the payer, or names and birth date, else registered from the Patient entry; the payer is Coverage.payor’s identifier ' +
      '(claimflow payer id); the practitioner is found by NPI among the caller’s practices. All of it is written in one transaction or ' +
      'none of it: a refusal is an OperationOutcome whose issue.expression is the FHIRPath of the element at fault. The same ' +
      'Claim.identifier again creates nothing and answers the claim made the first time.',
    body: transactionBundleBody,
    bodyMediaTypes: [FHIR_JSON, 'application/json'],
    response: transactionResponseBundle,
  }),
  createClaim: describeRoute({
    ...fhir,
    method: 'post',
    path: `${MOUNT}/Claim`,
    status: 201,
    summary: 'A Claim whose parties are contained or named by identifier: created once per Claim.identifier, its workflow started',
    description: 'As POST /fhir with the Claim alone; 200 with the claim made the first time when its identifier was seen before.',
    body: claimBody,
    bodyMediaTypes: [FHIR_JSON, 'application/json'],
    response: claimResource,
  }),
  readClaim: describeRoute({
    ...fhir,
    method: 'get',
    path: `${MOUNT}/Claim/:id`,
    summary: 'A claim as a FHIR Claim',
    response: claimResource,
  }),
  searchClaimResponse: describeRoute({
    ...fhir,
    method: 'get',
    path: `${MOUNT}/ClaimResponse`,
    query: claimResponseSearchQuery,
    summary: "The payer's adjudication of a claim (request=Claim/<id>): a searchset Bundle, empty until its 835 has come",
    response: searchsetBundle,
  }),
  readClaimResponse: describeRoute({
    ...fhir,
    method: 'get',
    path: `${MOUNT}/ClaimResponse/:id`,
    summary: "The payer's adjudication of the claim with this id; 404 until its 835 has come",
    response: claimResponseResource,
  }),
  searchExplanationOfBenefit: describeRoute({
    ...fhir,
    method: 'get',
    path: `${MOUNT}/ExplanationOfBenefit`,
    query: explanationOfBenefitSearchQuery,
    summary: 'The claim and its adjudication (claim=<id>): a searchset Bundle, empty until its 835 has come',
    response: searchsetBundle,
  }),
  readExplanationOfBenefit: describeRoute({
    ...fhir,
    method: 'get',
    path: `${MOUNT}/ExplanationOfBenefit/:id`,
    summary: 'The claim with this id and its adjudication; 404 until its 835 has come',
    response: explanationOfBenefitResource,
  }),
};

export function fhirRouter(ctx: ApiContext): Router {
  const router = Router();

  addRoute(router, MOUNT, routes.metadata, (_req, res) => send(res, 200, capabilityStatement(FHIR_VERSION_OF_CLAIMFLOW)));

  addRoute(router, MOUNT, routes.transaction, async (req, res) => {
    const intake = readOrRefuse(() => readClaimBundle(jsonBody(req)));
    const taken = await takeAndStart(ctx, intake, res);
    const claim = await loadClaimRecord(ctx.prisma, callerPractices(res), taken.claimId);
    if (!claim) throw new Error(`claim ${taken.claimId} was saved but cannot be read back`);
    send(res, 200, transactionResponse(intake, taken, claimOut(claim)));
  });

  addRoute(router, MOUNT, routes.createClaim, async (req, res) => {
    const intake = readOrRefuse(() => readClaimResource(jsonBody(req)));
    const taken = await takeAndStart(ctx, intake, res);
    const claim = await loadClaimRecord(ctx.prisma, callerPractices(res), taken.claimId);
    if (!claim) throw new Error(`claim ${taken.claimId} was saved but cannot be read back`);
    res.location(`${MOUNT}/Claim/${taken.claimId}`);
    send(res, taken.replayed ? 200 : 201, claimOut(claim));
  });

  addRoute(router, MOUNT, routes.readClaim, async (req, res) => {
    const claim = await loadClaimRecord(ctx.prisma, callerPractices(res), String(req.params.id));
    if (!claim) throw new NotFoundError('Claim');
    await audit(ctx, res, 'fhir.claim.read', claim.id);
    send(res, 200, claimOut(claim));
  });

  addRoute(router, MOUNT, routes.searchClaimResponse, async (req, res) => {
    const { request } = parseInput(claimResponseSearchQuery, req.query);
    const found = await adjudicated(ctx, res, request, 'fhir.claimResponse.search', claimResponseOut);
    send(res, 200, searchset(found ? [found] : []));
  });

  addRoute(router, MOUNT, routes.readClaimResponse, async (req, res) => {
    const found = await adjudicated(ctx, res, String(req.params.id), 'fhir.claimResponse.read', claimResponseOut);
    if (!found) throw new NotFoundError('ClaimResponse');
    send(res, 200, found);
  });

  addRoute(router, MOUNT, routes.searchExplanationOfBenefit, async (req, res) => {
    const { claim } = parseInput(explanationOfBenefitSearchQuery, req.query);
    const found = await adjudicated(ctx, res, claim, 'fhir.explanationOfBenefit.search', explanationOfBenefitOut);
    send(res, 200, searchset(found ? [found] : []));
  });

  addRoute(router, MOUNT, routes.readExplanationOfBenefit, async (req, res) => {
    const found = await adjudicated(ctx, res, String(req.params.id), 'fhir.explanationOfBenefit.read', explanationOfBenefitOut);
    if (!found) throw new NotFoundError('ExplanationOfBenefit');
    send(res, 200, found);
  });

  return router;
}

function send(res: Response, status: number, resource: Resource): void {
  res.status(status).type(FHIR_JSON).send(JSON.stringify(resource));
}

/** The parsed JSON body; express.json leaves it undefined for another content type or none. */
function jsonBody(req: Request): unknown {
  if (req.body === undefined) throw new ValidationError(`a FHIR JSON body is required (Content-Type: ${FHIR_JSON})`);
  return req.body;
}

function readOrRefuse(read: () => ClaimIntake): ClaimIntake {
  try {
    return read();
  } catch (err) {
    if (err instanceof FhirInputError) throw refusalOf(err);
    throw err;
  }
}

/** Writes the claim (or finds the one its identifier made) and starts its workflow, as POST /api/claims does. */
async function takeAndStart(ctx: ApiContext, intake: ClaimIntake, res: Response): Promise<FhirClaimTaken> {
  const taken = await takeFhirClaim(ctx.prisma, intake, callerId(res), callerPractices(res));
  // A replay starts again too: if the first start failed, the repeated message is what gets it going.
  try {
    await callTemporal(ctx.temporal, ctx.timeouts.callMs, 'start', ctx.log, () =>
      startClaimWorkflow(ctx.temporal, ctx.prisma, ctx.config, taken.claimId),
    );
  } catch (err) {
    if (err instanceof TemporalUnavailableError) {
      throw new TemporalUnavailableError(
        `claim ${taken.claimId} was saved, but its workflow could not be started yet; it will be started when the workflow service is reachable`,
      );
    }
    throw err;
  }
  return taken;
}

/** The claim's adjudication as `build` makes it, or null when there is none yet (or no such claim in the caller's practices). */
async function adjudicated<R extends Resource>(
  ctx: ApiContext,
  res: Response,
  claimId: string,
  action: string,
  build: (
    claim: NonNullable<Awaited<ReturnType<typeof loadClaimRecord>>>,
    payments: Awaited<ReturnType<typeof loadAdjudications>>,
  ) => R | null,
): Promise<R | null> {
  const claim = await loadClaimRecord(ctx.prisma, callerPractices(res), claimId);
  if (!claim) return null;
  const built = build(claim, await loadAdjudications(ctx.prisma, claim.id));
  await audit(ctx, res, action, claim.id);
  return built;
}

async function audit(ctx: ApiContext, res: Response, action: string, claimId: string): Promise<void> {
  await recordAudit(ctx.prisma, { actor: callerId(res), action, entity: 'claim', entityId: claimId, claimId });
}

function searchset(resources: Resource[]): Bundle {
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    total: resources.length,
    entry: resources.map((resource) => ({ fullUrl: `${resource.resourceType}/${resource.id}`, resource, search: { mode: 'match' } })),
  };
}

/** One response entry per request entry, in order: where each resource now lives in claimflow. */
function transactionResponse(intake: ClaimIntake, taken: FhirClaimTaken, claim: Resource): Bundle {
  const created = (isNew: boolean) => (isNew ? '201 Created' : '200 OK');
  const entry = intake.entries.map(({ resourceType, path }): BundleEntry => {
    if (resourceType === 'Claim') {
      return { resource: claim, response: { status: created(!taken.replayed), location: `Claim/${taken.claimId}` } };
    }
    if (resourceType === 'Patient' && path === intake.patient.path) {
      return { response: { status: created(taken.patientCreated), location: `Patient/${taken.patientId}` } };
    }
    if (resourceType === 'Coverage' && path === intake.coverage.path) {
      return { response: { status: created(taken.patientCreated), location: `Coverage/${taken.coverageId}` } };
    }
    if (resourceType === 'Encounter') {
      return { response: { status: created(!taken.replayed), location: `Encounter/${taken.encounterId}` } };
    }
    if (resourceType === 'Practitioner' && path === intake.practitioner.path) {
      return { response: { status: '200 OK', location: `Practitioner/${taken.providerId}` } };
    }
    return { response: { status: '200 OK' } };
  });
  return { resourceType: 'Bundle', type: 'transaction-response', entry };
}
