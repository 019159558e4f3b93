import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import {
  ATLASSIAN_V1_CHALLENGE,
  type AuthorizationServerHandle,
  type JwtBearerServerHandle,
  jsonRoute,
  type McpResourceMetadataOptions,
  type McpServerHandle,
  type McpServerOptions,
  type OidcProviderHandle,
  startMcpServer,
} from '@oauth-discovery/testkit';
import {
  type Aggregator,
  type AggregatorConfigInput,
  type AggregatorOptions,
  startAggregator,
  validateConfig,
} from '../src/index.js';
import { connectAs } from './gateway-helpers.js';
import { connectTestClient, tempDir } from './helpers.js';

// What the aggregator's integration tests start — servers, a storage folder, aggregators, clients —
// kept in one place and closed in one call, the last started first.

/** Anything a test starts and must close. */
interface Closable {
  close(): Promise<unknown>;
}

/** A testkit authorization server whose access tokens an MCP server can check. */
export type TokenIssuer = AuthorizationServerHandle | OidcProviderHandle | JwtBearerServerHandle;

/** The testkit's MCP server options; the PRM names the issuer unless `resourceMetadata` says otherwise. */
export type ProtectedMcpOptions = Omit<McpServerOptions, 'resourceMetadata'> & {
  readonly resourceMetadata?: Partial<McpResourceMetadataOptions>;
};

/** A test's configuration: `listen` defaults to 127.0.0.1 on a port the system picks. */
export type TestConfig = Omit<AggregatorConfigInput, 'listen'> & {
  readonly listen?: AggregatorConfigInput['listen'];
};

/** An MCP client of the aggregator, counting its `tools/list_changed` notifications. */
export interface TestClient {
  readonly client: Client;
  readonly listChanged: () => number;
}

/** What a test starts, closed together by {@link Fixture.close}. */
export interface Fixture {
  /** Keeps `thing` to close with the rest, and returns it. */
  add<T extends Closable>(thing: T): T;
  /** A temporary folder (a file store's `storageDir`), removed on close. */
  storage(): Promise<{ readonly dir: string }>;
  /**
   * An MCP server on loopback whose tokens `as` checks (introspection for the testkit's authorization
   * server, the token's audience for the others) and whose PRM names `as` (RFC 9728).
   */
  mcpBehind(as: TokenIssuer, options?: ProtectedMcpOptions): Promise<McpServerHandle>;
  /**
   * An MCP server of Atlassian's v1 shape on `host` in front of `as`: no PRM, Atlassian's exact 401,
   * RFC 8414 metadata at the MCP origin naming `as`'s (foreign) issuer; the MCP path is `/v1/mcp`.
   */
  atlassianShape(as: AuthorizationServerHandle, host: string): Promise<McpServerHandle>;
  /** An aggregator started with `config` (validated as the file would be); not awaited `ready`. */
  aggregator(config: TestConfig, options?: AggregatorOptions): Promise<Aggregator>;
  /** {@link Fixture.aggregator}, awaited `ready`, with a connected MCP client (`auth.type: none`). */
  connected(
    config: TestConfig,
    options?: AggregatorOptions,
  ): Promise<TestClient & { aggregator: Aggregator }>;
  /**
   * An MCP client connected to `mcpUrl` — with `token`, sent as its bearer token (a gateway user) —
   * closed on close (errors ignored: its aggregator may be gone).
   */
  client(mcpUrl: string, token?: string): Promise<TestClient>;
  /** Closes everything, the last started first; rethrows the first failure once all are closed. */
  close(): Promise<void>;
}

function verify(as: TokenIssuer, token: string, resource: string) {
  return 'introspect' in as ? as.introspect(token) : as.verifyAccessToken(token, resource);
}

/** A new {@link Fixture}: call `close()` in `afterAll`. */
export function createFixture(): Fixture {
  const open: Closable[] = [];
  const add = <T extends Closable>(thing: T): T => {
    open.push(thing);
    return thing;
  };
  const fixture: Fixture = {
    add,
    async storage() {
      const { dir, remove } = await tempDir();
      add({ close: remove });
      return { dir };
    },
    async mcpBehind(as, options = {}) {
      const mcp: McpServerHandle = await startMcpServer({
        verifyToken: (token) => verify(as, token, mcp.url),
        ...options,
        resourceMetadata: { authorizationServers: [as.issuer], ...options.resourceMetadata },
      });
      return add(mcp);
    },
    async atlassianShape(as, host) {
      return add(
        await startMcpServer({
          host,
          path: '/v1/mcp',
          verifyToken: (token) => as.introspect(token),
          wwwAuthenticate: ATLASSIAN_V1_CHALLENGE,
          routes: { '/.well-known/oauth-authorization-server': jsonRoute(as.metadata as never) },
        }),
      );
    },
    async aggregator(config, options = {}) {
      const listen = config.listen ?? { host: '127.0.0.1', port: 0 };
      return add(await startAggregator(validateConfig({ ...config, listen }), options));
    },
    async connected(config, options = {}) {
      const aggregator = await fixture.aggregator(config, options);
      await aggregator.ready;
      return { aggregator, ...(await fixture.client(aggregator.mcpUrl)) };
    },
    async client(mcpUrl, token) {
      const connected =
        token === undefined ? await connectTestClient(mcpUrl) : await connectAs(mcpUrl, token);
      add({ close: () => connected.client.close().catch(() => undefined) });
      return connected;
    },
    async close() {
      let failure: { error: unknown } | undefined;
      for (const thing of open.splice(0).reverse()) {
        try {
          await thing.close();
        } catch (error) {
          failure ??= { error };
        }
      }
      if (failure) throw failure.error;
    },
  };
  return fixture;
}
