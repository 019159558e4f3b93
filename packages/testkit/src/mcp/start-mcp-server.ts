import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { DiscoveryError, ErrorCodes } from '@oauth-discovery/core';
import { prmPath, protectedResourceMetadata } from '../documents.js';
import { listenLoopback, logRequest, readBody, sendJson } from '../http-util.js';
import type { TokenInfo } from '../token-info.js';
import type { JsonValue, RequestLogEntry } from '../world-types.js';
import { createResourceDPoP, type ResourceDPoP, type ResourceDPoPOptions } from './dpop-check.js';
import { createToolServer } from './tools.js';
import { createWire2026Handler } from './wire-2026.js';

/** Where and what the server publishes as RFC 9728 protected resource metadata. */
export interface McpResourceMetadataOptions {
  /** `authorization_servers` (issuer identifiers); a function gets the MCP server's origin. */
  readonly authorizationServers: readonly string[] | ((origin: string) => readonly string[]);
  readonly scopesSupported?: readonly string[];
  /** Well-known locations to serve it at. Default `['path-aware']`; the 401 points at the first. */
  readonly at?: readonly ('path-aware' | 'root')[];
  /** Override the `resource` value (default: the server URL) to build mismatch cases. */
  readonly resource?: string;
}

/** What the 401 challenge builder is told. */
export interface ChallengeContext {
  readonly resourceMetadataUrl: string | undefined;
  /** `true` when a token was sent but rejected. */
  readonly invalidToken: boolean;
}

/** A plain request handler for an extra path of the MCP server's origin (which it is given). */
export type ExtraRoute = (req: IncomingMessage, res: ServerResponse, origin: string) => void;

/** Options of {@link startMcpServer}. */
export interface McpServerOptions {
  /** Loopback address. Default `127.0.0.1`. */
  readonly host?: string;
  /** Path of the MCP endpoint. Default `/mcp`. */
  readonly path?: string;
  /** Bearer token check; absent = no authorization at all. An expired `expiresAt` counts as invalid. */
  readonly verifyToken?: (token: string) => Promise<TokenInfo | null>;
  /** Scopes every request needs (the 401 names them as `scope`; lacking them → 403 `insufficient_scope`). */
  readonly requiredScopes?: readonly string[] | undefined;
  /** Scopes a tool needs (`tools/call` of that tool without them → 403 `insufficient_scope`). */
  readonly toolScopes?: Readonly<Record<string, readonly string[]>> | undefined;
  /** PRM to serve; absent = no PRM anywhere (Atlassian shape). */
  readonly resourceMetadata?: McpResourceMetadataOptions;
  /**
   * The 401 `WWW-Authenticate`: a fixed string, `null` for no header, or a builder. Default
   * `Bearer resource_metadata="…"` with a PRM, else `Bearer realm="mcp"`; plus `error="invalid_token"`
   * for a rejected token and `scope` for `requiredScopes`.
   */
  readonly wwwAuthenticate?: string | null | ((context: ChallengeContext) => string);
  /** Session-based transport (`Mcp-Session-Id`) instead of stateless. Default `false`. */
  readonly sessions?: boolean;
  /**
   * The protocol the endpoint speaks: `2025-11-25` (SDK 1.x server, the default) or `2026-07-28`
   * only (SDK v2 server, stateless, 2025 requests rejected). The authorization checks are the same.
   */
  readonly wire?: '2025-11-25' | '2026-07-28';
  /** Extra paths on the same origin (e.g. RFC 8414 metadata at the root, Atlassian-style). */
  readonly routes?: Readonly<Record<string, ExtraRoute>>;
  /**
   * Accept DPoP-bound tokens (`Authorization: DPoP`, a proof checked per RFC 9449 §4.3 against the
   * token's `jkt`), challenge with the `DPoP` scheme, refuse a bound token sent as Bearer.
   */
  readonly dpop?: boolean | ResourceDPoPOptions;
}

/** A running MCP server. */
export interface McpServerHandle {
  /** The MCP endpoint URL (the protected resource). */
  readonly url: string;
  readonly origin: string;
  /** First PRM URL, if any. */
  readonly resourceMetadataUrl: string | undefined;
  /** Every request received, in order. */
  readonly requests: readonly RequestLogEntry[];
  /** Number of requests to a path. */
  count(path: string): number;
  /** The DPoP checker (with `dpop`): its nonce, accepted proofs and nonce challenges. */
  readonly dpop: ResourceDPoP | undefined;
  close(): Promise<void>;
}

