// Configuration: every setting claimflow reads from the environment, in one table (SETTINGS: variable, parser,
// default and doc), read once at start-up by loadConfig into a typed object that the rest of the code is given.
// README.md's Configuration table is generated from SETTINGS (infra/configTable.ts) and checked against it.
import { isIP } from 'node:net';
import path from 'node:path';
import { parseStateThresholds } from '../domain/metrics';
import { CLAIM_STATES } from '../workflows/contract';

type Env = Record<string, string | undefined>;

/** One environment variable claimflow reads: where it goes in Config, what it does and what unset means. */
export interface Setting<T> {
  env: string;
  /** the README's Default column (markdown): the value taken when unset, or what unset means */
  default: string;
  /** the README's "What it does" column (markdown) */
  doc: string;
  /** the raw value (undefined when unset) as the code uses it; throws, naming `env`, when it is not valid */
  parse: (raw: string | undefined, env: string) => T;
}

/**
 * A variable the README documents that claimflow's own processes leave to another reader (Temporal's envconfig,
 * the simulator process, the tests): in the table, not in Config.
 */
export interface Documented {
  env: readonly string[];
  default: string;
  doc: string;
  /** who reads it, for the reader of this file */
  readBy: string;
}

const code = (value: string | number) => `\`${value}\``;

function flag(raw: string | undefined, name: string): boolean {
  if (raw === undefined || raw === '' || raw === '0' || raw === 'false') return false;
  if (raw === '1' || raw === 'true') return true;
  throw new Error(`configuration: ${name} must be 1 or 0, got "${raw}"`);
}

function int(raw: string | undefined, name: string, fallback: number): number {
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`configuration: ${name} must be a whole number, got "${raw}"`);
  return n;
}

function positive(raw: string | undefined, name: string, fallback: number): number {
  const n = int(raw, name, fallback);
  if (n < 1) throw new Error(`configuration: ${name} must be at least 1, got "${raw}"`);
  return n;
}

/** A whole number with its default, shown in the README as it is used. */
const wholeNumber = (fallback: number) => ({
  default: code(fallback),
  parse: (raw: string | undefined, name: string) => int(raw, name, fallback),
});

/** A whole number of at least 1 with its default, shown in the README as it is used. */
const countOfAtLeastOne = (fallback: number) => ({
  default: code(fallback),
  parse: (raw: string | undefined, name: string) => positive(raw, name, fallback),
});

/** Free text, its default taken when unset or empty. */
const text = (fallback: string) => ({ default: code(fallback), parse: (raw: string | undefined) => raw || fallback });

/** Free text that may be absent: an empty value is unset too. */
const optionalText = (raw: string | undefined): string | undefined => raw || undefined;

function maxCachedWorkflows(raw: string | undefined, name: string): number | undefined {
  if (!raw) return undefined;
  const n = int(raw, name, 0);
  // The SDK would quietly make 1 into 2.
  if (n === 1) throw new Error(`configuration: ${name} must be 0 (no cache: every step replays its history) or at least 2, got "1"`);
  return n;
}

const PROXY_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal']);

function trustProxy(value: string | undefined, name: string): string | number | undefined {
  const raw = value?.trim();
  if (!raw) return undefined;
  if (/^\d+$/.test(raw)) {
    const hops = Number(raw);
    if (hops < 1) throw new Error(`configuration: ${name} must name the proxies or count at least 1 hop, got "0"`);
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
        `configuration: ${name} must be a number of hops or a comma-separated list of addresses, subnets (10.0.0.0/8) and loopback, linklocal, uniquelocal; "${item}" is none of these`,
      );
    }
  }
  return raw;
}

export const WORKER_LOG_LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'] as const;
export type WorkerLogLevel = (typeof WORKER_LOG_LEVELS)[number];

function workerLogLevel(value: string | undefined, name: string): WorkerLogLevel {
  const raw = value?.trim().toUpperCase() || 'WARN';
  const level = WORKER_LOG_LEVELS.find((l) => l === raw);
  if (!level) throw new Error(`${name} must be one of ${WORKER_LOG_LEVELS.join(', ')}, got ${raw}`);
  return level;
}

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

function logLevel(value: string | undefined, name: string): LogLevel {
  const raw = value?.trim().toLowerCase() || 'info';
  const level = LOG_LEVELS.find((l) => l === raw);
  if (!level) throw new Error(`configuration: ${name} must be one of ${LOG_LEVELS.join(', ')}, got "${value}"`);
  return level;
}

/** Where a listener binds: `host:port` (`[::1]:9464` for IPv6). */
export interface ListenAddress {
  host: string;
  port: number;
}

/** `host:port` as Temporal's runtime and people write it, IPv6 hosts in brackets. */
export const formatAddress = (a: ListenAddress): string => `${a.host.includes(':') ? `[${a.host}]` : a.host}:${a.port}`;

/**
 * A listener that is on by default: unset takes `fallback`, an empty value turns it off (undefined), anything else
 * must be `host:port`.
 */
