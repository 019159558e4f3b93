import type { DiscoveryTrace } from '@oauth-discovery/core';
import type { UpstreamError } from './upstream-error.js';
import type { UpstreamState } from './upstream-state.js';

/** What `upstream_status` and `GET /status` show for one upstream. */
export interface UpstreamStatus {
  readonly name: string;
  readonly url: string;
  readonly auth: 'none' | 'bearer' | 'oauth';
  readonly state: UpstreamState;
  /** ISO time the state was entered. */
  readonly since: string;
  /** The authorization server, once discovered. */
  readonly issuer?: string | undefined;
  /**
   * The endpoints are the MCP 2025-03-26 defaults, not published metadata: used only after a person
   * ran `auth_login` (or with tokens from such a login).
   */
  readonly guessed?: true | undefined;
  /** Number of tools re-exposed (connected only). */
  readonly tools: number;
  /** The last error: why it failed, or why a login is needed. */
  readonly error?: UpstreamError | undefined;
  /** The discovery trace, when discovery failed. */
  readonly trace?: DiscoveryTrace | undefined;
  /** ISO time of the next automatic retry, when one is scheduled. */
  readonly retryAt?: string | undefined;
  /** What to do now, for a person or a model. */
  readonly action?: string | undefined;
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

/** What an upstream knows about itself, for {@link describeStatus}: its status before the action is worded. */
export interface UpstreamFacts extends Omit<UpstreamStatus, 'guessed' | 'action'> {
  readonly guessed?: boolean | undefined;
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
    issuer,
    guessed: guessed ? true : undefined,
    tools,
    error,
    trace: state === 'failed' ? trace : undefined,
    retryAt: state === 'failed' ? retryAt : undefined,
    action,
  };
}
