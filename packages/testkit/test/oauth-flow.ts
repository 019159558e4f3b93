import { DiscoveryError, ErrorCodes } from '@oauth-discovery/core';
import { postForm, send } from './http.js';
import { form, pkcePair } from './pkce.js';

/** Runs /authorize (auto-approved) and /token against a testkit AS and returns the token response. */
export async function obtainTokens(
  base: string,
  options: {
    clientId: string;
    redirectUri: string;
    scope?: string | undefined;
    resource?: string | undefined;
  },
): Promise<Record<string, string>> {
  const { verifier, challenge } = pkcePair();
  const authorize = new URL(`${base}/authorize`);
  authorize.search = form({
    client_id: options.clientId,
    response_type: 'code',
    redirect_uri: options.redirectUri,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    state: 'flow',
    scope: options.scope,
    resource: options.resource,
  });
  const redirect = await send(authorize.href);
  const code = new URL(String(redirect.headers.location)).searchParams.get('code');
  if (code === null) {
    throw new DiscoveryError(
      ErrorCodes.HTTP_ERROR,
      `testkit flow: no code in the redirect from ${authorize.href}`,
      {
        url: authorize.href,
        expected: 'a redirect with code',
        actual: redirect.headers.location,
      },
    );
  }
  const token = await postForm(`${base}/token`, {
    grant_type: 'authorization_code',
    code,
    redirect_uri: options.redirectUri,
    code_verifier: verifier,
    client_id: options.clientId,
    resource: options.resource,
  });
  return token.json() as Record<string, string>;
}