const listenAddress = (fallback: string) => ({
  default: code(fallback),
  parse: (value: string | undefined, name: string): ListenAddress | undefined => {
    const raw = value === undefined ? fallback : value.trim();
    if (raw === '') return undefined;
    const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(raw);
    const port = m ? Number(m[3]) : NaN;
    if (!m || port > 65_535) {
      throw new Error(`configuration: ${name} must be host:port (127.0.0.1:9464, [::1]:9464, 0.0.0.0:9464) or empty (off), got "${raw}"`);
    }
    return { host: m[1] ?? m[2], port };
  },
});

export const OTEL_TRACES_EXPORTERS = ['otlp', 'console', 'none'] as const;
export type OtelTracesExporter = (typeof OTEL_TRACES_EXPORTERS)[number];

/** OTEL_TRACES_EXPORTER as the OpenTelemetry spec has it: a comma-separated list; claimflow takes one of otlp, console, none. */
function otelTracesExporter(value: string | undefined, name: string): OtelTracesExporter | undefined {
  const items = (value ?? '')
    .split(',')
    .map((i) => i.trim().toLowerCase())
    .filter(Boolean);
  if (items.length === 0) return undefined;
  const unknown = items.filter((i) => !OTEL_TRACES_EXPORTERS.some((e) => e === i));
  if (unknown.length || items.length > 1) {
    throw new Error(`configuration: ${name} must be one of ${OTEL_TRACES_EXPORTERS.join(', ')}, got "${value}"`);
  }
  return items[0] as OtelTracesExporter;
}

function stuckThresholds(raw: string | undefined, name: string): Record<string, number> | undefined {
  if (!raw) return undefined;
  try {
    return parseStateThresholds(raw, CLAIM_STATES);
  } catch (err) {
    throw new Error(`configuration: ${name}: ${(err as Error).message}`);
  }
}

/** A TCP port: 1 to 65535. */
function port(raw: string | undefined, name: string, fallback: number): number {
  const n = positive(raw, name, fallback);
  if (n > 65_535) throw new Error(`configuration: ${name} must be a port (1-65535), got "${raw}"`);
  return n;
}

/** `SHA256:` and 43 characters of unpadded base64: the SHA-256 of a host key as `ssh-keygen -l` prints it. */
const SSH_FINGERPRINT = /^SHA256:[A-Za-z0-9+/]{43}=?$/;

/** One or more host key fingerprints, comma-separated (a server has a key per algorithm, and a new one while it rotates). */
function hostKeyFingerprints(value: string | undefined, name: string): string[] | undefined {
  const items = (value ?? '')
    .split(',')
    .map((i) => i.trim())
    .filter(Boolean);
  if (items.length === 0) return undefined;
  const bad = items.find((i) => !SSH_FINGERPRINT.test(i));
  if (bad !== undefined) {
    throw new Error(
      `configuration: ${name} must be SHA256 fingerprints as \`ssh-keygen -l\` prints them (SHA256:<43 characters>), comma-separated; "${bad}" is not one`,
    );
  }
  return items.map((i) => i.replace(/=$/, ''));
}

/** A folder of the mailbox, relative to the SFTP user's login folder: no `..`, no empty parts. */
const mailboxFolder = (fallback: string) => ({
  default: code(fallback),
  parse: (value: string | undefined, name: string): string => {
    const raw = value?.trim() || fallback;
    const parts = raw.replace(/^\/+|\/+$/g, '').split('/');
    if (parts.some((p) => p === '' || p === '.' || p === '..')) {
      throw new Error(`configuration: ${name} must be a folder path like from-payer/archive (no "..", no "//"), got "${raw}"`);
    }
    return raw.startsWith('/') ? `/${parts.join('/')}` : parts.join('/');
  },
});
export const OIDC_LINK_BY = ['email', 'username', 'none'] as const;
export type OidcLinkBy = (typeof OIDC_LINK_BY)[number];

/** The path of the single sign-on callback, which CLAIMFLOW_OIDC_REDIRECT_URL must name. */
export const OIDC_CALLBACK_PATH = '/api/auth/oidc/callback';

const isLoopbackHost = (hostname: string) => hostname === 'localhost' || hostname === '[::1]' || /^127(\.\d{1,3}){3}$/.test(hostname);

/** https, or http to this machine (a test or a local identity provider): tokens never cross a network in clear. */
function secureOrLoopback(url: URL): boolean {
  return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname));
}

function parseUrl(raw: string, name: string): URL {
  try {
    return new URL(raw);
  } catch {
    throw new Error(`configuration: ${name} must be an absolute URL, got "${raw}"`);
  }
}

function oidcIssuer(value: string | undefined, name: string): string | undefined {
  const raw = value?.trim();
  if (!raw) return undefined;
  const url = parseUrl(raw, name);
  if (!secureOrLoopback(url) || url.search || url.hash) {
    throw new Error(
      `configuration: ${name} must be an https:// issuer (http:// only on a loopback address) without query or fragment, got "${raw}"`,
    );
  }
  return raw;
}

function oidcRedirectUrl(value: string | undefined, name: string): string | undefined {
  const raw = value?.trim();
  if (!raw) return undefined;
  const url = parseUrl(raw, name);
  if (!secureOrLoopback(url) || url.pathname !== OIDC_CALLBACK_PATH || url.search || url.hash) {
    throw new Error(
      `configuration: ${name} must be https://<claimflow's host>${OIDC_CALLBACK_PATH} (http:// only on a loopback address), got "${raw}"`,
    );
  }
  return url.href;
}

