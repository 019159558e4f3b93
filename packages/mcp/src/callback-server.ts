import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { abortedError, DiscoveryError, ErrorCodes, isDiscoveryError } from '@oauth-discovery/core';
import { type AuthorizationCode, processAuthorizationResponse } from './engine/authorization-response.js';

/**
 * The loopback callback port when none is given, in the browser flow and headless: a stable redirect
 * URI (`http://127.0.0.1:8976/callback`), so a dynamic client registration stored for it is reused
 * by the next login instead of registering again.
 *
 * @see https://www.rfc-editor.org/rfc/rfc8252#section-7.3
 */
export const DEFAULT_CALLBACK_PORT = 8976;

/** Options of {@link startCallbackServer}. */
export interface CallbackServerOptions {
  /** Port to listen on; `0` (default) picks a free one. */
  readonly port?: number | undefined;
  /**
   * When `port` is taken (`EADDRINUSE`), listen on a free port instead of failing; the server's
   * `takenPort` says so (its redirect URI then differs, so a registration for the usual one does not fit).
   */
  readonly freePortIfTaken?: boolean | undefined;
  /** Loopback address to listen on. Default `127.0.0.1` (RFC 8252 §7.3: an IP literal, not `localhost`). */
  readonly host?: string | undefined;
  /** Path of the redirect URI. Default `/callback`. */
  readonly path?: string | undefined;
  /** How long {@link CallbackServer.waitForCode} waits, in ms. Default 300000 (5 minutes). */
  readonly timeoutMs?: number | undefined;
}

/** The RFC 9207 check {@link CallbackServer.waitForCode} applies besides `state`. */
export interface IssuerExpectation {
  /** The `issuer` of the authorization server metadata the request was sent to. */
  readonly issuer: string;
  /** The server advertises `authorization_response_iss_parameter_supported`: `iss` must be present. */
  readonly required: boolean;
}

/** A running loopback redirect endpoint. */
export interface CallbackServer {
  /** `http://127.0.0.1:<port><path>` — the `redirect_uri` to register and send. */
  readonly redirectUri: string;
  /** The port asked for, when it was taken and a free one was used instead (`freePortIfTaken`). */
  readonly takenPort?: number | undefined;
  /**
   * Resolves with the code of the authorization response that carries `expectedState`. A response
   * with any other `state` (a forged request from a web page, a stale tab) is answered with a neutral
   * page and ignored: the wait goes on until the real one or the timeout. Rejects with
   * `AUTHORIZATION_FAILED` (`error=` response), `ISSUER_MISMATCH` (RFC 9207 `iss` check) or
   * `TIMEOUT`. The browser gets a short page either way.
   */
  waitForCode(expectedState: string, issuer?: IssuerExpectation): Promise<AuthorizationCode>;
  close(): Promise<void>;
}

const PAGE_STYLE =
  'body{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;color:#222}h1{font-size:1.4rem}';

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(res: ServerResponse, status: number, title: string, text: string): void {
  const html = `<!doctype html><html lang="en"><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>${PAGE_STYLE}</style><h1>${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p></html>`;
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'referrer-policy': 'no-referrer',
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
  });
  res.end(html);
}

/**
 * Starts a loopback HTTP server that receives the authorization response (the "loopback interface
 * redirection" of native apps). It serves exactly one response; other paths get 404.
 *
 * @see https://www.rfc-editor.org/rfc/rfc8252#section-7.3
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2
 */
