import {
  DiscoveryError,
  type DiscoveryResult,
  ErrorCodes,
  type HttpClient,
  type HttpRequestInit,
} from '@oauth-discovery/core';
import { isSecureUrl } from '@oauth-discovery/core/metadata';
import { safeText } from '@oauth-discovery/core/trace';
import { z } from 'zod';
import { FlowErrorCodes } from '../error-codes.js';
import { issuerBinding } from '../store/binding.js';
import type { StoredClient, TokenStore } from '../store/types.js';

/** What the caller knows about its client, from options or CLI flags. */
export interface ClientOptions {
  /** A pre-registered client id (CLI `--client-id`). Tried first. */
  readonly clientId?: string | undefined;
  /** Its secret, for confidential pre-registered clients (CLI `--client-secret`). */
  readonly clientSecret?: string | undefined;
  /** An HTTPS URL serving this client's Client ID Metadata Document (CLI `--client-metadata-url`). */
  readonly clientMetadataUrl?: string | undefined;
  /** `client_name` sent in dynamic registration. Default `oauth-discovery`. */
  readonly clientName?: string | undefined;
}

/** What {@link resolveClient} needs. */
export interface ResolveClientContext {
  readonly result: DiscoveryResult;
  readonly store: TokenStore;
  readonly http: HttpClient;
  readonly init?: HttpRequestInit;
  readonly redirectUri: string;
  readonly scope?: string | undefined;
  readonly options: ClientOptions;
  readonly now?: number;
}

/** The client chosen for one authorization server, and whether it was just obtained. */
export interface ResolvedClient {
  readonly client: StoredClient;
  /** True when it was registered (or first recorded) by this call. */
  readonly fresh: boolean;
}

function isUsableMetadataDocumentUrl(value: string): boolean {
  const url = URL.parse(value);
  return url !== null && isSecureUrl(url) && url.pathname !== '/';
}

function storedClientUsable(client: StoredClient, ctx: ResolveClientContext, now: number): boolean {
  if (
    client.clientSecretExpiresAt !== undefined &&
    client.clientSecretExpiresAt !== 0 &&
    client.clientSecretExpiresAt <= now
  ) {
    return false;
  }
  const cimdSupported =
    ctx.result.authorizationServer.metadata.client_id_metadata_document_supported === true;
  const offered = ctx.options.clientMetadataUrl;
  switch (client.source) {
    case 'dynamic':
      // The spec's order puts a metadata document the caller offers before dynamic registration.
      if (offered !== undefined && cimdSupported) return false;
      // A registration is bound to its redirect URIs; another callback port needs a new one.
      return client.redirectUris?.includes(ctx.redirectUri) ?? false;
    case 'metadata-document':
      return cimdSupported && (offered === undefined || offered === client.clientId);
    case 'preregistered':
      return true;
  }
}

/**
 * Chooses the client for an authorization server in the MCP registration order: a pre-registered
 * client id from the options; a registration stored for this issuer; a pre-registered id from a
 * preset hint; a Client ID Metadata Document URL when the server sets
 * `client_id_metadata_document_supported`; dynamic registration (RFC 7591) unless a hint says the
 * provider has none; else `REGISTRATION_REFUSED` telling the user to pass a client id. The choice
 * is stored per issuer binding (`issuerBinding`: issuer, token endpoint, and the claiming origin of an
 * unverified issuer), so a registration or secret is only used where it was obtained.
 *
 * @see https://modelcontextprotocol.io/specification/2025-11-25/basic/authorization#client-registration-approaches
 * @see https://www.rfc-editor.org/rfc/rfc7591#section-3
 */
