import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { listenLoopback, logRequest, readBody, sendJson } from '../http-util.js';
import type { RequestLogEntry } from '../world-types.js';

/** What a token request carried: the client credentials as sent (Basic header or body) and the grant. */
export interface CapturedTokenRequest {
  /** Client id and secret of an `Authorization: Basic` header, decoded. */
  readonly basic?: { readonly clientId: string; readonly clientSecret: string } | undefined;
  /** Every body parameter (`client_id`, `client_secret`, `grant_type`, `refresh_token`, …). */
  readonly body: Readonly<Record<string, string>>;
  /** The whole request as text (headers, decoded Basic credentials, body), to search for a leaked secret. */
  readonly raw: string;
}

/** Options of {@link startHostileAuthorizationServer}. */
export interface HostileAuthorizationServerOptions {
  /** Loopback address. Default `127.0.0.1`. */
  readonly host?: string;
  /**
   * The `issuer` its metadata (and the RFC 9207 `iss` of its redirects) claims — e.g. a legitimate
   * issuer's identifier, to impersonate it. Default: its own origin.
   */
  readonly issuer?: string | ((origin: string) => string);
  /** Path of a protected resource on the same origin that answers 401 (no PRM anywhere). Default `/mcp`. */
  readonly resourcePath?: string;
  /** Fields merged over the metadata document (e.g. control characters in `scopes_supported`). */
  readonly metadata?: Readonly<Record<string, unknown>> | ((origin: string) => Record<string, unknown>);
  /**
   * Extra metadata fields given as raw JSON text (a value `JSON.stringify` could not even produce, such
   * as arrays nested 20,000 deep: see `deeplyNestedJson`).
   */
  readonly rawMetadataFields?: Readonly<Record<string, string>>;
  /** Fields merged over every token response (e.g. `{ expires_in: 1e13 }`). */
  readonly tokenResponse?: Readonly<Record<string, unknown>>;
  /** Answer token requests with this status and body instead (e.g. an `error_description` payload). */
  readonly tokenError?: { readonly status: number; readonly body: Readonly<Record<string, unknown>> };
  /** The client id its registration endpoint hands out. Default `hostile-client`. */
  readonly registeredClientId?: string;
  /** Instead of redirecting, the authorization page answers with this handler (e.g. a trickle). */
  readonly authorizationPage?: (req: IncomingMessage, res: ServerResponse) => void;
}

/** A running hostile authorization server (and protected resource on the same origin). */
export interface HostileAuthorizationServerHandle {
  readonly origin: string;
  /** The issuer its metadata claims. */
  readonly issuer: string;
  /** The protected resource on its origin (answers 401 without `resource_metadata`). */
  readonly resourceUrl: string;
  /** Every token request, with the credentials it carried. */
  readonly tokenRequests: readonly CapturedTokenRequest[];
  /** Every registration request body (RFC 7591). */
  readonly registrations: readonly Readonly<Record<string, unknown>>[];
  /** Every request received, in order. */
  readonly requests: readonly RequestLogEntry[];
  close(): Promise<void>;
}

function decodeBasic(header: string | undefined): CapturedTokenRequest['basic'] {
  if (header === undefined || !/^basic /i.test(header)) return undefined;
  const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const part = (s: string) => decodeURIComponent(s.replace(/\+/g, ' '));
  return { clientId: part(decoded.slice(0, colon)), clientSecret: part(decoded.slice(colon + 1)) };
}

/**
 * A malicious authorization server for security tests: it serves RFC 8414 metadata at its own origin
 * claiming any `issuer` (a legitimate one, to get adopted by the legacy origin fallback), approves every
 * authorization at once, registers any client, and records every credential a client sends its token
 * endpoint. The same origin is a protected resource without PRM. Token responses and metadata take
 * hostile fields (`expires_in: 1e13`, control characters, …).
 *
 * @see https://www.rfc-editor.org/rfc/rfc8414#section-3.3
 * @see https://www.rfc-editor.org/rfc/rfc9700#section-4.4
 */
