import type { Discoverer, DiscoverOptions, DiscoveryResult } from '@oauth-discovery/core';
import { httpSourceOf } from '@oauth-discovery/core/http';
import { discover, type OneShotDiscoverOptions } from 'oauth-discovery';
import type { Configuration } from 'openid-client';
import {
  type OpenidClientCredentials,
  type ToConfigurationOptions,
  toOpenidClientConfiguration,
} from './configuration.js';

/** Core's {@link Discoverer}, re-exported where it was first declared. */
export type { Discoverer };

/**
 * Options of {@link discoverConfiguration}: discovery options and conversion options. An `http` that is
 * an `HttpClient` instance is used for discovery and for openid-client's requests alike.
 */
export interface DiscoverConfigurationOptions
  extends OneShotDiscoverOptions,
    Omit<ToConfigurationOptions, 'http'> {
  /**
   * Discover with this pipeline (reuses its cache and connections); the other discovery options are
   * then ignored except `challenge`, `challengeStatus`, `signal` and `noCache`. Default: a one-shot
   * recommended pipeline built from these options.
   */
  readonly pipeline?: Discoverer;
}

/** What {@link discoverConfiguration} returns: the openid-client configuration and the result it came from. */
export interface DiscoveredConfiguration {
  readonly configuration: Configuration;
  /** The discovery result, for `authorizationParameters` / `tokenParameters`, the scopes and the trace. */
  readonly result: DiscoveryResult;
  /** Security relaxations applied by the conversion (e.g. {@link LOOPBACK_HTTP_RELAXATION}). */
  readonly relaxations: readonly string[];
}

/**
 * Finds the authorization server of a protected resource (an MCP server URL) with our discovery
 * pipeline, then builds the openid-client `Configuration` for it — one call instead of openid-client's
 * `discovery()`, which only knows the issuer and checks it strictly.
 *
 * @throws {DiscoveryError} any discovery error (with its `trace`), or a conversion error.
 * @see https://modelcontextprotocol.io/specification/2025-11-25/basic/authorization#authorization-server-discovery
 */
export async function discoverConfiguration(
  resource: string | URL,
  client: OpenidClientCredentials,
  options: DiscoverConfigurationOptions = {},
): Promise<DiscoveredConfiguration> {
  const { pipeline, allowInsecureLoopback, init, timeoutSeconds, onRelaxation, ...discovery } = options;
  const source = httpSourceOf(discovery);
  const http = 'client' in source ? source.client : undefined;
  const { challenge, challengeStatus, signal, noCache } = discovery;
  const call: DiscoverOptions = { challenge, challengeStatus, signal, noCache };
  const result = pipeline ? await pipeline.discover(resource, call) : await discover(resource, discovery);
  const relaxations: string[] = [];
  const configuration = toOpenidClientConfiguration(result, client, {
    allowInsecureLoopback,
    http,
    init,
    timeoutSeconds,
    onRelaxation: (relaxation) => {
      relaxations.push(relaxation);
      onRelaxation?.(relaxation);
    },
  });
  return { configuration, result, relaxations };
}