/** An extra route answering JSON (`value`, or computed from the MCP server's origin). */
export function jsonRoute(
  value: ((origin: string) => unknown) | JsonValue,
  status = 200,
  headers: Readonly<Record<string, string>> = {},
): ExtraRoute {
  return (req, res, origin) => {
    req.resume();
    sendJson(
      res,
      status,
      typeof value === 'function' ? (value as (o: string) => unknown)(origin) : value,
      headers,
    );
  };
}

function challengeFor(options: McpServerOptions, context: ChallengeContext): string | undefined {
  const custom = options.wwwAuthenticate;
  if (custom === null) return undefined;
  if (typeof custom === 'string') return custom;
  if (typeof custom === 'function') return custom(context);
  const params = [
    context.resourceMetadataUrl === undefined
      ? 'realm="mcp"'
      : `resource_metadata="${context.resourceMetadataUrl}"`,
    ...(context.invalidToken ? ['error="invalid_token"'] : []),
    ...(options.requiredScopes?.length ? [`scope="${options.requiredScopes.join(' ')}"`] : []),
  ];
  return `${options.dpop ? 'DPoP' : 'Bearer'} ${params.join(', ')}`;
}

function toolCallName(body: unknown): string | undefined {
  const messages = Array.isArray(body) ? body : [body];
  for (const message of messages) {
    const m = message as { method?: unknown; params?: { name?: unknown } } | null;
    if (m?.method === 'tools/call' && typeof m.params?.name === 'string') return m.params.name;
  }
  return undefined;
}

/**
 * Starts a real MCP server (the SDK's `McpServer` over streamable HTTP; SDK v2 for `wire: '2026-07-28'`) on loopback behind a bearer-token
 * check, with tools `echo`, `add` and `whoami`; optional PRM; 401 / 403 challenges per RFC 6750 and
 * the MCP authorization spec (step-up via `insufficient_scope`).
 *
 * @see https://modelcontextprotocol.io/specification/2025-11-25/basic/authorization
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-3
 * @see https://www.rfc-editor.org/rfc/rfc9728#section-5.1
 */