function oidcLinkBy(value: string | undefined, name: string): OidcLinkBy {
  const raw = value?.trim().toLowerCase() || 'email';
  const found = OIDC_LINK_BY.find((v) => v === raw);
  if (!found) throw new Error(`configuration: ${name} must be one of ${OIDC_LINK_BY.join(', ')}, got "${value}"`);
  return found;
}

const DEFAULT_DEMO_CLAIMS = 40;

/**
 * Every setting, in the README's order, keyed by its Config field; a Documented entry is a README row only.
 * Parsers keep the looseness each variable always had (`||` or `??`, exact matches such as `=== '1'`).
 */
export const SETTINGS = {
  databaseUrl: {
    env: 'DATABASE_URL',
    default: code('pglite:.data/pglite'),
    doc: '`postgresql://user:pass@host:5432/db` for PostgreSQL (the database is created if missing, migrations applied at start); `pglite:<dir>` for the embedded database',
    parse: optionalText,
  },
  temporalAddress: {
    env: 'TEMPORAL_ADDRESS',
    default: 'unset: embedded dev server',
    doc: '`host:port` of a Temporal frontend; when set, no dev server is started',
    parse: optionalText,
  },
  temporalNamespace: { env: 'TEMPORAL_NAMESPACE', ...text('default'), doc: 'Temporal namespace' },
  temporalProfile: {
    env: 'TEMPORAL_PROFILE',
    default: 'unset',
    doc: "a profile of Temporal's envconfig (address, namespace, API key, TLS) to connect with; when set, no dev server is started",
    parse: optionalText,
  },
  temporalConfigFile: {
    env: 'TEMPORAL_CONFIG_FILE',
    default: "unset: envconfig's own default file",
    doc: 'the TOML file of envconfig profiles, as the `temporal` CLI writes it; when set, no dev server is started',
    parse: optionalText,
  },
  temporalCredentials: {
    env: ['TEMPORAL_API_KEY', 'TEMPORAL_TLS_*'],
    default: 'unset',
    doc: "API key and mTLS for Temporal Cloud or a secured cluster, read by Temporal's envconfig; or put them in a profile (`TEMPORAL_PROFILE` / `TEMPORAL_CONFIG_FILE`)",
    readBy: '@temporalio/envconfig, in infra/temporal.ts connectTemporal',
  },
  temporalDevPort: { env: 'TEMPORAL_DEV_PORT', ...wholeNumber(7233), doc: 'port of the embedded dev server' },
  temporalUiPort: { env: 'TEMPORAL_UI_PORT', ...wholeNumber(8233), doc: "port of the embedded dev server's Web UI" },
  apiPort: { env: 'PORT', ...wholeNumber(3000), doc: 'API port' },
  host: {
    env: 'HOST',
    default: code('127.0.0.1'),
    doc: 'address the API binds to (`0.0.0.0` in a container)',
    parse: (raw: string | undefined) => raw ?? '127.0.0.1',
  },
  runSimulator: {
    env: 'CLAIMFLOW_SIMULATOR',
    default: '`1` on the embedded demo (no `DATABASE_URL`, `TEMPORAL_ADDRESS`/profile or `SIMULATOR_URL`), else `0`',
    doc:
      'run the payer simulator beside the main job. It pays claims no payer has seen: a real office leaves it off and sets `SIMULATOR_URL`; ' +
      'with neither, `npm start` refuses to start',
    parse: (raw: string | undefined, name: string) => (raw ? flag(raw, name) : undefined),
  },
  simulatorPort: { env: 'SIMULATOR_PORT', ...wholeNumber(4100), doc: 'port of the payer simulator that `npm start` runs' },
  simulatorSeed: {
    env: 'SIMULATOR_SEED',
    ...wholeNumber(42),
    doc: "seed of the simulator's decisions (which claims are denied, delays, ...)",
  },
  simulatorUrl: {
    env: 'SIMULATOR_URL',
    default: '`http://127.0.0.1:$SIMULATOR_PORT`',
    doc: "the clearinghouse claims go to (today: a service speaking the simulator's contract)",
    parse: optionalText,
  },
  simulatorToken: {
    env: 'SIMULATOR_TOKEN',
    default: 'the main job makes one for its simulator, kept in `.data/simulator-token`',
    doc: "claimflow's bearer token at `SIMULATOR_URL`. The simulator wants it on every route but `/health` (its `/admin/*` included)",
    parse: optionalText,
  },
  inboundRateLimitPerMinute: {
    env: 'CLAIMFLOW_INBOUND_RATE_LIMIT',
    default: code(1_200),
    doc: 'requests a minute one address may make to `/api/inbound/*`, counted before authentication',
    parse: (raw: string | undefined, name: string) => positive(raw, name, 1_200),
  },
  simulatorOutboundFormat: {
    env: ['SIMULATOR_OUTBOUND_FORMAT'],
    default: code('x12'),
    doc: 'what the simulator sends back: `x12` (999 + 277CA, 835 files to `/api/inbound/x12`) or `json` (the JSON inbound routes)',
    readBy: 'the simulator process (simulator/config.ts), which inherits the main job environment',
  },
  submissionFormat: {
    env: 'CLAIMFLOW_SUBMISSION_FORMAT',
    default: code('x12'),
    doc: '`json` makes `submitClaim` send the JSON `ClaimSubmission` instead of an 837P file',
    parse: (raw: string | undefined): 'x12' | 'json' => (raw === 'json' ? 'json' : 'x12'),
  },
  x12SenderId: { env: 'CLAIMFLOW_X12_SENDER_ID', ...text('CLAIMFLOW'), doc: 'ISA06/GS02 (the sender) of the 837P files we send' },
  x12ReceiverId: { env: 'CLAIMFLOW_X12_RECEIVER_ID', ...text('CFSIMULATOR'), doc: 'ISA08/GS03 (the receiver) of the 837P files we send' },
  x12Usage: {
    env: 'CLAIMFLOW_X12_USAGE',
    default: code('P'),
    doc: 'ISA15 of the 837P files we send: `T` marks them test data, anything else production (`P`)',
    parse: (raw: string | undefined): 'T' | 'P' => (raw === 'T' ? 'T' : 'P'),
  },
  x12SubmitterName: { env: 'CLAIMFLOW_X12_SUBMITTER_NAME', ...text('CLAIMFLOW BILLING'), doc: 'the submitter (loop 1000A) of the 837P' },
  x12ContactName: {
    env: 'CLAIMFLOW_X12_CONTACT_NAME',
    ...text('BILLING OFFICE'),
    doc: "the submitter's contact name (loop 1000A PER) of the 837P",
  },
  x12ContactPhone: {
    env: 'CLAIMFLOW_X12_CONTACT_PHONE',
    ...text('5035550100'),
    doc: "the submitter's contact telephone (loop 1000A PER) of the 837P",
  },
  x12ReceiverName: { env: 'CLAIMFLOW_X12_RECEIVER_NAME', ...text('CLEARINGHOUSE'), doc: 'the receiver (loop 1000B) of the 837P' },
  sftpHost: {
    env: 'CLAIMFLOW_SFTP_HOST',
    default: 'unset: no SFTP mailbox',
    doc:
      "the clearinghouse's SFTP mailbox (docs/sftp-mailbox.md), where its files (999, TA1, 277CA, 835, ...) are fetched from and 837Ps go; " +
      'setting it requires `CLAIMFLOW_SFTP_USER`, `CLAIMFLOW_SFTP_PRIVATE_KEY_FILE`, `CLAIMFLOW_SFTP_HOST_KEY_FINGERPRINTS` and `CLAIMFLOW_SFTP_SENDER`, ' +
      'and the main job then polls its inbound folder (999, 277CA and 835 files go through the X12 intake); sending 837Ps through it is still to come',
    parse: optionalText,
  },
  sftpPort: {
    env: 'CLAIMFLOW_SFTP_PORT',
    default: code(22),
    doc: "the SFTP server's port",
    parse: (raw: string | undefined, name: string) => port(raw, name, 22),
  },
  sftpSender: {
    env: 'CLAIMFLOW_SFTP_SENDER',
    default: 'unset',
    doc:
      "the id of the CLEARINGHOUSE user the mailbox delivers as: its files are held to that user's payers (`payerIds`) exactly as its " +
      'POST /api/inbound/x12 would be, so an 835 of another payer is refused (the file FAILED), a 277CA or 999 about such a claim ignores it',
    parse: optionalText,
  },
  sftpUser: { env: 'CLAIMFLOW_SFTP_USER', default: 'unset', doc: "claimflow's user name at the SFTP server", parse: optionalText },
  sftpPrivateKeyFile: {
    env: 'CLAIMFLOW_SFTP_PRIVATE_KEY_FILE',
    default: 'unset',
    doc: 'the private key (OpenSSH or PEM, unencrypted; readable by claimflow only) claimflow logs in with: keys only, never a password',
    parse: optionalText,
  },
  sftpHostKeyFingerprints: {
    env: 'CLAIMFLOW_SFTP_HOST_KEY_FINGERPRINTS',
    default: 'unset',
    doc:
      "the server's host key fingerprints, `SHA256:...` as `ssh-keygen -l` prints them, comma-separated: a server offering any other key is refused " +
      '(`SftpHostKeyMismatchError`), never trusted on first use',
    parse: hostKeyFingerprints,
  },
  sftpOutboundDir: {
    env: 'CLAIMFLOW_SFTP_OUTBOUND_DIR',
    ...mailboxFolder('to-payer'),
    doc: 'where claimflow puts the files it sends (837P), relative to the login folder',
  },
  sftpInboundDir: {
    env: 'CLAIMFLOW_SFTP_INBOUND_DIR',
    ...mailboxFolder('from-payer'),
    doc: 'where the clearinghouse leaves files for claimflow',
  },
  sftpArchiveDir: {
    env: 'CLAIMFLOW_SFTP_ARCHIVE_DIR',
    ...mailboxFolder('from-payer/archive'),
    doc: 'where claimflow moves an inbound file once it is stored in the database (same file system as the inbound folder: a rename)',
  },
  sftpPollSeconds: {
    env: 'CLAIMFLOW_SFTP_POLL_SECONDS',
    ...countOfAtLeastOne(300),
    doc: 'how long the mailbox poller sleeps between two fetches of the inbound folder (a change applies at its next poll)',
  },
  sftpTimeoutSeconds: {
    env: 'CLAIMFLOW_SFTP_TIMEOUT_SECONDS',
    ...countOfAtLeastOne(30),
    doc: 'how long connecting (with the key exchange and login), or one SFTP operation, may take before the connection is given up',
  },
  dayMs: {
    env: 'CLAIMFLOW_DAY_MS',
    ...wholeNumber(86_400_000),
    doc: "length of one lifecycle day in ms: timers, SLAs and the simulator's delays",
  },
  writeOffApprovalThresholdCents: {
    env: 'WRITE_OFF_APPROVAL_THRESHOLD_CENTS',
    ...wholeNumber(10_000),
    doc: "write-offs above this need a supervisor's approval",
  },
  underpaymentToleranceCents: {
    env: 'CLAIMFLOW_UNDERPAYMENT_TOLERANCE_CENTS',
    ...wholeNumber(100),
    doc:
      'a posted line allowed this many cents or fewer below its contracted fee schedule amount is not an underpayment ' +
      '(docs/fee-schedules.md); the larger of this and `CLAIMFLOW_UNDERPAYMENT_TOLERANCE_PERCENT` applies',
  },
  underpaymentTolerancePercent: {
    env: 'CLAIMFLOW_UNDERPAYMENT_TOLERANCE_PERCENT',
    default: code(0),
    doc: 'a posted line allowed this percentage (whole number, 0 to 100) or less below its contracted amount is not an underpayment',
    parse: (raw: string | undefined, name: string) => {
      const n = int(raw, name, 0);
      if (n > 100) throw new Error(`configuration: ${name} must be 0 to 100, got "${raw}"`);
      return n;
    },
  },
  continueAsNewAfterEvents: {
    env: 'CLAIMFLOW_CONTINUE_AS_NEW_AFTER_EVENTS',
    default: "unset: the workflow's default, 8,000 events",
    doc: "history length at which a claim's workflow continues as new",
    parse: (raw: string | undefined, name: string) => (raw ? int(raw, name, 8_000) : undefined),
  },
  trustUserHeader: {
    env: 'CLAIMFLOW_TRUST_USER_HEADER',
    default: code(0),
    doc: '`1` accepts `X-User-Id: <user>` instead of a bearer token: for tests and the demo only, since anyone reaching the API could name any user',
    parse: flag,
  },
  trustProxy: {
    env: 'CLAIMFLOW_TRUST_PROXY',
    default: 'unset: the connecting address is the client',
    doc:
      'the reverse proxies in front of the API, whose `X-Forwarded-For` then names the client for the sign-in and token rate limits (and whose ' +
      '`X-Forwarded-Proto`/`-Host` say whether the session cookie is `Secure` and which host the workspace is served as): a hop count (`1`) ' +
      'or addresses, subnets and `loopback`/`linklocal`/`uniquelocal` (`loopback,10.0.0.0/8`); `true` is refused. Behind a proxy without it, every user ' +
      "shares the proxy's address and one office's 20 failed sign-ins lock everyone out for a minute",
    parse: trustProxy,
  },
  sessionIdleMinutes: {
    env: 'CLAIMFLOW_SESSION_IDLE_MINUTES',
    ...countOfAtLeastOne(30),
    doc: 'a workspace session (signed in with a password, kept in a cookie) ends after this many minutes without a request',
  },
  sessionMaxHours: {
    env: 'CLAIMFLOW_SESSION_MAX_HOURS',
    ...countOfAtLeastOne(12),
    doc: 'a workspace session ends this many hours after its sign-in, however active it is',
  },
  signInMaxFailures: {
    env: 'CLAIMFLOW_SIGN_IN_MAX_FAILURES',
    ...countOfAtLeastOne(5),
    doc:
      "failed password sign-ins in a row that lock a user's password sign-in for `CLAIMFLOW_SIGN_IN_LOCK_MINUTES` (an administrator's password " +
      'reset lifts the lock). API tokens are not affected; the per-address limit on failed sign-ins holds as well',
  },
  signInLockMinutes: {
    env: 'CLAIMFLOW_SIGN_IN_LOCK_MINUTES',
    ...countOfAtLeastOne(15),
    doc: 'how long a lock after `CLAIMFLOW_SIGN_IN_MAX_FAILURES` failed password sign-ins lasts',
  },
  oidcIssuer: {
    env: 'CLAIMFLOW_OIDC_ISSUER',
    default: 'unset: single sign-on off',
    doc:
      'the OpenID Connect issuer of the office\'s identity provider (`https://idp.example.org/realms/office`): turns on "Sign in with ..." in the ' +
      'workspace beside passwords (docs/access-and-queues.md, "Single sign-on"). `https://` only, or `http://` on a loopback address',
    parse: oidcIssuer,
  },
  oidcClientId: {
    env: 'CLAIMFLOW_OIDC_CLIENT_ID',
    default: 'unset',
    doc: "claimflow's client id at the identity provider; required with `CLAIMFLOW_OIDC_ISSUER`",
    parse: optionalText,
  },
  oidcClientSecret: {
    env: 'CLAIMFLOW_OIDC_CLIENT_SECRET',
    default: 'unset: a public client (PKCE only)',
    doc: "the client's secret (sent to the token endpoint as `client_secret_post`)",
    parse: optionalText,
  },
  oidcRedirectUrl: {
    env: 'CLAIMFLOW_OIDC_REDIRECT_URL',
    default: 'unset: `<the address the browser used>/api/auth/oidc/callback`',
    doc: 'the redirect URL registered at the identity provider, ending in `/api/auth/oidc/callback` (`https://claims.example.org/api/auth/oidc/callback`); set it behind a proxy',
    parse: oidcRedirectUrl,
  },
  oidcProviderName: {
    env: 'CLAIMFLOW_OIDC_PROVIDER_NAME',
    ...text('single sign-on'),
    doc: 'what the sign-in button calls the identity provider: "Sign in with <name>"',
  },
  oidcScopes: {
    env: 'CLAIMFLOW_OIDC_SCOPES',
    ...text('openid email profile'),
    doc: 'the scopes asked for (`openid` is always among them)',
  },
  oidcLinkBy: {
    env: 'CLAIMFLOW_OIDC_LINK_BY',
    default: code('email'),
    doc:
      "how an identity never seen before finds its claimflow user, who must be active and not linked to another identity yet: `email` (the provider's " +
      "verified `email` is the user's e-mail, set by an administrator), `username` (its `preferred_username` is the user id) or `none` (no new links). " +
      'Once linked, the user is found by issuer and subject alone; nobody is ever created or given a role by signing in',
    parse: oidcLinkBy,
  },
  stuckThresholdDays: {
    env: 'CLAIMFLOW_STUCK_THRESHOLD_DAYS',
    default: 'see `domain/metrics.ts`',
    doc:
      'days a claim may stay in a state before `GET /api/supervisor/stuck-claims` lists it, over the defaults (CODING 3, SCRUBBING 1, READY 1, ' +
      "SUBMITTED 3, REJECTED 3, AWAITING_ADJUDICATION 45, DENIED 10, APPEALED 60, POSTED 2, ...): `CODING=2,AWAITING_ADJUDICATION=60`; `0` removes a state's limit",
    parse: stuckThresholds,
  },
  icd10cmFile: {
    env: 'ICD10CM_FILE',
    default: 'the shipped demo subset',
    doc: 'a full ICD-10-CM code table (TSV: code, valid for submission, description)',
    parse: optionalText,
  },
  codeSetsDir: {
    env: 'CLAIMFLOW_CODESETS_DIR',
    default: 'the shipped demo code sets (`domain/codesets/data`)',
    doc:
      "a folder laid out like CMS's downloads (ICD-10-CM order files per fiscal year, HCPCS, NCCI PTP/MUE/add-on, place of service): the scrubber " +
      'picks the version in effect on each date of service',
    parse: optionalText,
  },
  codeSetsExtendNewest: {
    env: 'CLAIMFLOW_CODESETS_EXTEND_NEWEST',
    default: 'unset',
    doc:
      "`1`: keep the newest loaded year in force for later dates of service (otherwise such claims fail edit CS-001: load the current year's files); " +
      'the shipped demo code sets are always extended',
    parse: (raw: string | undefined) => raw === '1',
  },
  payloadKeys: {
    env: 'CLAIMFLOW_PAYLOAD_KEYS',
    default: 'a key made once in `.data/payload-keys`',
    doc:
      '`id:<32 bytes base64>[,id2:...]`: AES-256-GCM keys for every Temporal payload (the first, or `CLAIMFLOW_PAYLOAD_KEY_ID`, encrypts; all decrypt, ' +
      'for rotation). Required, and the same everywhere, once processes run on more than one machine',
    parse: optionalText,
  },
  payloadKeyId: {
    env: 'CLAIMFLOW_PAYLOAD_KEY_ID',
    default: 'the first of `CLAIMFLOW_PAYLOAD_KEYS`',
    doc: 'the id of the key in `CLAIMFLOW_PAYLOAD_KEYS` that encrypts new payloads',
    parse: optionalText,
  },
  dataDir: {
    env: 'CLAIMFLOW_DATA_DIR',
    default: code('.data'),
    doc: "where the embedded database, the dev server's file and the simulator's state live",
    parse: (raw: string | undefined) => raw ?? '.data',
  },
  logLevel: {
    env: 'CLAIMFLOW_LOG_LEVEL',
    default: code('info'),
    doc:
      'how much the API and the main job log: JSON lines (pino) on stderr, `trace`, `debug`, `info`, `warn`, `error`, `fatal` or `silent`. ' +
      'Logs carry ids and codes; fields that would hold PHI (names, birth dates, member ids, addresses, notes) are redacted as a safety net',
    parse: logLevel,
  },
  workerLogLevel: {
    env: 'CLAIMFLOW_WORKER_LOG_LEVEL',
    default: code('WARN'),
    doc: 'how much the Temporal worker logs (`TRACE` … `ERROR`), into the same JSON log as the rest; logs carry ids and codes, never PHI',
    parse: workerLogLevel,
  },
  metricsAddress: {
    env: 'CLAIMFLOW_METRICS_ADDRESS',
    ...listenAddress('127.0.0.1:9465'),
    doc:
      "where the main job serves Prometheus metrics (`GET /metrics`: API latency per route, queue depth, task age, inbound messages, Node's own), " +
      'on a listener of its own, not the API port; empty: off. No authentication: keep it on loopback or a network only Prometheus reaches (README, "Operations")',
  },
  workerMetricsAddress: {
    env: 'CLAIMFLOW_WORKER_METRICS_ADDRESS',
    ...listenAddress('127.0.0.1:9464'),
    doc:
      "where the Temporal worker's own metrics (the SDK's runtime: polls, task latencies, slots, cache) are served for Prometheus at `/metrics`, " +
      'by the main job and by `npm run worker`; empty: off. One per process: give every worker on a machine its own port',
  },
  otelTracesExporter: {
    env: 'OTEL_TRACES_EXPORTER',
    default: 'unset: `otlp` when an OTLP endpoint is set, else tracing is off',
    doc:
      'OpenTelemetry tracing of API → workflow → activity: `otlp` (OTLP over HTTP to the endpoint below, `http://localhost:4318` if none is set), ' +
      '`console` (spans on stdout) or `none` (off)',
    parse: otelTracesExporter,
  },
  otelEndpoint: {
    env: 'OTEL_EXPORTER_OTLP_ENDPOINT',
    default: 'unset',
    doc: 'base URL of an OTLP/HTTP collector (`http://collector:4318`; spans go to `/v1/traces`); setting it turns tracing on',
    parse: optionalText,
  },
  otelTracesEndpoint: {
    env: 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT',
    default: 'unset: `$OTEL_EXPORTER_OTLP_ENDPOINT/v1/traces`',
    doc: 'the full URL spans are sent to, over `OTEL_EXPORTER_OTLP_ENDPOINT`; setting it turns tracing on',
    parse: optionalText,
  },
  otelSdkDisabled: {
    env: 'OTEL_SDK_DISABLED',
    default: code('false'),
    doc: '`true` turns tracing off whatever the other `OTEL_*` variables say',
    parse: (raw: string | undefined) => raw?.trim().toLowerCase() === 'true',
  },
  otelServiceName: {
    env: 'OTEL_SERVICE_NAME',
    ...text('claimflow'),
    doc: "the `service.name` of claimflow's spans (`npm run worker` processes too)",
  },
  otelSdkSettings: {
    env: [
      'OTEL_EXPORTER_OTLP_HEADERS',
      'OTEL_EXPORTER_OTLP_TRACES_HEADERS',
      'OTEL_RESOURCE_ATTRIBUTES',
      'OTEL_TRACES_SAMPLER',
      'OTEL_BSP_*',
    ],
    default: 'unset',
    doc: "the collector's headers (an API key), resource attributes, the sampler (`parentbased_always_on` by default) and batching, as the OpenTelemetry spec defines them",
    readBy: 'the OpenTelemetry SDK (exporter, tracer provider, resource detector) started in infra/tracing.ts',
  },
  maxCachedWorkflows: {
    env: 'CLAIMFLOW_MAX_CACHED_WORKFLOWS',
    default: "unset: the SDK's default, from the heap size (2,310 with Node's 4 GiB)",
    doc:
      "`0` (no cache) or at least `2`: claims a worker keeps in memory between their steps (the worker's RSS was 1.2-1.5 GB with the default full, " +
      'bench/README.md "Idle scale"); an evicted claim replays its history at its next step, so a smaller cache trades worker memory for CPU',
    parse: maxCachedWorkflows,
  },
  workflowBundle: {
    env: 'CLAIMFLOW_WORKFLOW_BUNDLE',
    default: 'unset: the worker bundles the workflow code at start',
    doc: 'path to a bundle made by `bundleWorkflowCode` with `infra/failureConverter.cjs` (the tests pass theirs to the main jobs they start)',
    parse: (raw: string | undefined) => raw?.trim() || undefined,
  },
  demoClaims: {
    env: 'CLAIMFLOW_DEMO_CLAIMS',
    default: `${code(DEFAULT_DEMO_CLAIMS)} on the embedded demo (no \`DATABASE_URL\`, \`TEMPORAL_ADDRESS\`/profile or \`SIMULATOR_URL\`), else \`0\``,
    doc:
      'demo claims `npm start` creates through `POST /api/claims` (as `biller-2`, both demo practices), in the background once everything is up, so ' +
      "that the coders' queues have work on a first run; only into a database without claims of its own (a load cut short is finished at the next " +
      'start, never doubled). `0`: none. Set it with a real database only to fill a test installation',
    parse: (raw: string | undefined, name: string) => (raw ? int(raw, name, 0) : undefined),
  },
  demoDataDir: {
    env: 'CLAIMFLOW_DEMO_DATA_DIR',
    default: code('.data/demo'),
    doc: 'where `npm run demo` keeps its own copy of everything (wiped first)',
    parse: (raw: string | undefined) => raw || path.join('.data', 'demo'),
  },
  debug: {
    env: 'CLAIMFLOW_DEBUG',
    default: 'unset',
    doc: 'any value: a start-up problem (which otherwise ends with one line on stderr and exit code 1) prints its stack too',
    parse: (raw: string | undefined) => Boolean(raw),
  },
  fixturesDir: {
    env: ['CLAIMFLOW_FIXTURES_DIR'],
    default: '`../shared/fixtures` beside the checkout, else `/work/shared/fixtures`',
    doc: 'the real X12 samples and CMS code-set files the tests read (not in the repository; see their MANIFEST.md)',
    readBy: 'the tests (test/fixtures.ts)',
  },
  testDatabaseUrl: {
    env: ['TEST_DATABASE_URL'],
    default: code('postgresql://postgres@127.0.0.1:5432/postgres'),
    doc: 'the PostgreSQL the tests create their databases in',
    readBy: 'the tests (test/database.ts, test/globalSetup.ts) and the benchmarks',
  },
} satisfies Record<string, Setting<unknown> | Documented>;

