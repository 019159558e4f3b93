import type { McpServerHandle } from '../mcp/start-mcp-server.js';
import { startMcpServer } from '../mcp/start-mcp-server.js';
import { type EnterpriseIdpHandle, type IdpClient, startEnterpriseIdp } from './enterprise-idp.js';
import type { GrantServerClient } from './form.js';
import { type JwtBearerServerHandle, startJwtBearerServer } from './jwt-bearer-server.js';
import type { TokenEndpointDPoPOptions } from './token-dpop.js';

/** Options of {@link startAssertionGrantWorld}. */
export interface AssertionGrantWorldOptions {
  /** Loopback addresses of the enterprise IdP, the workload platform, the authorization server and the MCP server. */
  readonly hosts: readonly [idp: string, platform: string, as: string, mcp: string];
  /** The IdP's clients (token exchange for ID-JAGs). */
  readonly idpClients: readonly IdpClient[];
  /** The authorization server's clients (JWT bearer). */
  readonly clients: readonly GrantServerClient[];
  /** `scopes_supported` of the authorization server and of the MCP server's resource metadata. Default `['mcp:tools']`. */
  readonly scopes?: readonly string[] | undefined;
  /** DPoP at the token endpoint (and proofs checked by the MCP server). Default: off. */
  readonly dpop?: TokenEndpointDPoPOptions | undefined;
}

/** What a workload token of the platform says. */
export interface WorkloadTokenOptions {
  /** Default `system:serviceaccount:mcp:bot`. */
  readonly sub?: string | undefined;
  /** Default the authorization server's issuer. */
  readonly aud?: string | undefined;
  /** Seconds until `exp` (negative: expired). Default 300. */
  readonly expiresIn?: number | undefined;
}

/** The servers of the assertion grants, running. */
export interface AssertionGrantWorld {
  /** The enterprise IdP: ID tokens, and ID-JAGs by RFC 8693 token exchange. */
  readonly idp: EnterpriseIdpHandle;
  /** The workload's platform (a Kubernetes API server, say): it signs the workload's tokens. */
  readonly platform: EnterpriseIdpHandle;
  /** The MCP server's authorization server: the RFC 7523 JWT-bearer grant, trusting both. */
  readonly as: JwtBearerServerHandle;
  /** A real MCP server accepting the authorization server's tokens for its URL. */
  readonly mcp: McpServerHandle;
  /** A token of the platform for the workload, `aud` the authorization server. */
  workloadToken(options?: WorkloadTokenOptions): Promise<string>;
  close(): Promise<void>;
}

/**
 * The world of enterprise-managed authorization and workload identity federation, started in one
 * place for every test that needs it: an enterprise IdP (ID-JAGs), a workload platform, a JWT-bearer
 * authorization server trusting the IdP's ID-JAGs and the platform's tokens, and an MCP server behind
 * it — with DPoP at the token endpoint and the MCP server when asked.
 *
 * @see https://www.rfc-editor.org/rfc/rfc7523#section-2.1
 * @see https://www.rfc-editor.org/rfc/rfc8693#section-2.1
 */
export async function startAssertionGrantWorld(
  options: AssertionGrantWorldOptions,
): Promise<AssertionGrantWorld> {
  const [idpHost, platformHost, asHost, mcpHost] = options.hosts;
  const scopes = options.scopes ?? ['mcp:tools'];
  const idp = await startEnterpriseIdp({ host: idpHost, clients: options.idpClients });
  const platform = await startEnterpriseIdp({ host: platformHost });
  const as = await startJwtBearerServer({
    host: asHost,
    trust: [
      { issuer: idp.issuer, jwksUri: idp.jwksUri, kind: 'id-jag' },
      { issuer: platform.issuer, jwksUri: platform.jwksUri },
    ],
    clients: options.clients,
    scopes,
    dpop: options.dpop,
  });
  const mcp: McpServerHandle = await startMcpServer({
    host: mcpHost,
    dpop: options.dpop !== undefined,
    verifyToken: (token) => as.verifyAccessToken(token, mcp.url),
    resourceMetadata: { authorizationServers: [as.issuer], scopesSupported: [...scopes] },
  });
  return {
    idp,
    platform,
    as,
    mcp,
    workloadToken: (token = {}) =>
      platform.signJwt(
        { sub: token.sub ?? 'system:serviceaccount:mcp:bot', aud: token.aud ?? as.issuer },
        { expiresIn: token.expiresIn ?? 300 },
      ),
    async close() {
      await Promise.all([mcp.close(), as.close(), idp.close(), platform.close()]);
    },
  };
}
