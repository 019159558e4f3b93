import type { DiscoveryTrace } from '@oauth-discovery/core';
import type { UpstreamError } from './upstream-error.js';

/**
 * Where an upstream is: `discovering` its authorization server, `auth_required` (a person must run
 * `auth_login`), `connecting`, `connected` (its tools are listed), or `failed` (with the error code, the
 * discovery trace when discovery failed, and when it retries).
 */
export type UpstreamState = 'discovering' | 'auth_required' | 'connecting' | 'connected' | 'failed';

/**
 * The state machine: which states may follow each (a state may be re-entered, e.g. a retry that fails
 * again). `discovering` only comes before the authorization server is known; once known, it stays known.
 * docs/aggregator.md "Upstream states" is the same table in words.
 */
export const TRANSITIONS = {
  discovering: ['discovering', 'auth_required', 'connecting', 'failed'],
  auth_required: ['auth_required', 'connecting', 'failed'],
  connecting: ['connecting', 'connected', 'auth_required', 'failed'],
  connected: ['connecting', 'auth_required', 'failed'],
  failed: ['failed', 'discovering', 'auth_required', 'connecting'],
} as const satisfies Readonly<Record<UpstreamState, readonly UpstreamState[]>>;

/** True when the table allows `from` → `to`. */
export function canTransition(from: UpstreamState, to: UpstreamState): boolean {
  return (TRANSITIONS[from] as readonly UpstreamState[]).includes(to);
}

/** What `upstream_status` and `GET /status` show for one upstream. */
export interface UpstreamStatus {
  readonly name: string;
  readonly url: string;
  readonly auth: 'none' | 'bearer' | 'oauth';
  readonly state: UpstreamState;
  /** ISO time the state was entered. */
  readonly since: string;
  /** The authorization server, once discovered. */
  readonly issuer?: string;
  /**
   * The endpoints are the MCP 2025-03-26 defaults, not published metadata: used only after a person
   * ran `auth_login` (or with tokens from such a login).
   */
  readonly guessed?: true;
  /** Number of tools re-exposed (connected only). */
  readonly tools: number;
  /** The last error: why it failed, or why a login is needed. */
  readonly error?: UpstreamError;
  /** The discovery trace, when discovery failed. */
  readonly trace?: DiscoveryTrace;
  /** ISO time of the next automatic retry, when one is scheduled. */
  readonly retryAt?: string;
  /** What to do now, for a person or a model. */
  readonly action?: string;
}

/** The sentence telling a caller what to do about an upstream in `state`. */
export function actionFor(
  name: string,
  state: UpstreamState,
  retryAt: string | undefined,
): string | undefined {
  switch (state) {
    case 'connected':
      return undefined;
    case 'auth_required':
      return `call the auth_login tool with {"upstream":"${name}"}, open the URL it returns and approve; the upstream then connects by itself`;
    case 'discovering':
    case 'connecting':
      return 'it is being set up; retry in a moment (see upstream_status)';
    case 'failed':
      return retryAt === undefined
        ? 'it does not retry by itself: fix the cause (see error and trace in upstream_status) and restart the aggregator'
        : `it retries by itself at ${retryAt}; see upstream_status for the error`;
  }
}

/** What an upstream knows about itself, for {@link describeStatus}. */
export interface UpstreamFacts {
  readonly name: string;
  readonly url: string;
  readonly auth: UpstreamStatus['auth'];
  readonly state: UpstreamState;
  readonly since: string;
  readonly issuer?: string | undefined;
  readonly guessed?: boolean | undefined;
  readonly tools: number;
  readonly error?: UpstreamError | undefined;
  readonly trace?: DiscoveryTrace | undefined;
  readonly retryAt?: string | undefined;
}

/** The status `upstream_status` and `GET /status` show: the trace and `retryAt` only while failed. */
export function describeStatus(facts: UpstreamFacts): UpstreamStatus {
  const { name, url, auth, state, since, issuer, guessed, tools, error, trace, retryAt } = facts;
  const action = actionFor(name, state, retryAt);
  return {
    name,
    url,
    auth,
    state,
    since,
    ...(issuer === undefined ? {} : { issuer }),
    ...(guessed ? { guessed: true as const } : {}),
    tools,
    ...(error ? { error } : {}),
    ...(state === 'failed' && trace ? { trace } : {}),
    ...(retryAt && state === 'failed' ? { retryAt } : {}),
    ...(action === undefined ? {} : { action }),
  };
}
