import type { IncomingHttpHeaders } from 'node:http';
import { DiscoveryError } from '@oauth-discovery/core';
import { FlowErrorCodes } from '@oauth-discovery/mcp';
import type { BrowserSignIn } from './browser-signin.js';
import type { LoginFlow } from './login-flow.js';
import type { UserSpaces } from './user-space.js';

/**
 * The OAuth callback of upstream logins: finishes the pending login named by `state` for the user who
 * started it (on whichever instance), then connects that user's upstream. A browser signed in to the
 * status page as another user is refused — its approval must not land in someone else's space.
 *
 * @throws {DiscoveryError} `STATE_MISMATCH` for an unknown state, an unknown upstream or another
 *   signed-in user; the login flow's codes otherwise.
 */
export function createLoginCallback(
  logins: LoginFlow,
  spaces: UserSpaces,
  signIn: BrowserSignIn | undefined,
) {
  return async (query: URLSearchParams, headers: IncomingHttpHeaders): Promise<string> => {
    const browserUser = await signIn?.userOf(headers);
    const { user, upstream } = await logins.finish(query, async (login) => {
      if (browserUser !== undefined && browserUser.id !== login.user.id)
        throw new DiscoveryError(
          FlowErrorCodes.STATE_MISMATCH,
          'This login was started by another user than the one signed in to the status page in this browser; it is cancelled',
          { expected: 'the browser of the user who started the login', actual: 'another signed-in user' },
        );
      const space = spaces.get(login.user);
      const target = space.upstreams.get(login.upstream);
      if (target === undefined)
        throw new DiscoveryError(
          FlowErrorCodes.STATE_MISMATCH,
          `The login names upstream ${login.upstream}, which is not configured (any more); call auth_login again`,
          { expected: 'a configured upstream', actual: login.upstream },
        );
      return { ...(await target.loginTarget()), tokens: space.store };
    });
    spaces.get(user).upstreams.get(upstream)?.loggedIn();
    return upstream;
  };
}
