import { authorizationServerMetadata, openIdConfiguration } from './documents.js';
import { OAUTH_AS, OIDC, PRM_ROOT, prmShape } from './prm-shape.js';
import type { ConformantOptions } from './provider-shapes-conformant.js';
import type { ShapeOptions, WorldShape } from './shape-types.js';

// Replicas of the providers of docs/provider-quirks.md "Providers observed in 2026". Each factory reproduces the reported shape
// by default; an option reproduces the provider once it follows the spec ("provider fixed it").

/** Options of {@link slackWorld}. */
export interface SlackOptions extends ShapeOptions {
  /** The issuer its metadata names: origin `slack` (2026-03, default) or `mcp` itself (2026-08). */
  readonly issuer?: 'slack' | 'mcp';
  /** The root PRM names only the bare origin (as reported, default `true`); `false`: the full resource. */
  readonly prmNamesOrigin?: boolean;
}

/**
 * Slack: `/mcp` answers 401 naming the **root** PRM, which names only the bare origin; the PRM names the
 * MCP origin as authorization server, whose metadata (no registration endpoint) named the foreign
 * issuer `slack` in 2026-03 and the MCP origin itself in 2026-08.
 */
export function slackWorld(options: SlackOptions = {}): WorldShape {
  const namesOrigin = options.prmNamesOrigin ?? true;
  return prmShape({
    name: 'slack',
    options,
    resourcePath: '/mcp',
    prm: {
      path: PRM_ROOT,
      resource: (w) => (namesOrigin ? w.origin('mcp') : w.url('mcp', '/mcp')),
      scopes: ['chat:write', 'channels:history'],
    },
    as: {
      origin: 'mcp',
      issuer: (w) => w.origin('mcp'),
      namedIssuer: (w) => w.origin(options.issuer ?? 'slack'),
      metadataPath: OAUTH_AS,
      document: (issuer, w) =>
        authorizationServerMetadata({
          issuer,
          endpointBase: w.url('slack', '/oauth/v2'),
          registration: false,
        }),
    },
    origins: { slack: { routes: {} } },
    registration: false,
  });
}

/** Options of {@link hubspotWorld}. */
export interface HubspotOptions extends ShapeOptions {
  /** The root PRM names only the bare origin (as reported, default `true`); `false`: the full resource. */
  readonly prmNamesOrigin?: boolean;
  /** The metadata has a `registration_endpoint` (a provider that added DCR). Default `false`. */
  readonly registration?: boolean;
}

/**
 * HubSpot: `/mcp` answers 401 naming the root PRM, which names only the bare origin; an authorization
 * server on the same origin with RFC 8414 metadata and no registration endpoint.
 */
export function hubspotWorld(options: HubspotOptions = {}): WorldShape {
  const namesOrigin = options.prmNamesOrigin ?? true;
  const registration = options.registration ?? false;
  return prmShape({
    name: 'hubspot',
    options,
    resourcePath: '/mcp',
    prm: { path: PRM_ROOT, resource: (w) => (namesOrigin ? w.origin('mcp') : w.url('mcp', '/mcp')) },
    as: {
      origin: 'mcp',
      issuer: (w) => w.origin('mcp'),
      metadataPath: OAUTH_AS,
      document: (issuer, w) =>
        authorizationServerMetadata({ issuer, endpointBase: w.url('mcp', '/oauth'), registration }),
    },
    registration,
  });
}

/** Options of {@link githubEnterpriseWorld}. */
export interface GithubEnterpriseOptions extends ShapeOptions {
  /** The 401 names the PRM on the public origin `public`, naming the public resource (default `true`). */
  readonly crossOrigin?: boolean;
}

/**
 * GitHub Copilot Enterprise: the MCP endpoint `/mcp/readonly` on origin `mcp` (the enterprise host)
 * answers 401 naming PRM on origin `public` (api.githubcopilot.com) whose `resource` is the public URL;
 * the authorization server is `<as>/login/oauth` without registration.
 */
export function githubEnterpriseWorld(options: GithubEnterpriseOptions = {}): WorldShape {
  const cross = options.crossOrigin ?? true;
  const resourcePath = '/mcp/readonly';
  return prmShape({
    name: 'github-enterprise',
    options,
    resourcePath,
    prm: cross
      ? { origin: 'public', resource: (w) => w.url('public', resourcePath) }
      : { resource: (w) => w.url('mcp', resourcePath) },
    as: {
      issuer: (w) => w.url('as', '/login/oauth'),
      metadataPath: `${OAUTH_AS}/login/oauth`,
      document: (issuer) => authorizationServerMetadata({ issuer, registration: false }),
    },
    origins: { public: { routes: {} } },
    registration: false,
  });
}

/** Options of {@link foreignIssuerWorld}. */
export interface ForeignIssuerOptions extends ConformantOptions {
  /** Which metadata it serves: RFC 8414 (`oauth`, default) or OpenID Connect discovery (`oidc`). */
  readonly form?: 'oauth' | 'oidc';
}

/**
 * The generic shape of a provider whose metadata names a foreign issuer (what `pnpm new:preset`
 * starts from): `/mcp` on origin `mcp` answers 401 naming its path-aware PRM, which names the `mcp`
 * origin as authorization server; the metadata there names origin `auth` as its issuer. `fixed`: it
 * names the `mcp` origin, as RFC 8414 §3.3 requires.
 */
export function foreignIssuerWorld(options: ForeignIssuerOptions = {}): WorldShape {
  const oidcForm = options.form === 'oidc';
  return prmShape({
    name: 'foreign-issuer',
    options,
    resourcePath: '/mcp',
    as: {
      origin: 'mcp',
      issuer: (w) => w.origin('mcp'),
      namedIssuer: (w) => w.origin(options.fixed ? 'mcp' : 'auth'),
      metadataPath: oidcForm ? OIDC : OAUTH_AS,
      document: (issuer, w) =>
        (oidcForm ? openIdConfiguration : authorizationServerMetadata)({
          issuer,
          endpointBase: w.origin('auth'),
        }),
    },
    origins: { auth: { routes: {} } },
  });
}
