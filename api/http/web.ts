// The web workspace (web/dist, built by `npm run build:web` and the install step) served beside the API.
// Plain middleware, not routes: the page and its assets hold no data and need no token (everything the
// workspace shows comes from /api, which checks the token), and /api/* never reaches this.
import fs from 'node:fs';
import path from 'node:path';
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { isApiPath } from './securityHeaders';

export const WEB_DIST = path.resolve(import.meta.dirname, '..', '..', 'web', 'dist');

const NOT_BUILT = 'web workspace not built: run npm run build:web\n';

/** Static files of the built workspace; `/` is index.html (hash routes need no other fallback). */
export function webWorkspace(dist: string = WEB_DIST): RequestHandler {
  const statics = express.static(dist, { index: false, fallthrough: true, maxAge: 0 });
  const indexFile = path.join(dist, 'index.html');
  return (req: Request, res: Response, next: NextFunction) => {
    if (isApiPath(req.path)) return next();
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    if (req.path === '/' || req.path === '/index.html') {
      // Checked per request: a build finishing after start is picked up without a restart.
      if (!fs.existsSync(indexFile)) {
        res.status(503).type('text/plain').send(NOT_BUILT);
        return;
      }
      // index.html names the hashed asset files of the current build: never cache it.
      res.setHeader('Cache-Control', 'no-cache');
      res.sendFile(indexFile);
      return;
    }
    if (req.path.startsWith('/assets/')) {
      // Vite puts a content hash in every asset name, so a cached asset can never be stale.
      res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
    }
    statics(req, res, next);
  };
}
