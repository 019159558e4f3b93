import { spawn } from 'node:child_process';
import { DiscoveryError, ErrorCodes } from '@oauth-discovery/core';
import { isSecureUrl } from '@oauth-discovery/core/metadata';

/** A program to run and its arguments, passed as an array to a process without a shell. */
export interface BrowserCommand {
  readonly command: string;
  readonly args: readonly string[];
}

/**
 * The command that opens `url` on `platform`, never through a command interpreter: `open` on macOS,
 * `rundll32 url.dll,FileProtocolHandler` on Windows (not `cmd /c start`, which parses `& | ^ % ! ( )`),
 * `xdg-open` elsewhere. The URL (from server-controlled metadata) must parse as an `https:` URL, or
 * `http:` on a loopback host, without credentials; the argument is its serialisation (`href`), in which
 * spaces, quotes and control characters cannot appear.
 *
 * @throws {DiscoveryError} `INVALID_URL` when `url` is not an absolute URL; `INSECURE_URL` for any other
 *   scheme, plain `http:` to a non-loopback host, or credentials in the URL.
 * @see https://www.rfc-editor.org/rfc/rfc8252#section-7.3
 */
export function browserCommand(url: string, platform: NodeJS.Platform = process.platform): BrowserCommand {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (cause) {
    throw new DiscoveryError(
      ErrorCodes.INVALID_URL,
      'The authorization URL is not an absolute URL; not opened',
      {
        url,
        expected: 'an absolute https: URL',
        cause,
      },
    );
  }
  // Belt and braces: a serialised URL never holds these, and nothing below may ever see one.
  if (!isSecureUrl(parsed) || /[\s"'`<>\\\p{Cc}]/u.test(parsed.href)) {
    throw new DiscoveryError(
      ErrorCodes.INSECURE_URL,
      'The authorization URL is not an https: URL (or http: on a loopback host); not opened',
      {
        url: parsed.href,
        expected: 'https: (http: only for loopback hosts), no credentials',
        actual: parsed.protocol,
      },
    );
  }
  const href = parsed.href;
  if (platform === 'darwin') return { command: 'open', args: [href] };
  if (platform === 'win32') return { command: 'rundll32', args: ['url.dll,FileProtocolHandler', href] };
  return { command: 'xdg-open', args: [href] };
}

/**
 * Opens `url` in the user's browser with {@link browserCommand} (`shell: false`). Best effort: if no
 * opener exists, or the URL is refused, the URL printed on stderr is the way, so failures are ignored.
 */
export function openBrowser(url: string): void {
  let command: BrowserCommand;
  try {
    command = browserCommand(url);
  } catch {
    return;
  }
  try {
    const child = spawn(command.command, command.args, {
      stdio: 'ignore',
      detached: true,
      shell: false,
      windowsHide: true,
    });
    child.on('error', () => undefined);
    child.unref();
  } catch {
    // No opener: the URL is on stderr.
  }
}
