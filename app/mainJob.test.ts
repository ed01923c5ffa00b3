import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../infra/config';
import { startMainJob } from './mainJob';

describe('the main job and the payer simulator', () => {
  it('refuses to start with no clearinghouse at all rather than run claims into nowhere (or into a simulator nobody asked for)', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'claimflow-main-'));
    try {
      const config = {
        ...loadConfig(),
        dataDir,
        databaseUrl: 'postgresql://postgres@127.0.0.1:5432/postgres',
        runSimulator: false,
        simulatorUrlSet: false,
      };
      await expect(startMainJob(config, { log: () => {} })).rejects.toThrow(
        /no clearinghouse: set SIMULATOR_URL .* or CLAIMFLOW_SIMULATOR=1/,
      );
      // nothing was started or written: the refusal comes before the data folder is even taken
      expect(fs.readdirSync(dataDir)).toEqual([]);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