export async function resolveClient(ctx: ResolveClientContext): Promise<ResolvedClient> {
  const now = ctx.now ?? Date.now();
  const issuer = ctx.result.authorizationServer.issuer;
  // Read and written under what was verified: an adopted issuer never sees a verified one's records.
  const binding = issuerBinding(ctx.result.authorizationServer);
  const metadata = ctx.result.authorizationServer.metadata;
  const { clientId, clientSecret, clientMetadataUrl } = ctx.options;

  if (clientId !== undefined && clientId !== '') {
    const client: StoredClient = {
      clientId,
      clientSecret: clientSecret || undefined,
      source: 'preregistered',
      registeredAt: now,
    };
    await ctx.store.writeClient(binding, client);
    return { client, fresh: true };
  }

  const stored = await ctx.store.readClient(binding);
  if (stored !== undefined && storedClientUsable(stored, ctx, now)) return { client: stored, fresh: false };

  const hinted = ctx.result.hints.clientId;
  if (hinted !== undefined && hinted !== '') {
    const client: StoredClient = { clientId: hinted, source: 'preregistered', registeredAt: now };
    await ctx.store.writeClient(binding, client);
    return { client, fresh: true };
  }

  // A preset may prefer DCR to an advertised CIMD that does not work (Linear).
  const dcrPreferred =
    ctx.result.hints.preferredRegistration === 'dcr' && metadata.registration_endpoint !== undefined;
  if (
    clientMetadataUrl !== undefined &&
    metadata.client_id_metadata_document_supported === true &&
    !dcrPreferred
  ) {
    if (!isUsableMetadataDocumentUrl(clientMetadataUrl)) {
      throw new DiscoveryError(
        ErrorCodes.INVALID_CONFIG,
        `clientMetadataUrl ${JSON.stringify(clientMetadataUrl)} is not an https: URL with a path, as a Client ID Metadata Document URL must be`,
        { url: clientMetadataUrl, expected: 'https://host/path', actual: clientMetadataUrl },
      );
    }
    const client: StoredClient = {
      clientId: clientMetadataUrl,
      source: 'metadata-document',
      registeredAt: now,
    };
    await ctx.store.writeClient(binding, client);
    return { client, fresh: true };
  }

  if (metadata.registration_endpoint !== undefined && ctx.result.hints.requiresPreregisteredClient !== true) {
    const client = await registerClient(ctx, metadata.registration_endpoint, now);
    await ctx.store.writeClient(binding, client);
    return { client, fresh: true };
  }

  const why =
    metadata.registration_endpoint === undefined
      ? 'it offers no dynamic client registration (no registration_endpoint)'
      : 'a preset says it does not allow dynamic client registration';
  const cimd =
    metadata.client_id_metadata_document_supported === true
      ? ' or --client-metadata-url with your Client ID Metadata Document'
      : '';
  // A preset's word on where to create the client (data, never server-controlled text).
  const where = ctx.result.hints.preregisteredClientMessage;
  throw new DiscoveryError(
    FlowErrorCodes.REGISTRATION_REFUSED,
    `Cannot get a client id from authorization server ${issuer}: ${why}. Register an OAuth client there ` +
      `(redirect URI ${ctx.redirectUri}) and pass its id with --client-id (and --client-secret if it has one)${cimd}.` +
      (where === undefined ? '' : ` ${where}`),
    {
      url: issuer,
      expected: 'a pre-registered client id, a client ID metadata document, or dynamic registration',
      actual: why,
    },
  );
}

const registrationResponseSchema = z.looseObject({
  client_id: z.string().min(1),
  client_secret: z.string().optional(),
  client_secret_expires_at: z.number().optional(),
  token_endpoint_auth_method: z.string().optional(),
  redirect_uris: z.array(z.string()).optional(),
});

/**
 * The scope to name in a registration: only when the server lists every one of them in
 * `scopes_supported` (or lists none). Resource scopes of RFC 8707 servers are often not in that list,
 * and such servers refuse a registration naming them (`invalid_client_metadata`).
 */
function registrableScope(
  scope: string | undefined,
  supported: readonly string[] | undefined,
): string | undefined {
  if (scope === undefined || supported === undefined) return scope;
  return scope.split(' ').every((s) => s === '' || supported.includes(s)) ? scope : undefined;
}

