import type { CallToolResult, Tool } from '@modelcontextprotocol/sdk/types.js';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import type { DiscoveryResult, DiscoveryTrace } from '@oauth-discovery/core';
import { type GrantOptions, storeKey } from '@oauth-discovery/mcp';
import type { UpstreamClientSettings } from './clients.js';
import type { AggregatorConfig, UpstreamConfig } from './config.js';
import { openConnection, type UpstreamConnection } from './connection.js';
import type { GatewayUser } from './gateway-auth.js';
import type { Logger } from './log.js';
import type { LoginFlow, StartedLogin } from './login-flow.js';
import type { TokenKeeper } from './tokens.js';
import { discoverUpstream } from './upstream-discovery.js';
import {
  isConnectionFailure,
  isLoginRequired,
  isUnauthorized,
  notOAuth,
  retryable,
  toUpstreamError,
  withConfigAdvice,
} from './upstream-error.js';
import { createUpstreamSchedule } from './upstream-schedule.js';
import { createUpstreamState } from './upstream-state.js';
import { actionFor, describeStatus, type UpstreamStatus } from './upstream-status.js';
import type { UserTokenStore } from './user-store.js';

/** Secrets of one upstream, read from the environment at start. */
export interface UpstreamSecrets {
  readonly bearerToken?: string;
  readonly clientSecret?: string;
  /** The grant of `auth.grant`, its secrets read. */
  readonly grant?: GrantOptions | undefined;
}

/** What an upstream needs from the aggregator. */
export interface UpstreamDeps {
  /** Discovery through the shared pipeline and the start-up concurrency limit. */
  readonly discover: (url: string, fresh: boolean) => Promise<DiscoveryResult>;
  readonly tokens: TokenKeeper;
  readonly logins: LoginFlow;
  /** The user this upstream connection belongs to (each user has their own). */
  readonly user: GatewayUser;
  readonly store: UserTokenStore;
  /** Revokes tokens at the authorization server before they are deleted (RFC 7009), when it can. */
  readonly revoke?: (result: DiscoveryResult) => Promise<void>;
  readonly timing: AggregatorConfig['reconnect'];
  readonly clientName: string;
  /** Where this upstream is in the configuration, `upstreams[2]`, for messages that name keys. */
  readonly configKey: string;
  /** The set of tools changed (connected, dropped, or the upstream said so). */
  readonly onToolsChanged: () => void;
  /** Tracks work shutdown must wait for (tool calls, store writes). */
  readonly track: <T>(work: Promise<T>) => Promise<T>;
  readonly log: Logger;
  /** The clock token expiry is measured with. */
  readonly now: () => number;
}

/** One upstream MCP server and its state machine. */
export type Upstream = ReturnType<typeof createUpstream>;

/**
 * An upstream's life: discover its authorization server (OAuth upstreams), wait for a login when no
 * usable token is stored, connect with the SDK's client, re-expose its tools; on a drop or an
 * unreachable server, `failed` with the error and a retry with exponential backoff; on a refused
 * refresh, `auth_required`. Every transition is independent of other upstreams.
 *
 * The decisions live here; the states and their allowed transitions in `upstream-state.ts`
 * (`TRANSITIONS`), the retry, health and refresh timers in `upstream-schedule.ts`, discovery and the
 * operator's checks in `upstream-discovery.ts`. `epoch` counts connection attempts: work started for an
 * older attempt (a timer, a late answer) sees it changed and does nothing.
 *
 * @see https://modelcontextprotocol.io/specification/2025-11-25/basic/authorization
 */
