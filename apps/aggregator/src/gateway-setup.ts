import type { IncomingMessage } from 'node:http';
import type { HttpClient } from '@oauth-discovery/core';
import type { Store } from '@oauth-discovery/store';
import { createBrowserSignIn } from './browser-signin.js';
import { requestInitFor } from './clients.js';
import type { AggregatorConfig } from './config.js';
import { type AuthRefusal, createTokenVerifier, type GatewayUser, LOCAL_USER } from './gateway-auth.js';
import type { ResourceMetadata } from './http-server.js';
import { createThrottle, type Logger } from './log.js';
import type { AggregatorSecrets } from './secrets.js';
import { createTeamIssuer } from './team-issuer.js';
import { toUpstreamError } from './upstream-error.js';

/**
 * Who calls the aggregator: with `auth.type: oauth` the verified user of the bearer token, with
 * `none` the single local user. The resource URL and the RFC 9728 metadata URL are built from the
 * configured `publicUrl` (or the listen address) once the server listens — never from a request's
 * `Host` header.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9728#section-3.1
 */
export function createGatewayAuth(
  config: AggregatorConfig,
  secrets: AggregatorSecrets,
  store: Store,
  log: Logger,
  now: () => number,
  http: HttpClient,
) {
  const introspectionSecret = secrets.introspection;
  let resourceUrl = '';
  let metadataUrl = '';
  let baseUrl = '';
  const auth = config.auth;
  const teamIssuer =
    auth.type === 'oauth'
      ? createTeamIssuer({
          issuer: auth.issuer,
          resource: () => resourceUrl,
          http,
          deadlineMs: config.discovery.deadlineMs,
        })
      : undefined;
  const unavailableLogThrottle = createThrottle(60_000, now);
  const verifier =
    auth.type === 'oauth' && teamIssuer !== undefined
      ? createTokenVerifier({
          issuer: auth.issuer,
          metadata: teamIssuer.metadata,
          get audience() {
            return auth.audience ?? resourceUrl;
          },
          http,
          requestInit: () => requestInitFor(resourceUrl),
          onUnavailable: (error) =>
            unavailableLogThrottle((suppressed) => {
              const cause = toUpstreamError(error);
              log({
                level: 'warn',
                event: 'token-check-unavailable',
                issuer: auth.issuer,
                error: cause,
                suppressed,
                message: `bearer tokens cannot be checked, answering 503 (${cause.code})${suppressed > 0 ? ` (and ${suppressed} more since the last line)` : ''}`,
              });
            }),
          allowUntypedJwt: auth.allowUntypedJwt,
          admin: auth.adminGroup,
          ...(auth.introspection && introspectionSecret !== undefined
            ? {
                introspection: {
                  endpoint: auth.introspection.endpoint,
                  clientId: auth.introspection.clientId,
                  clientSecret: introspectionSecret,
                },
              }
            : {}),
          now,
        })
      : undefined;
  if (auth.type === 'oauth' && auth.allowUntypedJwt)
    log({
      level: 'warn',
      event: 'relaxation',
      relaxation: 'auth.allowUntypedJwt',
      message:
        'relaxation: auth.allowUntypedJwt (JWTs whose typ is not at+jwt are accepted as access tokens)',
    });

  let relaxationLogged = false;
  const signIn =
    auth.type === 'oauth' && auth.browser !== undefined && verifier !== undefined && teamIssuer !== undefined
      ? createBrowserSignIn({
          issuer: auth.issuer,
          teamIssuer,
          http,
          onRelaxation: (relaxation) => {
            if (relaxationLogged) return;
            relaxationLogged = true;
            log({
              level: 'warn',
              event: 'relaxation',
              issuer: auth.issuer,
              relaxation,
              message: 'relaxation for the team issuer (status page sign-in)',
            });
          },
          clientId: auth.browser.clientId,
          clientSecret: secrets.browser,
          scopes: auth.scopes ?? [],
          store,
          verifier,
          base: () => baseUrl,
          sessionSeconds: auth.browser.sessionHours * 3600,
        })
      : undefined;

  return {
    signIn,
    /** Ends the team issuer's discovery pipeline (the HTTP client is the caller's). */
    close: (): Promise<void> => teamIssuer?.close() ?? Promise.resolve(),
    /** Whether callers are authenticated (`auth.type: oauth`). */
    multiUser: verifier !== undefined,
    /** Sets the public base URL once the port is known (`<base>/mcp` is the resource). */
    listening(base: string, mcpPath: string): void {
      baseUrl = base;
      resourceUrl = `${base}${mcpPath}`;
      // RFC 9728 §3.1: the well-known segment goes between the origin and the resource's path.
      metadataUrl = `${new URL(base).origin}/.well-known/oauth-protected-resource${new URL(resourceUrl).pathname}`;
    },
    /** The caller; on the status page (`page`) a session cookie of the browser sign-in counts too. */
    async authenticate(req: IncomingMessage, page: boolean): Promise<GatewayUser | AuthRefusal> {
      if (verifier === undefined) return LOCAL_USER;
      if (page && signIn !== undefined && req.headers.authorization === undefined)
        return (await signIn.userOf(req.headers)) ?? { status: 401 };
      return verifier.verify(req.headers);
    },
    resourceMetadata: (): ResourceMetadata | undefined =>
      auth.type === 'oauth'
        ? {
            url: metadataUrl,
            document: {
              resource: resourceUrl,
              authorization_servers: [auth.issuer],
              bearer_methods_supported: ['header'],
              resource_name: config.oauth.clientName,
              ...(auth.scopes ? { scopes_supported: auth.scopes } : {}),
            },
          }
        : undefined,
  };
}
