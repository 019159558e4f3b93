import { authorizationServerMetadata, openIdConfiguration } from './documents.js';
import { OAUTH_AS, OIDC, PRM_ROOT, prmShape } from './prm-shape.js';
import type { ShapeOptions, WorldShape } from './shape-types.js';
import type { World } from './world-types.js';

// Replicas of the providers of docs/provider-quirks.md "Providers observed in 2026" whose discovery follows the spec: their
// quirks are in the flow (hints), or in one detail an option switches ("provider fixed it").

/** Options of the conformant provider worlds ({@link notionWorld}, {@link linearWorld}, …). */
export interface ConformantOptions extends ShapeOptions {
  /** The variant once the provider follows the spec (or moved on): what it means is on each factory. */
  readonly fixed?: boolean;
}

interface Conformant {
  readonly name: string;
  readonly options: ShapeOptions;
  readonly resourcePath: string;
  /** Origin of the authorization server (`mcp` shares the resource's). */
  readonly asOrigin: string;
  /** Issuer path (`''` for origin-only). */
  readonly issuerPath?: string;
  /** `oauth` (RFC 8414 insertion), `oidc-append` or `oidc-insert`. */
  readonly form: 'oauth' | 'oidc-append' | 'oidc-insert';
  readonly registration: boolean;
  readonly pkce?: boolean;
  readonly extra?: Readonly<Record<string, unknown>>;
  /** The PRM's `authorization_servers` entry, when not the issuer itself (a trailing-slash variant). */
  readonly listedAs?: (w: World) => string;
  readonly prmRoot?: boolean;
  readonly prmResource?: (w: World) => string;
  readonly scopes?: readonly string[];
}

function metadataPath(form: Conformant['form'], issuerPath: string): string {
  if (form === 'oauth') return `${OAUTH_AS}${issuerPath}`;
  return form === 'oidc-insert' ? `${OIDC}${issuerPath}` : `${issuerPath}${OIDC}`;
}

/** A provider whose discovery follows the spec: its quirks are in the flow (hints), not in discovery. */
function conformant(c: Conformant): WorldShape {
  const issuerPath = c.issuerPath ?? '';
  const issuer = (w: World) => `${w.origin(c.asOrigin)}${issuerPath}`;
  const pkce = c.pkce ?? true;
  const doc = c.form === 'oauth' ? authorizationServerMetadata : openIdConfiguration;
  return prmShape({
    name: c.name,
    options: c.options,
    resourcePath: c.resourcePath,
    prm: {
      ...(c.prmRoot ? { path: PRM_ROOT } : {}),
      ...(c.prmResource ? { resource: c.prmResource } : {}),
      ...(c.scopes ? { scopes: c.scopes } : {}),
    },
    as: {
      origin: c.asOrigin,
      issuer: c.listedAs ?? issuer,
      namedIssuer: issuer,
      metadataPath: metadataPath(c.form, issuerPath),
      document: (named) =>
        doc({
          issuer: named,
          registration: c.registration,
          codeChallengeMethods: pkce ? ['S256'] : null,
          ...(c.extra ? { extra: c.extra } : {}),
        }),
    },
    pkceAdvertised: pkce,
    registration: c.registration,
  });
}

/** Notion: PRM and an authorization server on the MCP origin, with DCR. `fixed`: the AS moved to origin `as`. */
export function notionWorld(options: ConformantOptions = {}): WorldShape {
  return conformant({
    name: 'notion',
    options,
    resourcePath: '/mcp',
    asOrigin: options.fixed ? 'as' : 'mcp',
    form: 'oauth',
    registration: true,
    extra: { token_endpoint_auth_methods_supported: ['none', 'client_secret_basic', 'client_secret_post'] },
  });
}

/**
 * Linear: PRM naming the MCP origin as authorization server, which advertises CIMD
 * (`client_id_metadata_document_supported`) and DCR. `fixed`: it stops advertising CIMD.
 */
export function linearWorld(options: ConformantOptions = {}): WorldShape {
  return conformant({
    name: 'linear',
    options,
    resourcePath: '/mcp',
    asOrigin: 'mcp',
    form: 'oauth',
    registration: true,
    ...(options.fixed ? {} : { extra: { client_id_metadata_document_supported: true } }),
  });
}

/**
 * Stripe: resource at the origin root, root PRM naming the path issuer `<access>/mcp` found by RFC 8414
 * insertion, DCR with `none`. `fixed`: the PRM names the resource without the trailing slash.
 */
export function stripeWorld(options: ConformantOptions = {}): WorldShape {
  return conformant({
    name: 'stripe',
    options,
    resourcePath: '/',
    asOrigin: 'access',
    issuerPath: '/mcp',
    form: 'oauth',
    registration: true,
    prmRoot: true,
    ...(options.fixed ? { prmResource: (w: World) => w.origin('mcp') } : {}),
    extra: { token_endpoint_auth_methods_supported: ['none'] },
  });
}

