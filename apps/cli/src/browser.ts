import { spawn } from 'node:child_process';

/**
 * Opens `url` in the user's browser (`open` on macOS, `start` on Windows, `xdg-open` elsewhere).
 * Best effort: if no opener exists the URL printed on stderr is the way, so failures are ignored.
 */
export function openBrowser(url: string): void {
  const [command, args] =
    process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? ['cmd', ['/c', 'start', '""', url.replace(/&/g, '^&')]]
        : ['xdg-open', [url]];
  try {
    const child = spawn(command, args as string[], { stdio: 'ignore', detached: true });
    child.on('error', () => undefined);
    child.unref();
  } catch {
    // No opener: the URL is on stderr.
  }
}