export async function startCallbackServer(options: CallbackServerOptions = {}): Promise<CallbackServer> {
  const host = options.host ?? '127.0.0.1';
  const path = options.path ?? '/callback';
  const timeoutMs = options.timeoutMs ?? 300_000;
  // Responses not yet looked at, in arrival order (one may come before waitForCode is called).
  const arrivals: { params: URLSearchParams; res: ServerResponse }[] = [];
  let ignored = 0;
  let onArrival: (() => void) | undefined;
  let onClose: (() => void) | undefined;
  let done = false;

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://callback.invalid');
    if (req.method !== 'GET' || url.pathname !== path) {
      page(
        res,
        404,
        'Not found',
        'This is the sign-in callback of a command-line tool; nothing else lives here.',
      );
      return;
    }
    if (done) {
      page(res, 409, 'Already handled', 'A sign-in response already reached this window. You can close it.');
      return;
    }
    arrivals.push({ params: url.searchParams, res });
    onArrival?.();
  });
  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      const refuse = (cause: NodeJS.ErrnoException): void => {
        const where = `${host}:${port}`;
        reject(
          new DiscoveryError(
            ErrorCodes.INVALID_CONFIG,
            `Cannot listen on ${where} for the authorization callback (${cause.code ?? cause.message})${cause.code === 'EADDRINUSE' ? '; the port is taken — choose another callback port or let one be picked' : ''}`,
            { url: `http://${where}${path}`, expected: 'a free loopback port', actual: cause.code, cause },
          ),
        );
      };
      server.once('error', refuse);
      server.listen(port, host, () => {
        server.off('error', refuse);
        resolve();
      });
    });
  const wanted = options.port ?? 0;
  let takenPort: number | undefined;
  try {
    await listen(wanted);
  } catch (error) {
    const taken = (error as DiscoveryError).actual === 'EADDRINUSE';
    if (!(taken && options.freePortIfTaken === true && wanted !== 0)) throw error;
    takenPort = wanted;
    await listen(0);
  }
  const { port } = server.address() as AddressInfo;
  const hostInUri = host.includes(':') ? `[${host}]` : host;
  const redirectUri = `http://${hostInUri}:${port}${path}`;

  return {
    redirectUri,
    takenPort,
    waitForCode(expectedState, issuer) {
      return new Promise<AuthorizationCode>((resolve, reject) => {
        const timer = setTimeout(() => {
          onArrival = undefined;
          done = true;
          const strays =
            ignored === 0
              ? ''
              : ` (${ignored} response${ignored === 1 ? '' : 's'} with an unknown state ${ignored === 1 ? 'was' : 'were'} ignored)`;
          reject(
            new DiscoveryError(
              ErrorCodes.TIMEOUT,
              `No authorization response reached ${redirectUri} within ${Math.round(timeoutMs / 1000)} s${strays}; sign-in was abandoned or the browser did not open`,
              {
                url: redirectUri,
                expected: 'a redirect with code and state',
                actual: ignored === 0 ? 'nothing' : { ignoredResponses: ignored },
              },
            ),
          );
        }, timeoutMs);
        const handle = (): void => {
          let arrival = arrivals.shift();
          // Not the response to this request: never let it end the sign-in (RFC 6749 §10.12).
          while (arrival !== undefined && arrival.params.get('state') !== expectedState) {
            ignored += 1;
            page(
              arrival.res,
              400,
              'Unknown sign-in response',
              'This response does not belong to the sign-in in progress and was ignored. You can close this window.',
            );
            arrival = arrivals.shift();
          }
          if (arrival === undefined) return;
          clearTimeout(timer);
          onArrival = undefined;
          done = true;
          for (const late of arrivals.splice(0)) {
            page(
              late.res,
              409,
              'Already handled',
              'A sign-in response already reached this window. You can close it.',
            );
          }
          const { params, res } = arrival;
          try {
            const result = processAuthorizationResponse(params, {
              expectedState,
              issuer: issuer?.issuer ?? params.get('iss') ?? '',
              issRequired: issuer?.required ?? false,
              url: redirectUri,
            });
            page(
              res,
              200,
              'Signed in',
              'You are signed in. You can close this window and return to the terminal.',
            );
            resolve(result);
          } catch (error) {
            const message = isDiscoveryError(error) ? error.message : String(error);
            page(res, 400, 'Sign-in failed', `${message} Return to the terminal for details.`);
            reject(error);
          }
        };
        onArrival = handle;
        onClose = () => {
          clearTimeout(timer);
          onArrival = undefined;
          if (done) return;
          done = true;
          reject(
            abortedError(`Waiting for the callback at ${redirectUri}`, {
              url: redirectUri,
              detail: '(the callback server was closed before a response arrived)',
            }),
          );
        };
        handle();
      });
    },
    close() {
      onClose?.();
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
