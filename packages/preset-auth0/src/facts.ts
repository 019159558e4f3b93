import type { PresetDefinition, PresetFact } from '@oauth-discovery/core';

/**
 * What has been observed of Auth0 (and Okta) as an MCP authorization server, each with its date and source. When a fact stops holding, add the new one with its date rather than editing the old one.
 */
/** Stands for your Auth0 tenant until the `domain` option (or a `hosts` override) replaces it. */
export const AUTH0_PLACEHOLDER = 'https://tenant.auth0.invalid';

export const auth0Facts: readonly PresetFact[] = [
  {
    id: 'audience-required',
    statement:
      'Auth0 issues an access token for an API only when the authorization request names it in an audience parameter; without it the token is opaque or for the userinfo endpoint',
    observed: '2026',
    source: 'https://github.com/modelcontextprotocol/modelcontextprotocol/issues/695',
  },
  {
    id: 'okta-dcr-api-token',
    statement: 'Okta dynamic client registration needs an API token, so an MCP client cannot register itself',
    observed: '2026',
    source: 'https://github.com/modelcontextprotocol/modelcontextprotocol/issues/695',
  },
  {
    id: 'issuer-trailing-slash',
    statement: 'Auth0 issuers end with a slash (https://<tenant>.auth0.com/)',
    observed: '2026',
    source: 'Auth0 OpenID configuration documents (oauth-discovery docs/provider-quirks.md, quirk 6)',
    evidence: 'thin',
  },
];

/**
 * Auth0 as a preset: an issuer policy for the tenant (`domain` option) adding the `audience` authorization parameter Auth0 needs (`audience` option). Until `domain` is set it names the placeholder `https://tenant.auth0.invalid` and so applies to no real issuer.
 */
export const auth0Preset: PresetDefinition = {
  name: 'auth0',
  title: 'Auth0',
  description:
    'Auth0 tenants: the authorization request needs an audience parameter (configure domain and audience).',
  hosts: [AUTH0_PLACEHOLDER],
  facts: auth0Facts,
  issuerPolicies: [
    {
      match: { prefix: AUTH0_PLACEHOLDER },
      facts: ['audience-required', 'okta-dcr-api-token', 'issuer-trailing-slash'],
    },
  ],
};
