// What a request is called where ids must not go (logs, metrics labels, span names): the route pattern it
// matched, never its URL.
import type { Request } from 'express';

/**
 * The matched route pattern (`/api/claims/:id`), not the URL: ids stay out. The mount part comes from the URL and
 * is lower-cased (express matches `/API/Claims` too); a request no route matched is `unmatched`, or the mount
 * path of the middleware that answered it.
 */
export function routePattern(req: Request): string {
  const route = (req as { route?: { path?: unknown } }).route?.path;
  if (typeof route !== 'string') return req.baseUrl.toLowerCase() || 'unmatched';
  // By the time an error reaches the app's handler, express has put baseUrl back to the app's own (''): the
  // router's mount path is the part of the URL before the segments that the route pattern matched.
  const matched = route.split('/').filter(Boolean).length;
  const url = `${req.baseUrl}${req.path}`.split('/').filter(Boolean);
  const mount = url
    .slice(0, Math.max(0, url.length - matched))
    .join('/')
    .toLowerCase();
  return `${mount ? `/${mount}` : ''}${route === '/' ? '' : route}` || '/';
}
