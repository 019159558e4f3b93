import { createRecordTokenStore, type RecordBackend } from './records.js';
import type { TokenStore } from './types.js';

/**
 * A {@link TokenStore} in memory: for tests, short-lived processes and servers that keep tokens
 * elsewhere. Values are copied in and out (as JSON), so callers cannot change what is stored.
 */
export function createMemoryStore(): TokenStore {
  const records = new Map<string, string>();
  const backend: RecordBackend = {
    async read(name, parse) {
      const text = records.get(name);
      return text === undefined ? undefined : parse(JSON.parse(text));
    },
    async write(name, value) {
      records.set(name, JSON.stringify(value));
    },
    async remove(name) {
      return records.delete(name);
    },
    async list(prefix) {
      return [...records.keys()].filter((name) => name.startsWith(prefix));
    },
  };
  return createRecordTokenStore(backend);
}
