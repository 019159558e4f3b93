import { DiscoveryError, ErrorCodes } from '@oauth-discovery/core';
import { assertPrefix, unavailable } from '@oauth-discovery/store';

/**
 * What the drivers need of a Redis connection: one method, so a `createClient()` of `redis` or
 * `@redis/client` (v5 or v6, any modules or RESP version) fits, and so do wrappers for clusters.
 */
export interface RedisCommander {
  sendCommand(args: ReadonlyArray<string>): Promise<unknown>;
}

/**
 * What change events need: a connection in subscriber mode — e.g. `await client.duplicate().connect()`
 * (a subscribed connection can run no other command).
 */
export interface RedisSubscriber {
  subscribe(channel: string, listener: (message: string, channel: string) => void): Promise<unknown>;
  unsubscribe(channel: string, listener?: (message: string, channel: string) => void): Promise<unknown>;
}

/**
 * The driver options every Redis driver takes, checked: a client with `sendCommand` (else
 * `INVALID_CONFIG`, named after `driver`) and a valid key prefix (default `defaultPrefix`).
 */
export function redisConnection(
  options: { readonly client: RedisCommander; readonly prefix?: string | undefined } | undefined,
  driver: string,
  defaultPrefix: string,
): { readonly client: RedisCommander; readonly prefix: string } {
  if (typeof options?.client?.sendCommand !== 'function') {
    throw new DiscoveryError(
      ErrorCodes.INVALID_CONFIG,
      `${driver}: client must be a connected Redis client`,
      {
        expected: 'a client with sendCommand',
        actual: typeof options?.client,
      },
    );
  }
  const prefix = options.prefix ?? defaultPrefix;
  assertPrefix(prefix);
  return { client: options.client, prefix };
}

/** Runs one command; a failure becomes `STORE_UNAVAILABLE` with the client's error as `cause`. */
export async function command<T>(client: RedisCommander, args: readonly string[], what: string): Promise<T> {
  try {
    return (await client.sendCommand(args)) as T;
  } catch (error) {
    throw unavailable(error, `redis ${what}`);
  }
}

/** Runs a Lua script with `EVAL` (Redis caches scripts by hash; every script here is small). */
export function evalScript<T>(
  client: RedisCommander,
  script: string,
  keys: readonly string[],
  args: readonly string[],
  what: string,
): Promise<T> {
  return command<T>(client, ['EVAL', script, String(keys.length), ...keys, ...args], what);
}

/** Escapes `*`, `?`, `[`, `]` and `\` so `text` matches itself in a `SCAN … MATCH` pattern. */
export function globEscape(text: string): string {
  return text.replace(/[*?[\]\\]/g, (char) => `\\${char}`);
}
