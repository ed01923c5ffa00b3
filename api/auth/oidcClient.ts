// The office's identity provider, as openid-client sees it: discovered when first needed (and again after a
// failed discovery, so an identity provider that was down at start-up does not need a restart), asked for the
// authorization URL of a sign-in, and at the callback for the code exchange with every check openid-client
// makes: state, the issuer (RFC 9207) where sent, PKCE at the token endpoint, and the ID token's signature,
// issuer, audience, expiry and nonce.
import * as oidc from 'openid-client';
import type { Config, OidcLinkBy } from '../../infra/config';
import { ApiError } from '../http/errors';

/** Single sign-on as configured; undefined when it is off (no CLAIMFLOW_OIDC_ISSUER). */
export interface OidcSettings {
  issuer: string;
  clientId: string;
  clientSecret?: string;
  /** the fixed redirect URL; unset: the callback on the origin the browser used */
  redirectUrl?: string;
  providerName: string;
  scopes: string;
  linkBy: OidcLinkBy;
}

export function oidcSettings(config: Config): OidcSettings | undefined {
  if (!config.oidcIssuer || !config.oidcClientId) return undefined;
  const scopes = config.oidcScopes.split(/\s+/).filter(Boolean);
  return {
    issuer: config.oidcIssuer,
    clientId: config.oidcClientId,
    clientSecret: config.oidcClientSecret,
    redirectUrl: config.oidcRedirectUrl,
    providerName: config.oidcProviderName,
    scopes: [...new Set(['openid', ...scopes])].join(' '),
    linkBy: config.oidcLinkBy,
  };
}

/** The identity provider could not be reached or did not answer as one: a retry may work. */
export class SsoUnavailableError extends ApiError {
  override readonly retryAfterS = 10;
  /** openid-client's code for what failed, for the log */
  constructor(readonly reason?: string) {
    super(503, 'SSO_UNAVAILABLE', 'the identity provider cannot be reached just now; try again shortly, or sign in with a password');
  }
}

/** The sign-in came back but does not hold up (state, code, PKCE, ID token or nonce), or the provider refused it. */
export class SsoFailedError extends ApiError {
  constructor(
    message = 'the single sign-on could not be verified; start it again from the sign-in page',
    code = 'SSO_FAILED',
    /** openid-client's or the provider's code for what failed, for the log (never a value) */
    readonly reason?: string,
  ) {
    super(401, code, message);
  }
}

/** Who the identity provider says signed in, after every check. */
export interface VerifiedIdentity {
  issuer: string;
  subject: string;
  email?: string;
  emailVerified: boolean;
  username?: string;
}

export interface AuthorizationChecks {
  state: string;
  nonce: string;
  codeVerifier: string;
}

/** After a failed discovery, requests within this long fail at once rather than each waiting for the provider. */
const DISCOVERY_RETRY_MS = 5_000;
/** seconds openid-client waits for each request to the provider */
const PROVIDER_TIMEOUT_S = 10;

export class OidcClient {
  private discovered?: Promise<oidc.Configuration>;
  private failedAt = -Infinity;

  constructor(
    readonly settings: OidcSettings,
    private readonly now: () => number = Date.now,
  ) {}

  /** The provider's configuration: discovered once; a failure is forgotten after DISCOVERY_RETRY_MS. */
  private configuration(): Promise<oidc.Configuration> {
    if (!this.discovered) {
      if (this.now() - this.failedAt < DISCOVERY_RETRY_MS) return Promise.reject(new SsoUnavailableError());
      const { issuer, clientId, clientSecret } = this.settings;
      const insecure = new URL(issuer).protocol === 'http:'; // loopback only: infra/config.ts refuses other http issuers
      this.discovered = oidc
        .discovery(
          new URL(issuer),
          clientId,
          clientSecret,
          clientSecret === undefined ? oidc.None() : oidc.ClientSecretPost(clientSecret),
          {
            timeout: PROVIDER_TIMEOUT_S,
            execute: insecure ? [oidc.allowInsecureRequests] : [],
          },
        )
        .catch((err: unknown) => {
          this.discovered = undefined;
          this.failedAt = this.now();
          throw new SsoUnavailableError(reasonOf(err));
        });
    }
    return this.discovered;
  }

