import {
  atlassianAuthV2World,
  atlassianV1World,
  entraWorld,
  noMetadataWorld,
  oidcOnlyWorld,
  pathIssuerAppendOnlyWorld,
  pathIssuerInsertionWorld,
  prmPathAwareWorld,
  prmRootWorld,
  resourceMetadataHeaderWorld,
  type WorldShape,
} from '@oauth-discovery/testkit';

/** A testkit world the benchmark runs, and the length of its longest chain of dependent requests. */
export interface BenchWorld {
  /** The shape's name (`prm-root`, `atlassian-v1`, …). */
  readonly name: string;
  /** The shape with every origin answering after `latencyMs`. */
  readonly make: (latencyMs: number) => WorldShape;
  /**
   * Round trips that truly depend on each other once the client holds the 401: PRM → its authorization
   * server's metadata is 2; a world with no PRM, where every probe is known up front, is 1.
   */
  readonly chain: number;
}

/**
 * The shape matrix of issue 6 (PRM root, PRM path-aware, `resource_metadata` header, Atlassian v1,
 * path issuer by insertion, path issuer only by appending, OIDC only, no metadata) plus two provider
 * shapes with a path issuer (Atlassian authv2 tenant, Microsoft Entra).
 */
export const benchWorlds: readonly BenchWorld[] = [
  { name: 'prm-root', make: (latencyMs) => prmRootWorld({ latencyMs }), chain: 2 },
  { name: 'prm-path-aware', make: (latencyMs) => prmPathAwareWorld({ latencyMs }), chain: 2 },
  {
    name: 'resource-metadata-header',
    make: (latencyMs) => resourceMetadataHeaderWorld({ latencyMs }),
    chain: 2,
  },
  { name: 'atlassian-v1', make: (latencyMs) => atlassianV1World({ latencyMs }), chain: 1 },
  { name: 'path-issuer-insertion', make: (latencyMs) => pathIssuerInsertionWorld({ latencyMs }), chain: 2 },
  {
    name: 'path-issuer-append-only',
    make: (latencyMs) => pathIssuerAppendOnlyWorld({ latencyMs }),
    chain: 2,
  },
  { name: 'oidc-only', make: (latencyMs) => oidcOnlyWorld({ latencyMs }), chain: 2 },
  { name: 'no-metadata', make: (latencyMs) => noMetadataWorld({ latencyMs }), chain: 1 },
  { name: 'atlassian-authv2', make: (latencyMs) => atlassianAuthV2World({ latencyMs }), chain: 2 },
  { name: 'entra', make: (latencyMs) => entraWorld({ latencyMs }), chain: 2 },
];
