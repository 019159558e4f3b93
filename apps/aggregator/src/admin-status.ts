import type { Store } from '@oauth-discovery/store';
import type { GatewayUser } from './gateway-auth.js';
import type { UpstreamStatus } from './upstream-status.js';
import type { UserSpaces } from './user-space.js';
import { userTokensPrefix } from './user-store.js';

/** One user as the operators' view shows them: no token, no secret. */
export interface UserOverview {
  readonly id: string;
  readonly issuer?: string | undefined;
  readonly subject?: string | undefined;
  /** Upstream resources this user holds tokens for (fleet-wide, from the store's keys). */
  readonly loggedInTo: readonly string[];
  /** The user's upstream states on the instance that answered (absent when it has not served them). */
  readonly upstreams?: readonly UpstreamStatus[] | undefined;
}

/**
 * `GET /status/users` for the admin group: every user the fleet knows (from the store), the upstream
 * resources they hold tokens for, and — for users this instance serves — their upstream states. Never
 * a token, a secret or a verifier.
 */
export async function usersOverview(store: Store, spaces: UserSpaces): Promise<readonly UserOverview[]> {
  const users: UserOverview[] = [];
  for (const key of await store.list('users/')) {
    const id = key.slice('users/'.length);
    const who = await store.get(key).catch(() => undefined);
    const identity =
      who === undefined ? {} : (JSON.parse(who.value) as { issuer?: string; subject?: string });
    const loggedInTo = (await store.list(userTokensPrefix(id))).map(
      (tokens) => tokens.slice(userTokensPrefix(id).length).split('\n')[0] ?? '',
    );
    const space = spaces.peek(id);
    users.push({
      id,
      ...identity,
      loggedInTo,
      upstreams: space && [...space.upstreams.values()].map((upstream) => upstream.status()),
    });
  }
  return users;
}

/** Whether the user may see every user (the admin group; the single local user sees everything anyway). */
export function isAdmin(user: GatewayUser): boolean {
  return user.admin === true || user.id === 'local';
}