  /** Where the browser goes to sign in: the authorization request with state, nonce and the PKCE S256 challenge. */
  async authorizationUrl(redirectUri: string, checks: AuthorizationChecks): Promise<URL> {
    const config = await this.configuration();
    return oidc.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope: this.settings.scopes,
      state: checks.state,
      nonce: checks.nonce,
      code_challenge: await oidc.calculatePKCECodeChallenge(checks.codeVerifier),
      code_challenge_method: 'S256',
    });
  }

  /**
   * The callback's answer (`callbackUrl`: the redirect URI with the query the provider sent) checked and exchanged
   * for tokens; then who signed in, from the ID token, and from UserInfo for what the ID token leaves out.
   */
  async exchange(callbackUrl: URL, checks: AuthorizationChecks): Promise<VerifiedIdentity> {
    const config = await this.configuration();
    let tokens: Awaited<ReturnType<typeof oidc.authorizationCodeGrant>>;
    try {
      tokens = await oidc.authorizationCodeGrant(config, callbackUrl, {
        expectedState: checks.state,
        expectedNonce: checks.nonce,
        pkceCodeVerifier: checks.codeVerifier,
        idTokenExpected: true,
      });
    } catch (err) {
      throw exchangeFailure(err);
    }
    const claims = tokens.claims();
    if (!claims) throw new SsoFailedError(undefined, undefined, 'no ID token');
    let profile: Record<string, unknown> = claims;
    if ((claims.email === undefined || claims.preferred_username === undefined) && config.serverMetadata().userinfo_endpoint) {
      try {
        // the expected subject makes openid-client refuse UserInfo about anyone else
        profile = { ...(await oidc.fetchUserInfo(config, tokens.access_token, claims.sub)), ...claims };
      } catch (err) {
        throw exchangeFailure(err);
      }
    }
    return {
      issuer: claims.iss,
      subject: claims.sub,
      email: typeof profile.email === 'string' ? profile.email : undefined,
      // Entra ID has no email_verified; its optional claim xms_edov says the e-mail's domain is the tenant's own, verified.
      emailVerified: profile.email_verified === true || profile.xms_edov === true,
      username: typeof profile.preferred_username === 'string' ? profile.preferred_username : undefined,
    };
  }
}

/** openid-client's code for a failure, or the error's name: what the log may say about it. */
function reasonOf(err: unknown): string {
  if (err instanceof oidc.AuthorizationResponseError || err instanceof oidc.ResponseBodyError) return err.error;
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string') return code;
  return err instanceof Error ? err.name : typeof err;
}

/** What a failed code exchange means for the caller: the provider out of reach, its refusal, or a sign-in that does not hold up. */
function exchangeFailure(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  const reason = reasonOf(err);
  if (err instanceof oidc.AuthorizationResponseError) {
    const refusal =
      err.error === 'access_denied'
        ? 'the sign-in was cancelled or refused at the identity provider'
        : 'the identity provider refused the sign-in';
    return new SsoFailedError(
      `${refusal} (${err.error.slice(0, 60)}); start it again from the sign-in page`,
      'SSO_REFUSED_BY_PROVIDER',
      reason,
    );
  }
  // fetch's own failure (refused, reset, DNS) or openid-client's timeout: nothing about the sign-in was decided
  const cause = (err as { cause?: unknown } | null)?.cause;
  if (reason === 'OAUTH_TIMEOUT' || err instanceof TypeError || cause instanceof TypeError) return new SsoUnavailableError(reason);
  return new SsoFailedError(undefined, undefined, reason);
}
