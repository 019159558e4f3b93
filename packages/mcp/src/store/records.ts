import { createHash } from 'node:crypto';
import { ErrorCodes, isDiscoveryError } from '@oauth-discovery/core';
import { z } from 'zod';
import { type DPoPKey, decodeDPoPKey, encodeDPoPKey, type StoredDPoPKey } from '../dpop/key.js';
import { DPOP_ALGORITHMS } from '../dpop/options.js';
import { bindingScope } from './binding.js';
import type {
  IssuerBinding,
  PendingAuthorization,
  StoredClient,
  StoredTokens,
  StoreKey,
  TokenStore,
} from './types.js';

/** The kinds of record a token store keeps. */
export type RecordKind = 'tokens' | 'client' | 'pending' | 'dpop-key';

/**
 * A place to keep named JSON records: the part that differs between the memory and the file store.
 * `read` returns `undefined` for a missing record and throws `STORE_CORRUPT` for an unreadable one.
 */
export interface RecordBackend {
  read(name: string, parse: (value: unknown) => unknown): Promise<unknown | undefined>;
  write(name: string, value: unknown): Promise<void>;
  /** Removes a record; resolves whether there was one. */
  remove(name: string): Promise<boolean>;
  /** Names of every record whose name starts with `prefix`. */
  list(prefix: string): Promise<string[]>;
}

const storedTokensSchema = z.object({
  accessToken: z.string(),
  tokenType: z.string(),
  refreshToken: z.string().optional(),
  expiresAt: z.number().optional(),
  scope: z.string().optional(),
  idToken: z.string().optional(),
  obtainedAt: z.number(),
  dpopJkt: z.string().optional(),
  refreshFailed: z.object({ at: z.number(), error: z.string(), message: z.string() }).optional(),
});

const storedClientSchema = z.object({
  clientId: z.string(),
  clientSecret: z.string().optional(),
  clientSecretExpiresAt: z.number().optional(),
  tokenEndpointAuthMethod: z.string().optional(),
  redirectUris: z.array(z.string()).optional(),
  source: z.enum(['preregistered', 'metadata-document', 'dynamic']),
  registeredAt: z.number(),
});

const pendingSchema = z.object({
  state: z.string(),
  codeVerifier: z.string(),
  redirectUri: z.string(),
  issuer: z.string(),
  resource: z.string(),
  scope: z.string().optional(),
  createdAt: z.number(),
});

const dpopKeySchema = z.object({
  alg: z.enum(DPOP_ALGORITHMS),
  privateJwk: z.looseObject({ kty: z.string() }),
  createdAt: z.number(),
});

const keySchema = z.object({
  resource: z.string().optional(),
  issuer: z.string(),
  unverifiedOrigin: z.string().optional(),
  tokenEndpoint: z.string().optional(),
});

/** The key a record is stored under: a token/pending key, or a client binding. */
type RecordKey = {
  readonly resource?: string | undefined;
  readonly issuer: string;
  readonly unverifiedOrigin?: string | undefined;
  readonly tokenEndpoint?: string | undefined;
};

function envelope<T extends z.ZodType>(kind: RecordKind, value: T) {
  return z.object({ version: z.literal(1), kind: z.literal(kind), key: keySchema, value });
}

const envelopes = {
  tokens: envelope('tokens', storedTokensSchema),
  client: envelope('client', storedClientSchema),
  pending: envelope('pending', pendingSchema),
  'dpop-key': envelope('dpop-key', dpopKeySchema),
} as const;

type Envelope = { version: 1; kind: RecordKind; key: RecordKey; value: unknown };

/**
 * File-system-safe, collision-resistant record name for a kind and key. A verified issuer's names are
 * those of earlier versions; an unverified issuer's include the origin that claimed it.
 */
export function recordName(kind: RecordKind, key: RecordKey): string {
  const scope = bindingScope(key);
  const id = kind === 'client' || kind === 'dpop-key' ? scope : `${key.resource ?? ''}\n${scope}`;
  return `${kind}-${createHash('sha256').update(id).digest('hex').slice(0, 32)}.json`;
}

