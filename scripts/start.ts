// `npm start`: the whole of claimflow on this machine (see infra/mainJob.ts), until Ctrl-C.
import { loadConfig } from '../infra/config';
import { startMainJob, type MainJob } from '../infra/mainJob';
import { describeError } from '../infra/process';

const say = (line: string) => console.log(`[claimflow] ${line}`);
const fail = (err: unknown): never => {
  console.error(`claimflow: ${describeError(err)}`);
  if (process.env.CLAIMFLOW_DEBUG && err instanceof Error) console.error(err.stack);
  process.exit(1);
};

async function main(): Promise<void> {
  const config = loadConfig();
  let job: MainJob | undefined;
  let stopping: Promise<void> | undefined;
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

  const lines = [
    '',
    'claimflow is running',
    `  API             ${job.apiUrl}   (try: curl -H 'X-User-Id: biller-1' ${job.apiUrl}/api/claims/summary)`,
    `  Temporal        ${job.temporalAddress}  namespace ${job.namespace}${job.devServer ? '  (embedded dev server)' : ''}`,
    ...(job.uiUrl ? [`  Temporal UI     ${job.uiUrl}`] : []),
    `  Simulator       ${job.simulatorUrl}${job.simulatorManaged ? '   (payer simulator, log in .data/simulator.log)' : '   (external, SIMULATOR_URL)'}`,
    `  Database        ${job.databaseLabel}`,
    `  Data dir        ${job.dataDir}`,
    '',
    'Demo: in another terminal, `npm run demo -- --claims 200` drives synthetic claims end to end (own data dir and ports).',
    'Ctrl-C stops everything; `npm start` again resumes every claim in flight.',
    '',
  ];
  console.log(lines.join('\n'));
}

main().catch(fail);
