import type { IncomingMessage, ServerResponse } from 'node:http';
import { DiscoveryError, ErrorCodes } from '@oauth-discovery/core';
import { authorizationServerMetadata } from '../documents.js';
import { listenLoopback, logRequest, readBody, sendJson } from '../http-util.js';
import type { RequestLogEntry } from '../world-types.js';
import { authenticateClient, redirectUriAllowed, registerClient } from './clients.js';
import { createTokenState, handleTokenRequest, opaque, resourceProblem, type TokenState } from './token.js';
import type { AuthorizationServerHandle, AuthorizationServerOptions, RegisteredClient } from './types.js';

const NO_STORE = { 'cache-control': 'no-store' };

function buildMetadata(
  options: AuthorizationServerOptions,
  issuer: string,
  endpointBase: string,
): Record<string, unknown> {
  const document = authorizationServerMetadata({
    issuer,
    endpointBase,
    registration: options.registration !== 'unadvertised',
    codeChallengeMethods: options.pkceAdvertised === false ? null : ['S256'],
    ...(options.scopes ? { scopes: options.scopes } : {}),
    extra: {
      introspection_endpoint: `${endpointBase}/introspect`,
      ...(options.issParameter === false ? {} : { authorization_response_iss_parameter_supported: true }),
    },
  });
  for (const [key, value] of Object.entries(options.metadata ?? {})) {
    if (value === undefined) delete document[key];
    else document[key] = value;
  }
  return document;
}

interface Context {
  readonly options: AuthorizationServerOptions;
  readonly issuer: string;
  readonly clients: Map<string, RegisteredClient>;
  readonly state: TokenState;
}

/**
 * `/authorize` with automatic approval: validates client and redirect URI (errors there are shown,
 * never redirected), then redirects to the client with `code`, `state` and (RFC 9207) `iss`, or with an
 * RFC 6749 §4.1.2.1 error.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2
 */
function authorize(ctx: Context, url: URL, res: ServerResponse): void {
  const q = url.searchParams;
  const client = ctx.clients.get(q.get('client_id') ?? '');
  const redirectUri = q.get('redirect_uri') ?? client?.redirect_uris[0];
  if (!client || redirectUri === undefined || !redirectUriAllowed(client, redirectUri)) {
    sendJson(res, 400, {
      error: 'invalid_request',
      error_description: client ? `redirect_uri ${redirectUri} is not registered` : 'unknown client_id',
    });
    return;
  }
  const back = new URL(redirectUri);
  const state = q.get('state');
  const reply = (fields: Record<string, string>) => {
    for (const [key, value] of Object.entries(fields)) back.searchParams.set(key, value);
    if (state !== null) back.searchParams.set('state', state);
    if (ctx.options.issParameter !== false) back.searchParams.set('iss', ctx.issuer);
    res.writeHead(302, { location: back.href, ...NO_STORE });
    res.end();
  };
  if (q.get('response_type') !== 'code') {
    reply({ error: 'unsupported_response_type', error_description: 'only response_type=code' });
    return;
  }
  const challenge = q.get('code_challenge') ?? undefined;
  const method = q.get('code_challenge_method') ?? (challenge === undefined ? undefined : 'plain');
  if (challenge === undefined && ctx.options.requirePkce !== false) {
    reply({ error: 'invalid_request', error_description: 'code_challenge (PKCE S256) is required' });
    return;
  }
  if (challenge !== undefined && method !== 'S256') {
    reply({ error: 'invalid_request', error_description: 'only code_challenge_method=S256 is supported' });
    return;
  }
  const resource = q.get('resource') ?? undefined;
  if (resource !== undefined) {
    ctx.state.resourcesSeen.push(resource);
    const problem = resourceProblem(resource, ctx.options.resources);
    if (problem) {
      reply({ error: 'invalid_target', error_description: problem });
      return;
    }
  }
  const code = opaque('code');
  ctx.state.codes.set(code, {
    clientId: client.client_id,
    redirectUri,
    codeChallenge: challenge,
    scopes: (q.get('scope') ?? '').split(' ').filter(Boolean),
    resource,
    subject: ctx.options.subject ?? 'testkit-user',
    expiresAt: Date.now() + 60_000,
    used: false,
  });
  reply({ code });
}

async function token(ctx: Context, req: IncomingMessage, res: ServerResponse, failRefresh: () => boolean) {
  const form = new URLSearchParams(await readBody(req));
  const auth = authenticateClient(ctx.clients, req, form);
  if (!auth.ok) {
    sendJson(
      res,
      401,
      { error: auth.error, error_description: auth.description },
      {
        ...NO_STORE,
        ...(auth.basic ? { 'www-authenticate': 'Basic realm="token"' } : {}),
      },
    );
    return;
  }
  const answer = handleTokenRequest(
    ctx.state,
    {
      accessTokenTtlSeconds: ctx.options.accessTokenTtlSeconds ?? 3600,
      rotateRefreshTokens: ctx.options.rotateRefreshTokens ?? true,
      failRefresh,
      tokenError: ctx.options.tokenError,
      resources: ctx.options.resources,
    },
    auth.client,
    form,
  );
  sendJson(res, answer.status, answer.body, { ...NO_STORE, pragma: 'no-cache' });
}

