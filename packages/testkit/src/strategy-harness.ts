import { AssertionError } from 'node:assert';
import {
  type Contribution,
  createPipeline,
  type DiscoveryError,
  type DiscoveryResult,
  type DiscoveryState,
  type DiscoveryStrategy,
  type DiscoveryTrace,
  type HttpClient,
  type IssuerCandidate,
  type IssuerPolicy,
  isDiscoveryError,
  type Pipeline,
  type PipelineOptions,
  type StrategyContext,
  type StrategyOutcome,
  type TraceStep,
} from '@oauth-discovery/core';
import { initialState } from '@oauth-discovery/core/strategy-kit';
import { startWorld } from './world.js';
import type { World, WorldSpec } from './world-types.js';

/** What a strategy test starts; {@link TestScope.close} closes all of it (call it in `afterEach`). */
export interface TestScope {
  /** Starts a world (a spec, or a shape with its `spec`); closed by {@link TestScope.close}. */
  world(spec: WorldSpec | { readonly spec: WorldSpec }): Promise<World>;
  /** A pipeline over `strategies` with no cache and no speculation unless `options` say otherwise. */
  pipeline(strategies: readonly DiscoveryStrategy[], options?: PipelineOptions): Pipeline;
  /** Closes every pipeline, then every world, started since the last call. */
  close(): Promise<void>;
}

/**
 * Keeps track of the worlds and pipelines a test starts, so one `afterEach(() => scope.close())`
 * closes them all:
 *
 * ```ts
 * const scope = testScope();
 * afterEach(() => scope.close());
 * ```
 */
export function testScope(): TestScope {
  const worlds: World[] = [];
  const pipelines: Pipeline[] = [];
  return {
    async world(spec) {
      const started = await startWorld('spec' in spec ? spec.spec : spec);
      worlds.push(started);
      return started;
    },
    pipeline(strategies, options = {}) {
      const created = createPipeline([...strategies], { cache: false, speculate: false, ...options });
      pipelines.push(created);
      return created;
    },
    async close() {
      await Promise.all(pipelines.splice(0).map((p) => p.close()));
      await Promise.all(worlds.splice(0).map((w) => w.close()));
    },
  };
}

/** A strategy that puts a parsed challenge with `resource_metadata` into the state (stands in for `www-authenticate`). */
export function givenChallenge(resourceMetadata: string): DiscoveryStrategy {
  return {
    name: 'given-challenge',
    contributes: ['challenge'],
    run: async () => ({
      status: 'found',
      contribution: {
        challenge: { scheme: 'Bearer', resourceMetadata, params: { resource_metadata: resourceMetadata } },
      },
    }),
  };
}

/**
 * A strategy that contributes issuer candidates (as `rfc9728` would: source `rfc9728` unless given),
 * optional issuer policies and, with `prmUrl`, a minimal protected resource metadata naming them.
 */
export function givenCandidates(
  resource: string,
  issuers: readonly (string | IssuerCandidate)[],
  options: { readonly prmUrl?: string; readonly policies?: readonly IssuerPolicy[] } = {},
): DiscoveryStrategy {
  const candidates = issuers.map((c) => (typeof c === 'string' ? { issuer: c, source: 'rfc9728' } : c));
  return {
    name: 'given',
    run: async () => ({
      status: 'found',
      contribution: {
        issuers: candidates,
        issuerPolicies: options.policies,
        resourceMetadata:
          options.prmUrl === undefined
            ? undefined
            : {
                url: options.prmUrl,
                document: { resource, authorization_servers: candidates.map((c) => c.issuer) },
              },
      },
    }),
  };
}

/** A last strategy that records the state it is given and ends the discovery, so tests can inspect the state. */
export function captureState(): { strategy: DiscoveryStrategy; states: DiscoveryState[] } {
  const states: DiscoveryState[] = [];
  const strategy: DiscoveryStrategy = {
    name: 'capture',
    run: async (ctx) => {
      states.push(ctx.state);
      return {
        status: 'found',
        contribution: {
          authorizationServer: {
            issuer: 'https://captured.invalid',
            metadataUrl: null,
            metadata: { issuer: 'https://captured.invalid' },
            issuerCheck: 'configured',
            source: 'capture',
          },
        },
      };
    },
  };
  return { strategy, states };
}

/**
 * A discovery state for `resource` as the runner would build it after `contributions` (issuer
 * candidates and issuer policies appended in order; nothing else is merged). For calling a strategy's
 * `run` directly, without a pipeline.
 */
export function stateWith(
  resource: string,
  ...contributions: readonly (Contribution | undefined)[]
): DiscoveryState {
  return {
    ...initialState(resource, undefined, undefined),
    issuers: contributions.flatMap((c) => c?.issuers ?? []),
    issuerPolicies: contributions.flatMap((c) => c?.issuerPolicies ?? []),
  };
}

/** A strategy context over `state` and `http` whose `note`s are collected in `notes`. */
export function strategyContext(
  state: DiscoveryState,
  http: HttpClient,
  signal: AbortSignal = new AbortController().signal,
): StrategyContext & { readonly notes: string[] } {
  const notes: string[] = [];
  return { state, http, signal, notes, note: (message) => notes.push(message) };
}

/** The outcome of a strategy that must be `found`; throws an `AssertionError` with the reason otherwise. */
export function found(outcome: StrategyOutcome): Extract<StrategyOutcome, { status: 'found' }> {
  if (outcome.status !== 'found') {
    throw new AssertionError({ message: `expected found, got ${outcome.status}: ${outcome.reason}` });
  }
  return outcome;
}

/** The step of `strategy` in a trace; throws an `AssertionError` naming the steps when it is missing. */
export function stepOf(trace: DiscoveryTrace | undefined, strategy: string): TraceStep {
  const step = trace?.steps.find((s) => s.strategy === strategy);
  if (step === undefined) {
    const steps = trace?.steps.map((s) => s.strategy).join(', ') ?? 'no trace';
    throw new AssertionError({ message: `no ${strategy} step in the trace (steps: ${steps})` });
  }
  return step;
}

/** The URLs a step requested, in order. */
export function urlsOf(step: TraceStep): string[] {
  return step.attempts.map((a) => a.url);
}

/** Every URL the trace says was requested (consumed by a strategy), in step order. */
export function tracedUrls(trace: DiscoveryTrace): string[] {
  return trace.steps.flatMap(urlsOf);
}

/** Awaits a discovery that must fail with a `DiscoveryError` and returns it; throws an `AssertionError` otherwise. */
export async function rejection(promise: Promise<DiscoveryResult>): Promise<DiscoveryError> {
  let result: DiscoveryResult;
  try {
    result = await promise;
  } catch (error) {
    if (isDiscoveryError(error)) return error;
    throw new AssertionError({ message: `expected a DiscoveryError, got ${String(error)}` });
  }
  throw new AssertionError({
    message: `expected the discovery to fail, it found ${result.authorizationServer.issuer}`,
  });
}
