// The one way screens talk to the API: the session cookie (the browser sends it: same origin, HttpOnly, never
// seen by this code) and the session's CSRF token on every request that changes something, JSON in and out, and
// every failure as an ApiError carrying the API's own { code, message, field } so screens can say it plainly. A
// 401 means the session has ended: the workspace goes back to sign-in.

/** The session's CSRF token, in memory only: GET /api/auth/session hands it out again after a reload. */
let csrfToken: string | null = null;
let onSessionEnded: (() => void) | undefined;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called when the API answers 401 to a signed-in call: the session ended (idle, lifetime, signed out elsewhere). */
export function whenSessionEnds(handler: (() => void) | undefined): void {
  onSessionEnded = handler;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
    readonly body?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  signal?: AbortSignal;
  /** a 401 is the answer itself (signing in), not the end of the session */
  expect401?: boolean;
  /** more request headers, e.g. Idempotency-Key */
  headers?: Record<string, string>;
  /** the media type of a body that is not JSON (a file's text, e.g. text/csv): the body is then sent as it is */
  contentType?: string;
}

export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const method = options.method ?? (options.body === undefined ? 'GET' : 'POST');
  const headers: Record<string, string> = { ...options.headers, Accept: 'application/json' };
  if (options.body !== undefined) headers['Content-Type'] = options.contentType ?? 'application/json';
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      body: options.body === undefined ? undefined : options.contentType ? String(options.body) : JSON.stringify(options.body),
      signal: options.signal,
      credentials: 'same-origin',
    });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw new ApiError(0, 'NETWORK', 'claimflow could not be reached; check the connection and try again');
  }
  const text = await res.text();
  const body = text ? safeJson(text) : undefined;
  if (res.status === 401 && !options.expect401) onSessionEnded?.();
  if (!res.ok) {
    const e = (body as { error?: { code?: string; message?: string; field?: string } } | undefined)?.error;
    throw new ApiError(res.status, e?.code ?? `HTTP_${res.status}`, e?.message ?? res.statusText, e?.field, body);
  }
  return body as T;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return { error: { code: 'BAD_RESPONSE', message: text.slice(0, 200) } };
  }
}

/** Query string from a filter object, leaving out empty values. */
export function query(params: Record<string, string | number | boolean | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null || v === '') continue;
    q.set(k, String(v));
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}
