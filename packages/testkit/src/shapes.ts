import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  authorizationServerMetadata,
  openIdConfiguration,
  prmPath,
  protectedResourceMetadata,
  resourceMetadataChallenge,
  unauthorized,
} from './documents.js';
import type { ShapeOptions, WorldShape } from './shape-types.js';
import type { World } from './world-types.js';

const OAUTH_AS = '/.well-known/oauth-authorization-server';
const OIDC = '/.well-known/openid-configuration';
const PRM_ROOT = '/.well-known/oauth-protected-resource';

const base = (options: ShapeOptions) =>
  options.latencyMs === undefined ? {} : { latencyMs: options.latencyMs };

/**
 * PRM only at the root well-known URL although the resource has a path (Figma, Jam); the 401 has no
 * `resource_metadata`. AS metadata at the `as` origin root.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9728#section-3
 */
export function prmRootWorld(options: ShapeOptions = {}): WorldShape {
  const resourcePath = '/mcp';
  const scopes = ['mcp:tools'];
  return {
    name: 'prm-root',
    resourceOrigin: 'mcp',
    resourcePath,
    spec: {
      ...base(options),
      origins: {
        mcp: {
          routes: {
            [resourcePath]: unauthorized('Bearer realm="mcp"'),
            [PRM_ROOT]: {
              json: (w) => protectedResourceMetadata(w.url('mcp', resourcePath), [w.origin('as')], scopes),
            },
          },
        },
        as: {
          routes: {
            [OAUTH_AS]: { json: (w) => authorizationServerMetadata({ issuer: w.origin('as'), scopes }) },
          },
        },
      },
    },
    expect: {
      resource: (w) => w.url('mcp', resourcePath),
      resourceMetadataUrl: (w) => w.url('mcp', PRM_ROOT),
      authorizationServers: (w) => [w.origin('as')],
      issuer: (w) => w.origin('as'),
      metadataUrl: (w) => w.url('as', OAUTH_AS),
      scopes,
      pkceAdvertised: true,
      registration: true,
    },
  };
}

/**
 * PRM only at the path-aware URL (Zapier); root PRM 404; the 401 has `error` but no `resource_metadata`.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9728#section-3.1
 */
export function prmPathAwareWorld(options: ShapeOptions = {}): WorldShape {
  const resourcePath = '/v1/mcp';
  const scopes = ['read', 'write'];
  return {
    name: 'prm-path-aware',
    resourceOrigin: 'mcp',
    resourcePath,
    spec: {
      ...base(options),
      origins: {
        mcp: {
          routes: {
            [resourcePath]: unauthorized('Bearer error="invalid_token"'),
            [prmPath(resourcePath)]: {
              json: (w) => protectedResourceMetadata(w.url('mcp', resourcePath), [w.origin('as')], scopes),
            },
          },
        },
        as: {
          routes: {
            [OAUTH_AS]: { json: (w) => authorizationServerMetadata({ issuer: w.origin('as'), scopes }) },
          },
        },
      },
    },
    expect: {
      resource: (w) => w.url('mcp', resourcePath),
      resourceMetadataUrl: (w) => w.url('mcp', prmPath(resourcePath)),
      authorizationServers: (w) => [w.origin('as')],
      issuer: (w) => w.origin('as'),
      metadataUrl: (w) => w.url('as', OAUTH_AS),
      scopes,
      pkceAdvertised: true,
      registration: true,
    },
  };
}

/**
 * PRM only at the URL named by `resource_metadata` in the 401, on a third origin `prm` at a
 * non-well-known path (Asana-like); every well-known PRM URL 404s.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9728#section-5.1
 */
