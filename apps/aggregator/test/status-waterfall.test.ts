import { fileURLToPath } from 'node:url';
import { startAuthorizationServer, startMcpServer } from '@oauth-discovery/testkit';
import { browserSkipReason, screenshotPage } from '@oauth-discovery/testkit/browser';
import { XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Aggregator } from '../src/index.js';
import { statusWaterfallPage } from '../src/status-waterfall.js';
import { waitFor } from './helpers.js';
import { createFixture } from './setup.js';

const OUTPUT = fileURLToPath(new URL('../test-output/', import.meta.url));

describe('GET /status/waterfall', () => {
  const fx = createFixture();
  let aggregator: Aggregator;

  beforeAll(async () => {
    const storage = await fx.storage();
    const atlassianAs = fx.add(await startAuthorizationServer({ host: '127.0.0.61' }));
    const atlassianMcp = await fx.atlassianShape(atlassianAs, '127.0.0.62');
    // Its metadata names another issuer, with markup in it: discovery fails with ISSUER_MISMATCH.
    const mismatchAs = fx.add(
      await startAuthorizationServer({
        host: '127.0.0.63',
        issuer: (origin) => `${origin}/x?<script>alert(1)</script>`,
      }),
    );
    const mismatchMcp = fx.add(
      await startMcpServer({
        host: '127.0.0.64',
        verifyToken: async () => null,
        resourceMetadata: { authorizationServers: [mismatchAs.origin] },
      }),
    );
    const openMcp = fx.add(await startMcpServer({ host: '127.0.0.65' }));
    aggregator = await fx.aggregator(
      {
        storageDir: storage.dir,
        reconnect: { initialDelayMs: 10_000, maxDelayMs: 20_000 },
        upstreams: [
          { name: 'atlassian', url: atlassianMcp.url, auth: { type: 'oauth' } },
          { name: 'mismatch', url: mismatchMcp.url, auth: { type: 'oauth' } },
          { name: 'open', url: openMcp.url, auth: { type: 'none' } },
        ],
      },
      { log: () => undefined },
    );
    await aggregator.ready;
    await waitFor(
      'the mismatch upstream to fail',
      () => aggregator.upstreams.get('mismatch')?.status().state === 'failed',
    );
  });
  afterAll(() => fx.close());

  async function page(): Promise<{ html: string; headers: Headers }> {
    const response = await fetch(`${aggregator.origin}/status/waterfall`);
    expect(response.status).toBe(200);
    return { html: await response.text(), headers: response.headers };
  }

  it('shows each upstream with the waterfall of its discovery, a failed one with its error', async () => {
    const { html, headers } = await page();
    expect(headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(headers.get('content-security-policy')).toContain("default-src 'none'");
    const sections = html.split('<section ').slice(1);
    expect(sections.map((s) => /id="([^"]+)"/.exec(s)?.[1])).toEqual([
      'upstream-atlassian',
      'upstream-mismatch',
      'upstream-open',
    ]);
    const [atlassian = '', mismatch = '', open = ''] = sections;
    for (const part of [atlassian, mismatch]) {
      const svg = /<svg[\s\S]*<\/svg>/.exec(part)?.[0] ?? '';
      expect(XMLValidator.validate(svg)).toBe(true);
    }
    const trace = aggregator.upstreams.get('atlassian')?.discoveryTrace();
    const urls = [...atlassian.matchAll(/<g class="attempt [^"]*"[^>]*data-url="([^"]*)"/g)].map((m) => m[1]);
    expect(urls).toEqual(
      [...(trace?.steps.flatMap((s) => s.attempts) ?? []), ...(trace?.unusedSpeculation ?? [])].map(
        (a) => a.url,
      ),
    );
    expect(atlassian).toContain('data-role="committed"');
    const failure = aggregator.upstreams.get('mismatch')?.status().error?.code ?? 'none';
    expect(mismatch).toContain(`failed: ${failure}`);
    expect(mismatch).not.toContain('data-role="committed"');
    expect(open).toContain('this upstream does not use OAuth');
    expect(html).not.toMatch(/<script/i);
  });

  const skip = browserSkipReason();
  it.skipIf(skip !== undefined)(
    `headless Chromium draws the page (size, not blank)${skip === undefined ? '' : ` — skipped: ${skip}`}`,
    async () => {
      const shot = await screenshotPage(
        `${aggregator.origin}/status/waterfall`,
        `${OUTPUT}status-waterfall.png`,
      );
      expect(shot.width).toBeGreaterThanOrEqual(1200);
      expect(shot.height).toBeGreaterThan(600);
      expect(shot.distinctColors).toBeGreaterThan(20);
    },
  );
});

describe('statusWaterfallPage', () => {
  it('shows server text as text: markup in an error message, a URL or a trace is escaped', () => {
    const evil = '<script>alert(1)</script>"&\u001b[31m';
    const html = statusWaterfallPage([
      {
        status: {
          name: 'evil',
          url: `https://mcp.example/${evil}`,
          auth: 'oauth',
          state: 'failed',
          since: '2026-12-01T00:00:00.000Z',
          tools: 0,
          error: { code: 'DISCOVERY_FAILED', message: evil },
        },
        trace: {
          resource: `https://mcp.example/${evil}`,
          steps: [],
          unusedSpeculation: [],
          requestCount: 0,
          durationMs: 0,
          startedAt: '2026-12-01T00:00:00.000Z',
          relaxations: [],
        },
      },
    ]);
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;&quot;&amp;');
    expect(html).not.toContain('\u001b');
  });
});
