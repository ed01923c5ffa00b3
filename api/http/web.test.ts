// The workspace is served beside the API: / is index.html, assets are files, /api/* never reaches it, and a
// missing build answers a plain 503 that says how to build it.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webWorkspace } from './web';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'claimflow-web-'));
let server: http.Server;
let base: string;

beforeAll(async () => {
  const app = express();
  app.use(webWorkspace(dir));
  app.use((req, res) => res.status(404).json({ error: { code: 'NOT_FOUND', message: `no route for ${req.method} ${req.path}` } }));
  server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('the web workspace route', () => {
  it('answers 503 with the build command while web/dist is missing', async () => {
    const res = await fetch(`${base}/`);
    expect(res.status).toBe(503);
    expect(res.headers.get('content-type')).toMatch(/text\/plain/);
    expect(await res.text()).toBe('web workspace not built: run npm run build:web\n');
  });

  it('serves index.html at / and the built assets, uncached and immutable respectively', async () => {
    fs.mkdirSync(path.join(dir, 'assets'), { recursive: true });
    fs.writeFileSync(
      path.join(dir, 'index.html'),
      '<!doctype html><div id="root"></div><script type="module" src="/assets/app-abc123.js"></script>',
    );
    fs.writeFileSync(path.join(dir, 'assets', 'app-abc123.js'), 'console.log(1)');
    const page = await fetch(`${base}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(page.headers.get('cache-control')).toBe('no-cache');
    expect(await page.text()).toContain('/assets/app-abc123.js');
    const asset = await fetch(`${base}/assets/app-abc123.js`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toMatch(/javascript/);
    expect(asset.headers.get('cache-control')).toMatch(/immutable/);
  });

  it('leaves /api/* and unknown paths to the routes after it', async () => {
    fs.mkdirSync(path.join(dir, 'api'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'api', 'health'), 'a file that must never shadow the API');
    const api = await fetch(`${base}/api/health`);
    expect(api.status).toBe(404);
    expect((await api.json()).error.message).toBe('no route for GET /api/health');
    const other = await fetch(`${base}/no/such/page`);
    expect(other.status).toBe(404);
    const post = await fetch(`${base}/`, { method: 'POST' });
    expect(post.status).toBe(404);
  });
});
