// Demo claims for a first run (CLAIMFLOW_DEMO_CLAIMS): `npm start` on the embedded setup puts a few claims in the
// coders' queues, so that a newcomer has work to open. They are charge captures like any other, made through
// POST /api/claims (the workflow starts as it would for a person's), never written to the database directly.
import type { PrismaClient } from '../generated/prisma/client';
import { issueToken, revokeToken } from '../api/auth/accounts';
import { CLAIM_CREATE_KIND } from '../api/claims/createClaim';
import type { CreateClaimBody } from '../api/claims/schemas';
import { mulberry32 } from '../simulator/random';
import { describeError, mapLimit, sleep } from '../infra/process';
import { demoPracticeEncounter, USER_IDS } from './seed';

/**
 * Each demo claim's Idempotency-Key is this and its number: a load cut short (a crash, Ctrl-C) is finished by the
 * next start without a claim twice, and the keys tell the demo claims from claims of the office's own.
 */
export const DEMO_CLAIM_KEY_PREFIX = 'claimflow-demo-claim-';

/** The same encounters on every machine, so that a README or a bug report can speak of them. */
const DEMO_SEED = 42;

/** Riley works both demo practices (demoPracticeEncounter makes Lakeside's every fourth claim). */
const DEMO_BILLER = USER_IDS.biller2;

const ATTEMPTS = 5;

export interface DemoClaimsPlan {
  /** CLAIMFLOW_DEMO_CLAIMS: 0 is off */
  asked: number;
  /** claims in the database before the load, demo claims included */
  claimsBefore: number;
  /** demo claims an earlier start created */
  loadedEarlier: number;
  /** which demo claims (their numbers, 0 to asked - 1) this start creates; empty: nothing to do */
  toLoad: number[];
  /** why nothing is loaded, for the log; unset when toLoad is not empty */
  skipped?: 'off' | 'has-claims' | 'loaded-earlier';
}

/**
 * What a start would load. A database with any claim that is not a demo claim gets none: demo claims never mix
 * with an office's own work. One holding only demo claims gets those still missing up to `asked`.
 */
export async function planDemoClaims(prisma: PrismaClient, asked: number): Promise<DemoClaimsPlan> {
  const claimsBefore = await prisma.claim.count();
  const earlier = await prisma.inboundMessage.findMany({
    where: { kind: CLAIM_CREATE_KIND, externalId: { startsWith: DEMO_CLAIM_KEY_PREFIX }, claimId: { not: null } },
    select: { externalId: true },
  });
  const plan = { asked, claimsBefore, loadedEarlier: earlier.length, toLoad: [] };
  if (asked === 0) return { ...plan, skipped: 'off' };
  if (claimsBefore > earlier.length) return { ...plan, skipped: 'has-claims' };
  const done = new Set(earlier.map((m) => m.externalId));
  const toLoad = Array.from({ length: asked }, (_, i) => i).filter((i) => !done.has(demoClaimKey(i)));
  return toLoad.length ? { ...plan, toLoad } : { ...plan, skipped: 'loaded-earlier' };
}

export const demoClaimKey = (i: number): string => `${DEMO_CLAIM_KEY_PREFIX}${i}`;

export interface DemoClaimsResult {
  /** claims this call created */
  created: number;
  /** claims the API already had under their key (a request answered before a crash) */
  replayed: number;
  /** the created and replayed claims per practice (organization id) */
  byPractice: Record<string, number>;
}

export interface DemoClaimsOptions {
  /** stops the load between requests (the job is shutting down); what was created stays, the next start goes on */
  signal?: AbortSignal;
  /** claims in flight at once: a few, so that people using the API meanwhile are not kept waiting */
  concurrency?: number;
  /** dates of service are 1 to 30 days before this */
  today?: Date;
}

/** Creates the plan's claims through the API at `apiUrl`, as the demo biller with a token made for this load. */
export async function loadDemoClaims(
  deps: { prisma: PrismaClient; apiUrl: string },
  plan: DemoClaimsPlan,
  opts: DemoClaimsOptions = {},
): Promise<DemoClaimsResult> {
  const result: DemoClaimsResult = { created: 0, replayed: 0, byPractice: {} };
  if (plan.toLoad.length === 0) return result;
  // Every body from the seed, in order, whichever of them are still missing: the rng is sequential.
  const rng = mulberry32(DEMO_SEED);
  const today = opts.today ?? new Date();
  const bodies = Array.from({ length: plan.asked }, (_, i) => demoPracticeEncounter(rng, i, today));
  // A token of its own rather than one of the files people use: revoked when done, and expiring if the process dies first.
  const { token, record } = await issueToken(deps.prisma, DEMO_BILLER, { name: 'demo claims', expiresInDays: 1 }, 'demo claims');
  const claimIds: string[] = [];
  // The first failure stops the other lanes too, and every lane has finished before the token is revoked.
  const failed = new AbortController();
  const signal = opts.signal ? AbortSignal.any([opts.signal, failed.signal]) : failed.signal;
  let firstError: unknown;
  await mapLimit(plan.toLoad, opts.concurrency ?? 4, async (i) => {
    if (signal.aborted) return;
    try {
      const { claimId, replayed } = await postClaim(deps.apiUrl, token, bodies[i], demoClaimKey(i), signal);
      claimIds.push(claimId);
      if (replayed) result.replayed++;
      else result.created++;
    } catch (err) {
      if (!signal.aborted) {
        firstError = err;
        failed.abort();
      }
    }
  });
  await revokeToken(deps.prisma, record.id, 'demo claims').catch(() => {});
  if (firstError !== undefined) throw firstError;
  opts.signal?.throwIfAborted();
  const groups = await deps.prisma.claim.groupBy({ by: ['organizationId'], where: { id: { in: claimIds } }, _count: { _all: true } });
  for (const g of groups) result.byPractice[g.organizationId] = g._count._all;
  return result;
}

async function postClaim(
  apiUrl: string,
  token: string,
  body: CreateClaimBody,
  key: string,
  signal: AbortSignal | undefined,
): Promise<{ claimId: string; replayed: boolean }> {
  for (let attempt = 1; ; attempt++) {
    let answer: { status: number; text: string; replayed: boolean } | undefined;
    let problem: string;
    try {
      const timeout = AbortSignal.timeout(30_000);
      const res = await fetch(`${apiUrl}/api/claims`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'idempotency-key': key },
        body: JSON.stringify(body),
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
      answer = { status: res.status, text: await res.text(), replayed: res.headers.get('idempotent-replayed') === 'true' };
      problem = `POST /api/claims answered ${answer.status}: ${answer.text.slice(0, 300)}`;
    } catch (err) {
      if (signal?.aborted) throw err;
      problem = describeError(err);
    }
    if (answer?.status === 201) return { claimId: (JSON.parse(answer.text) as { id: string }).id, replayed: answer.replayed };
    // A 4xx would answer the same again; a 5xx (Temporal not reachable yet, say) or no answer may not.
    if ((answer && answer.status < 500) || attempt >= ATTEMPTS) throw new Error(`demo claim ${key}: ${problem}`);
    await sleep(500 * attempt);
  }
}
