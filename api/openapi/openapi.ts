// The API's OpenAPI 3.1 description, generated from the zod schemas that validate requests and type the answers.
// Every route is described once, in one registry: routes added with `addRoute` register their description and
// take their role check from it; the routes of modules that predate the registry are described at the end of this
// file with the schemas they validate with and answer with (each feature's schemas.ts). The document lists the routes express actually has,
// with the roles their requireRole middleware actually allows (x-roles); a test checks that every mounted
// route is described.
import type { Application } from 'express';
import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import { ROLES } from '../auth/access';
import { ALLOWED_ROLES, AUTHENTICATES, requireRole, type RoleName } from '../auth/auth';
import { X12_CONTENT_TYPES } from '../inbound/x12';
import { createTokenBody, createUserBody, setPasswordBody, setPasswordResponse, updateUserBody } from '../auth/schemas';
import {
  claimCountsResponse,
  claimDetailResponse,
  claimListQuery,
  claimListResponse,
  createClaimBody,
  createdClaimResponse,
  idempotencyKey,
  voidClaimBody,
  voidClaimResponse,
} from '../claims/schemas';
import { acknowledgementMessage, appealDecisionMessage, remittanceMessage } from '../inbound/schemas';
import { createPatientBody, patientResponse } from '../patients/schemas';
import {
  nextTaskResponse,
  queuePageResponse,
  routingRule,
  routingRuleBody,
  routingRuleQuery,
  routingRuleListResponse,
  taskListQuery,
  taskQueueParam,
} from '../queues/schemas';
import { payerListResponse, providerListResponse } from '../reference/schemas';
import {
  bulkReassignBody,
  completeTaskBody,
  reassignBody,
  taskListResponse,
  taskNoteBody,
  taskNoteResponse,
  taskPriorityBody,
  taskResponse,
  taskWithNotesResponse,
} from '../tasks/schemas';

export type { RoleName };
export const ALL_STAFF: readonly RoleName[] = ROLES.anyone;
export const SUPERVISORS: readonly RoleName[] = ROLES.oversight;

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface RouteDescription {
  method: Method;
  /** the express path from the root, e.g. /api/claims/:id */
  path: string;
  /**
   * the roles that may call it. Routes added with addRoute enforce exactly these; for the older routes the
   * document reads the roles from their requireRole middleware instead, so this may be left out there.
   */
  roles?: readonly RoleName[];
  /** who authenticates: a user with a bearer token (the default), the clearinghouse, or nobody */
  auth?: 'user' | 'clearinghouse' | 'none';
  summary: string;
  description?: string;
  tag: string;
  /** path parameters that are more than a plain string */
  params?: Record<string, z.ZodType>;
  query?: z.ZodType;
  body?: z.ZodType;
  /** the body may be left out altogether */
  bodyOptional?: boolean;
  /** media types of the body when it is not JSON (e.g. X12 files as text) */
  bodyMediaTypes?: readonly string[];
  headers?: Record<string, { schema: z.ZodType; description: string }>;
  response?: z.ZodType;
  /** the media type of a success body that is not JSON (e.g. application/pdf); `response` is then left out */
  responseMediaType?: string;
  /** the route's own JSON body limit in bytes, when it parses its body itself (the API's is 1 MB) */
  bodyLimitBytes?: number;
  /** success status; 200 when absent */
  status?: number;
  /** a /fhir route: answers application/fhir+json, and its errors are OperationOutcomes */
  fhir?: boolean;
  responseDescription?: string;
}

const registry = new Map<string, RouteDescription>();
const routeKey = (method: string, path: string) => `${method.toUpperCase()} ${path}`;

/** Registers a route's description (once per method and path) and hands it back for the route to use. */
export function describeRoute<D extends RouteDescription>(d: D): D {
  const key = routeKey(d.method, d.path);
  if (registry.has(key) && registry.get(key) !== d) throw new Error(`route ${key} is described twice`);
  registry.set(key, d);
  return d;
}

