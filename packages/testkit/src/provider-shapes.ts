import { authorizationServerMetadata, openIdConfiguration, prmPath, unauthorized } from './documents.js';
import { OAUTH_AS, OIDC, prmShape, shapeBase } from './prm-shape.js';
import type { ShapeOptions, WorldShape } from './shape-types.js';
import type { World } from './world-types.js';

/** The exact 401 challenge Atlassian's hosted MCP sends (no `resource_metadata`). */
export const ATLASSIAN_V1_CHALLENGE =
  'Bearer realm="OAuth", error="invalid_token", error_description="Missing or invalid access token"';

/** Options of {@link atlassianV1World}. */
export interface AtlassianV1Options extends ShapeOptions {
  /** Reproduce the 2026-10-01 probe: the issuer is the MCP origin itself instead of the foreign `cf` origin. */
  readonly sameOriginIssuer?: boolean;
}

/**
 * Atlassian hosted MCP v1 as reported (docs/provider-quirks.md): origin `mcp` serves `/v1/mcp` (401 without
 * `resource_metadata`), no PRM anywhere (path-aware PRM answers 401, `/v1/.well-known/…` and root 404),
 * and RFC 8414 metadata at its origin root naming the *foreign* issuer `cf` (another origin), with the
 * token and registration endpoints on `cf` and the authorization endpoint on `mcp`.
 */
export function atlassianV1World(options: AtlassianV1Options = {}): WorldShape {
  const resourcePath = '/v1/mcp';
  const issuer = (w: World) => w.origin(options.sameOriginIssuer ? 'mcp' : 'cf');
  return {
    name: 'atlassian-v1',
    resourceOrigin: 'mcp',
    resourcePath,
    spec: {
      ...shapeBase(options),
      origins: {
        mcp: {
          routes: {
            [resourcePath]: unauthorized(ATLASSIAN_V1_CHALLENGE),
            [prmPath(resourcePath)]: unauthorized(ATLASSIAN_V1_CHALLENGE),
            [`${resourcePath}/.well-known/oauth-protected-resource`]: unauthorized(ATLASSIAN_V1_CHALLENGE),
            [OAUTH_AS]: {
              json: (w) =>
                authorizationServerMetadata({
                  issuer: issuer(w),
                  endpointBase: w.url('cf', '/v1'),
                  codeChallengeMethods: ['plain', 'S256'],
                  extra: { authorization_endpoint: w.url('mcp', '/v1/authorize') },
                }),
            },
          },
        },
        cf: { routes: {} },
      },
    },
    expect: {
      resource: (w) => w.url('mcp', resourcePath),
      resourceMetadataUrl: () => undefined,
      authorizationServers: () => [],
      issuer,
      metadataUrl: (w) => w.url('mcp', OAUTH_AS),
      scopes: undefined,
      pkceAdvertised: true,
      registration: true,
    },
  };
}

/** Options of {@link atlassianAuthV2World}. */
export interface AtlassianAuthV2Options extends ShapeOptions {
  readonly tenantId?: string;
  /** July 2026 report: the path-inserted document names the origin (path dropped) as issuer. Default `false`. */
  readonly issuerDropsPath?: boolean;
  /** Path of the resource: `/v1/mcp/authv2` (default) or `/v2/mcp` (Atlassian v2, GA 2026-09). */
  readonly resourcePath?: string;
}

/**
 * Atlassian `/v1/mcp/authv2`: PRM at the path-aware URL (also in the 401's `resource_metadata`) naming
 * the tenant issuer `<auth>/<tenantId>`, whose metadata is at the path-inserted URL. The origin-only
 * document (issuer `<auth>`, no `registration_endpoint`) also exists, as reported.
 *
 * @see https://www.rfc-editor.org/rfc/rfc8414#section-3.1
 */
