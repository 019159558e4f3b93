/**
 * The custom strategy of docs/strategies.md, run as written: the test extracts the block marked
 * `<!-- example: corporate-directory … -->` (the one `pnpm check:docs` type-checks), writes it next to this file
 * (`*.generated.ts`, git-ignored) and imports it. Against a loopback directory and authorization server, a
 * discovery costs one directory request, sequential or speculative — the example strategy authors copy wastes
 * no request.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createPipeline, type DiscoveryStrategy } from '@oauth-discovery/core';
import { rfc8414 } from '@oauth-discovery/rfc8414';
import { describe, expect, it } from 'vitest';
import { startRawServer } from './raw-server.js';

const DOC = resolve(import.meta.dirname, '../../../docs/strategies.md');
const MARKER = '<!-- example: corporate-directory';

/** The code of the fenced block right after the marker line. */
function exampleBlock(): string {
  const lines = readFileSync(DOC, 'utf8').split('\n');
  const at = lines.findIndex((line) => line.startsWith(MARKER));
  if (at === -1 || !lines[at + 1]?.startsWith('```ts'))
    throw new Error(`no ${MARKER} …> before a ts block in ${DOC}`);
  const end = lines.findIndex((line, i) => i > at + 1 && line.startsWith('```'));
  return lines.slice(at + 2, end).join('\n');
}

async function loadExample(): Promise<(directoryUrl: string) => DiscoveryStrategy> {
  const file = join(import.meta.dirname, 'docs-custom-strategy.generated.ts');
  writeFileSync(file, `${exampleBlock()}\n`);
  const module = (await import(file)) as { corporateDirectory: (directoryUrl: string) => DiscoveryStrategy };
  return module.corporateDirectory;
}

/**
 * A resource at `/mcp`, a directory at `/directory` naming this origin as its issuer, and the issuer's RFC 8414
 * metadata, on one loopback origin (the SSRF guard lets a loopback resource reach loopback); counts requests.
 */
async function startCorporateWorld() {
  const requests: string[] = [];
  const origin = await startRawServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    requests.push(url.pathname);
    res.setHeader('content-type', 'application/json');
    if (url.pathname === '/directory' && url.searchParams.get('resource') === `${origin}/mcp`) {
      res.end(JSON.stringify({ issuer: origin }));
    } else if (url.pathname === '/.well-known/oauth-authorization-server') {
      res.end(
        JSON.stringify({
          issuer: origin,
          authorization_endpoint: `${origin}/authorize`,
          token_endpoint: `${origin}/token`,
          response_types_supported: ['code'],
          code_challenge_methods_supported: ['S256'],
        }),
      );
    } else {
      res.statusCode = 404;
      res.end('{}');
    }
  });
  return { origin, requests };
}

describe('docs/strategies.md: the custom strategy example', () => {
  for (const speculate of [false, true])
    it(`costs one directory request per discovery (speculate: ${speculate})`, async () => {
      const corporateDirectory = await loadExample();
      const world = await startCorporateWorld();
      const pipeline = createPipeline([corporateDirectory(`${world.origin}/directory`), rfc8414()], {
        speculate,
      });
      try {
        const result = await pipeline.discover(`${world.origin}/mcp`);
        expect(result.authorizationServer.issuer).toBe(world.origin);
        expect(world.requests.filter((path) => path === '/directory')).toHaveLength(1);
        expect(world.requests).toHaveLength(2);
        expect(result.trace.unusedSpeculation ?? []).toEqual([]);
      } finally {
        await pipeline.close();
      }
    });
});