export function describedRoutes(): RouteDescription[] {
  return [...registry.values()];
}

/**
 * Adds a described route to a router mounted at `mount`, behind the role check its description declares,
 * so that what the document says about roles is what the route enforces.
 */
export function addRoute(
  router: Router,
  mount: string,
  d: RouteDescription & { roles: readonly RoleName[] },
  handler: RequestHandler,
): void {
  if (!d.path.startsWith(mount)) throw new Error(`route ${d.path} is not under ${mount}`);
  describeRoute(d);
  router[d.method](d.path.slice(mount.length) || '/', requireRole(...d.roles), handler);
}

// ---- the route table express has -----------------------------------------------------------------

export interface MountedRoute {
  method: Method;
  /** express path from the root */
  path: string;
  /** what the route's requireRole allows; null when it has none */
  roles: RoleName[] | null;
  /** behind the user authentication middleware */
  authenticated: boolean;
}

interface LayerLike {
  rawPath?: unknown;
  route?: { path: unknown; methods: Record<string, boolean>; stack: LayerLike[] };
  handle?: ((...args: unknown[]) => unknown) & { stack?: LayerLike[]; [ALLOWED_ROLES]?: RoleName[]; [AUTHENTICATES]?: boolean };
}

function joinPath(prefix: string, path: unknown): string {
  const part = typeof path === 'string' ? path : '';
  const joined = `${prefix}/${part}`.replace(/\/+/g, '/');
  return joined.length > 1 ? joined.replace(/\/$/, '') : joined;
}

/** Every route of an express app (methods and full paths), with the roles its requireRole middleware allows. */
export function mountedRoutes(app: Application): MountedRoute[] {
  const out: MountedRoute[] = [];
  // Authentication and a role guard mounted on a router hold for what follows them in that router (and below it).
  const walk = (stack: LayerLike[], prefix: string, state: { authenticated: boolean; roles: RoleName[] | null }) => {
    for (const layer of stack) {
      if (layer.handle?.[AUTHENTICATES]) state.authenticated = true;
      if (layer.route) {
        const path = joinPath(prefix, layer.route.path);
        const guard = layer.route.stack.find((l) => l.handle?.[ALLOWED_ROLES]);
        const own = guard ? [...guard.handle![ALLOWED_ROLES]!] : null;
        const roles = own && state.roles ? own.filter((r) => state.roles!.includes(r)) : (own ?? state.roles);
        for (const method of Object.keys(layer.route.methods).filter((m) => m !== '_all')) {
          out.push({ method: method as Method, path, roles, authenticated: state.authenticated });
        }
      } else if (layer.handle?.stack) {
        walk(layer.handle.stack, joinPath(prefix, layer.rawPath), { ...state });
      } else if (layer.handle?.[ALLOWED_ROLES]) {
        state.roles = [...layer.handle[ALLOWED_ROLES]!];
      }
    }
  };
  walk((app as unknown as { router: { stack: LayerLike[] } }).router.stack, '', { authenticated: false, roles: null });
  return out;
}

// ---- the document ------------------------------------------------------------------------------

const errorBody = z.object({
  error: z.object({ code: z.string(), message: z.string(), field: z.string().optional() }),
});
/** The error of the /fhir routes: issue.expression is the FHIRPath of the element at fault. */
const operationOutcomeBody = z.object({
  resourceType: z.literal('OperationOutcome'),
  issue: z.array(
    z.object({
      severity: z.enum(['fatal', 'error', 'warning', 'information']),
      code: z.string(),
      details: z.object({ coding: z.array(z.object({ system: z.string(), code: z.string() })) }).optional(),
      diagnostics: z.string(),
      expression: z.array(z.string()).optional(),
    }),
  ),
});

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as Record<
    string,
    unknown
  >;
  return rest;
}

