/** A least-recently-used map of bounded size. */
export interface Lru<V> {
  /** The value, made the most recently used; `undefined` when absent. */
  get(key: string): V | undefined;
  /** Stores the value as the most recently used, evicting the least recently used beyond the bound. */
  set(key: string, value: V): void;
  delete(key: string): void;
  clear(): void;
  readonly size: number;
}

/** Creates an {@link Lru} holding at most `maxEntries` values. */
export function createLru<V>(maxEntries: number): Lru<V> {
  // A Map iterates in insertion order, so re-inserting on read keeps the oldest entry first.
  const entries = new Map<string, V>();
  return {
    get size() {
      return entries.size;
    },
    get(key) {
      if (!entries.has(key)) return undefined;
      const value = entries.get(key) as V;
      entries.delete(key);
      entries.set(key, value);
      return value;
    },
    set(key, value) {
      entries.delete(key);
      entries.set(key, value);
      while (entries.size > maxEntries) {
        const oldest = entries.keys().next();
        if (oldest.done === true) break;
        entries.delete(oldest.value);
      }
    },
    delete(key) {
      entries.delete(key);
    },
    clear() {
      entries.clear();
    },
  };
}
