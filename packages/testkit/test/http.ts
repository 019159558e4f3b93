import { DiscoveryError, ErrorCodes } from '@oauth-discovery/core';
import { Agent, request } from 'undici';
import { FORM, form } from './pkce.js';

/** One plain HTTP exchange for tests (undici, never the global fetch). */
export interface Exchange {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json(): unknown;
}

/** A fresh agent per call keeps tests independent of connection reuse. */
export async function send(
  url: string,
  init: {
    method?: 'GET' | 'POST' | 'DELETE';
    headers?: Record<string, string>;
    body?: string;
    signal?: AbortSignal;
    headersTimeout?: number;
  } = {},
): Promise<Exchange> {
  const dispatcher = new Agent({ headersTimeout: init.headersTimeout ?? 30_000 });
  try {
    const res = await request(url, {
      method: init.method ?? 'GET',
      dispatcher,
      headers: init.headers ?? null,
      body: init.body ?? null,
      signal: init.signal ?? null,
    });
    const text = await res.body.text();
    return {
      status: res.statusCode,
      headers: res.headers,
      text,
      json: () => JSON.parse(text),
    };
  } finally {
    await dispatcher.destroy();
  }
}

/** Polls `check` until it is true (or fails after `timeoutMs`) — for server-side effects like `aborted`. */
export async function eventually(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until)
      throw new DiscoveryError(ErrorCodes.TIMEOUT, `test condition not met within ${timeoutMs} ms`);
    await new Promise((done) => setTimeout(done, 10));
  }
}

/** POSTs `fields` as an `application/x-www-form-urlencoded` body (the token endpoint). */
export function postForm(url: string, fields: Record<string, string | undefined>): Promise<Exchange> {
  return send(url, {
    method: 'POST',
    headers: FORM,
    body: form(fields),
  });
}