function queryParameters(schema: z.ZodType): object[] {
  const js = jsonSchema(schema, 'input') as { properties?: Record<string, Record<string, unknown>>; required?: string[] };
  return Object.entries(js.properties ?? {}).map(([name, property]) => {
    const { description, ...propertySchema } = property;
    return {
      name,
      in: 'query',
      required: (js.required ?? []).includes(name),
      ...(description ? { description } : {}),
      schema: propertySchema,
    };
  });
}

function operation(d: RouteDescription, roles: readonly RoleName[]): Record<string, unknown> {
  const auth = d.auth ?? 'user';
  const pathParams = [...d.path.matchAll(/:(\w+)/g)].map((m) => m[1]);
  const parameters = [
    ...pathParams.map((name) => ({
      name,
      in: 'path',
      required: true,
      schema: d.params?.[name] ? jsonSchema(d.params[name], 'input') : { type: 'string' },
    })),
    ...(d.query ? queryParameters(d.query) : []),
    ...Object.entries(d.headers ?? {}).map(([name, h]) => ({
      name,
      in: 'header',
      required: false,
      description: h.description,
      schema: jsonSchema(h.schema, 'input'),
    })),
  ];
  const mediaType = d.fhir ? 'application/fhir+json' : 'application/json';
  const error = (description: string) => ({
    description,
    content: { [mediaType]: { schema: { $ref: `#/components/schemas/${d.fhir ? 'OperationOutcome' : 'Error'}` } } },
  });
  const responses: Record<string, unknown> = {
    [String(d.status ?? 200)]: {
      description: d.responseDescription ?? d.summary,
      content: d.responseMediaType
        ? { [d.responseMediaType]: { schema: d.response ? jsonSchema(d.response, 'output') : { type: 'string', format: 'binary' } } }
        : { [mediaType]: { schema: d.response ? jsonSchema(d.response, 'output') : { type: 'object' } } },
    },
  };
  if (parameters.length > 0 || d.body) responses['400'] = error('the request is malformed; `field` names the offending input');
  if (auth === 'user') {
    responses['401'] = error('no valid credentials');
    responses['403'] = error(`the caller's role is not one of ${roles.join(', ')}`);
  }
  if (pathParams.length > 0) responses['404'] = error('nothing with this id');
  responses.default = error('an error; 409 when the request clashes with the current state, 503 when Temporal is unavailable');
  return {
    operationId: operationId(d),
    summary: d.summary,
    ...(d.description ? { description: d.description } : {}),
    tags: [d.tag],
    'x-roles': auth === 'user' ? [...roles] : auth === 'clearinghouse' ? [...ROLES.inbound] : [],
    ...(auth === 'clearinghouse' ? { 'x-caller': 'clearinghouse' } : {}),
    security: auth === 'none' ? [] : [{ bearerAuth: [] }],
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(d.body
      ? {
          requestBody: {
            required: !d.bodyOptional,
            content: Object.fromEntries(
              (d.bodyMediaTypes ?? ['application/json']).map((type) => [type, { schema: jsonSchema(d.body!, 'input') }]),
            ),
          },
        }
      : {}),
    responses,
  };
}

