// Builds the claim worker: the lifecycle workflow plus its activities on one task queue.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DataConverter } from '@temporalio/common';
import { Worker, type NativeConnection } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../activities';
import { TASK_QUEUE } from '../workflows/contract';

export const WORKFLOWS_PATH = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../workflows/index.ts');

export interface ClaimWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  deps: ActivityDeps;
  /** a prebuilt bundle (bundleWorkflowCode) saves a few seconds of webpack per worker start */
  workflowBundle?: { code: string } | { codePath: string };
  taskQueue?: string;
  /** encryption of payloads (infra/codec.ts workerDataConverter); a bundle must be built with the same failureConverterPath */
  dataConverter?: DataConverter;
  /** Config.maxCachedWorkflows */
  maxCachedWorkflows?: number;
}

/**
 * CLAIMFLOW_WORKFLOW_BUNDLE names a bundle built by bundleWorkflowCode with infra/failureConverter.cjs. Tests that start
 * whole main jobs pass the one the test set-up built, so each start skips webpack; unset, the worker bundles itself.
 */
function bundleFromEnvironment(): { codePath: string } | undefined {
  const codePath = process.env.CLAIMFLOW_WORKFLOW_BUNDLE?.trim();
  return codePath ? { codePath } : undefined;
}

export function createClaimWorker(o: ClaimWorkerOptions): Promise<Worker> {
  const workflowBundle = o.workflowBundle ?? bundleFromEnvironment();
  return Worker.create({
    connection: o.connection,
    namespace: o.namespace,
    taskQueue: o.taskQueue ?? TASK_QUEUE,
    ...(workflowBundle ? { workflowBundle } : { workflowsPath: WORKFLOWS_PATH }),
    activities: createActivities(o.deps),
    dataConverter: o.dataConverter,
    ...(o.maxCachedWorkflows !== undefined ? { maxCachedWorkflows: o.maxCachedWorkflows } : {}),
  });
}
