import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js';
import { definedProperties } from '@oauth-discovery/core';
import { fetch as undiciFetch } from 'undici';

/** A connected SDK client over undici's fetch (passed explicitly; the global fetch is never touched). */
export async function connectClient(
  url: string,
  token?: string,
): Promise<{ client: Client; sessionId: () => string | undefined }> {
  const transport = new StreamableHTTPClientTransport(
    new URL(url),
    definedProperties({
      fetch: undiciFetch as unknown as FetchLike,
      requestInit: token === undefined ? undefined : { headers: { authorization: `Bearer ${token}` } },
    }),
  );
  const client = new Client({ name: 'testkit-test', version: '0.0.0' });
  await client.connect(transport);
  return { client, sessionId: () => transport.sessionId };
}
