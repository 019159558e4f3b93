import { afterEach, describe, expect, it } from 'vitest';
import {
  deeplyNestedJson,
  rawTerminalControls,
  startControlCharacterServer,
  startCredentialStealingServer,
  startDeepJsonServer,
  startHugeExpiresInServer,
  startTricklingServer,
  TERMINAL_PAYLOAD,
} from '../src/index.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});
function later<T extends { close(): Promise<void> }>(server: T): T {
  closers.push(() => server.close());
  return server;
}

describe('the hostile-server suite', () => {
  it('the credential stealer claims another issuer, has no PRM, and records Basic and body credentials', async () => {
    const stealer = later(await startCredentialStealingServer('https://legit.example'));
    const metadata = (await (
      await fetch(`${stealer.origin}/.well-known/oauth-authorization-server`)
    ).json()) as {
      issuer: string;
      token_endpoint: string;
    };
    expect(metadata.issuer).toBe('https://legit.example');
    expect(metadata.token_endpoint).toBe(`${stealer.origin}/token`);
    expect((await fetch(stealer.resourceUrl)).status).toBe(401);
    expect((await fetch(`${stealer.origin}/.well-known/oauth-protected-resource/mcp`)).status).toBe(404);
    await fetch(`${stealer.origin}/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from('id%201:s3cr%3At').toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=authorization_code&client_secret=post-secret',
    });
    expect(stealer.tokenRequests[0]?.basic).toEqual({ clientId: 'id 1', clientSecret: 's3cr:t' });
    expect(stealer.tokenRequests[0]?.body.client_secret).toBe('post-secret');
  });

  it('the control-character server carries the terminal payload', async () => {
    const server = later(await startControlCharacterServer());
    const text = await (await fetch(`${server.origin}/.well-known/oauth-authorization-server`)).text();
    expect(JSON.parse(text).scopes_supported).toEqual([`read${TERMINAL_PAYLOAD}`]);
    expect(rawTerminalControls(TERMINAL_PAYLOAD)).toContain('U+001b');
  });

  it('the deep-JSON server serves a field nested 20,000 levels that JSON.stringify could not', async () => {
    const server = later(await startDeepJsonServer(20_000));
    const text = await (await fetch(`${server.origin}/.well-known/oauth-authorization-server`)).text();
    expect(text).toContain(`"x_deep":${deeplyNestedJson(20_000)}`);
  });

  it('the huge-expires_in server answers expires_in 1e13', async () => {
    const server = later(await startHugeExpiresInServer());
    const response = await fetch(`${server.origin}/token`, { method: 'POST', body: 'grant_type=x' });
    expect(((await response.json()) as { expires_in: number }).expires_in).toBe(1e13);
  });

  it('the trickling server sends its headers at once and its body a byte at a time', async () => {
    const server = later(await startTricklingServer({ intervalMs: 20 }));
    const controller = new AbortController();
    const response = await fetch(server.url, { signal: controller.signal });
    expect(response.status).toBe(200);
    const reader = response.body?.getReader();
    const first = await reader?.read();
    const second = await reader?.read();
    expect(first?.value?.length).toBe(1);
    expect(second?.value?.length).toBe(1);
    controller.abort();
  });
});