type Table = typeof SETTINGS;
type ValueOf<S> = S extends { parse: (raw: string | undefined, env: string) => infer T } ? T : never;
/** The value of every setting of SETTINGS, as its parser returns it. */
export type Settings = { [K in keyof Table as Table[K] extends Setting<unknown> ? K : never]: ValueOf<Table[K]> };

/**
 * What the code is given: every setting, paths resolved, and the defaults that depend on other settings filled in.
 * `simulatorUrlSet` says whether SIMULATOR_URL named the clearinghouse (simulatorUrl always has a value).
 */
export type Config = Omit<Settings, 'databaseUrl' | 'simulatorUrl' | 'runSimulator' | 'demoClaims'> & {
  databaseUrl: string;
  simulatorUrl: string;
  simulatorUrlSet: boolean;
  runSimulator: boolean;
  demoClaims: number;
};

const isSetting = (entry: Setting<unknown> | Documented): entry is Setting<unknown> => 'parse' in entry;

/** Every entry of SETTINGS, with its Config field (undefined for a README row only). */
export function settingEntries(): { key?: keyof Settings; entry: Setting<unknown> | Documented }[] {
  return Object.entries(SETTINGS as Record<string, Setting<unknown> | Documented>).map(([key, entry]) => ({
    key: isSetting(entry) ? (key as keyof Settings) : undefined,
    entry,
  }));
}

