// `@oauth-discovery/core/cache`: discovery result caches (memory, file) and the lifetime rules
// (RFC 9111 `Cache-Control`).
export type { FileCacheOptions } from './file-cache.js';
export { createFileCache } from './file-cache.js';
export { discoveryCacheKey, requestKey } from './key.js';
export type { MemoryCache, MemoryCacheOptions } from './memory-cache.js';
export { createMemoryCache } from './memory-cache.js';
export type { CacheLifetimes } from './rules.js';
export { documentLifetime, hadTransientFault, missLifetime, resultLifetime } from './rules.js';
export type { CacheDirectives, TtlLimits } from './ttl.js';
export { cacheTtlFromHeaders, parseCacheControl } from './ttl.js';
export type { CachedFailure, CachedSuccess, CacheEntry, DiscoveryCache } from './types.js';
