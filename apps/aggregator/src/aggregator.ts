import { DiscoveryError, type DiscoveryEvent, ErrorCodes } from '@oauth-discovery/core';
import { createHttpClient, isLoopbackHost } from '@oauth-discovery/core/http';
import type { Store } from '@oauth-discovery/store';
import { isAdmin, usersOverview } from './admin-status.js';
import { createClientResolver } from './clients.js';
import type { AggregatorConfig } from './config.js';
import { type GatewayUser, LOCAL_USER } from './gateway-auth.js';
import { createGatewayAuth } from './gateway-setup.js';
import { PATHS, type RunningHttpServer, startHttpServer } from './http-server.js';
import { createThrottle, type Logger } from './log.js';
import { createLoginCallback } from './login-callback.js';
import { createLoginFlow } from './login-flow.js';
import { createMcpEndpoint } from './mcp-endpoint.js';
import { createPageHandlers } from './page-handlers.js';
import { secretsFor } from './secrets.js';
import { createSharedDiscovery } from './shared-discovery.js';
import { openStore } from './store-setup.js';
import { createTracker } from './tracker.js';
import type { Upstream } from './upstream.js';
import type { UpstreamStatus } from './upstream-status.js';
import { createUserSpaces, type UserSpace } from './user-space.js';
import { createUserTokenStore } from './user-store.js';

/** Options of {@link startAggregator} besides the configuration. */
export interface AggregatorOptions {
  /** Where secrets are read from. Default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /**
   * Structured events (state changes, relaxations, refused requests, closed sessions). Default: none.
   * `createJsonLogger` of `./log.js` writes them as JSON lines, as the command line does.
   */
  readonly log?: Logger;
  /**
   * A store instead of the configured one (tests). It is wrapped with encryption like the configured
   * one when keys are set in `env`.
   */
  readonly store?: Store;
  /** Clock for token expiry and login lifetimes, in epoch ms. Default `Date.now`; tests move it. */
  readonly now?: () => number;
  /** Discovery progress events of the shared pipeline. */
  readonly onDiscoveryEvent?: (event: DiscoveryEvent) => void;
}

/** A running aggregator. */
export interface Aggregator {
  /** Origin the HTTP server listens on (`http://127.0.0.1:8080`). */
  readonly origin: string;
  /** The MCP endpoint URL. */
  readonly mcpUrl: string;
  /** `<publicUrl>/oauth/callback`. */
  readonly redirectUri: string;
  /** With `auth: none`, the single user's upstreams; with `auth: oauth`, none (see {@link Aggregator.spaceOf}). */
  readonly upstreams: ReadonlyMap<string, Upstream>;
  /** A user's upstreams, created on first use. */
  spaceOf(user: GatewayUser): UserSpace;
  /** The single user's status (`auth: none`). */
  status(): { readonly upstreams: readonly UpstreamStatus[] };
  /**
   * Resolves once every upstream's first attempt has settled (connected, auth_required or failed) —
   * with `auth: oauth`, once every upstream's discovery has (users connect on their first request).
   */
  readonly ready: Promise<void>;
  /**
   * Requests discovery sent on the network (speculative leftovers included), and how many requests
   * were answered from the pipeline's shared documents instead.
   */
  discoveryStats(): { readonly sent: number; readonly shared: number };
  /** Graceful shutdown: stop accepting, let tool calls finish, close upstreams, flush the store. */
  close(): Promise<void>;
}

/**
 * Starts the aggregator: one MCP endpoint in front of every configured upstream. Secrets are read
 * first (a missing one stops the start with `INVALID_CONFIG`); the HTTP server listens; then every OAuth
 * upstream is discovered concurrently — at most `discovery.concurrency` at once — through one shared
 * pipeline (result cache and single flight per resource, metadata documents shared between upstreams:
 * one request per distinct metadata URL), and each upstream goes its own way from there.
 *
 * @throws {DiscoveryError} `INVALID_CONFIG` for a missing secret, a bad discovery option, or an
 *   address it cannot listen on.
 * @see https://modelcontextprotocol.io/specification/2025-11-25/basic/authorization
 */
