import {
  bindingScope,
  type IssuerBinding,
  type PendingAuthorization,
  type StoredClient,
  type StoredTokens,
  type StoreKey,
  type TokenStore,
} from '@oauth-discovery/mcp';
import type { LockHandle, Store } from '@oauth-discovery/store';

/** Stored tokens and the version they were read at (the compare-and-swap condition of the next write). */
export interface VersionedTokens {
  readonly tokens: StoredTokens;
  readonly version: string;
}

/**
 * One user's view of the shared store, in the mcp package's `TokenStore` shape (so `resolveClient` and
 * the token keeper use it as they are), plus the versioned operations a fleet needs. Tokens live under
 * the user (`tokens/<user>/<resource>\n<binding scope>`); client registrations are the aggregator's,
 * shared by every user (`clients/<binding scope>\n<token endpoint>`), keyed by `issuerBinding` as
 * everywhere else.
 */
export interface UserTokenStore extends TokenStore {
  readonly userId: string;
  /** The tokens and their version, for a compare-and-swap write. */
  readTokensVersioned(key: StoreKey): Promise<VersionedTokens | undefined>;
  /** Writes only when the stored record still has `ifVersion`; `false` when someone else wrote first. */
  writeTokensIf(key: StoreKey, tokens: StoredTokens, ifVersion: string): Promise<boolean>;
  /** Runs `fn` holding the fleet-wide lock of this user's tokens for `key`. */
  withTokenLock<T>(key: StoreKey, leaseMs: number, fn: (lock: LockHandle) => Promise<T>): Promise<T>;
}

/** The record key of a user's tokens. Keys are never secret (they stay in the clear). */
export function tokensKey(userId: string, key: StoreKey): string {
  return `tokens/${userId}/${key.resource}\n${bindingScope(key)}`;
}

/** Prefix of every token record of one user. */
export function userTokensPrefix(userId: string): string {
  return `tokens/${userId}/`;
}

function clientKey(binding: IssuerBinding): string {
  return `clients/${bindingScope(binding)}\n${binding.tokenEndpoint}`;
}

function pendingKey(userId: string, key: StoreKey): string {
  return `pending-key/${userId}/${key.resource}\n${bindingScope(key)}`;
}

function parse<T>(value: string | undefined): T | undefined {
  return value === undefined ? undefined : (JSON.parse(value) as T);
}

/** A {@link UserTokenStore} for `userId` over the shared (normally encrypted) store. */
export function createUserTokenStore(store: Store, userId: string): UserTokenStore {
  return {
    userId,
    async readTokens(key) {
      return parse<StoredTokens>((await store.get(tokensKey(userId, key)))?.value);
    },
    async readTokensVersioned(key) {
      const record = await store.get(tokensKey(userId, key));
      return record === undefined
        ? undefined
        : { tokens: JSON.parse(record.value) as StoredTokens, version: record.version };
    },
    async writeTokens(key, tokens) {
      await store.set(tokensKey(userId, key), JSON.stringify(tokens));
    },
    async writeTokensIf(key, tokens, ifVersion) {
      return (await store.set(tokensKey(userId, key), JSON.stringify(tokens), { ifVersion })).ok;
    },
    async deleteTokens(key) {
      const keys =
        'issuer' in key
          ? [tokensKey(userId, key)]
          : await store.list(`${userTokensPrefix(userId)}${key.resource}\n`);
      for (const name of keys) await store.delete(name);
      return keys.length;
    },
    withTokenLock(key, leaseMs, fn) {
      return store.withLock(`refresh/${tokensKey(userId, key)}`, leaseMs, fn, { waitMs: leaseMs });
    },
    async readClient(binding) {
      return parse<StoredClient>((await store.get(clientKey(binding)))?.value);
    },
    async writeClient(binding, client) {
      await store.set(clientKey(binding), JSON.stringify(client));
    },
    async deleteClient(binding) {
      await store.delete(clientKey(binding));
    },
    async readPending(key) {
      return parse<PendingAuthorization>((await store.get(pendingKey(userId, key)))?.value);
    },
    async writePending(key, pending) {
      await store.set(pendingKey(userId, key), JSON.stringify(pending));
    },
    async deletePending(key) {
      await store.delete(pendingKey(userId, key));
    },
  };
}
