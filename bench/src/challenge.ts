import { extractWWWAuthenticateParams } from '@modelcontextprotocol/sdk/client/auth.js';

/** The 401 an MCP client gets from its first request, as each contender takes it. */
export interface FirstResponse {
  readonly status: number;
  /** The raw `WWW-Authenticate` header, for our pipeline's `discover(…, { challenge })`; absent when none. */
  readonly wwwAuthenticate?: string | undefined;
  /** `resource_metadata` as the SDK's own `extractWWWAuthenticateParams` reads it, for its `auth()` path. */
  readonly sdkResourceMetadataUrl?: URL | undefined;
}

/**
 * Sends the unauthenticated MCP `initialize` every client sends first and reads its 401. Discovery
 * starts from here for every contender, so this request is made once, before any timing, and is not
 * counted: it is the same for all of them and a real client makes it anyway.
 *
 * @see https://modelcontextprotocol.io/specification/2025-11-25/basic/authorization#authorization-server-location
 */
export async function firstResponse(resource: string): Promise<FirstResponse> {
  const response = await fetch(resource, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: {
        protocolVersion: '2025-11-25',
        capabilities: {},
        clientInfo: { name: 'oauth-discovery-bench', version: '0.0.0' },
      },
    }),
  });
  const header = response.headers.get('www-authenticate');
  const { resourceMetadataUrl } = extractWWWAuthenticateParams(response);
  await response.body?.cancel();
  return {
    status: response.status,
    wwwAuthenticate: header ?? undefined,
    sdkResourceMetadataUrl: resourceMetadataUrl ?? undefined,
  };
}
