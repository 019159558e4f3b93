import type { Route, World, WorldSpec } from './world-types.js';

/** Options every shape factory takes. */
export interface ShapeOptions {
  /** Per-request latency of every origin of the world (default `0`). */
  readonly latencyMs?: number;
}

/**
 * What a correct discovery must find in a shape's world. Functions take the running world because
 * URLs carry ports known only after `startWorld`. `undefined` means "there is none".
 */
export interface ShapeExpectation {
  /** The resource URL a client starts from (`world.url('mcp', resourcePath)`). */
  readonly resource: (world: World) => string;
  /** Where the PRM is served, or `undefined` when there is none. */
  readonly resourceMetadataUrl: (world: World) => string | undefined;
  /** `authorization_servers` of the PRM (empty without PRM). */
  readonly authorizationServers: (world: World) => string[];
  /** The `issuer` value of the AS metadata that discovery should end with. */
  readonly issuer: (world: World) => string | undefined;
  /** The URL that AS metadata is served from. */
  readonly metadataUrl: (world: World) => string | undefined;
  /** The scopes a client should request (challenge `scope`, else PRM `scopes_supported`). */
  readonly scopes: readonly string[] | undefined;
  /** Whether the AS metadata lists `S256` in `code_challenge_methods_supported`. */
  readonly pkceAdvertised: boolean;
  /** Whether the AS metadata has a `registration_endpoint`. */
  readonly registration: boolean;
}

/**
 * A ready-made world: start it with `startWorld(shape.spec)`. The protected resource is always on the
 * origin named `mcp`, at `resourcePath`.
 */
export interface WorldShape {
  readonly name: string;
  readonly spec: WorldSpec;
  readonly resourceOrigin: 'mcp';
  readonly resourcePath: string;
  readonly expect: ShapeExpectation;
}

/** Routes of one origin. */
export type Routes = Record<string, Route>;
