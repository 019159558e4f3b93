import type { PresetDefinition, PresetFact } from '@oauth-discovery/core';

/**
 * What has been observed of Keycloak as an MCP authorization server, each with its date and source. When a fact stops holding, add the new one with its date rather than editing the old one.
 */
/** Stands for your Keycloak server until the `server` option (or a `hosts` override) replaces it. */
export const KEYCLOAK_PLACEHOLDER = 'https://keycloak.invalid';

export const keycloakFacts: readonly PresetFact[] = [
  {
    id: 'metadata-forms',
    statement:
      'Realm issuers are <server>/realms/<realm>; before 26.4 metadata is served only by OpenID Connect appending, since 26.4 also at the RFC 8414 path-inserted URL',
    observed: '2026',
    source:
      'https://github.com/keycloak/keycloak/issues/48527 (oauth-discovery docs/provider-quirks.md, quirk 8)',
  },
  {
    id: 'rfc8707-experimental',
    statement:
      'RFC 8707 resource indicators are experimental since 26.6 (earlier versions ignore the resource parameter)',
    observed: '2026',
    source: 'https://github.com/keycloak/keycloak/issues/48527',
  },
  {
    id: 'dcr-rejects-resource',
    statement: 'Dynamic client registration rejects a request that carries a resource field',
    observed: '2026',
    source: 'https://github.com/keycloak/keycloak/issues/48527',
  },
];

/**
 * Keycloak as a preset: an issuer policy for the realms of your server (`server` option) citing what differs between versions. Discovery itself needs no relaxation (the standard strategies try insertion, then appending). Until `server` is set it names the placeholder `https://keycloak.invalid`.
 */
export const keycloakPreset: PresetDefinition = {
  name: 'keycloak',
  title: 'Keycloak',
  description:
    'Keycloak realms: metadata by appending before 26.4, RFC 8707 experimental since 26.6, DCR rejects a resource field (configure server).',
  hosts: [KEYCLOAK_PLACEHOLDER],
  facts: keycloakFacts,
  issuerPolicies: [
    {
      match: { prefix: `${KEYCLOAK_PLACEHOLDER}/realms/` },
      facts: ['metadata-forms', 'rfc8707-experimental', 'dcr-rejects-resource'],
    },
  ],
};