export async function startMcpServer(options: McpServerOptions = {}): Promise<McpServerHandle> {
  const path = options.path ?? '/mcp';
  if (!path.startsWith('/')) {
    throw new DiscoveryError(ErrorCodes.INVALID_CONFIG, 'startMcpServer: path must start with "/"', {
      expected: '/…',
      actual: path,
    });
  }
  const log: RequestLogEntry[] = [];
  const started = performance.now();
  const sessions = new Map<string, StreamableHTTPServerTransport>();
  const wire2026 = options.wire === '2026-07-28' ? createWire2026Handler() : undefined;
  const prmPaths = (options.resourceMetadata?.at ?? ['path-aware']).map((where) =>
    where === 'root' ? prmPath('/') : prmPath(path),
  );
  let origin = '';
  const url = () => origin + path;
  const prmUrl = () =>
    options.resourceMetadata && prmPaths[0] !== undefined ? origin + prmPaths[0] : undefined;

  const dpop =
    options.dpop === undefined || options.dpop === false
      ? undefined
      : createResourceDPoP(options.dpop === true ? {} : options.dpop);
  const deny = (
    res: ServerResponse,
    status: 401 | 403,
    challenge: string | undefined,
    error: string,
    headers: Record<string, string> = {},
  ) => {
    sendJson(
      res,
      status,
      { error },
      challenge === undefined ? headers : { ...headers, 'www-authenticate': challenge },
    );
  };

  const authorizeRequest = async (
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<AuthInfo | false | undefined> => {
    if (!options.verifyToken) return undefined;
    const match = /^(bearer|dpop)\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
    const scheme = match?.[1]?.toLowerCase() === 'dpop' && dpop !== undefined ? 'dpop' : 'bearer';
    const token =
      match?.[2] !== undefined && (scheme === 'dpop' || match[1]?.toLowerCase() === 'bearer')
        ? match[2]
        : undefined;
    const info = token === undefined ? null : await options.verifyToken(token);
    if (info && token !== undefined && dpop !== undefined && (scheme === 'dpop' || info.jkt !== undefined)) {
      const verdict =
        scheme === 'dpop'
          ? await dpop.check(req, url(), token, info.jkt)
          : ({
              ok: false,
              error: 'invalid_token',
              description: 'a DPoP-bound token sent as Bearer',
            } as const);
      if (!verdict.ok) {
        req.resume();
        const where = prmUrl();
        const challenge = `DPoP error="${verdict.error}", error_description="${verdict.description.replace(/["\\]/g, '')}"${where ? `, resource_metadata="${where}"` : ''}`;
        deny(
          res,
          401,
          challenge,
          verdict.error,
          verdict.error === 'use_dpop_nonce' ? { 'dpop-nonce': dpop.nonce } : {},
        );
        return false;
      }
    }
    if (!info || info.expiresAt <= Date.now() / 1000) {
      req.resume();
      const challenge = challengeFor(options, {
        resourceMetadataUrl: prmUrl(),
        invalidToken: token !== undefined,
      });
      deny(res, 401, challenge, token === undefined ? 'unauthorized' : 'invalid_token');
      return false;
    }
    return {
      token: token as string,
      clientId: info.clientId ?? 'unknown',
      scopes: [...info.scopes],
      expiresAt: info.expiresAt,
      extra: { subject: info.subject },
    };
  };

  const insufficient = (res: ServerResponse, auth: AuthInfo, needed: readonly string[]): boolean => {
    const missing = needed.filter((scope) => !auth.scopes.includes(scope));
    if (missing.length === 0) return false;
    const scope = [...new Set([...auth.scopes, ...needed])].join(' ');
    const where = prmUrl();
    const challenge = `Bearer error="insufficient_scope", scope="${scope}"${where ? `, resource_metadata="${where}"` : ''}`;
    deny(res, 403, challenge, 'insufficient_scope');
    return true;
  };

  const handleMcp = async (req: IncomingMessage & { auth?: AuthInfo }, res: ServerResponse) => {
    const auth = await authorizeRequest(req, res);
    if (auth === false) return;
    if (auth && insufficient(res, auth, options.requiredScopes ?? [])) {
      req.resume();
      return;
    }
    const body = req.method === 'POST' ? await readBody(req) : undefined;
    let parsed: unknown;
    if (body !== undefined) {
      try {
        parsed = JSON.parse(body);
      } catch {
        sendJson(res, 400, { jsonrpc: '2.0', error: { code: -32700, message: 'Parse error' }, id: null });
        return;
      }
    }
    const tool = toolCallName(parsed);
    if (auth && tool !== undefined && insufficient(res, auth, options.toolScopes?.[tool] ?? [])) return;
    if (auth) req.auth = auth;

    if (wire2026 !== undefined) {
      await wire2026.handle(req, res, origin, parsed, auth);
      return;
    }
    if (!options.sessions) {
      if (req.method !== 'POST') {
        req.resume();
        sendJson(res, 405, { error: 'method_not_allowed' }, { allow: 'POST' });
        return;
      }
      const server = createToolServer('testkit-mcp');
      const transport = new StreamableHTTPServerTransport({});
      res.on('close', () => {
        void transport.close();
        void server.close();
      });
      await server.connect(transport);
      await transport.handleRequest(req, res, parsed);
      return;
    }
    const id = req.headers['mcp-session-id'];
    let transport = typeof id === 'string' ? sessions.get(id) : undefined;
    if (!transport) {
      if (typeof id === 'string') {
        sendJson(res, 404, {
          jsonrpc: '2.0',
          error: { code: -32001, message: 'Session not found' },
          id: null,
        });
        return;
      }
      const created = new StreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        onsessioninitialized: (sessionId) => {
          sessions.set(sessionId, created);
        },
      });
      created.onclose = () => {
        if (created.sessionId) sessions.delete(created.sessionId);
      };
      await createToolServer('testkit-mcp').connect(created);
      transport = created;
    }
    await transport.handleRequest(req, res, parsed);
  };

  const loopback = await listenLoopback(options.host ?? '127.0.0.1', (req, res) => {
    logRequest(log, origin, 'mcp', started, req, res);
    const pathname = new URL(req.url ?? '/', origin).pathname;
    const fail = (error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { error: 'server_error', error_description: String(error) });
    };
    if (pathname === path) {
      handleMcp(req, res).catch(fail);
      return;
    }
    const extra = options.routes?.[pathname];
    if (extra) {
      extra(req, res, origin);
      return;
    }
    req.resume();
    const metadata = options.resourceMetadata;
    if (metadata && req.method === 'GET' && prmPaths.includes(pathname)) {
      sendJson(
        res,
        200,
        protectedResourceMetadata(
          metadata.resource ?? url(),
          typeof metadata.authorizationServers === 'function'
            ? metadata.authorizationServers(origin)
            : metadata.authorizationServers,
          metadata.scopesSupported,
        ),
      );
      return;
    }
    sendJson(res, 404, { error: 'not_found' });
  });
  origin = loopback.origin;

  return {
    url: url(),
    origin,
    resourceMetadataUrl: prmUrl(),
    requests: log,
    count: (p) => log.filter((entry) => entry.path === p).length,
    dpop,
    close: async () => {
      await Promise.all([...sessions.values()].map((transport) => transport.close()));
      sessions.clear();
      await wire2026?.close();
      await loopback.close();
    },
  };
}