/** The record key of a client binding (exactly its fields, whatever else the caller's object has). */
function clientKey(binding: IssuerBinding): RecordKey {
  return clean({
    issuer: binding.issuer,
    unverifiedOrigin: binding.unverifiedOrigin,
    tokenEndpoint: binding.tokenEndpoint,
  });
}

/** The record key of an issuer's DPoP key: the issuer and, when unverified, its claiming origin. */
function issuerKey(binding: {
  readonly issuer: string;
  readonly unverifiedOrigin?: string | undefined;
}): RecordKey {
  return clean({ issuer: binding.issuer, unverifiedOrigin: binding.unverifiedOrigin });
}

/** The record key of a token or pending key (exactly its fields). */
function tokenKey(key: StoreKey): RecordKey {
  return clean({ resource: key.resource, issuer: key.issuer, unverifiedOrigin: key.unverifiedOrigin });
}

/** Drops `undefined` fields (zod output keeps optional keys absent, but spreads may add them). */
function clean<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/**
 * Builds a {@link TokenStore} over a {@link RecordBackend}. Every record carries its key, so a
 * listing (logout of a resource with every issuer) needs no index file.
 */
export function createRecordTokenStore(backend: RecordBackend): TokenStore {
  const read = async (kind: RecordKind, key: RecordKey): Promise<unknown> => {
    const record = (await backend.read(recordName(kind, key), (value) => envelopes[kind].parse(value))) as
      | Envelope
      | undefined;
    if (record === undefined) return undefined;
    // A hash collision, a hand-copied file, or a registration made for another token endpoint: the
    // record is for another key, so it is not ours (a client secret only goes where it was meant for).
    if (
      record.key.issuer !== key.issuer ||
      record.key.unverifiedOrigin !== key.unverifiedOrigin ||
      (kind === 'client'
        ? record.key.tokenEndpoint !== key.tokenEndpoint
        : record.key.resource !== key.resource)
    )
      return undefined;
    return record.value;
  };
  const write = (kind: RecordKind, key: RecordKey, value: object): Promise<void> =>
    backend.write(recordName(kind, key), {
      version: 1,
      kind,
      key: clean({ ...key }),
      value: clean({ ...value }),
    });

  return {
    async readTokens(key: StoreKey) {
      return (await read('tokens', tokenKey(key))) as StoredTokens | undefined;
    },
    writeTokens: (key: StoreKey, tokens: StoredTokens) => write('tokens', tokenKey(key), tokens),
    async deleteTokens(key: StoreKey | { readonly resource: string }) {
      if ('issuer' in key) return (await backend.remove(recordName('tokens', key))) ? 1 : 0;
      let removed = 0;
      for (const name of await backend.list('tokens-')) {
        const record = (await backend
          .read(name, (value) => envelopes.tokens.parse(value))
          // A corrupt record (of any resource) was just moved aside; it must not stop a logout.
          .catch((error: unknown) => {
            if (isDiscoveryError(error, ErrorCodes.STORE_CORRUPT)) return undefined;
            throw error;
          })) as Envelope | undefined;
        if (record?.key.resource === key.resource && (await backend.remove(name))) removed += 1;
      }
      return removed;
    },
    async readClient(binding: IssuerBinding) {
      return (await read('client', clientKey(binding))) as StoredClient | undefined;
    },
    writeClient: (binding: IssuerBinding, client: StoredClient) =>
      write('client', clientKey(binding), client),
    async deleteClient(binding: IssuerBinding) {
      // Only a registration of this very binding goes (another token endpoint's stays).
      if ((await read('client', clientKey(binding))) !== undefined)
        await backend.remove(recordName('client', clientKey(binding)));
    },
    async readPending(key: StoreKey) {
      return (await read('pending', tokenKey(key))) as PendingAuthorization | undefined;
    },
    writePending: (key: StoreKey, pending: PendingAuthorization) => write('pending', tokenKey(key), pending),
    async deletePending(key: StoreKey) {
      await backend.remove(recordName('pending', key));
    },
    async readDPoPKey(binding) {
      const stored = (await read('dpop-key', issuerKey(binding))) as StoredDPoPKey | undefined;
      return stored === undefined ? undefined : decodeDPoPKey(stored);
    },
    async writeDPoPKey(binding, key: DPoPKey) {
      await write('dpop-key', issuerKey(binding), await encodeDPoPKey(key));
    },
  };
}
