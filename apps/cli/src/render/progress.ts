import { type DiscoveryEvent, type DiscoveryEventListener, safeText } from '@oauth-discovery/core';
import type { McpAuthEvent, McpAuthEventListener } from '@oauth-discovery/mcp';
import { type CliIo, type CliStream, terminalText, useColor } from '../io.js';
import { type Paint, painter } from './color.js';

/** Progress on stderr while a command works; `done()` clears the live line on a TTY. */
export interface Progress {
  readonly discovery: DiscoveryEventListener;
  readonly auth: McpAuthEventListener;
  done(): void;
}

const STEP_MARK = { found: '✔', 'not-found': '✘', skipped: '-', failed: '!' } as const;

/**
 * Renders discovery and authorization events on `stream`. Discovery shows only as a live status line
 * on a TTY (the step that finished last, the request in flight), never as kept lines: the trace the
 * command prints at the end — the table of `discover` and `check`, or the `what was tried` summary of
 * an error — is the record, and printing the steps as they pass too only said everything twice.
 * Authorization milestones (the issuer chosen, the client, the authorization URL, step-ups, refresh
 * failures) are kept lines, on a TTY and when piped.
 */
export function createProgress(stream: CliStream, paint: Paint): Progress {
  const live = stream.isTTY === true;
  const width = Math.max(20, (stream.columns ?? 120) - 1);
  let status = false;
  let issuer: string | undefined;
  const clear = () => {
    if (status) stream.write('\r\u001b[K');
    status = false;
  };
  const say = (line: string) => {
    clear();
    stream.write(`${terminalText(line)}\n`);
  };
  const show = (line: string) => {
    if (!live) return;
    clear();
    // Longer than the terminal, the line would wrap and `\r` could not take it back.
    const safe = safeText(line);
    stream.write(paint('dim', safe.length > width ? `${safe.slice(0, width - 1)}…` : safe));
    status = true;
  };

  const discovery = (event: DiscoveryEvent) => {
    switch (event.type) {
      case 'discovery-started':
        show(`discovering ${event.resource} …`);
        break;
      case 'step-started':
        show(`discovering: ${event.strategy} …`);
        break;
      case 'request-started':
        show(`discovering: ${event.strategy ?? 'speculative'} ${event.method} ${event.url}`);
        break;
      case 'step-finished': {
        const { step } = event;
        show(`discovering: ${STEP_MARK[step.outcome]} ${step.strategy} ${step.outcome}`);
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
      case 'discovered': {
        const { issuer: found, issuerCheck } = event.result.authorizationServer;
        // Every 401/403 makes the provider discover again; worth a line only when the answer changed.
        if (event.reason === 'initial' || found !== issuer) {
          say(
            `${event.reason === 'initial' ? 'discovered' : 're-discovered after a challenge'}: issuer ${found} (${issuerCheck})`,
          );
        }
        issuer = found;
        break;
      }
      case 'client':
        say(
          `client ${event.clientId} (${event.source}${event.fresh ? ', registered now' : ', stored'}) at ${event.issuer}`,
        );
        break;
      case 'callback-port-taken':
        say(
          paint(
            'yellow',
            `callback port ${event.port} is taken: listening on ${event.redirectUri} instead (a client registered for port ${event.port} does not fit it)`,
          ),
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

  return { discovery, auth, done: clear };
}

/** A progress that writes nothing. */
export function silentProgress(): Progress {
  const none = () => undefined;
  return { discovery: none, auth: none, done: none };
}

/**
 * The progress of a command on `io.stderr`: silent for `--json` when stderr is not a terminal (a
 * script reads stdout and keeps stderr for errors), else {@link createProgress}.
 */
export function progressFor(io: CliIo, json: boolean): Progress {
  return json && io.stderr.isTTY !== true
    ? silentProgress()
    : createProgress(io.stderr, painter(useColor(io.stderr, io.env)));
}
