import {
  ATLASSIAN_V1_CHALLENGE,
  type AuthorizationServerHandle,
  jsonRoute,
  type McpServerHandle,
  startAuthorizationServer,
  startMcpServer,
} from '@oauth-discovery/testkit';

/** The Atlassian-shaped world of the demo: an MCP server and its authorization server on loopback. */
export interface DemoWorld {
  /** The MCP server (the protected resource), `http://127.0.0.2:<port>/v1/mcp`. */
  readonly mcp: McpServerHandle;
  /** The authorization server on another origin (`http://127.0.0.3:<port>`): the "foreign" issuer. */
  readonly as: AuthorizationServerHandle;
  close(): Promise<void>;
}

/**
 * Starts the case that started the project, as reported for `https://mcp.atlassian.com/v1/mcp`: no
 * protected resource metadata anywhere, a 401 without `resource_metadata`, and RFC 8414 metadata at
 * the MCP server's origin that names a different host as its issuer. Behind it a real MCP server
 * (tools `echo`, `add`, `whoami`) checks bearer tokens issued by an authorization server with dynamic
 * registration and PKCE that approves without a person.
 */
export async function startDemoWorld(): Promise<DemoWorld> {
  const as = await startAuthorizationServer({ host: '127.0.0.3', subject: 'demo-user' });
  try {
    const mcp = await startMcpServer({
      host: '127.0.0.2',
      path: '/v1/mcp',
      verifyToken: (token) => as.introspect(token),
      wwwAuthenticate: ATLASSIAN_V1_CHALLENGE,
      routes: { '/.well-known/oauth-authorization-server': jsonRoute(as.metadata) },
    });
    return {
      mcp,
      as,
      async close() {
        await mcp.close();
        await as.close();
      },
    };
  } catch (error) {
    await as.close();
    throw error;
  }
}
