import type {
  DiscoveryError,
  DiscoveryResult,
  DiscoveryStrategy,
  DiscoveryTrace,
  IssuerCandidate,
  IssuerPolicy,
  TraceStep,
} from '@oauth-discovery/core';
import { assert } from 'vitest';

/**
 * A strategy that contributes issuer candidates (as `rfc9728` would, source `rfc9728` unless given) and,
 * with `prmUrl`, a minimal protected resource metadata naming them.
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
        ...(options.policies === undefined ? {} : { issuerPolicies: options.policies }),
        ...(options.prmUrl === undefined
          ? {}
          : {
              resourceMetadata: {
                url: options.prmUrl,
                document: { resource, authorization_servers: candidates.map((c) => c.issuer) },
              },
            }),
      },
    }),
  };
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
