/**
 * The contract every strategy and preset keeps (after unstorage's shared driver test): it never throws
 * on an expected miss, makes every request through `ctx.http`, honours abort (settles soon after the
 * signal fires), and leaves the state it is given alone. A strategy package calls it from a test file:
 *
 * ```ts
 * import { testStrategy } from '@oauth-discovery/testkit/strategy-contract';
 * testStrategy('rfc9728', () => rfc9728());
 * ```
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type DiscoveryState,
  type DiscoveryStrategy,
  ErrorCodes,
  type HttpClient,
  isDiscoveryError,
  type StrategyContext,
} from '@oauth-discovery/core';
import { createHttpClient } from '@oauth-discovery/core/http';
import { initialState } from '@oauth-discovery/core/strategy-kit';
import { afterAll, describe, expect, it } from 'vitest';
import { startWorld } from './world.js';

/** How long after the abort a strategy may take to settle (its requests are cancelled, not waited out). */
export const ABORT_SETTLE_MS = 1_000;

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

function stateFor(resource: string, extra: Partial<DiscoveryState> = {}): DiscoveryState {
  return { ...initialState(resource, undefined, undefined), ...extra };
}

/**
 * Runs the strategy contract over the strategy `make()` returns (a fresh one per test), in a
 * `describe` named `strategy contract: <name>`.
 */
export function testStrategy(name: string, make: () => DiscoveryStrategy): void {
  const base = createHttpClient({
    allowPrivateNetwork: true,
    headersTimeoutMs: 20_000,
    requestTimeoutMs: 20_000,
  });
  afterAll(() => base.close());

  /** A context whose http records what goes through it and always carries the context's signal. */
  function contextFor(state: DiscoveryState, signal: AbortSignal) {
    const sent: string[] = [];
    const http: HttpClient = {
      request(url, init = {}) {
        sent.push(`${init.method ?? 'GET'} ${new URL(url).pathname}`);
        return base.request(url, { ...init, signal: init.signal ?? signal });
      },
    };
    const ctx: StrategyContext = { state: deepFreeze(state), http, signal, note: () => {} };
    return { ctx, sent };
  }

  describe(`strategy contract: ${name}`, () => {
    it('never throws on an expected miss and makes every request through ctx.http', async () => {
      const world = await startWorld({ origins: { mcp: { routes: {} }, as: { routes: {} } } });
      try {
        const resource = world.url('mcp', '/mcp');
        // Everything is 404: a miss everywhere, with and without an issuer candidate known.
        for (const state of [
          stateFor(resource),
          stateFor(resource, { issuers: [{ issuer: world.origin('as'), source: 'test' }] }),
        ]) {
          world.clearLog();
          const { ctx, sent } = contextFor(state, new AbortController().signal);
          const outcome = await make().run(ctx);
          expect(['found', 'not-found', 'skipped']).toContain(outcome.status);
          expect(world.requests.map((r) => `${r.method} ${r.path}`)).toEqual(sent);
          if (outcome.status === 'found') {
            // A strategy only contributes what it declares (when it declares anything).
            const declared = make().contributes;
            if (declared?.length) {
              for (const key of Object.keys(outcome.contribution)) expect(declared).toContain(key);
            }
          }
        }
      } finally {
        await world.close();
      }
    });

    it(`honours abort: settles within ${ABORT_SETTLE_MS} ms of the signal, even when the server never answers`, async () => {
      // Accepts every connection and never answers: without abort, each request would wait out the
      // client's 20 s timeouts.
      const silent = createServer(() => {});
      await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
      const origin = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
      try {
        const controller = new AbortController();
        const { ctx } = contextFor(
          stateFor(`${origin}/mcp`, { issuers: [{ issuer: origin, source: 'test' }] }),
          controller.signal,
        );
        let abortedAt = 0;
        setTimeout(() => {
          abortedAt = performance.now();
          controller.abort();
        }, 100);
        const settled = await make()
          .run(ctx)
          .then(
            () => 'resolved',
            (error: unknown) => (isDiscoveryError(error, ErrorCodes.ABORTED) ? 'aborted' : error),
          );
        const settleMs = abortedAt === 0 ? 0 : performance.now() - abortedAt;
        expect(['resolved', 'aborted']).toContain(settled);
        expect(settleMs).toBeLessThan(ABORT_SETTLE_MS);
      } finally {
        silent.closeAllConnections();
        await new Promise((resolve) => silent.close(resolve));
      }
    }, 10_000);

    it('leaves the state it is given alone (the state is frozen; a write would throw)', async () => {
      const world = await startWorld({ origins: { mcp: { routes: {} } } });
      try {
        const state = stateFor(world.url('mcp', '/mcp'), {
          issuers: [{ issuer: world.origin('mcp'), source: 'test' }],
          hints: { notes: ['kept'] },
        });
        const before = JSON.stringify(state);
        const { ctx } = contextFor(state, new AbortController().signal);
        await make().run(ctx);
        expect(JSON.stringify(ctx.state)).toBe(before);
      } finally {
        await world.close();
      }
    });
  });
}
