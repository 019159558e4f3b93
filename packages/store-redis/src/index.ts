export type { RedisCommander, RedisSubscriber } from './client.js';
export type { RedisDiscoveryCacheOptions } from './redis-cache.js';
export { createRedisDiscoveryCache } from './redis-cache.js';
export type { RedisStore, RedisStoreOptions, StoreChange } from './redis-store.js';
export { createRedisStore } from './redis-store.js';
