// A span per API request when tracing is on (infra/tracing.ts): named by method and route pattern, a child of
// the caller's trace when it sent a W3C traceparent. Everything a handler does (a workflow start, an update, a
// signal) runs in the span's context, so Temporal's client interceptor puts it in the workflow's headers.
// The span holds the method, the route pattern and the status: never the URL, its query or a body.
import { context, propagation, SpanKind, SpanStatusCode, trace, type Tracer } from '@opentelemetry/api';
import type { RequestHandler } from 'express';
import { routePattern } from './routes';

export function requestSpans(tracer: Tracer): RequestHandler {
  return (req, res, next) => {
    const parent = propagation.extract(context.active(), req.headers);
    const span = tracer.startSpan(req.method, { kind: SpanKind.SERVER, attributes: { 'http.request.method': req.method } }, parent);
    const ctx = trace.setSpan(parent, span);
    // Body parsers and streams call back from the socket's events: bound, they run in the request's context too.
    context.bind(ctx, req);
    context.bind(ctx, res);
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      const status = res.writableFinished ? res.statusCode : 499;
      const route = routePattern(req);
      span.updateName(`${req.method} ${route}`);
      span.setAttribute('http.route', route);
      span.setAttribute('http.response.status_code', status);
      if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    };
    res.once('finish', end);
    res.once('close', end);
    context.with(ctx, next);
  };
}
