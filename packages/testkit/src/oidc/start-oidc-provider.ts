/// <reference path="./oidc-provider.d.ts" />
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { DiscoveryError, ErrorCodes } from '@oauth-discovery/core';
import type { ProviderInstance } from 'oidc-provider';
import type { TokenInfo } from '../token-info.js';
import { followInternally, INTERNAL_HEADER } from './headless.js';
import { signingKey, verifyRs256 } from './jwt.js';
import { createMemoryAdapterFactory } from './memory-adapter.js';

/** RFC 7591 client metadata as oidc-provider takes it (`client_id` required for pre-registered clients). */
export type ClientMetadata = Readonly<Record<string, unknown>> & { readonly client_id: string };

/** A protected resource (RFC 8707 resource indicator) the provider issues JWT access tokens for. */
export interface ResourceServerConfig {
  /** Space-separated scopes of this resource. */
  readonly scope: string;
  /** `aud` of its access tokens; default the resource URL itself. */
  readonly audience?: string;
}

/** Options of {@link startOidcProvider}. */
export interface OidcProviderOptions {
  /** Loopback address to listen on. Default `127.0.0.1`. */
  readonly host?: string;
  /** Path issuer (e.g. `/oidc`): the provider is mounted there; default none (issuer = origin). */
  readonly issuerPath?: string;
  /** Pre-registered clients. */
  readonly clients?: readonly ClientMetadata[];
  /** Open dynamic client registration at `<issuer>/reg` (RFC 7591). Default `true`. */
  readonly registration?: boolean;
  /** OpenID scopes (besides resource scopes). Default `['openid', 'offline_access', 'profile', 'email']`. */
  readonly scopes?: readonly string[];
  /**
   * RFC 8707 resource servers, keyed by resource URL, or a lookup (for resources whose URL is known only
   * later). Unknown `resource` values are refused (`invalid_target`).
   */
  readonly resourceServers?:
    | Readonly<Record<string, ResourceServerConfig>>
    | ((resource: string) => ResourceServerConfig | undefined);
  /** Finish login and consent programmatically (fixed account, everything requested granted). Default `true`. */
  readonly autoApprove?: boolean;
  /** The account that auto-approval logs in. Default `testkit-user`. */
  readonly accountId?: string;
  /** Access token lifetime. Default 3600. */
  readonly accessTokenTtlSeconds?: number;
  /** Enable the client credentials grant (RFC 6749 §4.4) for clients allowed it. Default `false`. */
  readonly clientCredentials?: boolean;
  /** Token endpoint client authentication methods (`token_endpoint_auth_methods_supported`). Default oidc-provider's. */
  readonly clientAuthMethods?: readonly string[];
  /**
   * DPoP (RFC 9449) is on, as oidc-provider has it by default (ES256 and EdDSA proofs, bound tokens
   * for requests with a proof). `requireNonce`: every proof must carry the server's nonce (§8).
   */
  readonly dpop?: { readonly requireNonce?: boolean; readonly algorithms?: readonly string[] };
}

/** A running oidc-provider. */
export interface OidcProviderHandle {
  /** The issuer identifier (origin, plus `issuerPath`). */
  readonly issuer: string;
  /** `<issuer>/.well-known/openid-configuration`. */
  readonly metadataUrl: string;
  /**
   * `<issuer>/.well-known/oauth-authorization-server`: oidc-provider serves the same document there,
   * always *appended* to the issuer — for a path issuer the RFC 8414 path-inserted URL is 404.
   */
  readonly oauthMetadataUrl: string;
  /** The oidc-provider instance (for events and advanced tests). */
  readonly provider: ProviderInstance;
  readonly accountId: string;
  /**
   * Verifies an access token it issued: a JWT for a resource server (signature, expiry, optional
   * audience) or an opaque token (looked up in memory). `null` when invalid.
   */
  verifyAccessToken(token: string, audience?: string): Promise<TokenInfo | null>;
  close(): Promise<void>;
}

const DEFAULT_SCOPES = ['openid', 'offline_access', 'profile', 'email'];
let providerModule: Promise<typeof import('oidc-provider')> | undefined;

/** Loads oidc-provider once, dropping only its "Unsupported runtime" notice (Node 20 works for our use). */
function loadOidcProvider(): Promise<typeof import('oidc-provider')> {
  providerModule ??= (async () => {
    const warn = console.warn;
    console.warn = (...args: unknown[]) => {
      if (typeof args[0] === 'string' && args[0].includes('oidc-provider WARNING: Unsupported runtime'))
        return;
      warn(...args);
    };
    try {
      return await import('oidc-provider');
    } finally {
      console.warn = warn;
    }
  })();
  return providerModule;
}

