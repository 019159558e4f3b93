import {
  authorizationServerMetadata,
  prmPath,
  protectedResourceMetadata,
  resourceMetadataChallenge,
  unauthorized,
} from './documents.js';
import type { Routes, ShapeOptions, WorldShape } from './shape-types.js';
import type { Route, World, WorldSpec } from './world-types.js';

/** RFC 8414 well-known path (insertion: append the issuer's path to it). */
export const OAUTH_AS = '/.well-known/oauth-authorization-server';
/** OpenID Connect discovery well-known path. */
export const OIDC = '/.well-known/openid-configuration';
/** Root protected resource metadata path. */
export const PRM_ROOT = '/.well-known/oauth-protected-resource';

/** The authorization server of a {@link prmShape}: its issuer and the one document that describes it. */
export interface ShapeAuthorizationServer {
  /** Name of its origin in the world. Default `as`. */
  readonly origin?: string;
  /** Its issuer identifier: the only entry of the PRM's `authorization_servers`. */
  readonly issuer: (world: World) => string;
  /**
   * The `issuer` its document names, when that is not `issuer` (a provider that drops the tenant path);
   * what discovery must end with. Default: `issuer`.
   */
  readonly namedIssuer?: (world: World) => string;
  /** Where on its origin the metadata is served. */
  readonly metadataPath: string;
  /** The metadata document, given the issuer it names. */
  readonly document: (issuer: string, world: World) => unknown;
  /** Other routes of the same origin. */
  readonly routes?: Routes;
}

/** The description {@link prmShape} builds a {@link WorldShape} from. */
export interface PrmShapeSpec {
  readonly name: string;
  readonly options: ShapeOptions;
  /** Path of the protected resource on origin `mcp`. */
  readonly resourcePath: string;
  /** What the resource answers without a token. Default: 401 whose challenge names the PRM URL. */
  readonly resourceRoute?: (prmUrl: (world: World) => string) => Route;
  /** Where the PRM lives and what it says besides `authorization_servers`. */
  readonly prm?: {
    /** Origin that serves it. Default `mcp`. */
    readonly origin?: string;
    /** Path on that origin. Default: the path-aware URL of `resourcePath`. */
    readonly path?: string;
    /** Its `resource`. Default: the resource URL. */
    readonly resource?: (world: World) => string;
    readonly scopes?: readonly string[];
    /** Its `Content-Type`. Default `application/json`. */
    readonly contentType?: string;
  };
  readonly as: ShapeAuthorizationServer;
  /** Further origins of the world (e.g. one only named by a foreign issuer). */
  readonly origins?: WorldSpec['origins'];
  /** Scopes discovery must choose. Default: the PRM's `scopes`. */
  readonly scopes?: readonly string[] | undefined;
  /** Default `true`. */
  readonly pkceAdvertised?: boolean;
  /** Default `true`. */
  readonly registration?: boolean;
}

/** World-level options of every shape (today: latency). */
export const shapeBase = (options: ShapeOptions) =>
  options.latencyMs === undefined ? {} : { latencyMs: options.latencyMs };

/**
 * The common shape: a resource on origin `mcp` whose protected resource metadata names one
 * authorization server, whose metadata is served at one URL. Routes and expectations come from the
 * same values, so they cannot disagree.
 */
export function prmShape(spec: PrmShapeSpec): WorldShape {
  const { resourcePath, as } = spec;
  const prmOrigin = spec.prm?.origin ?? 'mcp';
  const prmAt = spec.prm?.path ?? prmPath(resourcePath);
  const asOrigin = as.origin ?? 'as';
  const namedIssuer = as.namedIssuer ?? as.issuer;
  const resource = (w: World) => w.url('mcp', resourcePath);
  const prmUrl = (w: World) => w.url(prmOrigin, prmAt);
  const prmRoute: Route = {
    json: (w) =>
      protectedResourceMetadata((spec.prm?.resource ?? resource)(w), [as.issuer(w)], spec.prm?.scopes),
    contentType: spec.prm?.contentType,
  };
  const resourceRoute =
    spec.resourceRoute?.(prmUrl) ?? unauthorized((w) => resourceMetadataChallenge(prmUrl(w)));
  const mcpRoutes: Routes = { [resourcePath]: resourceRoute };
  const prmOrigins: Record<string, { routes: Routes }> = {};
  if (prmOrigin === 'mcp') mcpRoutes[prmAt] = prmRoute;
  else prmOrigins[prmOrigin] = { routes: { [prmAt]: prmRoute } };
  const asRoutes: Routes = {
    ...as.routes,
    [as.metadataPath]: { json: (w) => as.document(namedIssuer(w), w) },
  };
  // The authorization server may share an origin with the resource or the PRM: one origin, all routes.
  const shared = asOrigin === 'mcp' ? mcpRoutes : prmOrigins[asOrigin]?.routes;
  if (shared !== undefined) Object.assign(shared, asRoutes);
  return {
    name: spec.name,
    resourceOrigin: 'mcp',
    resourcePath,
    spec: {
      ...shapeBase(spec.options),
      origins: {
        ...spec.origins,
        mcp: { routes: mcpRoutes },
        ...prmOrigins,
        ...(shared === undefined ? { [asOrigin]: { routes: asRoutes } } : {}),
      },
    },
    expect: {
      resource,
      resourceMetadataUrl: prmUrl,
      authorizationServers: (w) => [as.issuer(w)],
      issuer: namedIssuer,
      metadataUrl: (w) => w.url(asOrigin, as.metadataPath),
      scopes: 'scopes' in spec ? spec.scopes : spec.prm?.scopes,
      pkceAdvertised: spec.pkceAdvertised ?? true,
      registration: spec.registration ?? true,
    },
  };
}

/** An origin-only authorization server on origin `as` with its RFC 8414 document at the root. */
export function oauthAtOrigin(
  options: { readonly scopes?: readonly string[]; readonly registration?: boolean } = {},
): ShapeAuthorizationServer {
  return {
    issuer: (w) => w.origin('as'),
    metadataPath: OAUTH_AS,
    document: (issuer) => authorizationServerMetadata({ issuer, ...options }),
  };
}

/**
 * A bare world spec for bad-input tests: the resource `<mcp>/mcp` answers 401 `Bearer realm="mcp"` (no
 * `resource_metadata`) and serves path-aware PRM naming `servers(world)`, with `resource` (default: the
 * resource URL); `origins` are added as given.
 */
export function prmNamingSpec(
  servers: (world: World) => readonly string[],
  origins: WorldSpec['origins'] = {},
  options: { readonly resource?: (world: World) => string } = {},
): WorldSpec {
  const resource = options.resource ?? ((w: World) => w.url('mcp', '/mcp'));
  return {
    origins: {
      mcp: {
        routes: {
          '/mcp': unauthorized('Bearer realm="mcp"'),
          [prmPath('/mcp')]: { json: (w) => protectedResourceMetadata(resource(w), servers(w)) },
        },
      },
      ...origins,
    },
  };
}
