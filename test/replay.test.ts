// Claims in flight must survive a deployment: histories recorded with earlier workflow code replay against
// the current code without non-determinism (test/histories/README.md says what each one is).
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { describe, expect, inject, it } from 'vitest';
import { Worker } from '@temporalio/worker';
import { parsePayloadKeys, workerDataConverter } from '../infra/codec';

const { temporal } = createRequire(import.meta.url)('@temporalio/proto') as typeof import('@temporalio/proto');
const DIR = path.join(import.meta.dirname, 'histories');

describe('histories recorded with earlier workflow code', () => {
  const files = fs.readdirSync(DIR).filter((f) => f.endsWith('.json'));

  it.each(files)('%s replays without non-determinism', async (file) => {
    const recorded = JSON.parse(fs.readFileSync(path.join(DIR, file), 'utf8')) as {
      payloadKeys: string;
      workflowId: string;
      events: number;
      history: string;
    };
    const history = temporal.api.history.v1.History.decode(Buffer.from(recorded.history, 'base64'));
    expect(history.events).toHaveLength(recorded.events);
    await Worker.runReplayHistory(
      {
        workflowBundle: { codePath: inject('workflowBundlePath') },
        dataConverter: workerDataConverter(parsePayloadKeys(recorded.payloadKeys)),
      },
      history,
      recorded.workflowId,
    );
  });
});
