import { DiscoveryError, type DiscoveryResult } from '@oauth-discovery/core';
import { type Configuration, type DPoPHandle, getDPoPHandle } from 'openid-client';
import { FlowErrorCodes } from '../error-codes.js';
import { bindingScope, issuerBinding } from '../store/binding.js';
import type { StoredTokens, TokenStore } from '../store/types.js';
import { usableDPoPAlgorithms } from './algorithm.js';
import { type DPoPKey, generateDPoPKey } from './key.js';
import type { DPoPPolicy } from './options.js';

/** The DPoP keys of one session: one per authorization server, kept in the token store. */
export interface SessionDPoP {
  /**
   * The key of a new token request (authorization code, client credentials) to this server: the
   * stored one when the server still accepts its algorithm, else a new one, stored before use.
   * `undefined` when DPoP is not used with this server.
   *
   * @throws {DiscoveryError} `AUTHORIZATION_FAILED` (no algorithm in common).
   */
  keyForGrant(result: DiscoveryResult): Promise<DPoPKey | undefined>;
  /**
   * The key stored tokens are bound to (`undefined` for a Bearer token): refreshes and resource
   * requests use it, whatever the `dpop` option says.
   *
   * @throws {DiscoveryError} `LOGIN_REQUIRED` when the key is gone or is not the tokens' key.
   */
  keyOfTokens(result: DiscoveryResult, tokens: StoredTokens): Promise<DPoPKey | undefined>;
  /** openid-client's DPoP handle of a key (one per key, so the server's nonces are remembered). */
  handle(config: Configuration, key: DPoPKey): DPoPHandle;
}

/** Whether stored tokens are DPoP-bound (RFC 9449 §5: `token_type` `DPoP`). */
export function isDPoPBound(tokens: Pick<StoredTokens, 'tokenType'>): boolean {
  return tokens.tokenType.toLowerCase() === 'dpop';
}

/**
 * Creates the {@link SessionDPoP} of a session over its token store. A store without
 * `readDPoPKey`/`writeDPoPKey` keeps keys in memory (tokens bound to them are useless after the
 * process ends).
 *
 * @see https://www.rfc-editor.org/rfc/rfc9449#section-5
 */
export function createSessionDPoP(store: TokenStore, policy: DPoPPolicy | undefined): SessionDPoP {
  const inMemory = new Map<string, DPoPKey>();
  const handles = new Map<string, DPoPHandle>();
  const persistent = store.readDPoPKey !== undefined && store.writeDPoPKey !== undefined;

  const read = async (result: DiscoveryResult): Promise<DPoPKey | undefined> => {
    const binding = issuerBinding(result.authorizationServer);
    return persistent ? store.readDPoPKey?.(binding) : inMemory.get(bindingScope(binding));
  };

  return {
    async keyForGrant(result) {
      const algorithms = usableDPoPAlgorithms(result, policy);
      if (algorithms === undefined) return undefined;
      const stored = await read(result);
      if (stored !== undefined && algorithms.includes(stored.alg)) return stored;
      const alg = algorithms[0] as DPoPKey['alg'];
      const binding = issuerBinding(result.authorizationServer);
      if (!persistent) {
        const key = await generateDPoPKey(alg, false);
        inMemory.set(bindingScope(binding), key);
        return key;
      }
      // Generated extractable for the store only; what is used is the store's unextractable copy.
      await store.writeDPoPKey?.(binding, await generateDPoPKey(alg, true));
      return (await store.readDPoPKey?.(binding)) as DPoPKey;
    },
    async keyOfTokens(result, tokens) {
      if (!isDPoPBound(tokens)) return undefined;
      const key = await read(result);
      if (key !== undefined && (tokens.dpopJkt === undefined || tokens.dpopJkt === key.jkt)) return key;
      const { issuer } = result.authorizationServer;
      throw new DiscoveryError(
        FlowErrorCodes.LOGIN_REQUIRED,
        `The stored access token for ${result.resource} is DPoP-bound, and ${key === undefined ? 'no DPoP key of' : 'the stored DPoP key is not the one of'} ${issuer} ${key === undefined ? 'is stored' : 'it is bound to'}; log in again`,
        {
          url: result.resource,
          expected: `the DPoP key with thumbprint ${tokens.dpopJkt ?? '(any)'}`,
          actual: key?.jkt ?? null,
        },
      );
    },
    handle(config, key) {
      let handle = handles.get(key.jkt);
      if (handle === undefined) {
        handle = getDPoPHandle(config, key.keyPair);
        handles.set(key.jkt, handle);
      }
      return handle;
    },
  };
}
