import type { DiscoveryError, DiscoveryResult } from '@oauth-discovery/core';
import type { ClientSource } from './store/types.js';

/**
 * Progress of an OAuth session, for display (the CLI prints these). Listeners must not throw; if
 * one does, the error is ignored.
 */
export type McpAuthEvent =
  /** Discovery finished: the session's first one (`initial`, itself started by the resource's challenge) or a later one after a 401/403 (`challenge`). */
  | {
      readonly type: 'discovered';
      readonly result: DiscoveryResult;
      readonly reason: 'initial' | 'challenge';
    }
  /** A client id was chosen for the authorization server (registered now when `fresh`). */
  | {
      readonly type: 'client';
      readonly issuer: string;
      readonly clientId: string;
      readonly source: ClientSource;
      readonly fresh: boolean;
    }
  /**
   * The usual callback port was taken, so the loopback callback listens on a free one: its redirect
   * URI differs, and a client registered for the usual one does not fit (a new registration follows).
   */
  | { readonly type: 'callback-port-taken'; readonly port: number; readonly redirectUri: string }
  /** An authorization request starts; `url` is what a browser must open (printed when none opens). */
  | {
      readonly type: 'authorization-started';
      readonly url: string;
      readonly redirectUri: string;
      readonly headless: boolean;
    }
  /** Tokens were obtained with an authorization code. */
  | { readonly type: 'authorized'; readonly issuer: string; readonly scope: string | undefined }
  /** Tokens were refreshed (before expiry, or after a 401). */
  | { readonly type: 'refreshed'; readonly issuer: string }
  /** A refresh was refused; the stored refresh token is kept and marked. */
  | { readonly type: 'refresh-failed'; readonly issuer: string; readonly error: DiscoveryError }
  /** A 403 `insufficient_scope` led to a new authorization with a larger scope. */
  | { readonly type: 'step-up'; readonly scope: string; readonly count: number; readonly limit: number };

/** A listener of {@link McpAuthEvent}s. */
export type McpAuthEventListener = (event: McpAuthEvent) => void;

/** Wraps a listener so that a throwing listener cannot break the flow. */
export function safeListener(listener: McpAuthEventListener | undefined): McpAuthEventListener {
  return (event) => {
    try {
      listener?.(event);
    } catch {
      // Display problems must never fail an authorization.
    }
  };
}
