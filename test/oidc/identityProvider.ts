// For the single sign-on tests: the identity provider of test/oidc/provider.ts as a child process, and a browser
// reduced to what the sign-in needs (a cookie jar per origin, redirects followed by hand, forms posted).
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import type { ProviderOptions } from './provider';

const ROOT = path.resolve(import.meta.dirname, '..', '..');

export interface IdentityProvider {
  issuer: string;
  stop(): Promise<void>;
}

/** Starts the provider process and waits for its issuer URL (it listens on a free loopback port). */
export async function startIdentityProvider(options: ProviderOptions): Promise<IdentityProvider> {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', path.join('test', 'oidc', 'provider.ts'), JSON.stringify(options)],
    {
      cwd: ROOT,
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const issuer = await new Promise<string>((resolve, reject) => {
    const lines = readline.createInterface({ input: child.stdout! });
    const timer = setTimeout(() => reject(new Error(`the identity provider did not start in 30 s: ${stderr}`)), 30_000);
    lines.once('line', (line) => {
      clearTimeout(timer);
      resolve((JSON.parse(line) as { issuer: string }).issuer);
    });
    child.once('exit', (code) => reject(new Error(`the identity provider exited (${code}): ${stderr}`)));
  });
  return {
    issuer,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.stdin!.end();
        setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
      }),
  };
}

export interface BrowserResponse {
  status: number;
  url: string;
  location?: string;
  headers: Headers;
  text: string;
}

/** Cookies per origin (path and expiry beyond Max-Age=0 ignored: every test flow is short), no redirect followed by itself. */
export class TestBrowser {
  readonly jar = new Map<string, Map<string, string>>();

  cookies(origin: string): Map<string, string> {
    let c = this.jar.get(origin);
    if (!c) this.jar.set(origin, (c = new Map()));
    return c;
  }

  async request(
    method: string,
    url: string,
    options: { form?: Record<string, string>; headers?: Record<string, string> } = {},
  ): Promise<BrowserResponse> {
    const target = new URL(url);
    const jar = this.cookies(target.origin);
    const headers: Record<string, string> = { ...options.headers };
    if (jar.size) headers.Cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    let body: string | undefined;
    if (options.form) {
      body = new URLSearchParams(options.form).toString();
      headers['Content-Type'] = 'application/x-www-form-urlencoded';
    }
    const res = await fetch(target, { method, headers, body, redirect: 'manual' });
    for (const cookie of res.headers.getSetCookie()) {
      const [pair, ...attributes] = cookie.split(';').map((s) => s.trim());
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const gone = attributes.some((a) => /^max-age=0$/i.test(a) || /^expires=thu, 01 jan 1970/i.test(a));
      if (gone) jar.delete(name);
      else jar.set(name, pair.slice(eq + 1));
    }
    const location = res.headers.get('location') ?? undefined;
    return {
      status: res.status,
      url: target.href,
      location: location && new URL(location, target).href,
      headers: res.headers,
      text: await res.text(),
    };
  }

  get(url: string, headers?: Record<string, string>): Promise<BrowserResponse> {
    return this.request('GET', url, { headers });
  }

  /** Follows redirects until one leads to `stopAt` (returned, not requested) or an answer is not a redirect. */
  async follow(url: string, stopAt: (url: URL) => boolean): Promise<BrowserResponse | { stoppedAt: string }> {
    let next = url;
    for (let hops = 0; hops < 10; hops++) {
      if (stopAt(new URL(next))) return { stoppedAt: next };
      const res = await this.get(next);
      if (res.status < 300 || res.status >= 400 || !res.location) return res;
      next = res.location;
    }
    throw new Error(`more than 10 redirects from ${url}`);
  }
}
