// `npm run worker`: one more claim worker for scaling out, beside a main job (`npm start`) on another machine.
// It needs a shared Temporal service (TEMPORAL_ADDRESS or an envconfig profile) and a shared PostgreSQL
// (DATABASE_URL=postgresql://...): the embedded dev server and PGlite belong to the one main job.
import fs from 'node:fs';
import path from 'node:path';
import { HttpClearinghouse } from '../infra/clearinghouse';
import { loadPayloadKeys, workerDataConverter } from '../infra/codec';
import { formatAddress, loadConfig, showStacks, usesExternalTemporal } from '../infra/config';
import { openDatabase } from '../infra/db';
import { createLogger } from '../infra/log';
import { assertPortFree, describeError, StartupError } from '../infra/process';
import { connectTemporal, installTemporalRuntime } from '../infra/temporal';
import { startTracing } from '../infra/tracing';
import { TASK_QUEUE } from '../workflows/contract';
import { activityDeps, createClaimWorker, workerSettings } from './worker';

const say = (line: string) => console.log(`[claimflow worker] ${line}`);

async function main(): Promise<void> {
  const config = loadConfig();
  if (!usesExternalTemporal(config)) {
    throw new StartupError(
      'a scale-out worker needs a shared Temporal service: set TEMPORAL_ADDRESS (or TEMPORAL_PROFILE / TEMPORAL_CONFIG_FILE); ' +
        'on one machine `npm start` already runs a worker',
    );
  }
  if (!/^postgres(ql)?:\/\//.test(config.databaseUrl)) {
    throw new StartupError(
      'a scale-out worker needs a shared PostgreSQL: set DATABASE_URL=postgresql://...; the embedded PGlite database can be open in one process only (the main job)',
    );
  }
  // Payloads are encrypted with the main job's keys: a key made up here would make this worker's results
  // unreadable to everyone else. Only a worker on the main job's own machine may use its key file.
  if (!config.payloadKeys && !fs.existsSync(path.join(config.dataDir, 'payload-keys'))) {
    throw new StartupError(
      'a scale-out worker needs the payload encryption keys of the main job: set CLAIMFLOW_PAYLOAD_KEYS (the same value everywhere)',
    );
  }
  const payloadKeys = loadPayloadKeys(config);
  // The clearinghouse's credential: SIMULATOR_TOKEN, or the one the main job on this machine keeps for its simulator.
  const tokenFile = path.join(config.dataDir, 'simulator-token');
  const clearinghouseToken = config.simulatorToken ?? (fs.existsSync(tokenFile) ? fs.readFileSync(tokenFile, 'utf8').trim() : undefined);
  // The SDK's log (CLAIMFLOW_WORKER_LOG_LEVEL) as JSON lines on stderr; its metrics on CLAIMFLOW_WORKER_METRICS_ADDRESS.
  const logger = createLogger({ level: config.logLevel, base: { component: 'temporal' } });
  if (config.workerMetricsAddress) {
    await assertPortFree(
      config.workerMetricsAddress.port,
      config.workerMetricsAddress.host,
      'CLAIMFLOW_WORKER_METRICS_ADDRESS (empty: off)',
      "this worker's metrics endpoint",
    );
  }
  installTemporalRuntime({ logger, level: config.workerLogLevel, metricsAddress: config.workerMetricsAddress });
  // OpenTelemetry, when OTEL_* asks for it: workflow and activity spans, in the traces the API started.
  const tracing = startTracing(config);

  let temporal: Awaited<ReturnType<typeof connectTemporal>>;
  try {
    temporal = await connectTemporal(undefined, payloadKeys, tracing?.clientInterceptors);
  } catch (err) {
    throw new StartupError(`cannot reach Temporal at ${config.temporalAddress ?? 'the envconfig profile'}: ${describeError(err)}`);
  }
  let db: Awaited<ReturnType<typeof openDatabase>>;
  try {
    // Migrations are the main job's (or `npm run migrate`'s) business, not every worker's.
    db = await openDatabase(config.databaseUrl, { migrate: false });
    await db.prisma.$queryRaw`SELECT 1`;
  } catch (err) {
    await temporal.close();
    throw new StartupError(`cannot reach the database (DATABASE_URL): ${describeError(err)}`);
  }

  const worker = await createClaimWorker({
    connection: temporal.nativeConnection,
    namespace: temporal.namespace,
    deps: activityDeps(config, {
      prisma: db.prisma,
      clearinghouse: new HttpClearinghouse(config.simulatorUrl, { token: clearinghouseToken }),
    }),
    dataConverter: workerDataConverter(payloadKeys),
    ...workerSettings(config),
    tracing: tracing?.worker,
  });
  let stopping = false;
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(sig, () => {
      if (stopping) return;
      stopping = true;
      say(`${sig}: draining ...`);
      try {
        worker.shutdown();
      } catch {
        // not running
      }
    });
  }
  say(
    `polling task queue ${TASK_QUEUE} on ${temporal.address} (namespace ${temporal.namespace}); clearinghouse ${config.simulatorUrl}` +
      `${config.workerMetricsAddress ? `; metrics http://${formatAddress(config.workerMetricsAddress)}/metrics` : ''}${tracing ? '; tracing on' : ''}`,
  );
  let code = 0;
  try {
    await worker.run();
  } catch (err) {
    console.error(`claimflow worker: ${describeError(err)}`);
    code = 1;
  }
  await db.close();
  await temporal.close();
  await tracing?.shutdown();
  say('stopped');
  process.exit(code);
}

main().catch((err: unknown) => {
  console.error(`claimflow worker: ${describeError(err)}`);
  if (showStacks() && err instanceof Error) console.error(err.stack);
  process.exit(1);
});
