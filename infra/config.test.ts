import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { formatAddress, loadConfig, settingEntries } from './config';
import { configTable, readmeConfigTable, REGENERATE } from './configTable';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const saved = { ...process.env };
afterEach(() => {
  process.env = { ...saved };
});

describe('loadConfig', () => {
  it('leaves the worker cache to the SDK unless CLAIMFLOW_MAX_CACHED_WORKFLOWS is set', () => {
    delete process.env.CLAIMFLOW_MAX_CACHED_WORKFLOWS;
    expect(loadConfig().maxCachedWorkflows).toBeUndefined();
    process.env.CLAIMFLOW_MAX_CACHED_WORKFLOWS = '500';
    expect(loadConfig().maxCachedWorkflows).toBe(500);
  });

  it('refuses a setting that is not a whole number, naming it', () => {
    process.env.CLAIMFLOW_MAX_CACHED_WORKFLOWS = 'lots';
    expect(() => loadConfig()).toThrow(/CLAIMFLOW_MAX_CACHED_WORKFLOWS must be a whole number, got "lots"/);
    process.env.CLAIMFLOW_MAX_CACHED_WORKFLOWS = '-1';
    expect(() => loadConfig()).toThrow(/CLAIMFLOW_MAX_CACHED_WORKFLOWS/);
    process.env.CLAIMFLOW_MAX_CACHED_WORKFLOWS = '1';
    expect(() => loadConfig()).toThrow(/must be 0 \(no cache: every step replays its history\) or at least 2/);
    process.env.CLAIMFLOW_MAX_CACHED_WORKFLOWS = '0';
    expect(loadConfig().maxCachedWorkflows).toBe(0);
  });

  it('single sign-on: off without an issuer; an issuer needs a client id, https (http on loopback only) and the callback path', () => {
    expect(loadConfig().oidcIssuer).toBeUndefined();
    process.env.CLAIMFLOW_OIDC_ISSUER = 'https://idp.example.org/realms/office';
    expect(() => loadConfig()).toThrow(/CLAIMFLOW_OIDC_CLIENT_ID is required with CLAIMFLOW_OIDC_ISSUER/);
    process.env.CLAIMFLOW_OIDC_CLIENT_ID = 'claimflow';
    expect(loadConfig()).toMatchObject({
      oidcIssuer: 'https://idp.example.org/realms/office',
      oidcLinkBy: 'email',
      oidcScopes: 'openid email profile',
    });
    process.env.CLAIMFLOW_OIDC_ISSUER = 'http://idp.example.org';
    expect(() => loadConfig()).toThrow(/CLAIMFLOW_OIDC_ISSUER must be an https:\/\/ issuer/);
    process.env.CLAIMFLOW_OIDC_ISSUER = 'http://127.0.0.1:8080';
    expect(loadConfig().oidcIssuer).toBe('http://127.0.0.1:8080');
    process.env.CLAIMFLOW_OIDC_REDIRECT_URL = 'https://claims.example.org/elsewhere';
    expect(() => loadConfig()).toThrow(/CLAIMFLOW_OIDC_REDIRECT_URL must be https:\/\/<claimflow's host>\/api\/auth\/oidc\/callback/);
    process.env.CLAIMFLOW_OIDC_REDIRECT_URL = 'https://claims.example.org/api/auth/oidc/callback';
    expect(loadConfig().oidcRedirectUrl).toBe('https://claims.example.org/api/auth/oidc/callback');
    process.env.CLAIMFLOW_OIDC_LINK_BY = 'anything';
    expect(() => loadConfig()).toThrow(/CLAIMFLOW_OIDC_LINK_BY must be one of email, username, none/);
  });

  it('selects the embedded database unless DATABASE_URL is set', () => {
    delete process.env.DATABASE_URL;
    expect(loadConfig('/srv/claimflow').databaseUrl).toBe('pglite:/srv/claimflow/.data/pglite');
    process.env.DATABASE_URL = 'postgresql://postgres@127.0.0.1:5432/claims';
    expect(loadConfig().databaseUrl).toBe('postgresql://postgres@127.0.0.1:5432/claims');
  });

  it('reads CLAIMFLOW_TRUST_PROXY as a hop count or a list of proxies, and refuses anything else by name', () => {
    delete process.env.CLAIMFLOW_TRUST_PROXY;
    expect(loadConfig().trustProxy).toBeUndefined();
    process.env.CLAIMFLOW_TRUST_PROXY = '2';
    expect(loadConfig().trustProxy).toBe(2);
    process.env.CLAIMFLOW_TRUST_PROXY = 'loopback, 10.0.0.0/8,192.168.1.20,fd00::/8';
    expect(loadConfig().trustProxy).toBe('loopback, 10.0.0.0/8,192.168.1.20,fd00::/8');
    for (const bad of ['true', '0', '10.0.0.0/33', '300.1.1.1', 'proxy.internal', '10.0.0.0/8/1']) {
      process.env.CLAIMFLOW_TRUST_PROXY = bad;
      expect(() => loadConfig(), bad).toThrow(/CLAIMFLOW_TRUST_PROXY must/);
    }
  });

  it('runs the payer simulator on the embedded demo only, unless CLAIMFLOW_SIMULATOR says otherwise', () => {
    for (const n of [
      'DATABASE_URL',
      'TEMPORAL_ADDRESS',
      'TEMPORAL_PROFILE',
      'TEMPORAL_CONFIG_FILE',
      'SIMULATOR_URL',
      'CLAIMFLOW_SIMULATOR',
    ])
      delete process.env[n];
    expect(loadConfig().runSimulator).toBe(true);
    process.env.DATABASE_URL = 'postgresql://db.example/claims';
    expect(loadConfig().runSimulator).toBe(false);
    process.env.CLAIMFLOW_SIMULATOR = '1';
    expect(loadConfig().runSimulator).toBe(true);
    delete process.env.DATABASE_URL;
    process.env.CLAIMFLOW_SIMULATOR = '0';
    expect(loadConfig().runSimulator).toBe(false);
    process.env.CLAIMFLOW_SIMULATOR = 'maybe';
    expect(() => loadConfig()).toThrow(/CLAIMFLOW_SIMULATOR must be 1 or 0/);
  });

  it('loads demo claims on the embedded demo only, never into a real database or Temporal unless asked', () => {
    for (const n of [
      'DATABASE_URL',
      'TEMPORAL_ADDRESS',
      'TEMPORAL_PROFILE',
      'TEMPORAL_CONFIG_FILE',
      'SIMULATOR_URL',
      'CLAIMFLOW_DEMO_CLAIMS',
    ])
      delete process.env[n];
    expect(loadConfig().demoClaims).toBe(40);
    process.env.DATABASE_URL = 'postgresql://db.example/claims';
    expect(loadConfig().demoClaims).toBe(0);
    delete process.env.DATABASE_URL;
    process.env.TEMPORAL_ADDRESS = 'temporal.example:7233';
    expect(loadConfig().demoClaims).toBe(0);
    process.env.CLAIMFLOW_DEMO_CLAIMS = '12';
    expect(loadConfig().demoClaims).toBe(12);
    delete process.env.TEMPORAL_ADDRESS;
    process.env.CLAIMFLOW_DEMO_CLAIMS = '0';
    expect(loadConfig().demoClaims).toBe(0);
    process.env.CLAIMFLOW_DEMO_CLAIMS = 'some';
    expect(() => loadConfig()).toThrow(/CLAIMFLOW_DEMO_CLAIMS must be a whole number/);
  });

  it('reads the settings that used to be read where they were used, with the same defaults and the same looseness', () => {
    for (const n of [
      'CLAIMFLOW_SUBMISSION_FORMAT',
      'CLAIMFLOW_X12_SENDER_ID',
      'CLAIMFLOW_X12_USAGE',
      'CLAIMFLOW_CODESETS_EXTEND_NEWEST',
      'HOST',
      'CLAIMFLOW_DEBUG',
    ]) {
      delete process.env[n];
    }
    const c = loadConfig('/srv/claimflow');
    expect(c).toMatchObject({
      submissionFormat: 'x12',
      x12SenderId: 'CLAIMFLOW',
      x12Usage: 'P',
      codeSetsExtendNewest: false,
      host: '127.0.0.1',
      debug: false,
    });
    expect(c.demoDataDir).toBe(path.join('/srv/claimflow', '.data', 'demo'));
    process.env.CLAIMFLOW_SUBMISSION_FORMAT = 'json';
    process.env.CLAIMFLOW_X12_SENDER_ID = '';
    process.env.CLAIMFLOW_X12_USAGE = 'T';
    process.env.CLAIMFLOW_CODESETS_EXTEND_NEWEST = 'true';
    expect(loadConfig()).toMatchObject({ submissionFormat: 'json', x12SenderId: 'CLAIMFLOW', x12Usage: 'T', codeSetsExtendNewest: false });
  });

  it('refuses a bad worker log level or stuck-claim threshold at start, naming the variable', () => {
    process.env.CLAIMFLOW_WORKER_LOG_LEVEL = 'loud';
    expect(() => loadConfig()).toThrow('CLAIMFLOW_WORKER_LOG_LEVEL must be one of TRACE, DEBUG, INFO, WARN, ERROR, got LOUD');
    process.env.CLAIMFLOW_WORKER_LOG_LEVEL = ' debug ';
    expect(loadConfig().workerLogLevel).toBe('DEBUG');
    process.env.CLAIMFLOW_STUCK_THRESHOLD_DAYS = 'CODNG=2';
    expect(() => loadConfig()).toThrow('configuration: CLAIMFLOW_STUCK_THRESHOLD_DAYS: unknown claim state "CODNG"');
    process.env.CLAIMFLOW_STUCK_THRESHOLD_DAYS = 'CODING=0.5,POSTED=0';
    expect(loadConfig().stuckThresholdDays).toEqual({ CODING: 0.5, POSTED: 0 });
  });

  it('reads the log level, lower-cased, and refuses one pino does not know', () => {
    delete process.env.CLAIMFLOW_LOG_LEVEL;
    expect(loadConfig().logLevel).toBe('info');
    process.env.CLAIMFLOW_LOG_LEVEL = ' DEBUG ';
    expect(loadConfig().logLevel).toBe('debug');
    process.env.CLAIMFLOW_LOG_LEVEL = 'verbose';
    expect(() => loadConfig()).toThrow(
      'configuration: CLAIMFLOW_LOG_LEVEL must be one of trace, debug, info, warn, error, fatal, silent, got "verbose"',
    );
  });

  it('serves metrics on loopback by default, on the address given, or not at all when the variable is empty', () => {
    delete process.env.CLAIMFLOW_METRICS_ADDRESS;
    delete process.env.CLAIMFLOW_WORKER_METRICS_ADDRESS;
    expect(loadConfig()).toMatchObject({
      metricsAddress: { host: '127.0.0.1', port: 9465 },
      workerMetricsAddress: { host: '127.0.0.1', port: 9464 },
    });
    process.env.CLAIMFLOW_METRICS_ADDRESS = '0.0.0.0:9100';
    process.env.CLAIMFLOW_WORKER_METRICS_ADDRESS = '[::1]:9101';
    expect(loadConfig()).toMatchObject({
      metricsAddress: { host: '0.0.0.0', port: 9100 },
      workerMetricsAddress: { host: '::1', port: 9101 },
    });
    expect(formatAddress(loadConfig().workerMetricsAddress!)).toBe('[::1]:9101');
    process.env.CLAIMFLOW_METRICS_ADDRESS = '';
    process.env.CLAIMFLOW_WORKER_METRICS_ADDRESS = ' ';
    expect(loadConfig()).toMatchObject({ metricsAddress: undefined, workerMetricsAddress: undefined });
    for (const bad of ['9464', 'localhost', 'localhost:99999', '::1:9464', 'http://127.0.0.1:9464']) {
      process.env.CLAIMFLOW_METRICS_ADDRESS = bad;
      expect(() => loadConfig(), bad).toThrow(/CLAIMFLOW_METRICS_ADDRESS must be host:port/);
    }
  });

  it('reads the standard OTEL_* variables that turn tracing on and off', () => {
    for (const n of [
      'OTEL_TRACES_EXPORTER',
      'OTEL_EXPORTER_OTLP_ENDPOINT',
      'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT',
      'OTEL_SDK_DISABLED',
      'OTEL_SERVICE_NAME',
    ]) {
      delete process.env[n];
    }
    expect(loadConfig()).toMatchObject({
      otelTracesExporter: undefined,
      otelEndpoint: undefined,
      otelTracesEndpoint: undefined,
      otelSdkDisabled: false,
      otelServiceName: 'claimflow',
    });
    process.env.OTEL_TRACES_EXPORTER = ' OTLP ';
    process.env.OTEL_EXPORTER_OTLP_ENDPOINT = 'http://collector:4318';
    process.env.OTEL_SDK_DISABLED = 'TRUE';
    process.env.OTEL_SERVICE_NAME = 'claimflow-east';
    expect(loadConfig()).toMatchObject({
      otelTracesExporter: 'otlp',
      otelEndpoint: 'http://collector:4318',
      otelSdkDisabled: true,
      otelServiceName: 'claimflow-east',
    });
    process.env.OTEL_TRACES_EXPORTER = 'zipkin';
    expect(() => loadConfig()).toThrow(/OTEL_TRACES_EXPORTER must be one of otlp, console, none, got "zipkin"/);
  });

  it('tells whether SIMULATOR_URL named the clearinghouse, apart from the URL it defaults to', () => {
    delete process.env.SIMULATOR_URL;
    process.env.SIMULATOR_PORT = '4555';
    expect(loadConfig()).toMatchObject({ simulatorUrl: 'http://127.0.0.1:4555', simulatorUrlSet: false });
    process.env.SIMULATOR_URL = 'https://clearinghouse.example';
    expect(loadConfig()).toMatchObject({ simulatorUrl: 'https://clearinghouse.example', simulatorUrlSet: true });
  });
});

describe('the settings table', () => {
  it('names each variable once', () => {
    const names = settingEntries().flatMap(({ entry }) => (typeof entry.env === 'string' ? [entry.env] : [...entry.env]));
    expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
  });

  it("is README.md's Configuration table", () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    expect(
      readmeConfigTable(readme),
      `README.md's Configuration table is not what infra/config.ts SETTINGS makes: run \`${REGENERATE}\``,
    ).toBe(configTable());
  });

  it('is the only place production code reads the environment', () => {
    // What may still read process.env, and why: the config itself; the simulator's environment, built for a child
    // process; the Prisma engine library, which the Prisma CLI's engine stand-in (a process Prisma spawns) loads too.
    const allowed = new Set(['infra/config.ts', 'app/simulatorProcess.ts', 'infra/prismaEngine.mjs']);
    const dirs = ['activities', 'api', 'app', 'domain', 'infra', 'worker', 'workflows'];
    const isTest = (f: string) => f.endsWith('.test.ts') || f.endsWith('testSupport.ts');
    const readers = dirs
      .flatMap((d) =>
        (fs.readdirSync(path.join(ROOT, d), { recursive: true }) as string[]).map((f) => path.posix.join(d, f.split(path.sep).join('/'))),
      )
      .filter((f) => /\.(ts|mjs|cjs)$/.test(f) && !isTest(f) && !allowed.has(f))
      .filter((f) => fs.readFileSync(path.join(ROOT, f), 'utf8').includes('process.env'));
    expect(readers, 'read the setting in infra/config.ts SETTINGS and pass it in').toEqual([]);
  });
});
