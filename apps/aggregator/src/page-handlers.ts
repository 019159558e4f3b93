import type { Store } from '@oauth-discovery/store';
import type { HttpHandlers } from './http-server.js';
import { createCsrf, statusPage } from './status-page.js';
import type { UserSpaces } from './user-space.js';

/** The status page (`GET /`) and its forms, for each user's own upstreams. */
export function createPageHandlers(
  spaces: UserSpaces,
  store: Store,
): Required<Pick<HttpHandlers, 'page' | 'pageAction'>> {
  const csrf = createCsrf(store);
  return {
    async page(user) {
      const space = spaces.get(user);
      // A user's first visit waits (a little) for their upstreams' first attempt.
      await Promise.race([space.ready, new Promise((done) => setTimeout(done, 5000).unref())]);
      const list = [...space.upstreams.values()];
      // A login finished on another instance (or in another tab) shows up on reload.
      await Promise.all(list.map((upstream) => upstream.recheck().catch(() => undefined)));
      return statusPage(
        user,
        list.map((upstream) => ({
          status: upstream.status(),
          trace: upstream.discoveryTrace(),
          tools: upstream.tools().map((tool) => tool.name),
        })),
        await csrf.tokenFor(user),
      );
    },
    async pageAction(user, action, form) {
      if (!(await csrf.check(user, form.get('csrf'))))
        return {
          status: 403,
          message: 'The form has no valid CSRF token: reload the status page and try again.',
        };
      const upstream = spaces.get(user).upstreams.get(form.get('upstream') ?? '');
      if (upstream === undefined) return { status: 400, message: 'No such upstream.' };
      try {
        if (action === 'login') return { location: (await upstream.login()).url };
        await upstream.logout();
        return { location: '/' };
      } catch (error) {
        return { status: 400, message: error instanceof Error ? error.message : String(error) };
      }
    },
  };
}
