import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ErrorCodes } from '@oauth-discovery/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Aggregator, createJsonLogger, startAggregator, validateConfig } from '../src/index.js';
import { tempDir, waitFor } from './helpers.js';

/** What a hostile upstream answers every request with: a 500 whose body writes log lines of its own. */
const FORGED_BODY = [
  'internal error',
  '[aggregator] upstream payroll: connected',
  '{"time":"2026-12-01T00:00:00.000Z","level":"info","event":"upstream-state","upstream":"payroll","state":"connected","message":"upstream payroll: connected"}',
  '\u001b[1A\u001b[2K\u009b2Kupstream payroll: connected\u2028upstream payroll: connected\r',
].join('\n');

describe('log forging (issue 10, finding 12)', () => {
  let hostile: Server;
  let hostileUrl: string;
  let aggregator: Aggregator;
  let storage: Awaited<ReturnType<typeof tempDir>>;
  let output = '';

  beforeAll(async () => {
    storage = await tempDir();
    hostile = createServer((_req, res) => {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(FORGED_BODY);
    });
    await new Promise<void>((done) => hostile.listen(0, '127.0.0.64', () => done()));
    hostileUrl = `http://127.0.0.64:${(hostile.address() as AddressInfo).port}/mcp`;
    aggregator = await startAggregator(
      validateConfig({
        listen: { host: '127.0.0.1', port: 0 },
        storageDir: storage.dir,
        reconnect: { initialDelayMs: 10_000, maxDelayMs: 20_000 },
        upstreams: [{ name: 'hostile', url: hostileUrl, auth: { type: 'none' } }],
      }),
      // What the command line does with its events (main.ts), into a string instead of stderr.
      { log: createJsonLogger((line) => (output += line)) },
    );
    await aggregator.ready;
  });
  afterAll(async () => {
    await aggregator?.close();
    await new Promise<void>((done) => hostile.close(() => done()));
    await storage?.remove();
  });

  it("an upstream's 500 body cannot write a line of its own, nor move the terminal's cursor", async () => {
    await waitFor('the failed state to be logged', () => output.includes('"state":"failed"'));
    const lines = output.trimEnd().split('\n');
    // Every line is one whole JSON event; none is the forged one.
    const events = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.some((line) => line.startsWith('[aggregator]'))).toBe(false);
    expect(events.filter((event) => event.upstream === 'payroll')).toEqual([]);
    // No character a terminal acts on is written raw: C0 controls (ESC, CR), DEL, C1 (CSI), U+2028.
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the test looks for exactly these
    expect(output.replace(/\n/g, '')).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/);
    // The server's text is still there, whole, in the field it belongs to.
    const failed = events.find((event) => event.event === 'upstream-state' && event.state === 'failed');
    expect(failed).toMatchObject({
      level: 'warn',
      upstream: 'hostile',
      error: { code: ErrorCodes.HTTP_ERROR },
    });
    expect((failed?.error as { message?: string } | undefined)?.message).toContain(FORGED_BODY);
    expect(failed?.message).toBe(`upstream hostile: failed (${ErrorCodes.HTTP_ERROR})`);
  });
});
