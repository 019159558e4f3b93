import type {
  DiscoveryError,
  DiscoveryResult,
  DiscoveryState,
  DiscoveryStrategy,
  DiscoveryTrace,
  TraceStep,
} from '@oauth-discovery/core';
import { assert } from 'vitest';

/** A strategy that puts a parsed challenge with `resource_metadata` into the state (stands in for www-authenticate). */
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

/** The step of `strategy` in a trace; fails the test when it is missing. */
export function stepOf(trace: DiscoveryTrace | undefined, strategy: string): TraceStep {
  const step = trace?.steps.find((s) => s.strategy === strategy);
  if (step === undefined) return assert.fail(`no ${strategy} step in the trace`);
  return step;
}

/** The URLs a step requested, in order. */
export function urlsOf(step: TraceStep): string[] {
  return step.attempts.map((a) => a.url);
}

/** Awaits a promise that must reject and returns the DiscoveryError. */
export async function rejection(promise: Promise<DiscoveryResult>): Promise<DiscoveryError> {
  try {
    await promise;
  } catch (error) {
    return error as DiscoveryError;
  }
  return assert.fail('expected the discovery to fail');
}
