import { discoverOAuthServerInfo } from '@modelcontextprotocol/sdk/client/auth.js';
import { isDiscoveryError, type Pipeline } from '@oauth-discovery/core';
import { createRecommendedPipeline } from 'oauth-discovery';
import type { FirstResponse } from './challenge.js';
import type { Answer } from './types.js';

/** What one discovery by one contender gave. */
export interface RunOutcome {
  readonly answer: Answer;
  /** Speculative requests nobody used (ours only). */
  readonly unusedSpeculation: number;
}

/** One way to discover, reused for every run in one world so connection pools are warm for all. */
export interface Contender {
  readonly key: 'ours' | 'oursSpeculative' | 'sdk';
  discover(resource: string, first: FirstResponse): Promise<RunOutcome>;
  close(): Promise<void>;
}

function errorAnswer(error: unknown): Answer {
  if (isDiscoveryError(error)) return { kind: 'error', error: error.code };
  return { kind: 'error', error: error instanceof Error ? error.message : String(error) };
}

/**
 * Our recommended pipeline, given the 401 the client already holds (so no probe), with the cache off so
 * every run discovers for real: `ours` is the default (the spec's order, one request at a time),
 * `oursSpeculative` the same pipeline with `speculate: true`.
 */
export function oursContender(options: { readonly speculate: boolean }): Contender {
  const pipeline: Pipeline = createRecommendedPipeline({
    speculate: options.speculate,
    probe: false,
    cache: false,
  });
  return {
    key: options.speculate ? 'oursSpeculative' : 'ours',
    async discover(resource, first) {
      try {
        const result = await pipeline.discover(resource, {
          challenge: first.wwwAuthenticate,
          challengeStatus: first.status,
        });
        return {
          answer: result.guessed
            ? { kind: 'guessed' }
            : { kind: 'metadata', issuer: result.authorizationServer.issuer },
          unusedSpeculation: result.trace.unusedSpeculation.length,
        };
      } catch (error) {
        const unused = isDiscoveryError(error) ? (error.trace?.unusedSpeculation.length ?? 0) : 0;
        return { answer: errorAnswer(error), unusedSpeculation: unused };
      }
    },
    close: () => pipeline.close(),
  };
}

/**
 * The MCP TypeScript SDK's `discoverOAuthServerInfo`, called the way its own `auth()` calls it: with
 * the `resource_metadata` URL its `extractWWWAuthenticateParams` read from the 401, and Node's fetch.
 */
export function sdkContender(): Contender {
  return {
    key: 'sdk',
    async discover(resource, first) {
      try {
        const info = await discoverOAuthServerInfo(
          resource,
          first.sdkResourceMetadataUrl ? { resourceMetadataUrl: first.sdkResourceMetadataUrl } : {},
        );
        const metadata = info.authorizationServerMetadata;
        return {
          answer: metadata ? { kind: 'metadata', issuer: metadata.issuer } : { kind: 'none' },
          unusedSpeculation: 0,
        };
      } catch (error) {
        return { answer: errorAnswer(error), unusedSpeculation: 0 };
      }
    },
    close: async () => {},
  };
}
