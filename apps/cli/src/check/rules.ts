import {
  type DiscoveryResult,
  isEndpointField,
  isLoopbackHost,
  issuersMatch,
  oauthMetadataUrl,
  protectedResourceMetadataUrls,
} from '@oauth-discovery/core';
import { parseWwwAuthenticate } from 'oauth-discovery';
import { type Finding, finding, REFERENCES } from './findings.js';
import type { ProbeOutcome } from './probe.js';

/** What `check` learned about a server: the probe, and the discovery's result or error. */
export interface CheckInput {
  /** The URL as the user typed it. */
  readonly url: string;
  readonly probe: ProbeOutcome;
  readonly result?: DiscoveryResult | undefined;
  /** The error discovery ended with (a `DiscoveryError`), when it did not succeed. */
  readonly error?: { readonly code: string; readonly message: string } | undefined;
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

/** Where the resource's protected resource metadata belongs: the path-aware well-known URL (RFC 9728 §3.1). */
function prmUrlFor(resource: string): string {
  const urls = protectedResourceMetadataUrls(resource);
  return urls.pathAware ?? urls.root;
}

function firstLine(text: string): string {
  return text.split('\n', 1)[0] ?? text;
}

function errorFindings(input: CheckInput, error: NonNullable<CheckInput['error']>): Finding[] {
  switch (error.code) {
    case 'RESOURCE_MISMATCH':
      return [
        finding(
          'error',
          'resource-mismatch',
          error.message,
          REFERENCES.rfc9728Resource,
          `Set "resource" in the protected resource metadata to exactly ${input.url}`,
        ),
      ];
    case 'ISSUER_MISMATCH':
      return [
        finding(
          'error',
          'issuer-mismatch',
          error.message,
          REFERENCES.rfc8414Issuer,
          'Make "issuer" in the metadata exactly the issuer its URL is built from (the authorization_servers entry that led there)',
        ),
      ];
    case 'INSECURE_URL':
      return [finding('error', 'insecure-url', error.message, REFERENCES.mcpHttps, 'Use https URLs')];
    case 'BLOCKED_ADDRESS':
      return [
        finding(
          'error',
          'blocked-address',
          error.message,
          REFERENCES.rfc9728Ssrf,
          'Name only publicly reachable https URLs in metadata',
        ),
      ];
    case 'CROSS_ORIGIN_REDIRECT':
      return [
        finding(
          'error',
          'cross-origin-redirect',
          error.message,
          REFERENCES.rfc9728Ssrf,
          'Serve metadata at its well-known URL without a redirect to another origin',
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
          `Serve protected resource metadata at ${prmUrlFor(input.url)} naming your authorization server, and that server's RFC 8414 metadata`,
        ),
      ];
    case 'NETWORK_ERROR':
    case 'TIMEOUT':
    case 'HTTP_ERROR':
    case 'DEADLINE_EXCEEDED':
      // Nothing can be judged about a server that could not be asked: no advice on its metadata.
      return [
        finding(
          'error',
          'unreachable',
          `${error.code}: ${firstLine(error.message).replace(/\s*Tried:$/, '')} Discovery could not find out what the server publishes, so nothing was guessed`,
          REFERENCES.mcpDiscovery,
          'Make the server and its well-known URLs answer (a 404 where nothing is published), then check again',
        ),
      ];
    case 'INVALID_METADATA':
    case 'INVALID_JSON':
    case 'UNEXPECTED_CONTENT_TYPE':
    case 'RESPONSE_TOO_LARGE':
      return [
        finding(
          'error',
          'unusable-metadata',
          `${error.code}: ${firstLine(error.message).replace(/\s*Tried:$/, '')}`,
          REFERENCES.mcpDiscovery,
          'Serve each metadata document as valid JSON (application/json) that follows its RFC, or answer 404 where there is none',
        ),
      ];
    default:
      return [
        finding('error', 'discovery-error', `${error.code}: ${error.message}`, REFERENCES.mcpDiscovery),
      ];
  }
}

function probeFindings(probe: ProbeOutcome, prmUrl: string): Finding[] {
  const challenge = `WWW-Authenticate: Bearer resource_metadata="${prmUrl}"`;
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
          `Send ${challenge} with the ${probe.status}`,
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
            `Add resource_metadata="${prmUrl}" to the Bearer challenge`,
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
      `Answer requests without a token with 401 and ${challenge}`,
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
      `Name ${server.issuer} in the protected resource metadata's authorization_servers and serve its metadata at ${oauthMetadataUrl(server.issuer)} instead of a copy at ${server.metadataUrl}`,
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
        `No metadata anywhere (every URL answered 404): clients can only guess ${metadata.authorization_endpoint}, ${metadata.token_endpoint} and ${metadata.registration_endpoint}`,
        REFERENCES.mcpLegacyDefaults,
        'Publish protected resource metadata (RFC 9728) and authorization server metadata (RFC 8414)',
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
        'Support PKCE S256 and advertise it: "code_challenge_methods_supported": ["S256"]',
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
        'Accept client ID metadata documents ("client_id_metadata_document_supported": true) or dynamic registration (registration_endpoint, RFC 7591)',
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
        'Add "response_types_supported": ["code"]',
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
        local ? null : 'Serve every endpoint over https',
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
        // A guessed issuer is the MCP server's own origin: never advise naming it as the authorization server.
        `Serve {"resource": "${result.resource}", "authorization_servers": ["${result.guessed ? '<your authorization server issuer>' : result.authorizationServer.issuer}"]} as JSON at ${prmUrlFor(result.resource)}`,
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
        `Set "resource" to exactly ${input.url}`,
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
  const prmUrl = input.result?.resourceMetadata?.url ?? prmUrlFor(input.url);
  const findings = [...probeFindings(input.probe, prmUrl)];
  if (input.error !== undefined) findings.push(...errorFindings(input, input.error));
  if (input.result !== undefined) {
    findings.push(...resourceFindings(input, input.result));
    findings.push(...issuerFindings(input.result));
    findings.push(...metadataFindings(input.result));
  }
  return findings;
}
