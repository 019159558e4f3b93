import type { HttpRequestInit } from '../types.js';

/**
 * The cache (and single-flight) key of a discovery: the normalised resource plus the challenge the
 * caller passed, so that a discovery with a new `WWW-Authenticate` challenge (e.g. a step-up with a
 * larger scope) is never answered from a result found without it.
 */
export function discoveryCacheKey(resource: string, challenge?: string, challengeStatus?: number): string {
  if (challenge === undefined) return resource;
  return `${resource}\n${challengeStatus ?? ''}\n${challenge}`;
}

/**
 * The key of one request, for sharing and keeping it: method, the address ranges the SSRF guard was
 * allowed to reach (so a document fetched for a local resource never serves a discovery that may not
 * reach loopback), the expected body, the URL and the headers. A discovery's memo and the pipeline's
 * document store both identify a request by it.
 */
export function requestKey(url: string, init: HttpRequestInit = {}): string {
  const ranges = [...(init.allowAddressRanges ?? [])].sort().join(',');
  const headers =
    init.headers === undefined
      ? ''
      : JSON.stringify(
          Object.entries(init.headers)
            .map(([name, value]) => [name.toLowerCase(), value])
            .sort(),
        );
  return `${init.method ?? 'GET'} ${init.expect ?? 'json'} ${url}\n${ranges}\n${headers}`;
}