function operationId(d: RouteDescription): string {
  const words = d.path
    .replace(/^\/api\//, '')
    .split(/[/\-.]/)
    .filter(Boolean)
    .map((w) => (w.startsWith(':') ? `by ${w.slice(1)}` : w))
    .flatMap((w) => w.split(' '));
  return [d.method, ...words].map((w, i) => (i === 0 ? w : w[0].toUpperCase() + w.slice(1))).join('');
}

/** Mounted routes the registry does not describe: "GET /api/x". Empty for a fully described app. */
export function undocumentedRoutes(mounted: readonly MountedRoute[]): string[] {
  return mounted.filter((r) => !registry.has(routeKey(r.method, r.path))).map((r) => routeKey(r.method, r.path));
}

/** The OpenAPI path of an express path: /api/claims/:id → /api/claims/{id}. */
export function openApiPath(expressPath: string): string {
  return expressPath.replace(/:(\w+)/g, '{$1}');
}

/**
 * The document. Given the app's route table, it describes exactly the routes express has, with the roles
 * their middleware allows; a mounted route without a description is left out (and fails the coverage test).
 */
export function openApiDocument(mounted?: readonly MountedRoute[]): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  const byKey = new Map((mounted ?? []).map((r) => [routeKey(r.method, r.path), r]));
  const routes = describedRoutes()
    .filter((d) => !mounted || byKey.has(routeKey(d.method, d.path)))
    .sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method));
  for (const d of routes) {
    const roles = byKey.get(routeKey(d.method, d.path))?.roles ?? d.roles ?? [];
    (paths[openApiPath(d.path)] ??= {})[d.method] = operation(d, roles);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'claimflow API',
      version: '0.1.0',
      description:
        'Medical billing engine: every claim is a durable Temporal workflow. Money is integer cents, dates of service YYYY-MM-DD. ' +
        'Every operation lists the roles it allows in `x-roles`; errors share one body: { error: { code, message, field? } }.',
    },
    security: [{ bearerAuth: [] }],
    tags: [...new Set(routes.map((r) => r.tag))].sort().map((name) => ({ name })),
    paths,
    components: {
      securitySchemes: {
        bearerAuth: {
          type: 'http',
          scheme: 'bearer',
          description:
            "an API token: `Authorization: Bearer <token>`; a person's for /api, a CLEARINGHOUSE sender's for /api/inbound, an EHR's (or a biller's) for /fhir",
        },
        sessionCookie: {
          type: 'apiKey',
          in: 'cookie',
          name: 'claimflow_session',
          description:
            "the web workspace's session (POST /api/auth/session; `__Host-claimflow_session` over TLS), accepted wherever a person's bearer token is; " +
            'POST, PUT, PATCH and DELETE made with it need its CSRF token in X-CSRF-Token',
        },
      },
      schemas: { Error: jsonSchema(errorBody, 'output'), OperationOutcome: jsonSchema(operationOutcomeBody, 'output') },
    },
  };
}

const openApiRoute = describeRoute({
  method: 'get',
  path: '/api/openapi.json',
  roles: ALL_STAFF,
  tag: 'meta',
  summary: 'This document: an OpenAPI 3.1 description of the whole API',
});

/** GET /api/openapi.json, for anyone signed in. Mounted at /api, after authentication. */
export function openApiRouter(): Router {
  const router = Router();
  // Routes are all added when the app is built, so each app's document never changes once made.
  const cache = new WeakMap<object, Record<string, unknown>>();
  addRoute(router, '/api', openApiRoute, (req, res) => {
    let doc = cache.get(req.app);
    if (!doc) cache.set(req.app, (doc = openApiDocument(mountedRoutes(req.app))));
    res.json(doc);
  });
  return router;
}

// ---- routes of modules that predate the registry ------------------------------------------------
// Their roles come from their own requireRole middleware (see mountedRoutes); these give the rest.

describeRoute({
  method: 'get',
  path: '/api/health',
  auth: 'none',
  tag: 'meta',
  summary: 'Health: { ok: true } while the database answers; 503 DATABASE_UNAVAILABLE when it does not',
});

describeRoute({
  method: 'post',
  path: '/api/inbound/acknowledgements',
  auth: 'clearinghouse',
  tag: 'inbound',
  status: 202,
  summary: 'A 999/277CA acknowledgement of one submission, from the clearinghouse',
  body: acknowledgementMessage,
});
describeRoute({
  method: 'post',
  path: '/api/inbound/appeal-decisions',
  auth: 'clearinghouse',
  tag: 'inbound',
  status: 202,
  summary: "A payer's decision on an appeal",
  body: appealDecisionMessage,
});
describeRoute({
  method: 'post',
  path: '/api/inbound/x12',
  auth: 'clearinghouse',
  tag: 'inbound',
  summary: 'X12 files from the clearinghouse (999, 277CA, 835), each transaction set handled as its JSON counterpart',
  body: z.string().describe('one or more ISA/IEA interchanges'),
  bodyMediaTypes: X12_CONTENT_TYPES,
});
describeRoute({
  method: 'post',
  path: '/api/inbound/remittances',
  auth: 'clearinghouse',
  tag: 'inbound',
  status: 202,
  summary: 'An 835 remittance: stored once per payer and trace number, then signalled to each claim',
  body: remittanceMessage,
  description:
    "paymentCents (BPR02) must equal the claims' paid total less the providerAdjustments (PLB) total, which are stored at the " +
    'remittance level; 422 names the field that does not balance. A claim may appear more than once (a reversal, CLP02 22, and ' +
    'its correction): its payments are signalled in order. A claim that matches none of ours opens one POSTING_EXCEPTION task ' +
    'in the BILLER queue (exceptionTaskIds), once per remittance however often it is re-delivered.',
});

