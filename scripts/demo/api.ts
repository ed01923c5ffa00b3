// A thin client of claimflow's HTTP API for the demo: JSON in and out, each scripted user with its own bearer token.
export interface ApiResponse<T = any> {
  status: number;
  body: T;
}

export class DemoApi {
  constructor(
    readonly baseUrl: string,
    private readonly tokens: ReadonlyMap<string, string>,
  ) {}

  async call<T = any>(
    method: string,
    path: string,
    userId: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<ApiResponse<T>> {
    const res = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${this.tokenFor(userId)}`, ...headers },
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

  private tokenFor(userId: string): string {
    const token = this.tokens.get(userId);
    if (!token) throw new Error(`the demo has no token for ${userId}`);
    return token;
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
