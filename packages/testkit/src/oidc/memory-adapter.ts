/** A stored oidc-provider model payload (the adapter contract is loose; only these fields matter here). */
interface Payload {
  readonly grantId?: string;
  readonly userCode?: string;
  readonly uid?: string;
  consumed?: number;
  readonly [key: string]: unknown;
}

interface Stored {
  payload: Payload;
  expiresAt: number | undefined;
}

/** The adapter interface oidc-provider calls for every model (Session, AccessToken, Grant, …). */
export interface OidcAdapter {
  upsert(id: string, payload: Payload, expiresIn?: number): Promise<void>;
  find(id: string): Promise<Payload | undefined>;
  findByUserCode(userCode: string): Promise<Payload | undefined>;
  findByUid(uid: string): Promise<Payload | undefined>;
  consume(id: string): Promise<void>;
  destroy(id: string): Promise<void>;
  revokeByGrantId(grantId: string): Promise<void>;
}

/**
 * An in-memory adapter factory for one provider instance (so providers in one process never share
 * state, and oidc-provider does not warn about its own development adapter).
 *
 * @see https://github.com/panva/node-oidc-provider/blob/main/docs/README.md#adapter
 */
export function createMemoryAdapterFactory(): (model: string) => OidcAdapter {
  const store = new Map<string, Stored>();
  const live = (key: string): Payload | undefined => {
    const entry = store.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt !== undefined && entry.expiresAt <= Date.now()) {
      store.delete(key);
      return undefined;
    }
    return entry.payload;
  };
  return (model) => {
    const key = (id: string) => `${model}:${id}`;
    const findBy = (field: 'userCode' | 'uid', value: string) => {
      for (const [storedKey, entry] of store) {
        if (storedKey.startsWith(`${model}:`) && entry.payload[field] === value) {
          return Promise.resolve(live(storedKey));
        }
      }
      return Promise.resolve(undefined);
    };
    return {
      upsert: (id, payload, expiresIn) => {
        store.set(key(id), {
          payload: { ...payload },
          expiresAt: expiresIn === undefined ? undefined : Date.now() + expiresIn * 1000,
        });
        return Promise.resolve();
      },
      find: (id) => Promise.resolve(live(key(id))),
      findByUserCode: (userCode) => findBy('userCode', userCode),
      findByUid: (uid) => findBy('uid', uid),
      consume: (id) => {
        const payload = live(key(id));
        if (payload) payload.consumed = Math.floor(Date.now() / 1000);
        return Promise.resolve();
      },
      destroy: (id) => {
        store.delete(key(id));
        return Promise.resolve();
      },
      revokeByGrantId: (grantId) => {
        for (const [storedKey, entry] of store)
          if (entry.payload.grantId === grantId) store.delete(storedKey);
        return Promise.resolve();
      },
    };
  };
}
