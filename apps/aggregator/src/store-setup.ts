import type { DiscoveryCache } from '@oauth-discovery/core';
import { DiscoveryError, ErrorCodes } from '@oauth-discovery/core';
import { isLoopbackHost } from '@oauth-discovery/core/http';
import {
  createEncryptedStore,
  createFileStore,
  keyringFromEnvironment,
  STORE_KEY_FILE_ENV,
  STORE_KEYS_ENV,
  type Store,
} from '@oauth-discovery/store';
import { createRedisDiscoveryCache, createRedisStore, type StoreChange } from '@oauth-discovery/store-redis';
import { createClient } from '@redis/client';
import type { AggregatorConfig } from './config.js';
import type { Logger } from './log.js';

/** The aggregator's store, opened: where it is, whether values are encrypted, and its change events. */
export interface OpenedStore {
  readonly store: Store;
  readonly encrypted: boolean;
  /** The discovery result cache every instance shares (Redis only; public metadata, not encrypted). */
  readonly discoveryCache?: DiscoveryCache;
  /** Other instances' writes (Redis only): hints to re-read. Resolves to an unsubscribe. */
  readonly subscribe?: (listener: (change: StoreChange) => void) => Promise<() => Promise<void>>;
  close(): Promise<void>;
}

/**
 * Opens the configured store (`store.type`: files in `storageDir`, or Redis) and wraps it with
 * AES-256-GCM encryption keyed from the environment (`OAUTH_DISCOVERY_STORE_KEYS` or
 * `OAUTH_DISCOVERY_STORE_KEY_FILE`, see docs/stores.md). Without keys only a single-user loopback
 * aggregator (`auth: none`, loopback `listen.host`, file store) starts, storing in the clear — which is
 * logged as the relaxation `store.unencrypted`.
 *
 * @throws {DiscoveryError} `INVALID_CONFIG` when keys are missing where they are required or invalid;
 *   `STORE_UNAVAILABLE` when Redis cannot be reached.
 */
export async function openStore(
  config: AggregatorConfig,
  env: Readonly<Record<string, string | undefined>>,
  log: Logger,
  given?: Store,
): Promise<OpenedStore> {
  const hasKeys = Boolean(env[STORE_KEYS_ENV] || env[STORE_KEY_FILE_ENV]);
  const singleUserLoopback =
    config.auth.type === 'none' && isLoopbackHost(config.listen.host) && config.store.type === 'file';
  if (!hasKeys && !singleUserLoopback) {
    throw new DiscoveryError(
      ErrorCodes.INVALID_CONFIG,
      `store: no encryption key: set ${STORE_KEYS_ENV} or ${STORE_KEY_FILE_ENV} (tokens, client secrets and PKCE verifiers are encrypted at rest; only a single-user loopback aggregator with auth.type none and the file store may run without)`,
      { expected: `${STORE_KEYS_ENV} or ${STORE_KEY_FILE_ENV}`, actual: null },
    );
  }
  const keyring = hasKeys ? await keyringFromEnvironment(env) : undefined;
  const wrap = (store: Store): Store => (keyring ? createEncryptedStore(store, keyring) : store);
  if (!keyring)
    log({
      level: 'warn',
      event: 'relaxation',
      relaxation: 'store.unencrypted',
      message: `relaxation: store.unencrypted (no ${STORE_KEYS_ENV} or ${STORE_KEY_FILE_ENV}: tokens are stored in the clear, files mode 0600; allowed only for auth.type none on loopback)`,
    });
  if (given !== undefined)
    return { store: wrap(given), encrypted: keyring !== undefined, close: async () => {} };
  if (config.store.type === 'file') {
    const store = createFileStore({ dir: config.storageDir });
    return { store: wrap(store), encrypted: keyring !== undefined, close: () => store.close() };
  }
  // The first connection fails the start at once; once connected, a lost connection is retried forever.
  let connected = false;
  const client = createClient({
    url: config.store.url,
    socket: {
      connectTimeout: 5000,
      reconnectStrategy: (retries: number, cause: Error) =>
        connected ? Math.min(50 * 2 ** retries, 2000) : cause,
    },
  });
  client.on('error', () => undefined); // reported by the commands that fail (STORE_UNAVAILABLE)
  try {
    await client.connect();
    connected = true;
  } catch (cause) {
    throw new DiscoveryError(ErrorCodes.STORE_UNAVAILABLE, `store: cannot connect to Redis at store.url`, {
      expected: 'a Redis server answering at store.url',
      actual: cause instanceof Error ? cause.message : String(cause),
      cause,
    });
  }
  const subscriber = client.duplicate();
  subscriber.on('error', () => undefined);
  await subscriber.connect();
  const redis = createRedisStore({ client, subscriber, prefix: config.store.prefix });
  return {
    store: wrap(redis),
    encrypted: keyring !== undefined,
    discoveryCache: createRedisDiscoveryCache({ client, prefix: `${config.store.prefix}discovery:` }),
    subscribe: (listener) => redis.subscribe(listener),
    async close() {
      await redis.close();
      await subscriber.close().catch(() => undefined);
      await client.close().catch(() => undefined);
    },
  };
}