function listen(server: ReturnType<typeof createServer>, host: string): Promise<number> {
  return new Promise((done, fail) => {
    server.once('error', fail);
    server.listen(0, host, () => done((server.address() as AddressInfo).port));
  });
}

function strings(value: unknown): string[] {
  if (typeof value === 'string') return value.split(' ').filter(Boolean);
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

async function finishInteraction(
  provider: ProviderInstance,
  accountId: string,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const details = await provider.interactionDetails(req, res);
  if (details.prompt.name === 'login') {
    await provider.interactionFinished(
      req,
      res,
      { login: { accountId } },
      { mergeWithLastSubmission: false },
    );
    return;
  }
  const clientId = String(details.params.client_id);
  const grant = details.grantId
    ? ((await provider.Grant.find(details.grantId)) ?? new provider.Grant({ accountId, clientId }))
    : new provider.Grant({ accountId, clientId });
  const missing = details.prompt.details;
  if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
  if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
  for (const [resource, scopes] of Object.entries(missing.missingResourceScopes ?? {})) {
    grant.addResourceScope(resource, scopes.join(' '));
  }
  const grantId = await grant.save();
  await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
}

/**
 * Starts `oidc-provider` 9 — a certified OpenID Provider — on loopback `http`, with PKCE S256 required,
 * refresh tokens for clients allowed the `refresh_token` grant, RFC 8707 resource indicators issuing JWT
 * access tokens, open dynamic registration, and (by default) headless auto-approval: a client that just
 * follows the authorization endpoint's redirect gets the code, no cookies or browser needed.
 *
 * oidc-provider serves its metadata at `<issuer>/.well-known/openid-configuration` and the same document at
 * `<issuer>/.well-known/oauth-authorization-server` (appended, so for a path issuer the RFC 8414
 * path-inserted URL `/.well-known/oauth-authorization-server/<path>` is 404).
 *
 * @see https://openid.net/specs/openid-connect-discovery-1_0.html#ProviderConfig
 * @see https://www.rfc-editor.org/rfc/rfc8707
 */
export async function startOidcProvider(options: OidcProviderOptions = {}): Promise<OidcProviderHandle> {
  const host = options.host ?? '127.0.0.1';
  const mount = (options.issuerPath ?? '').replace(/\/$/, '');
  if (mount !== '' && !mount.startsWith('/')) {
    throw new DiscoveryError(ErrorCodes.INVALID_CONFIG, `startOidcProvider: issuerPath must start with "/"`, {
      expected: '/…',
      actual: options.issuerPath,
    });
  }
  const accountId = options.accountId ?? 'testkit-user';
  const autoApprove = options.autoApprove ?? true;
  const resourceServers = options.resourceServers ?? {};
  const [{ Provider, errors }, key] = await Promise.all([loadOidcProvider(), signingKey()]);

  let handler: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => {
    res.statusCode = 503;
    res.end();
  };
  const server = createServer((req, res) => handler(req, res));
  const sockets = new Set<Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  const port = await listen(server, host);
  const origin = `http://${host}:${port}`;
  const issuer = `${origin}${mount}`;

  const provider = new Provider(issuer, {
    adapter: createMemoryAdapterFactory(),
    clients: options.clients ?? [],
    jwks: { keys: [key.privateJwk] },
    cookies: { keys: [randomBytes(32).toString('hex')] },
    scopes: [...(options.scopes ?? DEFAULT_SCOPES)],
    pkce: { required: () => true },
    // oidc-provider's configuration merge skips undefined values: its defaults apply then.
    clientAuthMethods: options.clientAuthMethods?.slice(),
    enabledJWA: { dPoPSigningAlgValues: options.dpop?.algorithms?.slice() },
    findAccount: (_ctx: unknown, id: string) => ({
      accountId: id,
      claims: () => ({ sub: id, name: 'Testkit User', email: `${id}@example.test` }),
    }),
    claims: { openid: ['sub'], profile: ['name'], email: ['email'] },
    interactions: {
      url: (_ctx: unknown, interaction: { uid: string }) => `${mount}/interaction/${interaction.uid}`,
    },
    issueRefreshToken: (_ctx: unknown, client: { grantTypeAllowed(grant: string): boolean }) =>
      client.grantTypeAllowed('refresh_token'),
    expiresWithSession: () => false,
    ttl: {
      AccessToken: options.accessTokenTtlSeconds ?? 3600,
      AuthorizationCode: 60,
      ClientCredentials: options.accessTokenTtlSeconds ?? 3600,
      Grant: 14 * 24 * 3600,
      IdToken: 3600,
      Interaction: 600,
      RefreshToken: 14 * 24 * 3600,
      Session: 14 * 24 * 3600,
    },
    features: {
      devInteractions: { enabled: false },
      registration: { enabled: options.registration ?? true },
      revocation: { enabled: true },
      dPoP: {
        enabled: true,
        ...(options.dpop?.requireNonce === true
          ? { nonceSecret: randomBytes(32), requireNonce: () => true }
          : {}),
      },
      clientCredentials: { enabled: options.clientCredentials ?? false },
      introspection: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: (_ctx: unknown, _client: unknown, oneOf?: string[]) => oneOf,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx: unknown, resource: string) => {
          const config =
            typeof resourceServers === 'function'
              ? resourceServers(resource)
              : Object.hasOwn(resourceServers, resource)
                ? resourceServers[resource]
                : undefined;
          if (!config) throw new errors.InvalidTarget(`unknown resource ${resource}`);
          return {
            scope: config.scope,
            audience: config.audience ?? resource,
            accessTokenTTL: options.accessTokenTtlSeconds ?? 3600,
            accessTokenFormat: 'jwt',
            jwt: { sign: { alg: 'RS256' } },
          };
        },
      },
    },
  });
  const callback = provider.callback();

  handler = (req, res) => {
    const url = req.url ?? '/';
    if (mount !== '' && url !== mount && !url.startsWith(`${mount}/`) && !url.startsWith(`${mount}?`)) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'not_found' }));
      return;
    }
    const local = url.slice(mount.length) || '/';
    const internal = req.headers[INTERNAL_HEADER] === '1';
    if (local.startsWith('/interaction/')) {
      if (!autoApprove) {
        res.writeHead(403, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: 'interaction_required', error_description: 'a person must log in' }));
        return;
      }
      finishInteraction(provider, accountId, req, res).catch((error: unknown) => {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: 'server_error', error_description: String(error) }));
      });
      return;
    }
    if (
      autoApprove &&
      !internal &&
      req.method === 'GET' &&
      (local === '/auth' || local.startsWith('/auth?'))
    ) {
      followInternally(new URL(url, origin))
        .then((answer) => {
          const { 'set-cookie': _dropped, 'transfer-encoding': _te, ...headers } = answer.headers;
          res.writeHead(answer.status, headers);
          res.end(answer.body);
        })
        .catch((error: unknown) => {
          res.writeHead(500, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: 'server_error', error_description: String(error) }));
        });
      return;
    }
    if (mount !== '') {
      (req as IncomingMessage & { originalUrl?: string }).originalUrl = url;
      req.url = local;
    }
    callback(req, res);
  };

  return {
    issuer,
    metadataUrl: `${issuer}/.well-known/openid-configuration`,
    oauthMetadataUrl: `${issuer}/.well-known/oauth-authorization-server`,
    provider,
    accountId,
    verifyAccessToken: async (token, audience) => {
      const claims = verifyRs256(token, key.publicKey);
      if (claims) {
        const aud = strings(claims.aud);
        if (claims.iss !== issuer || (audience !== undefined && !aud.includes(audience))) return null;
        return {
          subject: String(claims.sub),
          scopes: strings(claims.scope),
          expiresAt: Number(claims.exp),
          ...(typeof claims.client_id === 'string' ? { clientId: claims.client_id } : {}),
          ...(typeof (claims.cnf as { jkt?: unknown } | undefined)?.jkt === 'string'
            ? { jkt: (claims.cnf as { jkt: string }).jkt }
            : {}),
          audience: aud,
        };
      }
      const opaque = await provider.AccessToken.find(token);
      if (!opaque || opaque.isExpired || audience !== undefined) return null;
      return {
        subject: opaque.accountId,
        scopes: strings(opaque.scope),
        expiresAt: opaque.exp,
        clientId: opaque.clientId,
        ...(typeof opaque.jkt === 'string' ? { jkt: opaque.jkt } : {}),
      };
    },
    close: () =>
      new Promise<void>((done) => {
        server.close(() => done());
        for (const socket of sockets) socket.destroy();
        server.closeAllConnections();
      }),
  };
}
