// The simulator process's configuration, read once from the environment and checked before anything starts.
import { SimulatorConfigError } from './errors';
import type { DeliveryMode, OutboundFormat } from './outbox';

export interface SimulatorConfig {
  port: number;
  host: string;
  seed: number;
  dayMs: number;
  inboundUrl?: string;
  delivery: DeliveryMode;
  outboundFormat: OutboundFormat;
  stateFile?: string;
  /** what every route but /health requires (SIMULATOR_TOKEN) */
  token: string;
  /** claimflow's inbound credential (CLAIMFLOW_INBOUND_TOKEN) */
  inboundToken?: string;
}

type Env = Record<string, string | undefined>;

function wholeNumber(env: Env, name: string, fallback: number, min = 0): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < min) {
    throw new SimulatorConfigError(`${name} must be a whole number of at least ${min}, got "${raw}"`);
  }
  return n;
}

// The simulator is a process of its own with this, its own configuration module (infra/config.ts is claimflow's).
export function loadSimulatorConfig(env: Env = process.env): SimulatorConfig {
  const delivery = env.SIMULATOR_DELIVERY || 'scheduled';
  if (delivery !== 'scheduled' && delivery !== 'manual') {
    throw new SimulatorConfigError(`SIMULATOR_DELIVERY must be "scheduled" or "manual", got "${delivery}"`);
  }
  const outboundFormat = env.SIMULATOR_OUTBOUND_FORMAT || 'x12';
  if (outboundFormat !== 'x12' && outboundFormat !== 'json') {
    throw new SimulatorConfigError(`SIMULATOR_OUTBOUND_FORMAT must be "x12" or "json", got "${outboundFormat}"`);
  }
  const inboundUrl = env.CLAIMFLOW_INBOUND_URL || undefined;
  if (inboundUrl !== undefined && !/^https?:\/\/[^\s]+$/.test(inboundUrl)) {
    throw new SimulatorConfigError(`CLAIMFLOW_INBOUND_URL must be an http(s) URL, got "${inboundUrl}"`);
  }
  const token = env.SIMULATOR_TOKEN ?? '';
  if (token.length < 16)
    throw new SimulatorConfigError('SIMULATOR_TOKEN must be set to a secret of at least 16 characters: every route but /health needs it');
  const inboundToken = env.CLAIMFLOW_INBOUND_TOKEN || undefined;
  if (inboundUrl && !inboundToken)
    throw new SimulatorConfigError(
      'CLAIMFLOW_INBOUND_TOKEN must be set with CLAIMFLOW_INBOUND_URL: claimflow takes deliveries from known senders only',
    );
  return {
    token,
    inboundToken,
    port: wholeNumber(env, 'SIMULATOR_PORT', 4100),
    // Loopback by default. Containers set 0.0.0.0.
    host: env.SIMULATOR_HOST || '127.0.0.1',
    seed: wholeNumber(env, 'SIMULATOR_SEED', 42),
    dayMs: wholeNumber(env, 'CLAIMFLOW_DAY_MS', 86_400_000, 1),
    inboundUrl,
    delivery,
    outboundFormat,
    stateFile: env.SIMULATOR_STATE_FILE || undefined,
  };
}