/** The authentication method a public CLI client asks for: `none` when allowed, else a secret-based one. */
function requestedAuthMethod(supported: readonly string[] | undefined): string {
  if (supported === undefined || supported.includes('none')) return 'none';
  return supported.includes('client_secret_basic') ? 'client_secret_basic' : (supported[0] ?? 'none');
}

/**
 * Dynamic client registration (RFC 7591 §3.1) of a native client with a loopback redirect URI.
 *
 * @throws {DiscoveryError} `REGISTRATION_REFUSED` when the server refuses or answers without a client id.
 * @see https://www.rfc-editor.org/rfc/rfc7591#section-3.1
 * @see https://www.rfc-editor.org/rfc/rfc8252#section-7.3
 */
export async function registerClient(
  ctx: ResolveClientContext,
  registrationEndpoint: string,
  now: number,
): Promise<StoredClient> {
  const metadata = ctx.result.authorizationServer.metadata;
  const required = ctx.result.hints.registrationFields;
  const body = {
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    // SEP-837 (MCP 2026-07-28): required; a loopback redirect URI makes this a native application.
    application_type: 'native',
    token_endpoint_auth_method: requestedAuthMethod(metadata.token_endpoint_auth_methods_supported),
    scope: registrableScope(ctx.scope, metadata.scopes_supported),
    // Fields a preset knows the provider requires (Stripe: client_name; Notion: auth method none).
    ...required,
    client_name: ctx.options.clientName ?? required?.client_name ?? 'oauth-discovery',
    redirect_uris: [ctx.redirectUri],
  };
  const response = await ctx.http.request(registrationEndpoint, {
    ...ctx.init,
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(body),
    expect: 'json',
  });
  const hint = `Register an OAuth client with ${ctx.result.authorizationServer.issuer} yourself (redirect URI ${ctx.redirectUri}) and pass its id with --client-id (and --client-secret if it has one).`;
  if (response.status < 200 || response.status >= 300) {
    let detail = '';
    try {
      const parsed = JSON.parse(response.text) as { error?: unknown; error_description?: unknown };
      if (typeof parsed.error === 'string') {
        detail = `: ${safeText(parsed.error)}${typeof parsed.error_description === 'string' ? ` (${safeText(parsed.error_description)})` : ''}`;
      }
    } catch {
      // Not an RFC 7591 §3.2.2 error body: the status alone is reported.
    }
    throw new DiscoveryError(
      FlowErrorCodes.REGISTRATION_REFUSED,
      `Dynamic client registration at ${registrationEndpoint} was refused (HTTP ${response.status}${detail}). ${hint}`,
      {
        url: registrationEndpoint,
        expected: 'HTTP 201 with a client_id',
        actual: { status: response.status, body: response.text.slice(0, 500) },
      },
    );
  }
  const parsed = registrationResponseSchema.safeParse(response.json);
  if (!parsed.success) {
    throw new DiscoveryError(
      FlowErrorCodes.REGISTRATION_REFUSED,
      `Dynamic client registration at ${registrationEndpoint} answered without a valid client_id. ${hint}`,
      {
        url: registrationEndpoint,
        expected: 'a client_id (RFC 7591 §3.2.1)',
        actual: response.json,
        cause: parsed.error,
      },
    );
  }
  const info = parsed.data;
  return {
    clientId: info.client_id,
    clientSecret: info.client_secret,
    // RFC 7591 §3.2.1: 0 means the secret does not expire.
    clientSecretExpiresAt: info.client_secret_expires_at ? info.client_secret_expires_at * 1000 : undefined,
    tokenEndpointAuthMethod: info.token_endpoint_auth_method ?? body.token_endpoint_auth_method,
    redirectUris: info.redirect_uris ?? [ctx.redirectUri],
    source: 'dynamic',
    registeredAt: now,
  };
}