export function resourceMetadataHeaderWorld(options: ShapeOptions = {}): WorldShape {
  const resourcePath = '/mcp';
  const prmAt = '/metadata/mcp-resource.json';
  return {
    name: 'resource-metadata-header',
    resourceOrigin: 'mcp',
    resourcePath,
    spec: {
      ...base(options),
      origins: {
        mcp: {
          routes: { [resourcePath]: unauthorized((w) => resourceMetadataChallenge(w.url('prm', prmAt))) },
        },
        prm: {
          routes: {
            [prmAt]: { json: (w) => protectedResourceMetadata(w.url('mcp', resourcePath), [w.origin('as')]) },
          },
        },
        as: {
          routes: { [OAUTH_AS]: { json: (w) => authorizationServerMetadata({ issuer: w.origin('as') }) } },
        },
      },
    },
    expect: {
      resource: (w) => w.url('mcp', resourcePath),
      resourceMetadataUrl: (w) => w.url('prm', prmAt),
      authorizationServers: (w) => [w.origin('as')],
      issuer: (w) => w.origin('as'),
      metadataUrl: (w) => w.url('as', OAUTH_AS),
      scopes: undefined,
      pkceAdvertised: true,
      registration: true,
    },
  };
}

/**
 * The 401 carries `scope="files:read"` (authoritative over the PRM's wider `scopes_supported`), and any
 * request *with* a bearer token gets `403 insufficient_scope` asking for `files:read files:write`
 * (step-up).
 *
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-3.1
 */
export function scopeChallengeWorld(options: ShapeOptions = {}): WorldShape {
  const resourcePath = '/mcp';
  const challengeScopes = ['files:read'];
  const stepUpScopes = ['files:read', 'files:write'];
  const prmUrl = (w: World) => w.url('mcp', prmPath(resourcePath));
  const resourceRoute = (req: IncomingMessage, res: ServerResponse, w: World) => {
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
  };
  return {
    name: 'scope-challenge',
    resourceOrigin: 'mcp',
    resourcePath,
    spec: {
      ...base(options),
      origins: {
        mcp: {
          routes: {
            [resourcePath]: { handler: resourceRoute },
            [prmPath(resourcePath)]: {
              json: (w) =>
                protectedResourceMetadata(
                  w.url('mcp', resourcePath),
                  [w.origin('as')],
                  [...stepUpScopes, 'admin'],
                ),
            },
          },
        },
        as: {
          routes: {
            [OAUTH_AS]: {
              json: (w) =>
                authorizationServerMetadata({ issuer: w.origin('as'), scopes: [...stepUpScopes, 'admin'] }),
            },
          },
        },
      },
    },
    expect: {
      resource: (w) => w.url('mcp', resourcePath),
      resourceMetadataUrl: prmUrl,
      authorizationServers: (w) => [w.origin('as')],
      issuer: (w) => w.origin('as'),
      metadataUrl: (w) => w.url('as', OAUTH_AS),
      scopes: challengeScopes,
      pkceAdvertised: true,
      registration: true,
    },
  };
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
  const resourcePath = '/mcp';
  const issuerPath = options.issuerPath ?? '/mcp';
  const issuer = (w: World) => w.url('as', issuerPath);
  return {
    name: 'path-issuer-insertion',
    resourceOrigin: 'mcp',
    resourcePath,
    spec: {
      ...base(options),
      origins: {
        mcp: {
          routes: {
            [resourcePath]: unauthorized((w) =>
              resourceMetadataChallenge(w.url('mcp', prmPath(resourcePath))),
            ),
            [prmPath(resourcePath)]: {
              json: (w) => protectedResourceMetadata(w.url('mcp', resourcePath), [issuer(w)]),
            },
          },
        },
        as: {
          routes: {
            [OAUTH_AS + issuerPath]: { json: (w) => authorizationServerMetadata({ issuer: issuer(w) }) },
          },
        },
      },
    },
    expect: {
      resource: (w) => w.url('mcp', resourcePath),
      resourceMetadataUrl: (w) => w.url('mcp', prmPath(resourcePath)),
      authorizationServers: (w) => [issuer(w)],
      issuer,
      metadataUrl: (w) => w.url('as', OAUTH_AS + issuerPath),
      scopes: undefined,
      pkceAdvertised: true,
      registration: true,
    },
  };
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
  const resourcePath = '/mcp';
  const issuerPath = `/realms/${options.realm ?? 'demo'}`;
  const issuer = (w: World) => w.url('as', issuerPath);
  const metadataPath = `${issuerPath}${OIDC}`;
  return {
    name: 'path-issuer-append-only',
    resourceOrigin: 'mcp',
    resourcePath,
    spec: {
      ...base(options),
      origins: {
        mcp: {
          routes: {
            [resourcePath]: unauthorized((w) =>
              resourceMetadataChallenge(w.url('mcp', prmPath(resourcePath))),
            ),
            [prmPath(resourcePath)]: {
              json: (w) => protectedResourceMetadata(w.url('mcp', resourcePath), [issuer(w)]),
            },
          },
        },
        as: {
          routes: {
            [metadataPath]: {
              json: (w) =>
                openIdConfiguration({
                  issuer: issuer(w),
                  endpointBase: `${issuer(w)}/protocol/openid-connect`,
                  codeChallengeMethods: ['plain', 'S256'],
                  extra: { registration_endpoint: `${issuer(w)}/clients-registrations/openid-connect` },
                }),
            },
          },
        },
      },
    },
    expect: {
      resource: (w) => w.url('mcp', resourcePath),
      resourceMetadataUrl: (w) => w.url('mcp', prmPath(resourcePath)),
      authorizationServers: (w) => [issuer(w)],
      issuer,
      metadataUrl: (w) => w.url('as', metadataPath),
      scopes: undefined,
      pkceAdvertised: true,
      registration: true,
    },
  };
}