describeRoute({
  method: 'post',
  path: '/api/claims',
  tag: 'claims',
  status: 201,
  summary: 'Charge capture: create a claim and start its lifecycle workflow',
  body: createClaimBody,
  response: createdClaimResponse,
  headers: {
    'Idempotency-Key': { schema: idempotencyKey, description: 'a repeated key answers with the claim the first request created' },
  },
});
describeRoute({
  method: 'get',
  path: '/api/claims/summary',
  tag: 'claims',
  summary: 'Claim counts per state',
  response: claimCountsResponse,
});
describeRoute({
  method: 'get',
  path: '/api/claims',
  tag: 'claims',
  query: claimListQuery,
  summary: 'Claims by state, payer and time in state, oldest in state first (keyset paging)',
  response: claimListResponse,
});
describeRoute({
  method: 'get',
  path: '/api/claims/:id',
  tag: 'claims',
  summary: "A claim with its lines, diagnoses, submissions, payments, appeals, tasks and its workflow's own view",
  response: claimDetailResponse,
});
describeRoute({
  method: 'post',
  path: '/api/claims/:id/void',
  tag: 'claims',
  body: voidClaimBody,
  summary: 'Void a claim; the workflow decides whether it still can be voided (409 if not)',
  response: voidClaimResponse,
});

describeRoute({
  method: 'post',
  path: '/api/patients',
  tag: 'patients',
  status: 201,
  summary: 'Register a patient with coverages',
  body: createPatientBody,
  response: patientResponse,
});
describeRoute({
  method: 'get',
  path: '/api/patients/:id',
  tag: 'patients',
  summary: 'A patient with coverages',
  response: patientResponse,
});

describeRoute({ method: 'get', path: '/api/me', tag: 'reference', summary: 'The signed-in user: id, name, role, skills and payer groups' });
describeRoute({
  method: 'get',
  path: '/api/payers',
  tag: 'reference',
  summary: 'Payers with their follow-up, timely-filing and appeal policies',
  response: payerListResponse,
});
describeRoute({
  method: 'get',
  path: '/api/providers',
  tag: 'reference',
  summary: "The providers of the caller's practices, with their NPIs",
  response: providerListResponse,
});

