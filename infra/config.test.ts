import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from './config';

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
    for (const n of ['DATABASE_URL', 'TEMPORAL_ADDRESS', 'TEMPORAL_PROFILE', 'TEMPORAL_CONFIG_FILE', 'SIMULATOR_URL', 'CLAIMFLOW_SIMULATOR']) delete process.env[n];
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
});
