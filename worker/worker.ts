// Builds the claim worker: the lifecycle workflow plus its activities on one task queue.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DataConverter } from '@temporalio/common';
import { Worker, type NativeConnection } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../activities';
import { x12Identity } from '../domain/x12/claim837From';
import { loadCodeSets, loadIcd10 } from '../infra/codesets';
import type { Config } from '../infra/config';
import type { WorkerTracing } from '../infra/tracing';
import { TASK_QUEUE } from '../workflows/contract';

export const WORKFLOWS_PATH = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../workflows/index.ts');

export interface ClaimWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  deps: ActivityDeps;
  /** a prebuilt bundle (bundleWorkflowCode) saves a few seconds of webpack per worker start; unset, the worker bundles the code */
  workflowBundle?: { code: string } | { codePath: string };
  taskQueue?: string;
  /** encryption of payloads (infra/codec.ts workerDataConverter); a bundle must be built with the same failureConverterPath */
  dataConverter?: DataConverter;
  /** Config.maxCachedWorkflows */
  maxCachedWorkflows?: number;
  /**
   * OpenTelemetry interceptors and the workflow span sink (infra/tracing.ts startTracing), when tracing is on. A
   * worker that bundles itself adds the workflow interceptors to its bundle; a prebuilt bundle must have them
   * (TRACING_WORKFLOW_MODULES), or workflows run untraced and activities start traces of their own.
   */
  tracing?: WorkerTracing;
}

/**
 * What the configuration says about the worker itself. CLAIMFLOW_WORKFLOW_BUNDLE names a bundle built by bundleWorkflowCode
 * with infra/failureConverter.cjs: tests that start whole main jobs pass the one the test set-up built, so each start
 * skips webpack; unset, the worker bundles itself.
 */
export function workerSettings(config: Config): Pick<ClaimWorkerOptions, 'workflowBundle' | 'maxCachedWorkflows'> {
  return {
    workflowBundle: config.workflowBundle ? { codePath: config.workflowBundle } : undefined,
    maxCachedWorkflows: config.maxCachedWorkflows,
  };
}

/** The activities' dependencies: the database and clearinghouse given, the code sets and the 837P identity as configured. */
export function activityDeps(config: Config, io: Pick<ActivityDeps, 'prisma' | 'clearinghouse'>): ActivityDeps {
  return {
    ...io,
    icd10: loadIcd10(config),
    codeSets: loadCodeSets(config),
    submissionFormat: config.submissionFormat,
    x12: x12Identity(config),
    underpaymentTolerance: { cents: config.underpaymentToleranceCents, percent: config.underpaymentTolerancePercent },
  };
}

export function createClaimWorker(o: ClaimWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: o.connection,
    namespace: o.namespace,
    taskQueue: o.taskQueue ?? TASK_QUEUE,
    ...(o.workflowBundle ? { workflowBundle: o.workflowBundle } : { workflowsPath: WORKFLOWS_PATH }),
    activities: createActivities(o.deps),
    dataConverter: o.dataConverter,
    ...(o.maxCachedWorkflows !== undefined ? { maxCachedWorkflows: o.maxCachedWorkflows } : {}),
    // With a prebuilt bundle the SDK would warn that it ignores workflowModules: they are in the bundle or not.
    ...(o.tracing
      ? {
          interceptors: o.workflowBundle ? { ...o.tracing.interceptors, workflowModules: undefined } : o.tracing.interceptors,
          sinks: o.tracing.sinks,
        }
      : {}),
  });
}
