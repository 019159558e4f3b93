import type {
  AuthorizationServerMetadata,
  DiscoveryResult,
  HttpClient,
  Pipeline,
} from '@oauth-discovery/core';
import { createPipeline, oidc, rfc8414, staticConfig } from 'oauth-discovery';

/** What {@link createTeamIssuer} needs. */
export interface TeamIssuerOptions {
  /** The team issuer (`auth.issuer`). */
  readonly issuer: string;
  /** The aggregator's own resource (`<publicUrl>/mcp`), known once it listens. */
  readonly resource: () => string;
  /** The aggregator's SSRF-guarded client: every metadata request goes through it. */
  readonly http: HttpClient;
  /** Overall deadline of one discovery, in ms. */
  readonly deadlineMs?: number | undefined;
}

/**
 * The team issuer as a discovery result for the aggregator's own resource — what the flow engine and
 * the token verifier read. A pipeline of static configuration (the issuer pinned for the resource),
 * RFC 8414 and OpenID Connect Discovery fetches the issuer's metadata through core's HTTP client
 * (SSRF guard, `https:` except loopback) and accepts it only when it names exactly that issuer
 * (RFC 8414 §3.3). The result is kept until a discovery fails (then the next call tries again) or
 * the resource changes.
 *
 * @see https://www.rfc-editor.org/rfc/rfc8414#section-3
 * @see https://www.rfc-editor.org/rfc/rfc8414#section-3.3
 * @see https://openid.net/specs/openid-connect-discovery-1_0.html#ProviderConfig
 */
export function createTeamIssuer(options: TeamIssuerOptions) {
  let pipeline: { readonly resource: string; readonly pipeline: Pipeline } | undefined;
  let discovered: { readonly resource: string; readonly result: Promise<DiscoveryResult> } | undefined;

  function pipelineFor(resource: string): Pipeline {
    if (pipeline?.resource === resource) return pipeline.pipeline;
    void pipeline?.pipeline.close();
    const created = createPipeline(
      [staticConfig([{ resource, issuer: options.issuer }]), rfc8414(), oidc()],
      { httpClient: options.http, cache: false, deadlineMs: options.deadlineMs ?? 30_000 },
    );
    pipeline = { resource, pipeline: created };
    return created;
  }

  function discover(): Promise<DiscoveryResult> {
    const resource = options.resource();
    if (discovered?.resource === resource) return discovered.result;
    const result = pipelineFor(resource).discover(resource);
    discovered = { resource, result };
    result.catch(() => {
      if (discovered?.result === result) discovered = undefined;
    });
    return result;
  }

  return {
    discover,
    /** The issuer's authorization server metadata (of {@link discover}). */
    async metadata(): Promise<AuthorizationServerMetadata> {
      return (await discover()).authorizationServer.metadata;
    },
    close: (): Promise<void> => pipeline?.pipeline.close() ?? Promise.resolve(),
  };
}

/** The team issuer {@link createTeamIssuer} returns. */
export type TeamIssuer = ReturnType<typeof createTeamIssuer>;