export function createUpstream(config: UpstreamConfig, secrets: UpstreamSecrets, deps: UpstreamDeps) {
  const { auth } = config;
  const state = createUpstreamState(
    config.name,
    auth.type === 'oauth' ? 'discovering' : 'connecting',
    deps.log,
  );
  const enter = state.enter;
  let result: DiscoveryResult | undefined;
  let connection: UpstreamConnection | undefined;
  let toolList: readonly Tool[] = [];
  let attempts = 0;
  let epoch = 0;
  let closed = false;
  const schedule = createUpstreamSchedule(deps);

  async function disconnect(): Promise<void> {
    const open = connection;
    connection = undefined;
    const hadTools = toolList.length > 0;
    toolList = [];
    if (hadTools) deps.onToolsChanged();
    await open?.close().catch(() => undefined);
  }

  function fail(error: unknown, retry = retryable(error)): void {
    if (!retry) {
      enter('failed', error);
      return;
    }
    // Backoff grows with each retry in a row; a connection (or a login) starts it again.
    const mine = epoch;
    const retryAt = schedule.retry(
      attempts,
      () => mine === epoch,
      () => void run(),
    );
    attempts += 1;
    enter('failed', error, retryAt);
  }

  async function headers(): Promise<Record<string, string>> {
    if (auth.type === 'bearer') return { authorization: `Bearer ${secrets.bearerToken ?? ''}` };
    if (auth.type === 'oauth' && result)
      return { authorization: `Bearer ${await deps.tokens.accessToken(result)}` };
    return {};
  }

  async function refreshTools(): Promise<void> {
    if (!connection) return;
    toolList = await connection.listTools();
    deps.onToolsChanged();
  }

  /** Keeps a connection of attempt `mine` checked: pings, and refreshes its token before it expires. */
  async function watch(mine: number): Promise<void> {
    schedule.health(
      () => mine === epoch && connection !== undefined,
      () => connection?.ping() ?? Promise.resolve(),
      (error) => void drop(error),
    );
    const found = result;
    if (auth.type !== 'oauth' || !found) return;
    await schedule.refresh(
      () => mine === epoch,
      () => deps.tokens.refreshDueAt(found),
      () => deps.tokens.accessToken(found),
      (error) => {
        // Refused: a person must log in. Not answered (down, 5xx): reconnect with backoff, which refreshes again.
        if (isLoginRequired(error)) {
          epoch += 1;
          void disconnect().then(() => enter('auth_required', error));
        } else void drop(error);
      },
    );
  }

  /** Drops the connection after a failure and reconnects with backoff. */
  async function drop(error: unknown): Promise<void> {
    epoch += 1;
    await disconnect();
    if (!closed) fail(error);
  }

  async function run(retriedUnauthorized = false): Promise<void> {
    epoch += 1;
    const mine = epoch;
    const stale = () => closed || mine !== epoch;
    try {
      if (auth.type === 'oauth') {
        if (!result) {
          enter('discovering');
          const outcome = await discoverUpstream(deps, config, { fresh: attempts > 0, acceptGuess: false });
          if (stale()) return;
          if (!outcome.ok) {
            fail(outcome.error, outcome.retry);
            return;
          }
          result = outcome.result;
        }
        const needed = await deps.tokens.loginNeeded(result);
        if (needed) {
          if (!stale()) enter('auth_required', needed);
          return;
        }
      }
      if (stale()) return;
      enter('connecting');
      const opened = await openConnection({
        url: config.url,
        headers,
        timeoutMs: deps.timing.connectTimeoutMs,
        clientName: deps.clientName,
        onToolsChanged: () => void refreshTools().catch((error: unknown) => drop(error)),
      });
      const tools = await opened.listTools().catch(async (error: unknown) => {
        await opened.close().catch(() => undefined);
        throw error;
      });
      if (stale()) {
        await opened.close().catch(() => undefined);
        return;
      }
      connection = opened;
      toolList = tools;
      attempts = 0;
      enter('connected');
      deps.onToolsChanged();
      await watch(mine);
    } catch (error) {
      if (stale()) return;
      if (auth.type === 'oauth' && result && isUnauthorized(error)) {
        if (!retriedUnauthorized && !isLoginRequired(error)) {
          // The upstream refused a token we thought live: one forced refresh, then a login.
          try {
            await deps.tokens.accessToken(result, true);
            return await run(true);
          } catch (refreshError) {
            if (stale()) return;
            if (isLoginRequired(refreshError)) enter('auth_required', refreshError);
            else fail(refreshError);
            return;
          }
        }
        enter('auth_required', error);
        return;
      }
      fail(error);
    }
  }

  /** `auth_login` before discovery succeeded: discover again now, and accept a guess (a person asked). */
  async function discoverForLogin(): Promise<void> {
    epoch += 1;
    schedule.clear();
    const mine = epoch;
    enter('discovering');
    try {
      const outcome = await discoverUpstream(deps, config, { fresh: true, acceptGuess: true });
      if (mine !== epoch) return;
      if (!outcome.ok) return fail(outcome.error, outcome.retry);
      result = outcome.result;
      attempts = 0;
      enter('auth_required');
    } catch (error) {
      if (mine === epoch) fail(error);
    }
  }

  function notConnected(): McpError {
    const { state: now, error, retryAt } = state.facts;
    const why = error ? ` (${error.code}: ${error.message})` : '';
    return new McpError(
      ErrorCode.InvalidRequest,
      `Upstream "${config.name}" is ${now}${why}: ${actionFor(config.name, now, retryAt)}`,
      { upstream: config.name, state: now, error },
    );
  }

  return {
    name: config.name,
    url: config.url,
    status: (): UpstreamStatus =>
      describeStatus({
        ...state.facts,
        name: config.name,
        url: config.url,
        auth: auth.type,
        issuer: result?.authorizationServer.issuer,
        guessed: result?.guessed,
        tools: toolList.length,
      }),
    /** The trace of the failed discovery, else of the last successful one (the status page's waterfall). */
    discoveryTrace: (): DiscoveryTrace | undefined => state.facts.trace ?? result?.trace,
    /** The upstream's tools while connected (original names). */
    tools: (): readonly Tool[] => toolList,
    /** Starts the life cycle; resolves when the first attempt settled (connected, auth_required or failed). */
    start: (): Promise<void> => run(),
    /**
     * Starts a login; the callback finishes it (see {@link LoginFlow.finish}) and then calls `loggedIn`.
     *
     * @throws {McpError} when the upstream does not use OAuth or its authorization server is not known.
     */
    async login(): Promise<StartedLogin> {
      if (auth.type !== 'oauth') throw notOAuth(config.name, auth.type, 'log in to');
      if (!result) await discoverForLogin();
      if (!result) throw notConnected();
      const found = result;
      return deps.logins
        .start(deps.user, config.name, found, { clientId: auth.clientId, clientSecret: secrets.clientSecret })
        .catch((error: unknown) => {
          throw withConfigAdvice(error, {
            key: deps.configKey,
            issuer: found.authorizationServer.issuer,
            redirectUri: deps.logins.redirectUri,
          });
        });
    },
    /** Tokens were stored by a finished login: connect now. */
    loggedIn(): void {
      attempts = 0;
      schedule.clear();
      void disconnect().then(() => run());
    },
    /** Forgets the tokens (the client registration stays) and drops the connection. */
    async logout(): Promise<void> {
      if (auth.type !== 'oauth') throw notOAuth(config.name, auth.type, 'log out of');
      epoch += 1;
      schedule.clear();
      await disconnect();
      if (result) {
        await deps.revoke?.(result);
        await deps.track(deps.store.deleteTokens(storeKey(result)));
      }
      enter(result ? 'auth_required' : state.current);
    },
    /**
     * What a login callback needs: this upstream's discovery result (discovering now if there is none
     * yet, as after a restart) and its client settings.
     *
     * @throws {McpError} when the upstream does not use OAuth or discovery fails.
     */
    async loginTarget(): Promise<{ result: DiscoveryResult; settings: UpstreamClientSettings }> {
      if (auth.type !== 'oauth') throw notConnected();
      if (!result) await discoverForLogin();
      if (!result) throw notConnected();
      return { result, settings: { clientId: auth.clientId, clientSecret: secrets.clientSecret } };
    },
    /** Tokens may have appeared (a login finished on another instance): connect when they did. */
    async recheck(): Promise<void> {
      if (state.current !== 'auth_required' || !result || auth.type !== 'oauth') return;
      if ((await deps.tokens.loginNeeded(result)) === undefined && state.current === 'auth_required') {
        attempts = 0;
        schedule.clear();
        await disconnect();
        await run();
      }
    },
    /** Tokens were deleted elsewhere (a logout on another instance): disconnect. */
    async forget(): Promise<void> {
      if (auth.type !== 'oauth' || !result || state.current === 'auth_required') return;
      if ((await deps.tokens.loginNeeded(result)) === undefined) return;
      epoch += 1;
      schedule.clear();
      await disconnect();
      enter('auth_required');
    },
    /**
     * Calls a tool of this upstream.
     *
     * @throws {McpError} naming the state and what to do when it is not connected, or when the call
     *   broke the connection (it then reconnects by itself).
     */
    async callTool(
      tool: string,
      args: Record<string, unknown> | undefined,
      signal?: AbortSignal,
    ): Promise<CallToolResult> {
      const open = connection;
      if (state.current !== 'connected' || !open) throw notConnected();
      try {
        return await deps.track(open.callTool(tool, args, signal));
      } catch (error) {
        // An MCP error the upstream answered (unknown tool, bad arguments) leaves the session as it is.
        if (error instanceof McpError && !isConnectionFailure(error)) throw error;
        if (connection === open) {
          // A 401 (or a refused refresh): reconnect, which refreshes or asks for a login. Unreachable,
          // 5xx, session gone, refresh not answered: failed, and back with backoff.
          if (auth.type === 'oauth' && isUnauthorized(error)) void disconnect().then(() => run());
          else if (isConnectionFailure(error)) void drop(error);
        }
        const { code, message } = toUpstreamError(error);
        throw new McpError(
          ErrorCode.InternalError,
          `Upstream "${config.name}" failed during ${tool} (${code}: ${message}); it reconnects by itself, see upstream_status`,
          { upstream: config.name, error: { code, message } },
        );
      }
    },
    async close(): Promise<void> {
      closed = true;
      epoch += 1;
      schedule.stop();
      await disconnect();
    },
  };
}
