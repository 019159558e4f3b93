import { type DiscoveryResult, isEndpointField, isLoopbackHost, issuersMatch } from '@oauth-discovery/core';
import { parseWwwAuthenticate } from 'oauth-discovery';
import { type Finding, finding, REFERENCES } from './findings.js';
import type { ProbeOutcome } from './probe.js';

/** What `check` learned about a server: the probe, and the discovery's result or error. */
export interface CheckInput {
  /** The URL as the user typed it. */
  readonly url: string;
  readonly probe: ProbeOutcome;
  readonly result?: DiscoveryResult;
  /** The error discovery ended with (a `DiscoveryError`), when it did not succeed. */
  readonly error?: { readonly code: string; readonly message: string };
}

const WELL_KNOWN = ['/.well-known/oauth-authorization-server', '/.well-known/openid-configuration'];
const OIDC_APPENDED = '/.well-known/openid-configuration';

/**
 * The issuer a metadata URL was built from (RFC 8414 §3.1 insertion, OIDC appending), or `undefined`
 * for a URL of neither form (a pinned metadata URL).
 *
 * @see https://www.rfc-editor.org/rfc/rfc8414#section-3.1
 */
export function issuerOfMetadataUrl(metadataUrl: string): string | undefined {
  const url = new URL(metadataUrl);
  for (const prefix of WELL_KNOWN) {
    if (url.pathname === prefix || url.pathname.startsWith(`${prefix}/`)) {
      return url.origin + url.pathname.slice(prefix.length);
    }
  }
  if (url.pathname.endsWith(OIDC_APPENDED)) return url.origin + url.pathname.slice(0, -OIDC_APPENDED.length);
  return undefined;
}

function firstLine(text: string): string {
  return text.split('\n', 1)[0] ?? text;
}

function errorFindings(error: NonNullable<CheckInput['error']>): Finding[] {
  switch (error.code) {
    case 'RESOURCE_MISMATCH':
      return [finding('error', 'resource-mismatch', error.message, REFERENCES.rfc9728Resource)];
    case 'ISSUER_MISMATCH':
      return [finding('error', 'issuer-mismatch', error.message, REFERENCES.rfc8414Issuer)];
    case 'INSECURE_URL':
      return [finding('error', 'insecure-url', error.message, REFERENCES.mcpHttps)];
    case 'BLOCKED_ADDRESS':
    case 'CROSS_ORIGIN_REDIRECT':
      return [
        finding(
          'error',
          error.code.toLowerCase().replaceAll('_', '-'),
          error.message,
          REFERENCES.rfc9728Ssrf,
        ),
      ];
    case 'DISCOVERY_FAILED':
      // The message goes on with one line per step: the trace already shows them.
      return [
        finding(
          'error',
          'no-authorization-server',
          `${firstLine(error.message).replace(/\s*Tried:$/, '')} No path of discovery led to authorization server metadata; the trace shows what each step tried`,
          REFERENCES.mcpDiscovery,
        ),
      ];
    default:
      return [
        finding('error', 'discovery-error', `${error.code}: ${error.message}`, REFERENCES.mcpDiscovery),
      ];
  }
}

function probeFindings(probe: ProbeOutcome): Finding[] {
  if (probe.status === null) {
    const why = probe.error === null ? 'no response' : `${probe.error.code}: ${probe.error.message}`;
    return [
      finding(
        'warning',
        'probe-failed',
        `An unauthenticated MCP request to ${probe.url} got no answer (${why})`,
        REFERENCES.mcpDiscovery,
      ),
    ];
  }
  if (probe.status === 401 || probe.status === 403) {
    if (probe.wwwAuthenticate === null) {
      return [
        finding(
          'error',
          'no-www-authenticate',
          `${probe.url} answers ${probe.status} without a WWW-Authenticate header: clients cannot learn where its metadata is`,
          REFERENCES.rfc6750Challenge,
        ),
      ];
    }
    const withMetadata = parseWwwAuthenticate(probe.wwwAuthenticate).some(
      (challenge) => challenge.params.resource_metadata !== undefined,
    );
    return withMetadata
      ? []
      : [
          finding(
            'warning',
            'challenge-without-resource-metadata',
            `The ${probe.status} challenge names no resource_metadata (WWW-Authenticate: ${probe.wwwAuthenticate}): clients must guess the well-known URLs`,
            REFERENCES.rfc9728Header,
          ),
        ];
  }
  if (probe.status >= 200 && probe.status < 300) {
    return [
      finding(
        'info',
        'no-401',
        `${probe.url} answered an unauthenticated MCP initialize with ${probe.status}: clients only find the authorization server through well-known URLs`,
        REFERENCES.mcpDiscovery,
      ),
    ];
  }
  return [
    finding(
      'warning',
      'unexpected-status',
      `${probe.url} answered an unauthenticated MCP initialize with ${probe.status}, not 401`,
      REFERENCES.rfc6750Challenge,
    ),
  ];
}

