// `npm start`: the whole of claimflow on this machine (see app/mainJob.ts), until Ctrl-C.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { PrismaClient } from '../generated/prisma/client';
import { issueToken, setPassword } from '../api/auth/accounts';
import { loadDemoClaims, planDemoClaims, type DemoClaimsPlan } from '../app/demoClaims';
import { USER_IDS } from '../app/seed';
import { loadConfig, showStacks } from '../infra/config';
import { startMainJob, type MainJob } from '../app/mainJob';
import { describeError } from '../infra/process';

const say = (line: string) => console.log(`[claimflow] ${line}`);
const fail = (err: unknown): never => {
  console.error(`claimflow: ${describeError(err)}`);
  if (showStacks() && err instanceof Error) console.error(err.stack);
  process.exit(1);
};

async function main(): Promise<void> {
  const config = loadConfig();
  let job: MainJob | undefined;
  let stopping: Promise<void> | undefined;
  const demoAbort = new AbortController();
  let demoLoad: Promise<void> | undefined;
  const shutdown = (why: string, code: number) => {
    if (stopping) return;
    say(`${why}: shutting down ...`);
    stopping = (async () => {
      const hardStop = setTimeout(() => {
        console.error('claimflow: shutdown took longer than 60 s; exiting anyway');
        process.exit(code || 1);
      }, 60_000);
      hardStop.unref();
      try {
        demoAbort.abort();
        await demoLoad;
        await job?.stop();
      } catch (err) {
        console.error(`claimflow: ${describeError(err)}`);
        code = 1;
      }
      say('stopped');
      process.exit(code);
    })();
  };
  let signalled = false;
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(sig, () => {
      if (!job) {
        // still starting: remember it, and stop once the start returns or fails
        signalled = true;
        return;
      }
      shutdown(sig, 0);
    });
  }

  job = await startMainJob(config, {
    log: say,
    onFatal: (err) => {
      console.error(`claimflow: ${describeError(err)}`);
      shutdown('fatal error', 1);
    },
  });
  if (signalled) return shutdown('signal during start', 0);

  const tokensFile = await ensureLocalTokens(job.prisma, job.dataDir, config.databaseUrl);
  const passwordsFile = await ensureLocalPasswords(job.prisma, job.dataDir, config.databaseUrl);
  const demoPlan = await planDemoClaims(job.prisma, config.demoClaims);
  const lines = [
    '',
    'claimflow is running',
    `  Workspace       ${job.apiUrl}/   (web workspace for coders, billers and supervisors: sign in with a user id and password)`,
    ...(passwordsFile
      ? [
          `  Passwords       ${passwordsFile}   (the demo users' passwords, e.g. node -p "require('${path.resolve(passwordsFile)}')['biller-1']")`,
        ]
      : []),
    `  API             ${job.apiUrl}   (OpenAPI at ${job.apiUrl}/api/openapi.json)`,
    ...(tokensFile
      ? [
          `  Sign-in tokens  ${tokensFile}   (try: curl -H "Authorization: Bearer $(node -p \"require('${tokensFile}')['biller-1']\")" ${job.apiUrl}/api/claims/summary)`,
        ]
      : []),
    `  Temporal        ${job.temporalAddress}  namespace ${job.namespace}${job.devServer ? '  (embedded dev server)' : ''}`,
    ...(job.uiUrl ? [`  Temporal UI     ${job.uiUrl}`] : []),
    `  Simulator       ${job.simulatorUrl}${job.simulatorManaged ? '   (payer simulator, log in .data/simulator.log)' : '   (external, SIMULATOR_URL)'}`,
    `  Database        ${job.databaseLabel}`,
    ...(job.metricsUrl ? [`  Metrics         ${job.metricsUrl}   (Prometheus: API, queues, inbound; CLAIMFLOW_METRICS_ADDRESS)`] : []),
    ...(job.workerMetricsUrl
      ? [`  Worker metrics  ${job.workerMetricsUrl}   (Prometheus: the Temporal worker; CLAIMFLOW_WORKER_METRICS_ADDRESS)`]
      : []),
    ...(job.tracing ? ['  Tracing         on (OpenTelemetry, OTEL_* variables)'] : []),
    `  Data dir        ${job.dataDir}`,
    ...(demoPlan.toLoad.length
      ? [
          `  Demo claims     loading ${demoPlan.toLoad.length} in the background (CLAIMFLOW_DEMO_CLAIMS): sign in as coder-1 (Riverbend) or coder-2 (both practices) to work them`,
        ]
      : []),
    '',
    'Demo: in another terminal, `npm run demo -- --claims 200` drives synthetic claims end to end (own data dir and ports).',
    'Ctrl-C stops everything; `npm start` again resumes every claim in flight.',
    '',
  ];
  console.log(lines.join('\n'));

  const reason = skippedDemoClaims(demoPlan);
  if (reason) say(reason);
  // After the banner: the claims go through the API and their workflows, which take a few seconds.
  demoLoad = loadDemoClaims({ prisma: job.prisma, apiUrl: job.apiUrl }, demoPlan, { signal: demoAbort.signal }).then(
    (r) => {
      if (r.created + r.replayed === 0) return;
      const practices = Object.entries(r.byPractice)
        .map(([org, n]) => `${n} ${org}`)
        .join(', ');
      say(`loaded ${r.created + r.replayed} demo claims (${practices}): sign in as coder-1 or coder-2 to work them`);
    },
    (err: unknown) => {
      if (!demoAbort.signal.aborted)
        say(`warning: loading the demo claims failed: ${describeError(err)}; \`npm start\` again goes on with them`);
    },
  );
}