export async function startAggregator(
  config: AggregatorConfig,
  options: AggregatorOptions = {},
): Promise<Aggregator> {
  const log = options.log ?? (() => undefined);
  const env = options.env ?? process.env;
  const secrets = secretsFor(config, env);
  const tracker = createTracker();
  const opened = await openStore(config, env, log, options.store);
  const { store } = opened;

  const safeHttp = createHttpClient({
    requestTimeoutMs: config.discovery.requestTimeoutMs,
    allowPrivateNetwork: config.discovery.allowPrivateNetwork,
  });
  if (
    config.auth.type === 'none' &&
    config.auth.allowNonLoopbackListen &&
    !isLoopbackHost(config.listen.host)
  )
    log({
      level: 'warn',
      event: 'relaxation',
      relaxation: 'auth.allowNonLoopbackListen',
      message: `relaxation: auth.allowNonLoopbackListen (listening on ${config.listen.host} with no client authentication: anyone who reaches the port uses every upstream login)`,
    });
  if (config.discovery.allowPrivateNetwork)
    log({
      level: 'warn',
      event: 'relaxation',
      relaxation: 'discovery.allowPrivateNetwork',
      message:
        'relaxation: discovery.allowPrivateNetwork (SSRF guard off for metadata, token and registration requests)',
    });
  let discovery: ReturnType<typeof createSharedDiscovery>;
  try {
    discovery = createSharedDiscovery(config, {
      http: safeHttp,
      cache: opened.discoveryCache,
      onEvent: options.onDiscoveryEvent,
    });
  } catch (error) {
    await safeHttp.close();
    throw error;
  }
  const { discover } = discovery;

  // The callback URL must be known before listening when a port is fixed; with port 0 it follows the real port.
  let redirectUri = '';
  const relaxationsSeen = new Set<string>();
  const clients = createClientResolver({
    // Client registrations are the aggregator's, shared by every user (keyed by issuer binding).
    store: createUserTokenStore(store, 'clients'),
    http: safeHttp,
    get redirectUri() {
      return redirectUri;
    },
    clientName: config.oauth.clientName,
    onRelaxation: (issuer, relaxation) => {
      if (relaxationsSeen.has(issuer)) return;
      relaxationsSeen.add(issuer);
      log({
        level: 'warn',
        event: 'relaxation',
        issuer,
        relaxation,
        message: 'relaxation for an authorization server',
      });
    },
  });
  const track = <T>(work: Promise<T>): Promise<T> => tracker.track(work);
  const now = options.now ?? Date.now;
  const logins = createLoginFlow({
    clients,
    store,
    get redirectUri() {
      return redirectUri;
    },
    ttlMs: config.oauth.loginTtlSeconds * 1000,
    track,
    now,
  });
  const toolsChangedFor = new Set<GatewayUser>();
  const onToolsChanged = (user: GatewayUser): void => {
    // Several upstreams connecting in one tick make one notification per user.
    if (toolsChangedFor.has(user)) return;
    toolsChangedFor.add(user);
    queueMicrotask(() => {
      toolsChangedFor.delete(user);
      mcp.notifyToolsChanged(user);
    });
  };
  const spaces = createUserSpaces({
    config,
    secrets: secrets.upstreams,
    http: safeHttp,
    store,
    clients,
    logins,
    discover,
    track,
    log,
    now,
    onToolsChanged,
  });
  const gateway = createGatewayAuth(config, secrets, store, log, now, safeHttp);
  // Floods (a local process opening thousands of sessions, a page hammering a refused Host) cost a
  // line a minute each, with the count of the others.
  const sessionLogThrottle = { idle: createThrottle(60_000, now), evicted: createThrottle(60_000, now) };
  const refusedLogThrottle = createThrottle(60_000, now);
  const mcp = createMcpEndpoint(
    (user) => spaces.get(user).registry,
    { name: 'oauth-discovery-aggregator', version: '0.0.0' },
    {
      max: config.sessions.max,
      maxPerUser: config.auth.type === 'oauth' ? config.sessions.maxPerUser : undefined,
      idleMs: config.sessions.idleSeconds * 1000,
      // A user's first session waits (a little) for their upstreams, so its first tools/list has them.
      prepare: (user) =>
        Promise.race([
          spaces.get(user).ready,
          new Promise<void>((done) =>
            setTimeout(done, Math.min(config.reconnect.connectTimeoutMs, 5000)).unref(),
          ),
        ]),
      now,
      onClosed: (reason, sessions) =>
        sessionLogThrottle[reason]((suppressed) =>
          log({
            level: reason === 'evicted' ? 'warn' : 'info',
            event: 'session-closed',
            reason,
            sessions,
            suppressed: suppressed > 0 ? suppressed : undefined,
            message:
              (reason === 'evicted'
                ? `MCP session closed to stay within sessions.max (${config.sessions.max})`
                : `MCP session idle for sessions.idleSeconds (${config.sessions.idleSeconds} s) closed`) +
              (suppressed > 0 ? ` (and ${suppressed} more since the last line)` : ''),
          }),
        ),
    },
  );
  let shuttingDown = false;
  const statusOf = (user: GatewayUser) => ({
    upstreams: [...spaces.get(user).upstreams.values()].map((u) => u.status()),
  });
  let http: RunningHttpServer;
  try {
    http = await startHttpServer(
      {
        mcp,
        authenticate: gateway.authenticate,
        signIn: gateway.signIn,
        resourceMetadata: gateway.resourceMetadata,
        ...createPageHandlers(spaces, store),
        status: statusOf,
        users: async (user) => (isAdmin(user) ? { users: await usersOverview(store, spaces) } : undefined),
        waterfall: (user) =>
          [...spaces.get(user).upstreams.values()].map((u) => ({
            status: u.status(),
            trace: u.discoveryTrace(),
          })),
        health: () => {
          const { users, states } = spaces.counts();
          return {
            ok: !shuttingDown,
            shuttingDown,
            upstreams: states,
            users: gateway.multiUser ? users : undefined,
            sessions: mcp.sessionCount,
          };
        },
        refused: (refusal, path) =>
          refusedLogThrottle((suppressed) =>
            log({
              level: 'warn',
              event: 'request-refused',
              header: refusal.header,
              path,
              suppressed: suppressed > 0 ? suppressed : undefined,
              message: `request refused with 403: ${refusal.header} check${suppressed > 0 ? ` (and ${suppressed} more since the last line)` : ''}`,
            }),
          ),
        callback: createLoginCallback(logins, spaces, gateway.signIn),
      },
      { host: config.listen.host, port: config.listen.port, publicUrl: config.publicUrl },
    );
  } catch (error) {
    await spaces.close();
    await discovery.close();
    await gateway.close();
    await safeHttp.close();
    await opened.close();
    const code = (error as { code?: unknown }).code;
    throw new DiscoveryError(
      ErrorCodes.INVALID_CONFIG,
      `listen: cannot listen on ${config.listen.host}:${config.listen.port} (${typeof code === 'string' ? code : String(error)})`,
      {
        url: `http://${config.listen.host}:${config.listen.port}`,
        expected: 'a free port on a local address',
        actual: typeof code === 'string' ? code : String(error),
        cause: error,
      },
    );
  }
  const base = (config.publicUrl ?? http.origin).replace(/\/$/, '');
  redirectUri = `${base}${PATHS.callback}`;
  gateway.listening(base, PATHS.mcp);
  // Other instances' writes (Redis): a login finished elsewhere connects here, a logout elsewhere disconnects.
  const unsubscribe = await opened.subscribe?.((change) => {
    const match = /^tokens\/([^/]+)\//.exec(change.key);
    const space = match?.[1] === undefined ? undefined : spaces.peek(match[1]);
    if (space === undefined) return;
    for (const upstream of space.upstreams.values())
      void (change.type === 'set' ? upstream.recheck() : upstream.forget()).catch(() => undefined);
  });
  log({
    level: 'info',
    event: 'listening',
    mcpUrl: `${http.origin}${PATHS.mcp}`,
    redirectUri,
    message: `listening on ${http.origin}${PATHS.mcp}; OAuth callback ${redirectUri}`,
  });

  // auth none: the single user's upstreams start now that the server listens.
  const local = config.auth.type === 'none' ? spaces.get(LOCAL_USER) : undefined;
  const upstreams: ReadonlyMap<string, Upstream> = local?.upstreams ?? new Map();
  // oauth: discovery is warmed for every user to share; users' upstreams start on their first request.
  const ready =
    local?.ready ??
    Promise.all(
      config.upstreams.map((upstream) =>
        upstream.auth.type === 'oauth' ? discover(upstream.url, false).catch(() => undefined) : undefined,
      ),
    ).then(() => undefined);

  return {
    origin: http.origin,
    mcpUrl: `${http.origin}${PATHS.mcp}`,
    get redirectUri() {
      return redirectUri;
    },
    upstreams,
    spaceOf: (user) => spaces.get(user),
    status: () => statusOf(LOCAL_USER),
    ready,
    discoveryStats: discovery.stats,
    async close() {
      if (shuttingDown) return;
      shuttingDown = true;
      log({ level: 'info', event: 'stopping', message: 'shutting down: waiting for tool calls in flight' });
      await http.drainCalls(config.shutdownGraceMs);
      await tracker.idle(config.shutdownGraceMs);
      await mcp.close();
      await http.close(Math.min(config.shutdownGraceMs, 2000));
      await unsubscribe?.().catch(() => undefined);
      await spaces.close();
      // Store writes started by the last logins and refreshes.
      await tracker.idle(config.shutdownGraceMs);
      await discovery.close();
      await gateway.close();
      await safeHttp.close();
      await opened.close();
      log({ level: 'info', event: 'stopped', message: 'stopped' });
    },
  };
}