function issuerFindings(result: DiscoveryResult): Finding[] {
  const server = result.authorizationServer;
  if ((server.issuerCheck !== 'adopted' && server.issuerCheck !== 'alias') || server.metadataUrl === null)
    return [];
  const expected = issuerOfMetadataUrl(server.metadataUrl);
  if (expected === undefined || issuersMatch(expected, server.issuer)) return [];
  const why =
    server.issuerCheck === 'adopted'
      ? 'accepted here only by the legacy origin fallback'
      : `accepted here only because ${server.source} knows this alias`;
  return [
    finding(
      'error',
      'foreign-issuer',
      `The metadata at ${server.metadataUrl} names issuer ${server.issuer}, not ${expected}; ${why}. Clients that apply RFC 8414 §3.3 (MCP 2026-07-28, MCP SDK v2) reject it`,
      REFERENCES.rfc8414Issuer,
    ),
  ];
}

function metadataFindings(result: DiscoveryResult): Finding[] {
  const server = result.authorizationServer;
  const metadata = server.metadata;
  const findings: Finding[] = [];
  if (result.guessed) {
    findings.push(
      finding(
        'error',
        'guessed-endpoints',
        `No metadata anywhere: clients can only guess ${metadata.authorization_endpoint}, ${metadata.token_endpoint} and ${metadata.registration_endpoint}`,
        REFERENCES.mcpLegacyDefaults,
      ),
    );
    return findings;
  }
  if (!result.pkce.s256Advertised) {
    const hint = result.hints.pkceS256KnownSupported === true ? ' (a preset says S256 works anyway)' : '';
    findings.push(
      finding(
        'error',
        'pkce-not-advertised',
        `code_challenge_methods_supported ${metadata.code_challenge_methods_supported === undefined ? 'is missing' : `lacks S256 (${metadata.code_challenge_methods_supported.join(', ')})`}: MCP clients must refuse to proceed${hint}`,
        REFERENCES.mcpPkce,
      ),
    );
  }
  if (
    metadata.registration_endpoint === undefined &&
    metadata.client_id_metadata_document_supported !== true
  ) {
    findings.push(
      finding(
        'warning',
        'no-registration-path',
        'Neither registration_endpoint nor client_id_metadata_document_supported: every client needs a pre-registered client id',
        REFERENCES.mcpRegistration,
      ),
    );
  }
  if (metadata.response_types_supported === undefined && server.issuerCheck !== 'configured') {
    findings.push(
      finding(
        'error',
        'response-types-missing',
        'response_types_supported is missing (REQUIRED by RFC 8414)',
        REFERENCES.rfc8414Metadata,
      ),
    );
  }
  const plain = Object.entries(metadata).filter(
    ([field, value]) => isEndpointField(field) && typeof value === 'string' && value.startsWith('http:'),
  );
  if (plain.length > 0) {
    const local = plain.every(([, value]) => isLoopbackHost(new URL(value as string).hostname));
    findings.push(
      finding(
        local ? 'info' : 'error',
        'insecure-endpoint',
        `Plain http endpoints${local ? ' on loopback (fine for local development only)' : ''}: ${plain.map(([field]) => field).join(', ')}`,
        REFERENCES.mcpHttps,
      ),
    );
  }
  return findings;
}

function resourceFindings(input: CheckInput, result: DiscoveryResult): Finding[] {
  const prm = result.resourceMetadata;
  if (prm === null) {
    return [
      finding(
        'error',
        'no-protected-resource-metadata',
        `No protected resource metadata (RFC 9728) for ${result.resource}; clients fall back to older, weaker ways`,
        REFERENCES.rfc9728Prm,
      ),
    ];
  }
  const advertised = prm.document.resource;
  if (advertised !== input.url && advertised !== result.resource) {
    return [
      finding(
        'warning',
        'resource-not-identical',
        `The PRM at ${prm.url} names resource ${advertised}, not ${input.url}: equal only after normalisation; strict clients reject it`,
        REFERENCES.rfc9728Resource,
      ),
    ];
  }
  return [];
}

/**
 * Every finding about a server, from its probe and its discovery: missing PRM, challenges without
 * `resource_metadata` or without `WWW-Authenticate`, resource and issuer mismatches, foreign issuers,
 * PKCE, registration, plain-http endpoints, `response_types_supported`, guessed endpoints.
 */
export function checkFindings(input: CheckInput): Finding[] {
  const findings = [...probeFindings(input.probe)];
  if (input.error !== undefined) findings.push(...errorFindings(input.error));
  if (input.result !== undefined) {
    findings.push(...resourceFindings(input, input.result));
    findings.push(...issuerFindings(input.result));
    findings.push(...metadataFindings(input.result));
  }
  return findings;
}
