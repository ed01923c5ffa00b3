// OpenTelemetry tracing of API request → workflow start → workflow → activity, off unless the standard OTEL_*
// variables ask for it (tracingWanted). When on, one tracer provider per process is registered globally, and
// Temporal's OpenTelemetry interceptors carry the trace across: the client's into the workflow's headers, the
// workflow's (run in the sandbox, their spans leaving it through a sink) into each activity's.
// Spans carry route patterns, workflow and activity types and ids (claim ids): no PHI.
import { createRequire } from 'node:module';
import { context, propagation, trace, type Tracer } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { detectResourcesSync, envDetectorSync, Resource } from '@opentelemetry/resources';
import { BatchSpanProcessor, ConsoleSpanExporter, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import type { WorkflowClientInterceptor } from '@temporalio/client';
import {
  makeWorkflowExporter,
  OpenTelemetryActivityInboundInterceptor,
  OpenTelemetryActivityOutboundInterceptor,
  OpenTelemetryWorkflowClientInterceptor,
  type OpenTelemetrySinks,
} from '@temporalio/interceptors-opentelemetry';
import type { InjectedSinks, WorkerInterceptors } from '@temporalio/worker';
import type { Config } from './config';

const require = createRequire(import.meta.url);

/**
 * The workflow interceptors of @temporalio/interceptors-opentelemetry, to be bundled with the workflow code:
 * a worker with tracing on that bundles itself adds them; a prebuilt bundle (CLAIMFLOW_WORKFLOW_BUNDLE) must have
 * been made with them (`bundleWorkflowCode({ workflowInterceptorModules: TRACING_WORKFLOW_MODULES, ... })`).
 */
export const TRACING_WORKFLOW_MODULES: readonly string[] = [
  require.resolve('@temporalio/interceptors-opentelemetry/lib/workflow-interceptors'),
];

/** What a worker adds to its options when tracing is on. */
export interface WorkerTracing {
  interceptors: WorkerInterceptors;
  sinks: InjectedSinks<OpenTelemetrySinks>;
}

export interface Tracing {
  /** the API's request spans */
  tracer: Tracer;
  /** for every Temporal Client that starts, signals, updates or queries claims */
  clientInterceptors: { workflow: WorkflowClientInterceptor[] };
  worker: WorkerTracing;
  /** sends what is buffered and unregisters the provider */
  shutdown(): Promise<void>;
}

type TracingSettings = Pick<Config, 'otelTracesExporter' | 'otelEndpoint' | 'otelTracesEndpoint' | 'otelSdkDisabled' | 'otelServiceName'>;

/**
 * Tracing is on when OTEL_TRACES_EXPORTER names an exporter (otlp, console) or an OTLP endpoint is set, and
 * neither OTEL_SDK_DISABLED=true nor OTEL_TRACES_EXPORTER=none turns it off.
 */
export function tracingWanted(s: TracingSettings): boolean {
  if (s.otelSdkDisabled || s.otelTracesExporter === 'none') return false;
  return s.otelTracesExporter !== undefined || Boolean(s.otelEndpoint || s.otelTracesEndpoint);
}

/** Where OTLP spans go: the traces endpoint as given, else the base endpoint's /v1/traces (the spec's rule). */
export function otlpTracesUrl(s: TracingSettings): string {
  if (s.otelTracesEndpoint) return s.otelTracesEndpoint;
  return `${(s.otelEndpoint ?? 'http://localhost:4318').replace(/\/+$/, '')}/v1/traces`;
}

function exporterProcessor(s: TracingSettings): SpanProcessor {
  const exporter = s.otelTracesExporter === 'console' ? new ConsoleSpanExporter() : new OTLPTraceExporter({ url: otlpTracesUrl(s) });
  // OTEL_BSP_* (queue size, delay, batch size) are read by the processor itself.
  return new BatchSpanProcessor(exporter);
}

let active: Tracing | undefined;

/**
 * Starts tracing for this process when the configuration asks for it (or when `spanProcessor` is given: the
 * tests' in-memory exporter); undefined otherwise, and nothing is registered. One provider per process: a second
 * call returns the first one's Tracing.
 */
export function startTracing(config: TracingSettings, o: { spanProcessor?: SpanProcessor } = {}): Tracing | undefined {
  if (active) return active;
  if (!o.spanProcessor && !tracingWanted(config)) return undefined;
  // OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES, as the SDK's env detector reads them; claimflow by default.
  const resource = Resource.default()
    .merge(new Resource({ 'service.name': config.otelServiceName }))
    .merge(detectResourcesSync({ detectors: [envDetectorSync] }));
  const processor = o.spanProcessor ?? exporterProcessor(config);
  const provider = new NodeTracerProvider({ resource, spanProcessors: [processor] });
  // Global: the AsyncLocalStorage context manager and W3C trace-context propagation, which the interceptors use.
  provider.register();
  const tracing: Tracing = {
    tracer: trace.getTracer('claimflow'),
    clientInterceptors: { workflow: [new OpenTelemetryWorkflowClientInterceptor()] },
    worker: {
      interceptors: {
        workflowModules: [...TRACING_WORKFLOW_MODULES],
        activity: [
          (ctx) => ({
            inbound: new OpenTelemetryActivityInboundInterceptor(ctx),
            outbound: new OpenTelemetryActivityOutboundInterceptor(ctx),
          }),
        ],
      },
      sinks: { exporter: makeWorkflowExporter(processor, resource) },
    },
    shutdown: async () => {
      await provider.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
      active = undefined;
    },
  };
  active = tracing;
  return tracing;
}
