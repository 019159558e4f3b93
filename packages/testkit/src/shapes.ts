import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  authorizationServerMetadata,
  openIdConfiguration,
  resourceMetadataChallenge,
  unauthorized,
} from './documents.js';
import { OAUTH_AS, OIDC, oauthAtOrigin, PRM_ROOT, prmShape, shapeBase } from './prm-shape.js';
import type { ShapeOptions, WorldShape } from './shape-types.js';
import type { World } from './world-types.js';

/**
 * PRM only at the root well-known URL although the resource has a path (Figma, Jam); the 401 has no
 * `resource_metadata`. AS metadata at the `as` origin root.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9728#section-3
 */
export function prmRootWorld(options: ShapeOptions = {}): WorldShape {
  const scopes = ['mcp:tools'];
  return prmShape({
    name: 'prm-root',
    options,
    resourcePath: '/mcp',
    resourceRoute: () => unauthorized('Bearer realm="mcp"'),
    prm: { path: PRM_ROOT, scopes },
    as: oauthAtOrigin({ scopes }),
  });
}

/**
 * PRM only at the path-aware URL (Zapier); root PRM 404; the 401 has `error` but no `resource_metadata`.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9728#section-3.1
 */
export function prmPathAwareWorld(options: ShapeOptions = {}): WorldShape {
  const scopes = ['read', 'write'];
  return prmShape({
    name: 'prm-path-aware',
    options,
    resourcePath: '/v1/mcp',
    resourceRoute: () => unauthorized('Bearer error="invalid_token"'),
    prm: { scopes },
    as: oauthAtOrigin({ scopes }),
  });
}

/**
 * PRM only at the URL named by `resource_metadata` in the 401, on a third origin `prm` at a
 * non-well-known path (Asana-like); every well-known PRM URL 404s.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9728#section-5.1
 */
export function resourceMetadataHeaderWorld(options: ShapeOptions = {}): WorldShape {
  return prmShape({
    name: 'resource-metadata-header',
    options,
    resourcePath: '/mcp',
    prm: { origin: 'prm', path: '/metadata/mcp-resource.json' },
    as: oauthAtOrigin(),
  });
}

/**
 * The 401 carries `scope="files:read"` (authoritative over the PRM's wider `scopes_supported`), and any
 * request *with* a bearer token gets `403 insufficient_scope` asking for `files:read files:write`
 * (step-up).
 *
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-3.1
 */
export function scopeChallengeWorld(options: ShapeOptions = {}): WorldShape {
  const challengeScopes = ['files:read'];
  const stepUpScopes = ['files:read', 'files:write'];
  const allScopes = [...stepUpScopes, 'admin'];
  const resourceRoute = (prmUrl: (w: World) => string) => ({
    handler: (req: IncomingMessage, res: ServerResponse, w: World) => {
      req.resume();
      const authenticated = /^bearer\s+\S/i.test(req.headers.authorization ?? '');
      const challenge = authenticated
        ? resourceMetadataChallenge(
            prmUrl(w),
            `, error="insufficient_scope", scope="${stepUpScopes.join(' ')}"`,
          )
        : resourceMetadataChallenge(prmUrl(w), `, scope="${challengeScopes.join(' ')}"`);
      res.writeHead(authenticated ? 403 : 401, {
        'www-authenticate': challenge,
        'content-type': 'application/json',
      });
      res.end(JSON.stringify({ error: authenticated ? 'insufficient_scope' : 'unauthorized' }));
    },
  });
  return prmShape({
    name: 'scope-challenge',
    options,
    resourcePath: '/mcp',
    resourceRoute,
    prm: { scopes: allScopes },
    as: oauthAtOrigin({ scopes: allScopes }),
    scopes: challengeScopes,
  });
}

/**
 * Path issuer that needs RFC 8414 path insertion (Stripe `…/mcp`, monday): metadata only at
 * `/.well-known/oauth-authorization-server/<path>`; root and appended forms 404.
 *
 * @see https://www.rfc-editor.org/rfc/rfc8414#section-3.1
 */
export function pathIssuerInsertionWorld(
  options: ShapeOptions & { readonly issuerPath?: string } = {},
): WorldShape {
  const issuerPath = options.issuerPath ?? '/mcp';
  return prmShape({
    name: 'path-issuer-insertion',
    options,
    resourcePath: '/mcp',
    as: {
      issuer: (w) => w.url('as', issuerPath),
      metadataPath: OAUTH_AS + issuerPath,
      document: (issuer) => authorizationServerMetadata({ issuer }),
    },
  });
}

/**
 * Keycloak-like path issuer `<as>/realms/demo` whose only document is the OIDC *appended* form
 * `/realms/demo/.well-known/openid-configuration` (Keycloak before 26.4, Cognito).
 *
 * @see https://openid.net/specs/openid-connect-discovery-1_0.html#ProviderConfig
 */
export function pathIssuerAppendOnlyWorld(
  options: ShapeOptions & { readonly realm?: string } = {},
): WorldShape {
  const issuerPath = `/realms/${options.realm ?? 'demo'}`;
  return prmShape({
    name: 'path-issuer-append-only',
    options,
    resourcePath: '/mcp',
    as: {
      issuer: (w) => w.url('as', issuerPath),
      metadataPath: `${issuerPath}${OIDC}`,
      document: (issuer) =>
        openIdConfiguration({
          issuer,
          endpointBase: `${issuer}/protocol/openid-connect`,
          codeChallengeMethods: ['plain', 'S256'],
          extra: { registration_endpoint: `${issuer}/clients-registrations/openid-connect` },
        }),
    },
  });
}

/**
 * Google-like: no `oauth-authorization-server` document anywhere, only `/.well-known/openid-configuration`
 * at the issuer root; no dynamic registration.
 *
 * @see https://openid.net/specs/openid-connect-discovery-1_0.html#ProviderConfig
 */
export function oidcOnlyWorld(options: ShapeOptions = {}): WorldShape {
  return prmShape({
    name: 'oidc-only',
    options,
    resourcePath: '/mcp',
    as: {
      issuer: (w) => w.origin('as'),
      metadataPath: OIDC,
      document: (issuer, w) =>
        openIdConfiguration({
          issuer,
          registration: false,
          codeChallengeMethods: ['plain', 'S256'],
          extra: { authorization_endpoint: w.url('as', '/o/oauth2/v2/auth') },
        }),
    },
    registration: false,
  });
}

/** Nothing at all: the resource answers 401 without `WWW-Authenticate`, every well-known URL 404s. */
export function noMetadataWorld(options: ShapeOptions = {}): WorldShape {
  const resourcePath = '/mcp';
  return {
    name: 'no-metadata',
    resourceOrigin: 'mcp',
    resourcePath,
    spec: {
      ...shapeBase(options),
      origins: { mcp: { routes: { [resourcePath]: unauthorized(undefined) } } },
    },
    expect: {
      resource: (w) => w.url('mcp', resourcePath),
      resourceMetadataUrl: () => undefined,
      authorizationServers: () => [],
      issuer: () => undefined,
      metadataUrl: () => undefined,
      scopes: undefined,
      pkceAdvertised: false,
      registration: false,
    },
  };
}
