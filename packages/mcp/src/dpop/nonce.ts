import { parseWwwAuthenticate } from 'oauth-discovery';

/** Most origins whose nonce is remembered (the oldest goes first). */
const MAX_ORIGINS = 100;

/** The latest `DPoP-Nonce` of each origin (RFC 9449 §8, §9): one per session. */
export interface DPoPNonces {
  get(url: string | URL): string | undefined;
  /** Keeps the response's `DPoP-Nonce`, if it has one, for its origin. */
  remember(url: string | URL, response: Response): void;
}

/** Creates an empty {@link DPoPNonces}. */
export function createDPoPNonces(): DPoPNonces {
  const nonces = new Map<string, string>();
  return {
    get: (url) => nonces.get(new URL(String(url)).origin),
    remember(url, response) {
      const nonce = response.headers.get('dpop-nonce');
      if (nonce === null || nonce === '') return;
      const origin = new URL(String(url)).origin;
      nonces.delete(origin);
      if (nonces.size >= MAX_ORIGINS) nonces.delete(nonces.keys().next().value as string);
      nonces.set(origin, nonce);
    },
  };
}

/**
 * Whether a resource server's answer asks for a proof with its nonce: HTTP 401 with a `DPoP`
 * challenge `error="use_dpop_nonce"` and a `DPoP-Nonce` header.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9449#section-9
 */
export function isUseDPoPNonce(response: Response): boolean {
  if (response.status !== 401 || !response.headers.has('dpop-nonce')) return false;
  const header = response.headers.get('www-authenticate');
  if (header === null) return false;
  return parseWwwAuthenticate(header).some(
    (challenge) => challenge.scheme.toLowerCase() === 'dpop' && challenge.params.error === 'use_dpop_nonce',
  );
}
