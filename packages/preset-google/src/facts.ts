import type { PresetDefinition, PresetFact } from '@oauth-discovery/core/preset';

/**
 * What has been observed of Google (accounts.google.com) as the authorization server of Google's MCP servers, each with its date and source. When a fact stops holding, add the new one with its date rather than editing the old one.
 */
export const googleFacts: readonly PresetFact[] = [
  {
    id: 'prm-trailing-slash',
    statement:
      'The PRM of Google products (Compute and others) names https://accounts.google.com/ with a trailing slash; the metadata issuer has none',
    observed: '2026-01',
    source: 'authprobe example scan (2026-01)',
  },
  {
    id: 'oidc-only',
    statement:
      'accounts.google.com publishes OpenID Connect discovery only (<issuer>/.well-known/openid-configuration); the RFC 8414 URL is 404',
    observed: '2026-01',
    source: 'authprobe example scan (2026-01)',
  },
  {
    id: 'no-dcr',
    statement: 'There is no dynamic client registration: a Google Cloud OAuth client is required',
    observed: '2026',
    source: 'oauth-discovery docs/provider-quirks.md, quirk 12 (no dynamic registration; public reports)',
  },
];

/**
 * Google as a preset: for the issuer https://accounts.google.com (with or without the trailing slash), whatever the resource, only OIDC appending is tried, and the message says where to create the OAuth client.
 */
export const googlePreset: PresetDefinition = {
  name: 'google',
  title: 'Google',
  description:
    'Google (accounts.google.com): OpenID Connect discovery only, trailing-slash issuer in PRMs, no DCR.',
  hosts: ['https://accounts.google.com'],
  facts: googleFacts,
  issuerPolicies: [
    {
      match: { prefix: 'https://accounts.google.com' },
      metadataUrlKinds: ['oidc-append'],
      hints: {
        preregisteredClientMessage:
          'Google has no dynamic client registration: create an OAuth client ID in the Google Cloud console (APIs & Services, Credentials) and configure it.',
      },
      facts: ['prm-trailing-slash', 'oidc-only', 'no-dcr'],
    },
  ],
};
