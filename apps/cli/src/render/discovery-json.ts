import type {
  AuthorizationServerMetadata,
  DiscoveryResult,
  DiscoveryTrace,
  HttpAttempt,
  IssuerCheck,
  ProtectedResourceMetadata,
  ProviderHints,
  TraceStep,
} from '@oauth-discovery/core';
import { describeError } from '../exit-codes.js';

/** One HTTP attempt in `--json` output; absent values are `null`, never missing. */
export interface AttemptJson {
  readonly method: 'GET' | 'POST';
  readonly url: string;
  readonly status: number | null;
  readonly durationMs: number;
  readonly error: { readonly code: string; readonly message: string } | null;
  /** `ok`, `http-error`, `error` or `aborted`. */
  readonly outcome: HttpAttempt['outcome'];
  readonly speculative: boolean;
  /** No request was sent for it: the pipeline reused a metadata document it already had or was fetching. */
  readonly cached: boolean;
}

/** One strategy step in `--json` output. */
export interface TraceStepJson {
  readonly strategy: string;
  readonly outcome: TraceStep['outcome'];
  readonly reason: string | null;
  readonly notes: readonly string[];
  readonly durationMs: number;
  readonly attempts: readonly AttemptJson[];
}

/** What the trace says about the whole discovery, beyond its steps. */
export interface TraceTotalsJson {
  /** Requests sent on the network (speculative ones included; reused documents not). */
  readonly requestCount: number;
  readonly durationMs: number;
  /** Security-weakening options in effect and used (e.g. `allowPrivateNetwork`, a loopback resource's range). */
  readonly relaxations: readonly string[];
  /** Speculative requests no step used (`--speculate`): what speculation cost the server. */
  readonly unusedSpeculation: readonly AttemptJson[];
}

/** What `discover --json` prints on success. */
export interface DiscoverJson {
  readonly resource: string;
  readonly authorizationServer: {
    readonly issuer: string;
    readonly metadataUrl: string | null;
    readonly metadata: AuthorizationServerMetadata;
    /** How the issuer was checked: `exact`, `alias`, `adopted`, `configured` or `guessed`. */
    readonly issuerCheck: IssuerCheck;
    /** The strategy that found it. */
    readonly source: string;
  };
  readonly resourceMetadata: { readonly url: string; readonly document: ProtectedResourceMetadata } | null;
  /** Scopes to request; `null` means the `scope` parameter is omitted. */
  readonly scopes: readonly string[] | null;
  readonly hints: ProviderHints;
  readonly guessed: boolean;
  readonly pkce: { readonly s256Advertised: boolean; readonly s256Usable: boolean };
  /** The result came from the discovery cache (its trace is the original discovery's). */
  readonly fromCache: boolean;
  readonly trace: readonly TraceStepJson[];
  readonly totals: TraceTotalsJson;
}

/** What `discover --json` prints on failure. */
export interface DiscoverErrorJson {
  readonly error: { readonly code: string; readonly message: string };
  readonly trace: readonly TraceStepJson[];
  /** `null` when the error carries no trace. */
  readonly totals: TraceTotalsJson | null;
}

function attemptJson(attempt: HttpAttempt): AttemptJson {
  return {
    method: attempt.method,
    url: attempt.url,
    status: attempt.status ?? null,
    durationMs: attempt.durationMs,
    error: attempt.error === undefined ? null : { code: attempt.error.code, message: attempt.error.message },
    outcome: attempt.outcome,
    speculative: attempt.speculative === true,
    cached: attempt.cached === true,
  };
}

/** The steps of a trace as `--json` prints them. */
export function traceJson(trace: DiscoveryTrace | undefined): TraceStepJson[] {
  return (trace?.steps ?? []).map((step) => ({
    strategy: step.strategy,
    outcome: step.outcome,
    reason: step.reason ?? null,
    notes: [...step.notes],
    durationMs: step.durationMs,
    attempts: step.attempts.map(attemptJson),
  }));
}

/** The trace's totals as `--json` prints them, or `null` without a trace. */
export function traceTotalsJson(trace: DiscoveryTrace | undefined): TraceTotalsJson | null {
  if (trace === undefined) return null;
  return {
    requestCount: trace.requestCount,
    durationMs: trace.durationMs,
    relaxations: [...trace.relaxations],
    unusedSpeculation: trace.unusedSpeculation.map(attemptJson),
  };
}

/** A discovery result as `--json` prints it. */
export function discoverJson(result: DiscoveryResult): DiscoverJson {
  const server = result.authorizationServer;
  return {
    resource: result.resource,
    authorizationServer: {
      issuer: server.issuer,
      metadataUrl: server.metadataUrl,
      metadata: server.metadata,
      issuerCheck: server.issuerCheck,
      source: server.source,
    },
    resourceMetadata:
      result.resourceMetadata === null
        ? null
        : { url: result.resourceMetadata.url, document: result.resourceMetadata.document },
    scopes: result.scopes === undefined ? null : [...result.scopes],
    hints: result.hints,
    guessed: result.guessed,
    pkce: result.pkce,
    fromCache: result.fromCache,
    trace: traceJson(result.trace),
    totals: traceTotalsJson(result.trace) as TraceTotalsJson,
  };
}

/** A failed command as `--json` prints it: the error's code and message, and the trace so far. */
export function errorJson(error: unknown): DiscoverErrorJson {
  const { code, message } = describeError(error);
  const trace = (error as { trace?: DiscoveryTrace } | null)?.trace;
  return { error: { code, message }, trace: traceJson(trace), totals: traceTotalsJson(trace) };
}