/** Why this start loads no demo claims, when a person might have expected some. */
function skippedDemoClaims(plan: DemoClaimsPlan): string | undefined {
  if (plan.skipped === 'has-claims')
    return `demo claims: none loaded, the database has ${plan.claimsBefore} claim(s) of its own (CLAIMFLOW_DEMO_CLAIMS)`;
  if (plan.skipped === 'loaded-earlier')
    return `demo claims: none loaded, the database has ${plan.claimsBefore} claim(s) already (the ${plan.loadedEarlier} demo claims of an earlier start)`;
  if (plan.loadedEarlier > 0)
    return `demo claims: ${plan.loadedEarlier} loaded by an earlier start; adding the ${plan.toLoad.length} missing`;
  return undefined;
}

/**
 * On the embedded single-machine setup, issue one token per demo user once and keep them in the data dir
 * (readable by this user only), so that a person can try the API at once. With a real database, tokens
 * come from `npx tsx scripts/admin.ts token create` or the admin API instead.
 */
async function ensureLocalTokens(prisma: PrismaClient, dataDir: string, databaseUrl: string): Promise<string | undefined> {
  if (/^postgres(ql)?:\/\//.test(databaseUrl)) return undefined;
  const file = path.join(dataDir, 'demo-tokens.json');
  if (fs.existsSync(file)) return file;
  const tokens: Record<string, string> = {};
  for (const userId of Object.values(USER_IDS)) tokens[userId] = (await issueToken(prisma, userId, { name: 'local' }, 'npm start')).token;
  fs.writeFileSync(file, `${JSON.stringify(tokens, null, 2)}\n`, { mode: 0o600 });
  return file;
}

/**
 * Likewise a password per demo user, for the web workspace: made once at random (never a fixed, published one: the
 * API may be reachable from elsewhere), set on users that have none, and kept beside the tokens, readable by
 * this user only. With a real database, passwords come from `npx tsx scripts/admin.ts user password`.
 */
async function ensureLocalPasswords(prisma: PrismaClient, dataDir: string, databaseUrl: string): Promise<string | undefined> {
  if (/^postgres(ql)?:\/\//.test(databaseUrl)) return undefined;
  const file = path.join(dataDir, 'demo-passwords.json');
  if (fs.existsSync(file)) return file;
  const passwords: Record<string, string> = {};
  for (const userId of Object.values(USER_IDS)) {
    const user = await prisma.user.findUnique({ where: { id: userId }, select: { passwordHash: true } });
    if (!user || user.passwordHash) continue;
    passwords[userId] = crypto.randomBytes(12).toString('base64url');
    await setPassword(prisma, userId, passwords[userId], 'npm start');
  }
  fs.writeFileSync(file, `${JSON.stringify(passwords, null, 2)}\n`, { mode: 0o600 });
  return file;
}

main().catch(fail);
