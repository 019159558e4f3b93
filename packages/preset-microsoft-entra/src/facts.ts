import type { PresetDefinition, PresetFact } from '@oauth-discovery/core';

const PUBLISHED =
  'oauth-discovery docs/provider-quirks.md, "What providers publish: Microsoft Entra ID" (compiled from public reports)';

/** The origin of every Microsoft Entra ID issuer (`https://login.microsoftonline.com/<tenant>/v2.0`). */
export const ENTRA_ORIGIN = 'https://login.microsoftonline.com';

/**
 * What has been observed of Microsoft Entra ID as an MCP authorization server, each with its date and
 * source. When a fact stops holding, add the new one with its date rather than editing the old one.
 */
export const entraFacts: readonly PresetFact[] = [
  {
    id: 'oidc-append-only',
    statement:
      'Entra issuers are https://login.microsoftonline.com/<tenant>/v2.0 and publish metadata only by OIDC appending (<issuer>/.well-known/openid-configuration); the RFC 8414 URLs are 404',
    observed: '2025-08-01',
    source: `https://github.com/modelcontextprotocol/typescript-sdk/issues/832; ${PUBLISHED}`,
  },
  {
    id: 'pkce-not-advertised',
    statement: 'The metadata has no code_challenge_methods_supported, although PKCE with S256 works',
    observed: '2025-08-01',
    source: 'https://github.com/modelcontextprotocol/typescript-sdk/issues/832',
  },
  {
    id: 'resource-parameter-rejected',
    statement:
      "Sending the RFC 8707 resource parameter fails (AADSTS9010010) unless it equals the app's identifier URI exactly",
    observed: '2026-04-24',
    source: 'https://github.com/anthropics/claude-code/issues/52871',
  },
  {
    id: 'resource-parameter-strict',
    statement:
      'The resource parameter rejection (AADSTS9010010) became strict around 2026-03; v2 access tokens carry the client id as aud',
    observed: '2026-03',
    source:
      'https://github.com/modelcontextprotocol/csharp-sdk/issues/1801; https://github.com/agentgateway/agentgateway/issues/2408',
  },
  {
    id: 'no-dynamic-registration',
    statement:
      'There is no dynamic client registration: an app registration (pre-registered client id) is required',
    observed: '2026-08-06',
    source: `https://github.com/anthropics/claude-ai-mcp/issues/786; ${PUBLISHED}`,
  },
];

/**
 * Microsoft Entra ID as a preset. It matches **issuers**, not resources: a policy for every issuer under
 * `https://login.microsoftonline.com/` — try only OIDC appending, PKCE S256 known supported, omit the
 * `resource` parameter, pre-registered client required — contributed for every resource, so it applies
 * whenever protected resource metadata (or configuration) names an Entra issuer.
 *
 * @see https://openid.net/specs/openid-connect-discovery-1_0.html#ProviderConfig
 */
export const entraPreset: PresetDefinition = {
  name: 'microsoft-entra',
  title: 'Microsoft Entra ID',
  description:
    'Microsoft Entra ID: OIDC discovery by appending only, PKCE S256 supported but not advertised, no resource parameter, no dynamic registration.',
  hosts: [ENTRA_ORIGIN],
  facts: entraFacts,
  issuerPolicies: [
    {
      match: { prefix: `${ENTRA_ORIGIN}/` },
      metadataUrlKinds: ['oidc-append'],
      hints: {
        pkceS256KnownSupported: true,
        omitResourceParameter: true,
        requiresPreregisteredClient: true,
        preregisteredClientMessage:
          'Microsoft Entra ID has no dynamic client registration: register an app (Azure portal, App registrations) and configure its client id.',
      },
      facts: [
        'oidc-append-only',
        'pkce-not-advertised',
        'resource-parameter-rejected',
        'resource-parameter-strict',
        'no-dynamic-registration',
      ],
    },
  ],
};
