// Configuration, read once at start-up from the environment into a typed object.
import { isIP } from 'node:net';
import path from 'node:path';

export interface Config {
  /** postgresql://... for a real server; pglite:<dir> for the embedded default */
  databaseUrl: string;
  dataDir: string;
  apiPort: number;
  simulatorPort: number;
  /** host:port of a Temporal frontend; unset means "start the embedded dev server" */
  temporalAddress?: string;
  temporalNamespace: string;
  temporalDevPort: number;
  temporalUiPort: number;
  /** length of one lifecycle day in ms (timers, SLAs, simulator delays) */
  dayMs: number;
  simulatorUrl: string;
  /**
   * Run the payer simulator beside the main job. On by default only on the embedded demo setup (embedded database
   * and Temporal, no SIMULATOR_URL); CLAIMFLOW_SIMULATOR=1 or 0 decides otherwise. A real office sends its claims
   * to a clearinghouse, never to a simulator that pays them.
   */
  runSimulator: boolean;
  /** the bearer token claimflow presents to the clearinghouse at simulatorUrl (SIMULATOR_TOKEN); the main job makes one for its own simulator */
  simulatorToken?: string;
  simulatorSeed: number;
  /** requests per minute one address may make to /api/inbound (counted before authentication) */
  inboundRateLimitPerMinute: number;
  writeOffApprovalThresholdCents: number;
  /** history length at which a claim's workflow continues as new (unset: the workflow's default, 8,000 events) */
  continueAsNewAfterEvents?: number;
  /**
   * Workflows a worker keeps in memory between their tasks (unset: the SDK's default, sized by the heap; 0: none).
   * A claim evicted from the cache costs nothing until its next task, when it replays its history.
   */
  maxCachedWorkflows?: number;
  /**
   * Accept `X-User-Id: <user>` as proof of identity instead of a bearer token. Only for tests, the test
   * harness and the demo, where everything runs on one machine: anyone who can reach the API can claim to be
   * anyone. Off unless CLAIMFLOW_TRUST_USER_HEADER=1.
   */
  trustUserHeader: boolean;
  /**
   * Express's `trust proxy`: the reverse proxies in front of the API (addresses, subnets, `loopback`, ... or how
   * many hops), whose X-Forwarded-For names the client. Unset: the connecting address is the client, so behind
   * a proxy every user shares one sign-in limit and one address in the rate limits.
   */
  trustProxy?: string | number;
}

function flag(name: string): boolean {
  const raw = process.env[name];
  if (raw === undefined || raw === '' || raw === '0' || raw === 'false') return false;
  if (raw === '1' || raw === 'true') return true;
  throw new Error(`configuration: ${name} must be 1 or 0, got "${raw}"`);
}

function int(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`configuration: ${name} must be a whole number, got "${raw}"`);
  return n;
}

function positive(name: string, fallback: number): number {
  const n = int(name, fallback);
  if (n < 1) throw new Error(`configuration: ${name} must be at least 1, got "${process.env[name]}"`);
  return n;
}

function maxCachedWorkflows(): number | undefined {
  if (!process.env.CLAIMFLOW_MAX_CACHED_WORKFLOWS) return undefined;
  const n = int('CLAIMFLOW_MAX_CACHED_WORKFLOWS', 0);
  // The SDK would quietly make 1 into 2.
  if (n === 1) throw new Error('configuration: CLAIMFLOW_MAX_CACHED_WORKFLOWS must be 0 (no cache: every step replays its history) or at least 2, got "1"');
  return n;
}

const PROXY_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal']);

function trustProxy(): string | number | undefined {
  const raw = process.env.CLAIMFLOW_TRUST_PROXY?.trim();
  if (!raw) return undefined;
  if (/^\d+$/.test(raw)) {
    const hops = Number(raw);
    if (hops < 1) throw new Error('configuration: CLAIMFLOW_TRUST_PROXY must name the proxies or count at least 1 hop, got "0"');
    return hops;
  }
  // Express would also take `true` (every hop trusted): then any client could name itself in X-Forwarded-For.
  for (const item of raw.split(',').map((i) => i.trim())) {
    if (PROXY_RANGES.has(item)) continue;
    const [address, bits, extra] = item.split('/');
    const family = isIP(address);
    const prefixOk = bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= (family === 6 ? 128 : 32));
    if (family === 0 || !prefixOk || extra !== undefined) {
      throw new Error(
        `configuration: CLAIMFLOW_TRUST_PROXY must be a number of hops or a comma-separated list of addresses, subnets (10.0.0.0/8) and loopback, linklocal, uniquelocal; "${item}" is none of these`,
      );
    }
  }
  return raw;
}

/** The embedded demo: no database, Temporal or clearinghouse of one's own named. */
function embeddedDemo(): boolean {
  const named = ['DATABASE_URL', 'TEMPORAL_ADDRESS', 'TEMPORAL_PROFILE', 'TEMPORAL_CONFIG_FILE', 'SIMULATOR_URL'];
  return named.every((n) => !process.env[n]);
}

export function loadConfig(root = process.cwd()): Config {
  const dataDir = path.resolve(root, process.env.CLAIMFLOW_DATA_DIR ?? '.data');
  const simulatorPort = int('SIMULATOR_PORT', 4100);
  return {
    databaseUrl: process.env.DATABASE_URL || `pglite:${path.join(dataDir, 'pglite')}`,
    dataDir,
    apiPort: int('PORT', 3000),
    simulatorPort,
    temporalAddress: process.env.TEMPORAL_ADDRESS || undefined,
    temporalNamespace: process.env.TEMPORAL_NAMESPACE || 'default',
    temporalDevPort: int('TEMPORAL_DEV_PORT', 7233),
    temporalUiPort: int('TEMPORAL_UI_PORT', 8233),
    dayMs: int('CLAIMFLOW_DAY_MS', 86_400_000),
    simulatorUrl: process.env.SIMULATOR_URL || `http://127.0.0.1:${simulatorPort}`,
    runSimulator: process.env.CLAIMFLOW_SIMULATOR ? flag('CLAIMFLOW_SIMULATOR') : embeddedDemo(),
    simulatorToken: process.env.SIMULATOR_TOKEN || undefined,
    simulatorSeed: int('SIMULATOR_SEED', 42),
    inboundRateLimitPerMinute: positive('CLAIMFLOW_INBOUND_RATE_LIMIT', 1_200),
    writeOffApprovalThresholdCents: int('WRITE_OFF_APPROVAL_THRESHOLD_CENTS', 10_000),
    continueAsNewAfterEvents: process.env.CLAIMFLOW_CONTINUE_AS_NEW_AFTER_EVENTS ? int('CLAIMFLOW_CONTINUE_AS_NEW_AFTER_EVENTS', 8_000) : undefined,
    maxCachedWorkflows: maxCachedWorkflows(),
    trustUserHeader: flag('CLAIMFLOW_TRUST_USER_HEADER'),
    trustProxy: trustProxy(),
  };
}