function readSettings(env: Env): Settings {
  const out: Record<string, unknown> = {};
  for (const { key, entry } of settingEntries()) {
    if (key && isSetting(entry)) out[key] = entry.parse(env[entry.env], entry.env);
  }
  return out as Settings;
}

/** The embedded demo: no database, Temporal or clearinghouse of one's own named. */
function embeddedDemo(s: Settings): boolean {
  return [s.databaseUrl, s.temporalAddress, s.temporalProfile, s.temporalConfigFile, s.simulatorUrl].every((v) => v === undefined);
}

/** Reads the environment once; relative paths are taken from `root`. Throws, naming the variable, on a bad value. */
export function loadConfig(root = process.cwd()): Config {
  const s = readSettings(process.env);
  if (s.sftpHost) {
    const missing = (['sftpUser', 'sftpPrivateKeyFile', 'sftpHostKeyFingerprints', 'sftpSender'] as const).filter(
      (k) => s[k] === undefined,
    );
    if (missing.length) {
      throw new Error(
        `configuration: ${SETTINGS.sftpHost.env} is set, so ${missing.map((k) => SETTINGS[k].env).join(', ')} must be set too`,
      );
    }
  }
  if (s.oidcIssuer && !s.oidcClientId) {
    throw new Error(`configuration: ${SETTINGS.oidcClientId.env} is required with ${SETTINGS.oidcIssuer.env}`);
  }
  const dataDir = path.resolve(root, s.dataDir);
  return {
    ...s,
    dataDir,
    demoDataDir: path.resolve(root, s.demoDataDir),
    databaseUrl: s.databaseUrl ?? `pglite:${path.join(dataDir, 'pglite')}`,
    simulatorUrl: s.simulatorUrl ?? `http://127.0.0.1:${s.simulatorPort}`,
    simulatorUrlSet: s.simulatorUrl !== undefined,
    runSimulator: s.runSimulator ?? embeddedDemo(s),
    // Demo claims in an office's own database would be billed like real ones: only the embedded demo gets them unasked.
    demoClaims: s.demoClaims ?? (embeddedDemo(s) ? DEFAULT_DEMO_CLAIMS : 0),
  };
}

/**
 * CLAIMFLOW_DEBUG on its own, for the last-resort error handlers of the entry points: they must answer when
 * loadConfig itself is what failed.
 */
export function showStacks(): boolean {
  return SETTINGS.debug.parse(process.env[SETTINGS.debug.env]);
}

/**
 * This process's environment without the OpenTelemetry variables, for the embedded Temporal dev server: the
 * server has OpenTelemetry of its own, which would act on claimflow's OTEL_* (and refuse to start on
 * OTEL_TRACES_EXPORTER=console).
 */
export function envWithoutOtel(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('OTEL_')));
}

/**
 * True when the configuration names a Temporal service to use instead of the embedded dev server: TEMPORAL_ADDRESS,
 * or an envconfig profile (TEMPORAL_PROFILE / TEMPORAL_CONFIG_FILE), which connectTemporal then reads.
 */
export function usesExternalTemporal(config: Config): boolean {
  return Boolean(config.temporalAddress || config.temporalProfile || config.temporalConfigFile);
}