/**
 * Cloudflare: path-aware PRM, authorization server on the MCP origin advertising RFC 9207 `iss`
 * (`authorization_response_iss_parameter_supported`) and `offline_access`. `fixed`: identical (its
 * discovery follows the spec; the quirks are in the flow).
 */
export function cloudflareWorld(options: ConformantOptions = {}): WorldShape {
  return conformant({
    name: 'cloudflare',
    options,
    resourcePath: '/mcp',
    asOrigin: 'mcp',
    form: 'oauth',
    registration: true,
    scopes: ['offline_access'],
    extra: { authorization_response_iss_parameter_supported: true, scopes_supported: ['offline_access'] },
  });
}

/** Supabase: PRM naming the authorization server on origin `as` (api.supabase.com), DCR. `fixed`: identical. */
export function supabaseWorld(options: ConformantOptions = {}): WorldShape {
  return conformant({
    name: 'supabase',
    options,
    resourcePath: '/mcp',
    asOrigin: 'as',
    form: 'oauth',
    registration: true,
  });
}

/** Asana v2: PRM naming origin `as` (app.asana.com) without registration. `fixed`: it adds a registration endpoint. */
export function asanaWorld(options: ConformantOptions = {}): WorldShape {
  return conformant({
    name: 'asana',
    options,
    resourcePath: '/v2/mcp',
    asOrigin: 'as',
    form: 'oauth',
    registration: options.fixed === true,
  });
}

/**
 * Box: root PRM naming `<as>/` (trailing slash) while the metadata names `<as>` (none), no registration.
 * `fixed`: it adds a registration endpoint.
 */
export function boxWorld(options: ConformantOptions = {}): WorldShape {
  return conformant({
    name: 'box',
    options,
    resourcePath: '/',
    asOrigin: 'as',
    form: 'oauth',
    registration: options.fixed === true,
    prmRoot: true,
    listedAs: (w) => `${w.origin('as')}/`,
  });
}

/**
 * Google: PRM naming `<as>/` (trailing slash), OpenID Connect discovery only (RFC 8414 URL 404), no
 * registration. `fixed`: it also serves RFC 8414 metadata (and still no registration).
 */
export function googleWorld(options: ConformantOptions = {}): WorldShape {
  const shape = conformant({
    name: 'google',
    options,
    resourcePath: '/mcp',
    asOrigin: 'as',
    form: 'oidc-append',
    registration: false,
    listedAs: (w) => `${w.origin('as')}/`,
  });
  if (!options.fixed) return shape;
  const as = shape.spec.origins.as;
  return {
    ...shape,
    spec: {
      ...shape.spec,
      origins: {
        ...shape.spec.origins,
        as: {
          ...as,
          routes: {
            ...as?.routes,
            [OAUTH_AS]: {
              json: (w: World) =>
                authorizationServerMetadata({ issuer: w.origin('as'), registration: false }),
            },
          },
        },
      },
    },
  };
}

/**
 * AWS Cognito: PRM naming the user-pool issuer `<as>/us-east-1_Example`, OpenID Connect appended only,
 * no `code_challenge_methods_supported`, no registration. `fixed`: it advertises S256.
 */
export function cognitoWorld(options: ConformantOptions = {}): WorldShape {
  return conformant({
    name: 'aws-cognito',
    options,
    resourcePath: '/mcp',
    asOrigin: 'as',
    issuerPath: '/us-east-1_Example',
    form: 'oidc-append',
    registration: false,
    pkce: options.fixed === true,
  });
}

/**
 * Keycloak before 26.4: PRM naming the realm issuer `<as>/realms/mcp`, metadata only by OpenID Connect
 * appending, DCR. `fixed` (26.4 and later): RFC 8414 path insertion.
 */
export function keycloakWorld(options: ConformantOptions = {}): WorldShape {
  return conformant({
    name: 'keycloak',
    options,
    resourcePath: '/mcp',
    asOrigin: 'as',
    issuerPath: '/realms/mcp',
    form: options.fixed ? 'oauth' : 'oidc-append',
    registration: true,
  });
}

/**
 * Auth0: PRM naming the tenant issuer `<as>/` with a trailing slash (the metadata names `<as>`),
 * OpenID Connect discovery, DCR. `fixed`: identical (the `audience` quirk is in the flow).
 */
export function auth0World(options: ConformantOptions = {}): WorldShape {
  return conformant({
    name: 'auth0',
    options,
    resourcePath: '/mcp',
    asOrigin: 'as',
    form: 'oidc-append',
    registration: true,
    listedAs: (w) => `${w.origin('as')}/`,
  });
}
