import type { DiscoveryResult } from '@oauth-discovery/core';

/** What both SDK lines' clients share: connect over a transport, close. */
export interface ConnectableClient<Transport> {
  connect(transport: Transport): Promise<void>;
  close(): Promise<void>;
}

/** What both SDK lines' auth providers share: the latest result and what to close. */
export interface ClosableProvider {
  readonly result: DiscoveryResult | undefined;
  close(): Promise<void>;
}

/** A connected MCP client and what it took to get there; `close()` closes the client, then the provider. */
export interface McpConnection<Client, Transport, Provider> {
  /** The SDK client, connected and initialized. */
  readonly client: Client;
  readonly transport: Transport;
  /** The latest discovery result, or `undefined` when the server never asked for authorization. */
  readonly result: DiscoveryResult | undefined;
  readonly provider: Provider;
  /** Closes the MCP connection and what the provider created. */
  close(): Promise<void>;
}

/** Name and version a client announces when the caller gives none. */
export const DEFAULT_CLIENT_INFO = { name: 'oauth-discovery', version: '0.0.0' } as const;

/**
 * Connects `client()` over `transport()` and hands back a connection that owns both and the provider.
 * When anything fails on the way, the client (if made) and the provider are closed before the error,
 * passed through `mapError`, is thrown: one owner for the close order of both SDK lines.
 */
export async function connectOwned<
  Client extends ConnectableClient<Transport>,
  Transport,
  Provider extends ClosableProvider,
>(
  provider: Provider,
  client: () => Client,
  transport: () => Transport,
  mapError: (error: unknown) => unknown = (error) => error,
): Promise<McpConnection<Client, Transport, Provider>> {
  let made: Client | undefined;
  try {
    const connected = client();
    made = connected;
    const opened = transport();
    await connected.connect(opened);
    return {
      client: connected,
      transport: opened,
      get result() {
        return provider.result;
      },
      provider,
      async close() {
        try {
          await connected.close();
        } finally {
          await provider.close();
        }
      },
    };
  } catch (error) {
    await made?.close().catch(() => undefined);
    await provider.close();
    throw mapError(error);
  }
}