/**
 * Google-like: no `oauth-authorization-server` document anywhere, only `/.well-known/openid-configuration`
 * at the issuer root; no dynamic registration.
 *
 * @see https://openid.net/specs/openid-connect-discovery-1_0.html#ProviderConfig
 */
export function oidcOnlyWorld(options: ShapeOptions = {}): WorldShape {
  const resourcePath = '/mcp';
  return {
    name: 'oidc-only',
    resourceOrigin: 'mcp',
    resourcePath,
    spec: {
      ...base(options),
      origins: {
        mcp: {
          routes: {
            [resourcePath]: unauthorized((w) =>
              resourceMetadataChallenge(w.url('mcp', prmPath(resourcePath))),
            ),
            [prmPath(resourcePath)]: {
              json: (w) => protectedResourceMetadata(w.url('mcp', resourcePath), [w.origin('as')]),
            },
          },
        },
        as: {
          routes: {
            [OIDC]: {
              json: (w) =>
                openIdConfiguration({
                  issuer: w.origin('as'),
                  registration: false,
                  codeChallengeMethods: ['plain', 'S256'],
                  extra: { authorization_endpoint: w.url('as', '/o/oauth2/v2/auth') },
                }),
            },
          },
        },
      },
    },
    expect: {
      resource: (w) => w.url('mcp', resourcePath),
      resourceMetadataUrl: (w) => w.url('mcp', prmPath(resourcePath)),
      authorizationServers: (w) => [w.origin('as')],
      issuer: (w) => w.origin('as'),
      metadataUrl: (w) => w.url('as', OIDC),
      scopes: undefined,
      pkceAdvertised: true,
      registration: false,
    },
  };
}

/** Nothing at all: the resource answers 401 without `WWW-Authenticate`, every well-known URL 404s. */
export function noMetadataWorld(options: ShapeOptions = {}): WorldShape {
  const resourcePath = '/mcp';
  return {
    name: 'no-metadata',
    resourceOrigin: 'mcp',
    resourcePath,
    spec: { ...base(options), origins: { mcp: { routes: { [resourcePath]: unauthorized(undefined) } } } },
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
