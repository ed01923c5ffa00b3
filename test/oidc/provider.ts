// A minimal OpenID Connect provider for the single sign-on tests, on the maintained `oidc-provider` library: run as
// a process of its own (`node --import tsx test/oidc/provider.ts '<json options>'`), it listens on a free loopback
// port, registers one confidential client, signs people in with a small login form against a fixed list of
// accounts (subject, password, claims) and prints `{"issuer": ...}` on stdout once it listens. Consent is
// granted by the provider itself for its one first-party client, as an office's identity provider is set up.
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { type Configuration, type KoaContextWithOIDC } from 'oidc-provider';

export interface ProviderOptions {
  client: { clientId: string; clientSecret: string; redirectUris: string[] };
  /** subject → password and the claims the provider says about them (email, email_verified, preferred_username, name) */
  accounts: Record<string, { password: string; claims: Record<string, unknown> }>;
}

const options = JSON.parse(process.argv[2] ?? '{}') as ProviderOptions;

const server = http.createServer();
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

const signingKey = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });

const configuration: Configuration = {
  clients: [
    {
      client_id: options.client.clientId,
      client_secret: options.client.clientSecret,
      redirect_uris: options.client.redirectUris,
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_post',
    },
  ],
  jwks: { keys: [{ ...signingKey, kid: 'test-key', use: 'sig', alg: 'RS256' }] },
  cookies: { keys: [crypto.randomBytes(32).toString('base64url')] },
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'preferred_username'] },
  findAccount: (_ctx, id) => {
    const account = options.accounts[id];
    if (!account) return undefined;
    return { accountId: id, claims: () => ({ sub: id, ...account.claims }) };
  },
  features: { devInteractions: { enabled: false } },
  interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
  // The office's own client needs no consent screen: a grant of what it asks for is made on the spot.
  loadExistingGrant: async (ctx: KoaContextWithOIDC) => {
    const { oidc } = ctx;
    if (!oidc.client || !oidc.session?.accountId) return undefined;
    const grantId = oidc.result?.consent?.grantId ?? oidc.session.grantIdFor(oidc.client.clientId);
    if (grantId) return oidc.provider.Grant.find(grantId);
    const grant = new oidc.provider.Grant({ clientId: oidc.client.clientId, accountId: oidc.session.accountId });
    grant.addOIDCScope('openid email profile');
    await grant.save();
    oidc.session.grantIdFor(oidc.client.clientId, grant.jti);
    return grant;
  },
};

const provider = new Provider(issuer, configuration);
const providerHandler = provider.callback();

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function loginForm(uid: string, message?: string): string {
  return (
    `<!doctype html><html><body><h1>Test identity provider</h1>${message ? `<p role="alert">${escape(message)}</p>` : ''}` +
    `<form method="post" action="/interaction/${escape(uid)}/login">` +
    '<label>Login <input name="login" autocomplete="username"></label>' +
    '<label>Password <input name="password" type="password"></label>' +
    '<button type="submit">Sign in</button></form></body></html>'
  );
}

async function readForm(req: http.IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

/** The login interaction: a form, and its submission checked against the accounts. */
async function interaction(req: http.IncomingMessage, res: http.ServerResponse, uid: string, action: string | undefined): Promise<void> {
  const details = await provider.interactionDetails(req, res);
  if (details.uid !== uid || details.prompt.name !== 'login') {
    res.writeHead(400, { 'Content-Type': 'text/plain' }).end(`unexpected interaction (${details.prompt.name})`);
    return;
  }
  if (req.method === 'GET' && action === undefined) {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(loginForm(uid));
    return;
  }
  if (req.method === 'POST' && action === 'login') {
    const form = await readForm(req);
    const login = form.get('login') ?? '';
    const account = options.accounts[login];
    if (!account || account.password !== form.get('password')) {
      res.writeHead(401, { 'Content-Type': 'text/html; charset=utf-8' }).end(loginForm(uid, 'wrong login or password'));
      return;
    }
    await provider.interactionFinished(req, res, { login: { accountId: login } }, { mergeWithLastSubmission: false });
    return;
  }
  res.writeHead(405).end();
}

server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
  const match = /^\/interaction\/([^/?]+)(?:\/(login))?(?:\?|$)/.exec(req.url ?? '');
  if (!match) {
    void providerHandler(req, res);
    return;
  }
  interaction(req, res, match[1], match[2]).catch((err: unknown) => {
    if (!res.headersSent) res.writeHead(400, { 'Content-Type': 'text/plain' });
    res.end(err instanceof Error ? err.message : 'interaction failed');
  });
});

process.stdout.write(`${JSON.stringify({ issuer })}\n`);
// The test that started it ends it; it also goes when that test's process does (its stdin closes).
process.stdin.resume();
process.stdin.on('end', () => process.exit(0));