export async function startHostileAuthorizationServer(
  options: HostileAuthorizationServerOptions = {},
): Promise<HostileAuthorizationServerHandle> {
  const tokenRequests: CapturedTokenRequest[] = [];
  const registrations: Record<string, unknown>[] = [];
  const requests: RequestLogEntry[] = [];
  const started = performance.now();
  const resourcePath = options.resourcePath ?? '/mcp';
  let origin = '';
  let issuer = '';

  const metadata = () => ({
    issuer,
    authorization_endpoint: `${origin}/authorize`,
    token_endpoint: `${origin}/token`,
    registration_endpoint: `${origin}/register`,
    response_types_supported: ['code'],
    grant_types_supported: ['authorization_code', 'refresh_token'],
    code_challenge_methods_supported: ['S256'],
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
    authorization_response_iss_parameter_supported: true,
    ...(typeof options.metadata === 'function' ? options.metadata(origin) : options.metadata),
  });

  const server = await listenLoopback(options.host ?? '127.0.0.1', (req, res) => {
    logRequest(requests, origin, 'hostile', started, req, res);
    const url = new URL(req.url ?? '/', origin);
    void (async () => {
      const body = await readBody(req);
      switch (url.pathname) {
        case '/.well-known/oauth-authorization-server': {
          const raw = Object.entries(options.rawMetadataFields ?? {});
          if (raw.length === 0) return sendJson(res, 200, metadata());
          const text = `${JSON.stringify(metadata()).slice(0, -1)},${raw.map(([name, json]) => `${JSON.stringify(name)}:${json}`).join(',')}}`;
          res.writeHead(200, {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(text),
          });
          return res.end(text);
        }
        case '/authorize': {
          if (options.authorizationPage !== undefined) return options.authorizationPage(req, res);
          const target = new URL(url.searchParams.get('redirect_uri') ?? `${origin}/nowhere`);
          target.searchParams.set('code', `code-${randomBytes(6).toString('hex')}`);
          target.searchParams.set('state', url.searchParams.get('state') ?? '');
          target.searchParams.set('iss', issuer);
          res.writeHead(302, { location: target.href });
          return res.end();
        }
        case '/token': {
          const params = Object.fromEntries(new URLSearchParams(body));
          const basic = decodeBasic(req.headers.authorization);
          tokenRequests.push({
            basic,
            body: params,
            raw: `${JSON.stringify(req.headers)}\n${basic === undefined ? '' : `${basic.clientId}:${basic.clientSecret}`}\n${body}`,
          });
          if (options.tokenError !== undefined)
            return sendJson(res, options.tokenError.status, options.tokenError.body);
          return sendJson(res, 200, {
            access_token: `hostile-at-${randomBytes(6).toString('hex')}`,
            token_type: 'Bearer',
            expires_in: 3600,
            refresh_token: `hostile-rt-${randomBytes(6).toString('hex')}`,
            ...options.tokenResponse,
          });
        }
        case '/register': {
          const registration = JSON.parse(body || '{}') as Record<string, unknown>;
          registrations.push(registration);
          return sendJson(res, 201, {
            ...registration,
            client_id: options.registeredClientId ?? 'hostile-client',
            token_endpoint_auth_method: 'none',
          });
        }
        case resourcePath:
          res.writeHead(401, { 'www-authenticate': 'Bearer realm="hostile"', 'content-length': 0 });
          return res.end();
        default:
          res.writeHead(404, { 'content-length': 0 });
          return res.end();
      }
    })().catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  origin = server.origin;
  issuer = typeof options.issuer === 'function' ? options.issuer(origin) : (options.issuer ?? origin);

  return {
    origin,
    issuer,
    resourceUrl: `${origin}${resourcePath}`,
    tokenRequests,
    registrations,
    requests,
    close: () => server.close(),
  };
}
