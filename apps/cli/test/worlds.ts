import {
  ATLASSIAN_V1_CHALLENGE,
  type AuthorizationServerHandle,
  type AuthorizationServerOptions,
  jsonRoute,
  type McpServerHandle,
  type McpServerOptions,
  startAuthorizationServer,
  startMcpServer,
} from '@oauth-discovery/testkit';

/** An MCP server and its authorization server. */
export interface TestWorld {
  readonly as: AuthorizationServerHandle;
  readonly mcp: McpServerHandle;
  close(): Promise<void>;
}

function world(as: AuthorizationServerHandle, mcp: McpServerHandle): TestWorld {
  return {
    as,
    mcp,
    async close() {
      await mcp.close();
      await as.close();
    },
  };
}

/**
 * Atlassian v1 as reported: no PRM, a 401 without `resource_metadata`, RFC 8414 metadata at the MCP
 * origin naming the authorization server on another host as issuer.
 */
export async function atlassianWorld(hosts: { mcp: string; as: string }): Promise<TestWorld> {
  const as = await startAuthorizationServer({ host: hosts.as });
  const mcp = await startMcpServer({
    host: hosts.mcp,
    path: '/v1/mcp',
    verifyToken: (token) => as.introspect(token),
    wwwAuthenticate: ATLASSIAN_V1_CHALLENGE,
    routes: { '/.well-known/oauth-authorization-server': jsonRoute(as.metadata) },
  });
  return world(as, mcp);
}

/** A spec-following resource: PRM (path-aware, named in the 401) pointing at the testkit authorization server. */
export async function prmWorld(
  hosts: { mcp: string; as: string },
  asOptions: AuthorizationServerOptions = {},
  mcpOptions: Partial<McpServerOptions> | ((as: AuthorizationServerHandle) => Partial<McpServerOptions>) = {},
): Promise<TestWorld> {
  const as = await startAuthorizationServer({ host: hosts.as, ...asOptions });
  const mcp = await startMcpServer({
    host: hosts.mcp,
    verifyToken: (token) => as.introspect(token),
    resourceMetadata: { authorizationServers: [as.issuer], scopesSupported: ['mcp:read'] },
    ...(typeof mcpOptions === 'function' ? mcpOptions(as) : mcpOptions),
  });
  return world(as, mcp);
}

/**
 * GitHub-like: the issuer has a path (`<as>/login/oauth`, metadata at the path-inserted URL), dynamic
 * registration is refused, and one client `gh-app` is pre-registered.
 */
export function githubLikeWorld(hosts: { mcp: string; as: string }): Promise<TestWorld> {
  return prmWorld(
    hosts,
    {
      basePath: '/login/oauth',
      registration: false,
      clients: [{ client_id: 'gh-app', redirect_uris: ['http://127.0.0.1/callback'] }],
    },
    { path: '/mcp/' },
  );
}
