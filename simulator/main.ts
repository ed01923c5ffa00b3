// Entry point of the simulator process: `npx tsx simulator/main.ts` (see loadSimulatorConfig for the env).
import { loadSimulatorConfig } from './config';
import { SimulatorConfigError } from './errors';
import { createSimulator, jsonLogger } from './server';

async function main(): Promise<void> {
  const config = loadSimulatorConfig();
  const simulator = createSimulator({
    token: config.token,
    inboundToken: config.inboundToken,
    seed: config.seed,
    dayMs: config.dayMs,
    inboundUrl: config.inboundUrl,
    delivery: config.delivery,
    outboundFormat: config.outboundFormat,
    stateFile: config.stateFile,
  });
  const running = await simulator.start(config.port, config.host);
  jsonLogger('simulator.ready', {
    url: running.url,
    dayMs: config.dayMs,
    inbound: config.inboundUrl ?? 'none',
    stateFile: config.stateFile ?? 'none',
  });

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    jsonLogger('simulator.stopping', { signal });
    running.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((err: unknown) => {
  const message =
    err instanceof SimulatorConfigError ? err.message : err instanceof Error ? `${err.name}: ${err.message}` : 'unknown error';
  jsonLogger('simulator.failed', { error: message });
  process.exit(1);
});
