import { ErrorCodes, isDiscoveryError } from '@oauth-discovery/core';
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { type CallbackServer, startCallbackServer } from './callback-server.js';
import { FlowErrorCodes } from './error-codes.js';

const servers: CallbackServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function start(options: Parameters<typeof startCallbackServer>[0] = {}): Promise<CallbackServer> {
  const server = await startCallbackServer(options);
  servers.push(server);
  return server;
}

async function visit(url: string): Promise<{ status: number; body: string; type: string | undefined }> {
  const response = await request(url);
  return {
    status: response.statusCode,
    body: await response.body.text(),
    type: response.headers['content-type'] as string | undefined,
  };
}

describe('startCallbackServer', () => {
  it('listens on 127.0.0.1 with a random port and the default path', async () => {
    const server = await start();
    expect(server.redirectUri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
  });

  it('resolves with the code and serves a friendly page', async () => {
    const server = await start();
    const waiting = server.waitForCode('st-1');
    const page = await visit(`${server.redirectUri}?code=abc&state=st-1`);
    expect(await waiting).toEqual({ code: 'abc' });
    expect(page.status).toBe(200);
    expect(page.type).toMatch(/^text\/html/);
    expect(page.body).toContain('You are signed in');
  });

  it('handles a response that arrives before waitForCode is called', async () => {
    const server = await start();
    const visiting = visit(`${server.redirectUri}?code=early&state=st`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await server.waitForCode('st')).toEqual({ code: 'early' });
    expect((await visiting).status).toBe(200);
  });

  // Finding 9 of the security review: one forged GET with a wrong `state` ended a browser login.
  it('ignores responses with an unknown state (neutral page) and keeps waiting for the real one', async () => {
    const server = await start();
    const waiting = server.waitForCode('expected');
    const forged = await visit(`${server.redirectUri}?code=evil&state=forged`);
    const noState = await visit(`${server.redirectUri}?error=access_denied`);
    expect(forged.status).toBe(400);
    expect(forged.body).toContain('does not belong to the sign-in in progress');
    expect(forged.body).not.toContain('evil');
    expect(noState.status).toBe(400);
    const real = await visit(`${server.redirectUri}?code=abc&state=expected`);
    expect(await waiting).toEqual({ code: 'abc' });
    expect(real.status).toBe(200);
    expect((await visit(`${server.redirectUri}?code=late&state=expected`)).status).toBe(409);
  });

  it('ignores a forged response that arrives before waitForCode is called', async () => {
    const server = await start();
    const forged = visit(`${server.redirectUri}?code=evil&state=forged`);
    const real = visit(`${server.redirectUri}?code=abc&state=st`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await server.waitForCode('st')).toEqual({ code: 'abc' });
    expect((await forged).status).toBe(400);
    expect((await real).status).toBe(200);
  });

  it('times out with TIMEOUT (not STATE_MISMATCH) when only forged responses come, and says so', async () => {
    const server = await start({ timeoutMs: 300 });
    const waiting = server.waitForCode('expected').catch((error: unknown) => error);
    await visit(`${server.redirectUri}?code=abc&state=forged`);
    const error = await waiting;
    expect(isDiscoveryError(error, ErrorCodes.TIMEOUT)).toBe(true);
    expect((error as Error).message).toContain('1 response with an unknown state was ignored');
  });

  it('rejects an error= response with AUTHORIZATION_FAILED naming the error', async () => {
    const server = await start();
    const waiting = server.waitForCode('st').catch((error: unknown) => error);
    await visit(`${server.redirectUri}?error=access_denied&error_description=User+said+no&state=st`);
    const error = await waiting;
    expect(isDiscoveryError(error, FlowErrorCodes.AUTHORIZATION_FAILED)).toBe(true);
    expect((error as Error).message).toContain('access_denied (User said no)');
  });

  it('checks iss (RFC 9207) when told the issuer', async () => {
    const server = await start();
    const waiting = server
      .waitForCode('st', { issuer: 'http://127.0.0.1:1', required: true })
      .catch((error: unknown) => error);
    await visit(`${server.redirectUri}?code=abc&state=st`);
    expect(isDiscoveryError(await waiting, ErrorCodes.ISSUER_MISMATCH)).toBe(true);
  });

  it('times out with TIMEOUT', async () => {
    const server = await start({ timeoutMs: 50 });
    const error = await server.waitForCode('st').catch((e: unknown) => e);
    expect(isDiscoveryError(error, ErrorCodes.TIMEOUT)).toBe(true);
  });

  it('answers 404 elsewhere and 409 after the first response, on a fixed path', async () => {
    const server = await start({ path: '/oauth/cb' });
    expect(server.redirectUri).toMatch(/\/oauth\/cb$/);
    const origin = new URL(server.redirectUri).origin;
    expect((await visit(`${origin}/favicon.ico`)).status).toBe(404);
    const waiting = server.waitForCode('st');
    await visit(`${server.redirectUri}?code=1&state=st`);
    await waiting;
    expect((await visit(`${server.redirectUri}?code=2&state=st`)).status).toBe(409);
  });

  it('listens on a fixed port when asked', async () => {
    const first = await start();
    const port = Number(new URL(first.redirectUri).port);
    await first.close();
    servers.length = 0;
    const second = await start({ port });
    expect(second.redirectUri).toBe(`http://127.0.0.1:${port}/callback`);
  });

  it('fails with INVALID_CONFIG naming the port when the fixed port is taken', async () => {
    const first = await start();
    const port = Number(new URL(first.redirectUri).port);
    const error = await startCallbackServer({ port }).catch((e: unknown) => e);
    expect(isDiscoveryError(error, ErrorCodes.INVALID_CONFIG)).toBe(true);
    expect((error as Error).message).toContain(`127.0.0.1:${port}`);
    expect((error as Error).message).toContain('EADDRINUSE');
  });
});

describe('closing the callback server', () => {
  it('rejects a pending wait with ABORTED instead of leaving it to the timeout', async () => {
    const server = await startCallbackServer({ timeoutMs: 60_000 });
    const waiting = server.waitForCode('st').catch((error: unknown) => error);
    await server.close();
    expect(isDiscoveryError(await waiting, ErrorCodes.ABORTED)).toBe(true);
  });
});
