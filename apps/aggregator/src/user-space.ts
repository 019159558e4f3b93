import type { HttpClient } from '@oauth-discovery/core';
import type { Store } from '@oauth-discovery/store';
import type { ClientResolver } from './clients.js';
import type { AggregatorConfig } from './config.js';
import type { GatewayUser } from './gateway-auth.js';
import { createGrantKeeper } from './grant-tokens.js';
import type { Logger } from './log.js';
import type { LoginFlow } from './login-flow.js';
import { revokeTokens } from './revoke.js';
import { createTokenKeeper } from './tokens.js';
import { createToolRegistry, type ToolRegistry } from './tool-registry.js';
import { createUpstream, type Upstream, type UpstreamDeps, type UpstreamSecrets } from './upstream.js';
import { createUserTokenStore, type UserTokenStore } from './user-store.js';

/** One user's upstreams: their own tokens, states, connections, tool lists and logins. */
export interface UserSpace {
  readonly user: GatewayUser;
  readonly store: UserTokenStore;
  readonly upstreams: ReadonlyMap<string, Upstream>;
  readonly registry: ToolRegistry;
  /** Resolves once every upstream's first attempt settled. */
  readonly ready: Promise<void>;
  close(): Promise<void>;
}

/** What every user's space shares: the pipeline, the clients, the store, the configuration. */
export interface SharedDeps {
  readonly config: AggregatorConfig;
  readonly secrets: ReadonlyMap<string, UpstreamSecrets>;
  readonly store: Store;
  readonly clients: ClientResolver;
  /** The SSRF-guarded client of the grants' token requests. */
  readonly http: HttpClient;
  readonly logins: LoginFlow;
  readonly discover: UpstreamDeps['discover'];
  readonly track: <T>(work: Promise<T>) => Promise<T>;
  readonly log: Logger;
  readonly now: () => number;
  /** The tool list of this user changed (to notify their MCP sessions). */
  readonly onToolsChanged: (user: GatewayUser) => void;
}

/**
 * The upstreams of every user, created on a user's first request (their stored tokens are found in
 * the shared store, so a user coming back to another instance, or after a restart, is connected
 * without a login). Nothing one user does reaches another's space: tokens are read and written under
 * the user's id, tool lists and states are the space's own.
 */
export function createUserSpaces(shared: SharedDeps) {
  const spaces = new Map<string, UserSpace>();
  const { config } = shared;

  function create(user: GatewayUser): UserSpace {
    const store = createUserTokenStore(shared.store, user.id);
    // Who the id is, for the operators' view (encrypted like every value: the subject is personal data).
    if (user.id !== 'local')
      void shared.store
        .set(`users/${user.id}`, JSON.stringify({ issuer: user.issuer, subject: user.subject }))
        .catch(() => undefined);
    const tokens = createTokenKeeper({
      store,
      clients: shared.clients,
      refreshSkewMs: config.oauth.refreshSkewSeconds * 1000,
      track: shared.track,
      now: shared.now,
    });
    const upstreams = new Map<string, Upstream>();
    for (const [index, upstream] of config.upstreams.entries()) {
      const secrets = shared.secrets.get(upstream.name) ?? {};
      // An upstream with a grant gets its tokens from the grant, in this user's space as any other.
      const grant = secrets.grant;
      const upstreamTokens =
        grant === undefined
          ? tokens
          : createGrantKeeper({
              grant,
              scope: upstream.auth.type === 'oauth' ? upstream.auth.scopes?.join(' ') : undefined,
              store,
              http: shared.http,
              refreshSkewMs: config.oauth.refreshSkewSeconds * 1000,
              now: shared.now,
            });
      upstreams.set(
        upstream.name,
        createUpstream(upstream, secrets, {
          configKey: `upstreams[${index}]`,
          discover: shared.discover,
          user,
          tokens: upstreamTokens,
          logins: shared.logins,
          store,
          revoke: async (result) => {
            await revokeTokens(result, store, shared.clients, shared.log);
          },
          timing: config.reconnect,
          clientName: config.oauth.clientName,
          onToolsChanged: () => shared.onToolsChanged(user),
          track: shared.track,
          log: (event) => shared.log(user.id === 'local' ? event : { ...event, user: user.id }),
          now: shared.now,
        }),
      );
    }
    const ready = Promise.all([...upstreams.values()].map((upstream) => upstream.start())).then(
      () => undefined,
    );
    return {
      user,
      store,
      upstreams,
      registry: createToolRegistry(upstreams),
      ready,
      async close() {
        await Promise.all([...upstreams.values()].map((upstream) => upstream.close()));
      },
    };
  }

  return {
    /** The user's space, created on first use. */
    get(user: GatewayUser): UserSpace {
      let space = spaces.get(user.id);
      if (space === undefined) {
        space = create(user);
        spaces.set(user.id, space);
      }
      return space;
    },
    /** The space of a user id if it exists on this instance. */
    peek(userId: string): UserSpace | undefined {
      return spaces.get(userId);
    },
    all(): IterableIterator<UserSpace> {
      return spaces.values();
    },
    /** Users served by this instance, and their upstreams by state (for `/healthz`). */
    counts(): { readonly users: number; readonly states: Record<string, number> } {
      const states: Record<string, number> = {};
      for (const space of spaces.values())
        for (const upstream of space.upstreams.values()) {
          const { state } = upstream.status();
          states[state] = (states[state] ?? 0) + 1;
        }
      return { users: spaces.size, states };
    },
    async close(): Promise<void> {
      await Promise.all([...spaces.values()].map((space) => space.close()));
    },
  };
}

/** The spaces {@link createUserSpaces} returns. */
export type UserSpaces = ReturnType<typeof createUserSpaces>;
