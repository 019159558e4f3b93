import type { DiscoveryResult } from '@oauth-discovery/core';
import { assertGrantCredentials } from './client-auth.js';
import { createClientCredentialsRunner, type GrantRunner, grantApplies } from './client-credentials.js';
import { assertJwtBearerOptions, createJwtBearerRunner } from './jwt-bearer.js';
import type { GrantOptions } from './options.js';
import { assertTokenExchangeOptions, createTokenExchangeRunner } from './token-exchange.js';

/** The runner of a grant, by its `type`. */
export function createGrantRunner(grant: GrantOptions): GrantRunner {
  if (grant.type === 'jwt-bearer') return createJwtBearerRunner(grant);
  if (grant.type === 'token-exchange') return createTokenExchangeRunner(grant);
  return createClientCredentialsRunner(grant);
}

/**
 * Whether the session runs the grant for this authorization server: the JWT-bearer grants always,
 * client credentials as its `when` says.
 */
export function runsGrant(grant: GrantOptions, result: DiscoveryResult): boolean {
  return grant.type === 'client_credentials' ? grantApplies(grant, result) : true;
}

/**
 * A grant's options are complete, checked when they are given (before any request).
 *
 * @throws {DiscoveryError} `INVALID_CONFIG`.
 */
export function assertGrantOptions(grant: GrantOptions): void {
  if (grant.type === 'jwt-bearer') assertJwtBearerOptions(grant);
  else if (grant.type === 'token-exchange') assertTokenExchangeOptions(grant);
  else assertGrantCredentials(grant);
}