describeRoute({
  method: 'get',
  path: '/api/queues/:queue/tasks',
  tag: 'tasks',
  params: { queue: taskQueueParam },
  query: taskListQuery,
  summary: 'A work queue, most urgent first (keyset paging)',
  response: queuePageResponse,
});
describeRoute({
  method: 'post',
  path: '/api/queues/:queue/next',
  tag: 'tasks',
  params: { queue: taskQueueParam },
  summary: 'Take the most urgent task of a queue that the caller may work',
  response: nextTaskResponse,
});
describeRoute({
  method: 'get',
  path: '/api/routing-rules',
  tag: 'tasks',
  summary: 'Routing rules: who may take each kind of task, and its SLA',
  response: routingRuleListResponse,
});
describeRoute({
  method: 'put',
  path: '/api/routing-rules/:kind/:payerGroup',
  tag: 'tasks',
  query: routingRuleQuery,
  body: routingRuleBody,
  summary: 'Create or replace the routing rule of a task kind for a payer group ("*" for every payer), of a practice or every practice',
  response: routingRule,
});
describeRoute({
  method: 'delete',
  path: '/api/routing-rules/:kind/:payerGroup',
  tag: 'tasks',
  query: routingRuleQuery,
  summary: 'Delete a routing rule (of a practice with organizationId)',
});
describeRoute({
  method: 'get',
  path: '/api/tasks/:id',
  tag: 'tasks',
  summary: 'One task, with its notes',
  response: taskWithNotesResponse,
});
describeRoute({
  method: 'post',
  path: '/api/tasks/reassign',
  tag: 'tasks',
  body: bulkReassignBody,
  summary: 'Reassign several tasks at once',
  response: taskListResponse,
});
describeRoute({
  method: 'post',
  path: '/api/tasks/:id/reassign',
  tag: 'tasks',
  body: reassignBody,
  summary: 'Reassign a task to another user',
  response: taskResponse,
});
describeRoute({ method: 'post', path: '/api/tasks/:id/claim', tag: 'tasks', summary: 'Take a task', response: taskResponse });
describeRoute({
  method: 'post',
  path: '/api/tasks/:id/release',
  tag: 'tasks',
  summary: 'Give a taken task back to its queue',
  response: taskResponse,
});
describeRoute({
  method: 'patch',
  path: '/api/tasks/:id/priority',
  tag: 'tasks',
  body: taskPriorityBody,
  summary: "Override a task's priority",
  response: taskResponse,
});
describeRoute({
  method: 'post',
  path: '/api/tasks/:id/notes',
  tag: 'tasks',
  status: 201,
  body: taskNoteBody,
  summary: 'Add a note to a task',
  response: taskNoteResponse,
});
describeRoute({
  method: 'post',
  path: '/api/tasks/:id/complete',
  tag: 'tasks',
  body: completeTaskBody,
  summary: "Complete a task with an outcome; the claim's workflow validates it (409 if refused)",
  description:
    'Supervisors approve or refuse a write-off by completing its WRITE_OFF_APPROVAL task with APPROVE or REFUSE (and a note). ' +
    'A POSTING_EXCEPTION (a remittance claim that matched no claim; no workflow) is completed by the API itself: MATCH with ' +
    "outcome.claimId (the claim must exist, have the remittance's payer and be open; its workflow then gets the payment as a " +
    'matched remittance would) or RESOLVED_NO_ACTION with a required note. 400 names a missing or wrong field, 409 a payer mismatch, ' +
    'a closed claim or an exception already resolved.',
});

describeRoute({ method: 'get', path: '/api/admin/users', tag: 'admin', summary: 'Users with their roles, skills and payer groups' });
describeRoute({ method: 'post', path: '/api/admin/users', tag: 'admin', status: 201, body: createUserBody, summary: 'Create a user' });
describeRoute({
  method: 'patch',
  path: '/api/admin/users/:id',
  tag: 'admin',
  body: updateUserBody,
  summary: "Change a user's role, skills, payer groups or active flag",
});
describeRoute({
  method: 'put',
  path: '/api/admin/users/:id/password',
  tag: 'admin',
  body: setPasswordBody,
  response: setPasswordResponse,
  summary: "Set or reset a user's password (at least 12 characters, not the user id): the user's sessions end and a sign-in lock is lifted",
  description: 'API tokens are not touched. A CLEARINGHOUSE sender has no password (409 SENDER_HAS_NO_PASSWORD).',
});
describeRoute({
  method: 'get',
  path: '/api/admin/users/:id/tokens',
  tag: 'admin',
  summary: "A user's API tokens (never the tokens themselves)",
});
describeRoute({
  method: 'post',
  path: '/api/admin/users/:id/tokens',
  tag: 'admin',
  status: 201,
  body: createTokenBody,
  summary: 'Issue an API token for a user; the token is shown in this answer only',
});
describeRoute({ method: 'delete', path: '/api/admin/tokens/:id', tag: 'admin', summary: 'Revoke an API token' });