export function atlassianAuthV2World(options: AtlassianAuthV2Options = {}): WorldShape {
  const tenantId = options.tenantId ?? '5f3c1a2e-tenant';
  const tenantIssuer = (w: World) => w.url('auth', `/${tenantId}`);
  return prmShape({
    name: options.resourcePath === '/v2/mcp' ? 'atlassian-v2' : 'atlassian-authv2',
    options,
    resourcePath: options.resourcePath ?? '/v1/mcp/authv2',
    prm: { scopes: ['read:jira-work'] },
    as: {
      origin: 'auth',
      issuer: tenantIssuer,
      ...(options.issuerDropsPath ? { namedIssuer: (w: World) => w.origin('auth') } : {}),
      metadataPath: `${OAUTH_AS}/${tenantId}`,
      document: (issuer, w) => authorizationServerMetadata({ issuer, endpointBase: tenantIssuer(w) }),
      routes: {
        [OAUTH_AS]: {
          json: (w) => authorizationServerMetadata({ issuer: w.origin('auth'), registration: false }),
        },
      },
    },
  });
}

/** Options of {@link githubWorld}. */
export interface GithubOptions extends ShapeOptions {
  /** The 2025 quirk: the PRM `resource` lacks the trailing slash of the resource URL. */
  readonly prmResourceWithoutSlash?: boolean;
  /** The 2025-08 quirk: the PRM is served as `application/json, application/json`. */
  readonly repeatedMediaType?: boolean;
}

/**
 * GitHub-like: resource with a trailing slash (`/mcp/`), PRM at the path-aware URL and in the 401,
 * issuer `<as>/login/oauth` with metadata at the path-inserted URL (appended OIDC form 404), no dynamic
 * registration (`/login/oauth/register` answers 422).
 */
export function githubWorld(options: GithubOptions = {}): WorldShape {
  const resourcePath = '/mcp/';
  return prmShape({
    name: 'github',
    options,
    resourcePath,
    prm: {
      resource: (w) => w.url('mcp', options.prmResourceWithoutSlash ? '/mcp' : resourcePath),
      scopes: ['repo', 'read:org'],
      ...(options.repeatedMediaType ? { contentType: 'application/json, application/json' } : {}),
    },
    as: {
      issuer: (w) => w.url('as', '/login/oauth'),
      metadataPath: `${OAUTH_AS}/login/oauth`,
      document: (issuer, w) =>
        authorizationServerMetadata({
          issuer,
          registration: false,
          extra: { token_endpoint: w.url('as', '/login/oauth/access_token') },
        }),
      routes: { '/login/oauth/register': { status: 422, json: { error: 'unprocessable_entity' } } },
    },
    registration: false,
  });
}

/** Options of {@link entraWorld}. */
export interface EntraOptions extends ShapeOptions {
  readonly tenant?: string;
  /** A provider that fixed it: the metadata advertises `code_challenge_methods_supported: ['S256']`. */
  readonly pkceAdvertised?: boolean;
}

/**
 * Microsoft Entra ID-like: issuer `<as>/<tenant>/v2.0`, only the OIDC appended document, RFC 8414 URLs
 * 404, no `code_challenge_methods_supported` (PKCE works but is not advertised), no registration.
 *
 * @see https://openid.net/specs/openid-connect-discovery-1_0.html#ProviderConfig
 */
export function entraWorld(options: EntraOptions = {}): WorldShape {
  const tenant = options.tenant ?? '9188040d-6c67-4c5b-b112-36a304b66dad';
  return prmShape({
    name: 'entra',
    options,
    resourcePath: '/mcp',
    as: {
      issuer: (w) => w.url('as', `/${tenant}/v2.0`),
      metadataPath: `/${tenant}/v2.0${OIDC}`,
      document: (issuer, w) =>
        openIdConfiguration({
          issuer,
          endpointBase: w.url('as', `/${tenant}/oauth2/v2.0`),
          registration: false,
          codeChallengeMethods: options.pkceAdvertised ? ['S256'] : null,
          extra: {
            jwks_uri: w.url('as', `/${tenant}/discovery/v2.0/keys`),
            userinfo_endpoint: w.url('as', '/oidc/userinfo'),
            response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
            response_modes_supported: ['query', 'fragment', 'form_post'],
          },
        }),
    },
    pkceAdvertised: options.pkceAdvertised === true,
    registration: false,
  });
}
