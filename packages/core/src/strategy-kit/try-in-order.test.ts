import { describe, expect, it } from 'vitest';
import { DiscoveryError, ErrorCodes, SECURITY_ERROR_CODES } from '../errors.js';
import { isMissError, MISS_ERROR_CODES, type Try, tryInOrder } from './try-in-order.js';

function context(signal: AbortSignal = new AbortController().signal) {
  const notes: string[] = [];
  return { notes, ctx: { signal, note: (message: string) => notes.push(message) } };
}

function miss(url: string, code: DiscoveryError['code'], actual?: unknown): Try<string> {
  return {
    url,
    label: url.split('/').pop() ?? url,
    fetch: () => Promise.reject(new DiscoveryError(code, `${code} at ${url}`, { url, actual })),
  };
}

function hit(url: string, value: string, calls: string[] = []): Try<string> {
  return {
    url,
    label: 'hit',
    fetch: () => {
      calls.push(url);
      return Promise.resolve(value);
    },
  };
}

describe('tryInOrder', () => {
  it('returns the first success and does not run later tries', async () => {
    const { ctx, notes } = context();
    const calls: string[] = [];
    const result = await tryInOrder(ctx, [
      miss('https://a.example/one', ErrorCodes.RESOURCE_METADATA_NOT_FOUND, 401),
      hit('https://a.example/two', 'doc', calls),
      hit('https://a.example/three', 'never', calls),
    ]);
    expect(result).toMatchObject({
      status: 'found',
      value: 'doc',
      url: 'https://a.example/two',
      label: 'hit',
    });
    expect(calls).toEqual(['https://a.example/two']);
    expect(result.misses.map((m) => [m.url, m.code, m.status])).toEqual([
      ['https://a.example/one', 'RESOURCE_METADATA_NOT_FOUND', 401],
    ]);
    // A bare status is shown by the attempt itself: no note repeats it.
    expect(notes).toEqual([]);
  });

  it('lists every URL and why it missed, in order, when nothing is found', async () => {
    const { ctx, notes } = context();
    const result = await tryInOrder(ctx, [
      miss(
        'https://a.example/.well-known/oauth-protected-resource/v1/mcp',
        ErrorCodes.RESOURCE_METADATA_NOT_FOUND,
        401,
      ),
      miss(
        'https://a.example/.well-known/oauth-protected-resource',
        ErrorCodes.RESOURCE_METADATA_NOT_FOUND,
        404,
      ),
      miss('https://a.example/garbage', ErrorCodes.INVALID_JSON),
      miss('https://a.example/refused', ErrorCodes.NETWORK_ERROR),
      miss('https://a.example/500', ErrorCodes.HTTP_ERROR, 500),
    ]);
    expect(result.status).toBe('not-found');
    if (result.status !== 'not-found') return;
    expect(result.reason).toBe(
      'GET https://a.example/.well-known/oauth-protected-resource/v1/mcp → 401; ' +
        'GET https://a.example/.well-known/oauth-protected-resource → 404; ' +
        'GET https://a.example/garbage → INVALID_JSON; ' +
        'GET https://a.example/refused → NETWORK_ERROR; ' +
        'GET https://a.example/500 → 500',
    );
    // Only the misses a status does not explain are noted, with their reason.
    expect(notes).toHaveLength(2);
    expect(notes[0]).toContain('GET https://a.example/garbage → INVALID_JSON (');
    expect(notes[1]).toContain('GET https://a.example/refused → NETWORK_ERROR (');
  });

  it('treats every code of MISS_ERROR_CODES as a miss', async () => {
    const codes = [...MISS_ERROR_CODES];
    const { ctx } = context();
    const result = await tryInOrder(ctx, [
      ...codes.map((code, i) => miss(`https://a.example/${i}`, code)),
      hit('https://a.example/last', 'ok'),
    ]);
    expect(result.status).toBe('found');
    expect(result.misses.map((m) => m.code)).toEqual(codes);
  });

  it('counts no security error, abort or deadline as a miss', () => {
    const stopping = [...SECURITY_ERROR_CODES, ErrorCodes.ABORTED, ErrorCodes.DEADLINE_EXCEEDED];
    expect(stopping.filter((code) => MISS_ERROR_CODES.has(code))).toEqual([]);
  });

  it.each([
    ErrorCodes.ISSUER_MISMATCH,
    ErrorCodes.RESOURCE_MISMATCH,
    ErrorCodes.BLOCKED_ADDRESS,
    ErrorCodes.INSECURE_URL,
    ErrorCodes.CROSS_ORIGIN_REDIRECT,
    ErrorCodes.ABORTED,
    ErrorCodes.DEADLINE_EXCEEDED,
    ErrorCodes.INVALID_CONFIG,
  ])('rethrows %s and tries nothing after it', async (code) => {
    const { ctx } = context();
    const calls: string[] = [];
    const run = tryInOrder(ctx, [
      miss('https://a.example/bad', code),
      hit('https://a.example/next', 'no', calls),
    ]);
    await expect(run).rejects.toMatchObject({ name: 'DiscoveryError', code });
    expect(calls).toEqual([]);
  });

  it('rethrows errors that are not DiscoveryErrors (bugs are not misses)', async () => {
    const { ctx } = context();
    const bug: Try<string> = {
      url: 'https://a.example/x',
      label: 'x',
      fetch: () => Promise.reject(new TypeError('bug')),
    };
    await expect(tryInOrder(ctx, [bug])).rejects.toBeInstanceOf(TypeError);
    expect(isMissError(new TypeError('bug'))).toBe(false);
  });

  it('stops with ABORTED when the signal fires between tries', async () => {
    const controller = new AbortController();
    const { ctx } = context(controller.signal);
    const calls: string[] = [];
    const first: Try<string> = {
      url: 'https://a.example/first',
      label: 'first',
      fetch: () => {
        controller.abort();
        return Promise.reject(new DiscoveryError(ErrorCodes.HTTP_ERROR, 'HTTP 500', { actual: 500 }));
      },
    };
    await expect(
      tryInOrder(ctx, [first, hit('https://a.example/second', 'no', calls)]),
    ).rejects.toMatchObject({
      code: ErrorCodes.ABORTED,
      url: 'https://a.example/second',
    });
    expect(calls).toEqual([]);
  });

  it("rethrows the signal's own DiscoveryError (deadline)", async () => {
    const controller = new AbortController();
    controller.abort(new DiscoveryError(ErrorCodes.DEADLINE_EXCEEDED, 'deadline'));
    const { ctx } = context(controller.signal);
    await expect(tryInOrder(ctx, [hit('https://a.example/x', 'no')])).rejects.toMatchObject({
      code: ErrorCodes.DEADLINE_EXCEEDED,
    });
  });

  it('is not-found with a reason when there is nothing to try', async () => {
    const { ctx } = context();
    expect(await tryInOrder(ctx, [])).toEqual({ status: 'not-found', reason: 'no URL to try', misses: [] });
  });
});
