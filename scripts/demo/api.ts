// A thin client of claimflow's HTTP API for the demo: JSON in and out, the caller named by X-User-Id.
export interface ApiResponse<T = any> {
  status: number;
  body: T;
}

export class DemoApi {
  constructor(readonly baseUrl: string) {}

  async call<T = any>(method: string, path: string, userId: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse<T>> {
    const res = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: { 'content-type': 'application/json', 'x-user-id': userId, ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await res.text();
    let parsed: any;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = { raw: text };
    }
    return { status: res.status, body: parsed };
  }

  get<T = any>(path: string, userId: string) {
    return this.call<T>('GET', path, userId);
  }

  post<T = any>(path: string, userId: string, body: unknown, headers?: Record<string, string>) {
    return this.call<T>('POST', path, userId, body, headers);
  }
}

/** The message of an API error body, for a log line. */
export const errorText = (r: ApiResponse): string =>
  r.body?.error ? `${r.status} ${r.body.error.code}: ${r.body.error.message}` : `HTTP ${r.status}`;
