import type { PresetDefinition, PresetFact } from '@oauth-discovery/core';

/**
 * What has been observed of Amazon Cognito user pools as MCP authorization servers, each with its date and source. When a fact stops holding, add the new one with its date rather than editing the old one.
 */
/** The regions whose user-pool issuers the preset knows (add one with a `hosts` override or a PR). */
export const COGNITO_REGIONS: readonly string[] = [
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
  'ca-central-1',
  'sa-east-1',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'eu-central-1',
  'eu-north-1',
  'eu-south-1',
  'ap-south-1',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'me-south-1',
  'af-south-1',
];

export const awsCognitoFacts: readonly PresetFact[] = [
  {
    id: 'pkce-not-advertised',
    statement:
      'The OpenID configuration of a user pool (https://cognito-idp.<region>.amazonaws.com/<poolId>) has no code_challenge_methods_supported, although PKCE with S256 works',
    observed: '2026',
    source:
      'https://github.com/anthropics/claude-ai-mcp/issues/946 (oauth-discovery docs/provider-quirks.md, quirk 10)',
  },
  {
    id: 'oidc-append-only',
    statement:
      'User pool metadata is served only by OpenID Connect appending (<issuer>/.well-known/openid-configuration)',
    observed: '2026',
    source:
      'oauth-discovery docs/provider-quirks.md, quirk 8 (path issuers found by appending; public reports)',
  },
  {
    id: 'hosted-ui-endpoints',
    statement:
      'The authorization and token endpoints are on the hosted-UI domain (https://<domain>.auth.<region>.amazoncognito.com), not on the issuer host',
    observed: '2026',
    source: 'https://github.com/anthropics/claude-ai-mcp/issues/946',
  },
  {
    id: 'no-offline-access',
    statement: 'offline_access is not a supported scope (refresh tokens come without it)',
    observed: '2026',
    source: 'https://github.com/anthropics/claude-ai-mcp/issues/946',
  },
  {
    id: 'no-dcr',
    statement: 'There is no dynamic client registration: an app client of the user pool is required',
    observed: '2026',
    source: 'https://github.com/anthropics/claude-ai-mcp/issues/946',
    evidence: 'thin',
  },
];

/**
 * Amazon Cognito as a preset: for user-pool issuers in the listed regions, only OIDC appending is tried, PKCE S256 is known to work, and a pre-registered app client is required.
 */
export const awsCognitoPreset: PresetDefinition = {
  name: 'aws-cognito',
  title: 'AWS Cognito',
  description:
    'Amazon Cognito user pools: OIDC appending only, PKCE S256 works but is not advertised, no offline_access, no DCR.',
  hosts: COGNITO_REGIONS.map((region) => `https://cognito-idp.${region}.amazonaws.com`),
  facts: awsCognitoFacts,
  issuerPolicies: COGNITO_REGIONS.map((region) => ({
    match: { prefix: `https://cognito-idp.${region}.amazonaws.com/` },
    metadataUrlKinds: ['oidc-append'],
    hints: {
      pkceS256KnownSupported: true,
      preregisteredClientMessage:
        'Amazon Cognito has no dynamic client registration: create an app client in the user pool (Amazon Cognito console, App integration) and configure its client id.',
    },
    facts: ['pkce-not-advertised', 'oidc-append-only', 'hosted-ui-endpoints', 'no-offline-access', 'no-dcr'],
  })),
};