async function register(ctx: Context, req: IncomingMessage, res: ServerResponse) {
  const text = await readBody(req);
  if (ctx.options.registration === false) {
    sendJson(res, 403, {
      error: 'access_denied',
      error_description: 'dynamic client registration is disabled',
    });
    return;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    sendJson(res, 400, { error: 'invalid_client_metadata', error_description: 'body is not JSON' });
    return;
  }
  const outcome = registerClient(parsed);
  if (outcome.status === 201) ctx.clients.set(outcome.client.client_id, outcome.client);
  sendJson(res, outcome.status, outcome.body, NO_STORE);
}

/**
 * Starts a small, real OAuth 2.1 authorization server on loopback for shapes `oidc-provider` cannot take:
 * a foreign or odd `issuer`, metadata at chosen paths, no PKCE advertisement, registration refused,
 * forced token errors, short-lived tokens and failing refreshes. `/authorize` approves automatically.
 *
 * Endpoints (under `basePath`): `/authorize`, `/token`, `/register`, `/introspect` (RFC 7662, unauthenticated).
 *
 * @see https://www.rfc-editor.org/rfc/rfc8414#section-3
 * @see https://www.rfc-editor.org/rfc/rfc6749
 * @see https://www.rfc-editor.org/rfc/rfc7591
 */
export async function startAuthorizationServer(
  options: AuthorizationServerOptions = {},
): Promise<AuthorizationServerHandle> {
  const basePath = (options.basePath ?? '').replace(/\/$/, '');
  if (basePath !== '' && !basePath.startsWith('/')) {
    throw new DiscoveryError(
      ErrorCodes.INVALID_CONFIG,
      'startAuthorizationServer: basePath must start with "/"',
      {
        expected: '/…',
        actual: options.basePath,
      },
    );
  }
  const log: RequestLogEntry[] = [];
  const started = performance.now();
  let ctx: Context | undefined;
  let failRefresh = options.failRefresh ?? false;
  let metadata: Record<string, unknown> = {};
  let metadataPaths: readonly string[] = [];

  const loopback = await listenLoopback(options.host ?? '127.0.0.1', (req, res) => {
    if (!ctx) {
      sendJson(res, 503, { error: 'temporarily_unavailable' });
      return;
    }
    logRequest(log, loopback.origin, 'as', started, req, res);
    const url = new URL(req.url ?? '/', loopback.origin);
    const local = url.pathname.startsWith(basePath) ? url.pathname.slice(basePath.length) : undefined;
    const fail = (error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { error: 'server_error', error_description: String(error) });
    };
    if (req.method === 'GET' && metadataPaths.includes(url.pathname)) sendJson(res, 200, metadata);
    else if (req.method === 'GET' && local === '/authorize') authorize(ctx, url, res);
    else if (req.method === 'POST' && local === '/token') token(ctx, req, res, () => failRefresh).catch(fail);
    else if (req.method === 'POST' && local === '/register' && options.registration !== 'unadvertised') {
      register(ctx, req, res).catch(fail);
    } else if (req.method === 'POST' && local === '/introspect') {
      readBody(req)
        .then((body) => {
          const issued = ctx?.state.accessTokens.get(new URLSearchParams(body).get('token') ?? '');
          const active = issued !== undefined && issued.expiresAt > Date.now() / 1000;
          sendJson(
            res,
            200,
            active
              ? {
                  active,
                  sub: issued.subject,
                  scope: issued.scopes.join(' '),
                  exp: issued.expiresAt,
                  client_id: issued.clientId,
                }
              : { active: false },
          );
        })
        .catch(fail);
    } else {
      req.resume();
      sendJson(res, 404, { error: 'not_found' });
    }
  });

  const endpointBase = loopback.origin + basePath;
  const issuer =
    typeof options.issuer === 'function' ? options.issuer(loopback.origin) : (options.issuer ?? endpointBase);
  metadata = buildMetadata(options, issuer, endpointBase);
  metadataPaths = options.metadataPaths ?? [`/.well-known/oauth-authorization-server${basePath}`];
  const clients = new Map<string, RegisteredClient>((options.clients ?? []).map((c) => [c.client_id, c]));
  const state = createTokenState();
  ctx = { options, issuer, clients, state };

  return {
    origin: loopback.origin,
    issuer,
    metadataUrl: metadataPaths[0] === undefined ? undefined : loopback.origin + metadataPaths[0],
    metadata,
    url: (path) => loopback.origin + path,
    introspect: (value) => {
      const issued = state.accessTokens.get(value);
      if (!issued || issued.expiresAt <= Date.now() / 1000) return Promise.resolve(null);
      return Promise.resolve(issued);
    },
    requests: log,
    count: (path) => log.filter((entry) => entry.path === path).length,
    clients,
    issuedTokens: state.issued,
    resourcesSeen: state.resourcesSeen,
    get failRefresh() {
      return failRefresh;
    },
    set failRefresh(value: boolean) {
      failRefresh = value;
    },
    close: () => loopback.close(),
  };
}
