import {
  createPipeline,
  type DiscoveryStrategy,
  type Pipeline,
  type PipelineOptions,
} from '@oauth-discovery/core';
import type { ClientRegistrationCapabilities } from '@oauth-discovery/core/strategy-kit';
import { legacyDefaults } from '@oauth-discovery/legacy-defaults';
import { oidc } from '@oauth-discovery/oidc';
import { rfc8414 } from '@oauth-discovery/rfc8414';
import { rfc9728 } from '@oauth-discovery/rfc9728';
import { type StaticConfig, type StaticConfigEntry, staticConfig } from '@oauth-discovery/static-config';
import { wwwAuthenticate } from '@oauth-discovery/www-authenticate';
import { createPreset, defaultPresetNames } from './presets.js';

/** Options of {@link createRecommendedPipeline} and `discover()`: the pipeline's own options plus the choice of strategies. */
export interface RecommendedPipelineOptions extends PipelineOptions {
  /**
   * Operator-pinned configuration per resource (an issuer, a metadata URL or the metadata itself),
   * validated on creation (`INVALID_CONFIG` naming the key). Runs first: it is authoritative. An
   * entry's `preset` adds that preset to the pipeline. Load a file with `loadStaticConfig(path)`.
   */
  readonly staticConfig?: StaticConfig | readonly StaticConfigEntry[] | undefined;
  /**
   * Strategies that run before everything else, in order — typically `staticConfig(…)` from
   * `@oauth-discovery/static-config`, or a preset of your own. Operator configuration is authoritative.
   */
  readonly first?: readonly DiscoveryStrategy[];
  /**
   * Built-in presets to run (by name), or `false` for none. Default: every built-in preset that needs no
   * configuration (`defaultPresetNames`); each one only acts on the resources and issuers it knows.
   */
  readonly presets?: readonly string[] | false | undefined;
  /**
   * Moves presets onto other origins: `{ 'https://mcp.atlassian.com': 'http://127.0.0.2:41234' }`.
   * For tests against loopback replicas and self-hosted deployments. Each preset takes the keys it names.
   */
  readonly presetHosts?: Readonly<Record<string, string>> | undefined;
  /**
   * When the caller passes no `WWW-Authenticate` challenge, send one unauthenticated MCP `initialize` to
   * the resource to get one (MCP 2025-11-25 §Authorization Server Location). Default true.
   */
  readonly probe?: boolean;
  /**
   * With no protected resource metadata and no issuer candidate, look for RFC 8414 / OIDC metadata at
   * the resource's origin and adopt the issuer it names (MCP 2025-03-26). Default true; traced when used.
   */
  readonly legacyOriginFallback?: boolean;
  /**
   * Run the `legacy-defaults` strategy last: the MCP 2025-03-26 default endpoints (`/authorize`,
   * `/token`, `/register`) at the resource's origin, only when every URL answered "not here"; the
   * result is marked `guessed`. Default true; `false` makes discovery fail with `DISCOVERY_FAILED`
   * instead.
   */
  readonly legacyDefaults?: boolean | undefined;
  /** @deprecated The old name of {@link RecommendedPipelineOptions.legacyDefaults}. */
  readonly lastResort?: boolean | undefined;
  /**
   * How many of the PRM's `authorization_servers` are considered, in order; the first usable one
   * wins. Default 5 (`DEFAULT_MAX_AUTHORIZATION_SERVERS` of `@oauth-discovery/rfc9728`).
   */
  readonly maxAuthorizationServers?: number;
  /**
   * How this client can get a client id (pre-registered clients per issuer, CIMD, DCR). When the
   * protected resource metadata lists several authorization servers, discovery takes a pinned one
   * first, then the first whose metadata validates and where this client can register, and the trace
   * says why each was taken or passed over. Default: unset, the first whose metadata validates.
   */
  readonly clientRegistration?: ClientRegistrationCapabilities;
}

/**
 * The strategies of the recommended pipeline, in the MCP 2025-11-25 order: static configuration, your
 * `first` strategies and presets first (cheap and authoritative), then the `WWW-Authenticate`
 * challenge, RFC 9728 protected resource metadata, RFC 8414 and OpenID Connect discovery, and the
 * MCP 2025-03-26 defaults last.
 *
 * @see https://modelcontextprotocol.io/specification/2025-11-25/basic/authorization#authorization-server-discovery
 */
export function recommendedStrategies(options: RecommendedPipelineOptions = {}): DiscoveryStrategy[] {
  // Validated before anything reads it, so a malformed configuration is INVALID_CONFIG, not a TypeError.
  const pinnedConfig = options.staticConfig === undefined ? undefined : staticConfig(options.staticConfig);
  const entries = pinnedConfig?.config.resources ?? [];
  const chosen = options.presets === false ? [] : (options.presets ?? defaultPresetNames);
  const pinned = entries.flatMap((entry) => (entry.preset === undefined ? [] : [entry.preset]));
  const presetNames = [...new Set([...chosen, ...pinned])];
  const fallback = {
    legacyOriginFallback: options.legacyOriginFallback ?? true,
    clientRegistration: options.clientRegistration,
  };
  return [
    ...(pinnedConfig === undefined ? [] : [pinnedConfig]),
    ...(options.first ?? []),
    ...presetNames.map((name) => createPreset(name, options.presetHosts)),
    wwwAuthenticate({ probe: options.probe ?? true }),
    rfc9728({ maxAuthorizationServers: options.maxAuthorizationServers }),
    rfc8414(fallback),
    oidc(fallback),
    ...((options.legacyDefaults ?? options.lastResort) === false ? [] : [legacyDefaults()]),
  ];
}

/**
 * Creates the recommended discovery pipeline. Reuse one pipeline for many discoveries: it keeps the
 * result cache, single flight and the HTTP connection pool. `close()` it when done.
 *
 * @example
 * ```ts
 * const pipeline = createRecommendedPipeline();
 * const result = await pipeline.discover('https://mcp.atlassian.com/v1/mcp');
 * console.log(result.authorizationServer.issuer);
 * await pipeline.close();
 * ```
 */
export function createRecommendedPipeline(options: RecommendedPipelineOptions = {}): Pipeline {
  const {
    staticConfig: _staticConfig,
    first: _first,
    presets: _presets,
    presetHosts: _presetHosts,
    probe: _probe,
    legacyOriginFallback: _legacyOriginFallback,
    legacyDefaults: _legacyDefaults,
    lastResort: _lastResort,
    maxAuthorizationServers: _maxAuthorizationServers,
    clientRegistration: _clientRegistration,
    ...pipelineOptions
  } = options;
  return createPipeline(recommendedStrategies(options), pipelineOptions);
}
