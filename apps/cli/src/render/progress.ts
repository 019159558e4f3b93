import type { DiscoveryEvent, DiscoveryEventListener } from '@oauth-discovery/core';
import type { McpAuthEvent, McpAuthEventListener } from '@oauth-discovery/mcp';
import type { CliStream } from '../io.js';
import type { Paint } from './color.js';

/** Progress on stderr while a command works; `done()` clears the live line on a TTY. */
export interface Progress {
  readonly discovery: DiscoveryEventListener;
  readonly auth: McpAuthEventListener;
  /** A line of progress (kept, not overwritten). */
  say(line: string): void;
  done(): void;
}

const STEP_MARK = { found: '✔', 'not-found': '✘', skipped: '-', failed: '!' } as const;
const STEP_STYLE = { found: 'green', 'not-found': 'yellow', skipped: 'dim', failed: 'red' } as const;

/**
 * Renders discovery and authorization events on `stream`. On a TTY a live status line shows the
 * request in flight and is replaced by one line per finished step; when piped, only the step lines
 * and authorization milestones are written, so logs stay readable.
 */
export function createProgress(stream: CliStream, paint: Paint): Progress {
  const live = stream.isTTY === true;
  let status = false;
  const clear = () => {
    if (status) stream.write('\r\u001b[K');
    status = false;
  };
  const say = (line: string) => {
    clear();
    stream.write(`${line}\n`);
  };
  const show = (line: string) => {
    if (!live) return;
    clear();
    stream.write(paint('dim', line.length > 120 ? `${line.slice(0, 117)}…` : line));
    status = true;
  };

  const discovery = (event: DiscoveryEvent) => {
    switch (event.type) {
      case 'discovery-started':
        say(paint('dim', `discovering ${event.resource} …`));
        break;
      case 'step-started':
        show(`  ${event.strategy} …`);
        break;
      case 'request-started':
        show(`  ${event.strategy ?? 'speculative'}: ${event.method} ${event.url}`);
        break;
      case 'step-finished': {
        const { step } = event;
        const reason = step.reason === undefined ? '' : paint('dim', ` — ${step.reason}`);
        say(`  ${paint(STEP_STYLE[step.outcome], `${STEP_MARK[step.outcome]} ${step.strategy}`)}${reason}`);
        break;
      }
      case 'discovery-finished':
        clear();
        break;
      default:
        break;
    }
  };

  const auth = (event: McpAuthEvent) => {
    switch (event.type) {
      case 'discovered':
        say(
          `${event.reason === 'challenge' ? 're-discovered after a challenge' : 'discovered'}: issuer ${event.result.authorizationServer.issuer} (${event.result.authorizationServer.issuerCheck})`,
        );
        break;
      case 'client':
        say(
          `client ${event.clientId} (${event.source}${event.fresh ? ', registered now' : ', stored'}) at ${event.issuer}`,
        );
        break;
      case 'authorization-started':
        if (event.headless) say(`authorizing headless (redirect URI ${event.redirectUri}) …`);
        else
          say(
            `Open this URL in a browser to authorize:\n\n  ${event.url}\n\nwaiting for the redirect to ${event.redirectUri} …`,
          );
        break;
      case 'authorized':
        say(
          paint(
            'green',
            `authorized by ${event.issuer}${event.scope === undefined ? '' : ` (scope ${event.scope})`}`,
          ),
        );
        break;
      case 'refreshed':
        say(`tokens refreshed at ${event.issuer}`);
        break;
      case 'refresh-failed':
        say(paint('yellow', `refresh refused by ${event.issuer}: ${event.error.message}`));
        break;
      case 'step-up':
        say(
          paint(
            'yellow',
            `step-up ${event.count}/${event.limit}: authorizing again for scope ${event.scope}`,
          ),
        );
        break;
      default:
        break;
    }
  };

  return { discovery, auth, say, done: clear };
}

/** A progress that writes nothing (`--json` off a TTY). */
export function silentProgress(): Progress {
  const none = () => undefined;
  return { discovery: none, auth: none, say: none, done: none };
}
