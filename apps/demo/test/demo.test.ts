import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type NodeRun, runNode } from '@oauth-discovery/testkit';
import { describe, expect, it } from 'vitest';

const DEMO = fileURLToPath(new URL('../dist/index.js', import.meta.url));
const CLI = fileURLToPath(new URL('../../cli/dist/cli.js', import.meta.url));
for (const built of [DEMO, CLI]) {
  if (!existsSync(built)) {
    throw new Error(`${built} is missing: build first (pnpm build, or pnpm test from the repository root)`);
  }
}

function demo(): Promise<NodeRun> {
  return runNode(DEMO, [], { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined });
}

describe('pnpm demo', () => {
  it('reproduces the Atlassian case, solves it through the built CLI, prints the summary and exits 0', async () => {
    const result = await demo();
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const out = result.stdout;
    // The strict client's verdict, then our traced decision.
    expect(out).toContain('✘ ISSUER_MISMATCH');
    expect(out).toMatch(/✘ not-found rfc9728/);
    expect(out).toMatch(/✔ found {5}rfc8414/);
    expect(out).toMatch(/note: no issuer was known; adopted http:\/\/127\.0\.0\.3:\d+/);
    // The demo needs no security-weakening flag: the resource's own loopback range is enough.
    expect(out).not.toContain('allow-private-network');
    expect(out).not.toContain('allowPrivateNetwork');
    // Login and the tool call, driven by `oauth-discovery tools --headless --call echo`.
    expect(out).toContain('(dynamic, registered now)');
    expect(out).toContain('hello from the oauth-discovery demo');
    // The operators' view.
    expect(out).toMatch(/error {3}no-protected-resource-metadata/);
    expect(out).toMatch(/error {3}foreign-issuer/);
    expect(out).toMatch(
      /fix: Add resource_metadata="http:\/\/127\.0\.0\.2:\d+\/\.well-known\/oauth-protected-resource\/v1\/mcp"/,
    );
    // The summary.
    expect(out).toContain('Summary');
    expect(out).toContain('strict RFC 8414 client   refuses: ISSUER_MISMATCH');
    expect(out).toMatch(/issuer http:\/\/127\.0\.0\.3:\d+ adopted — traced/);
    expect(out).toContain('tool call                echo answered "hello from the oauth-discovery demo"');
    expect(out).toContain('✔ solved');
    expect(out).not.toContain('\u001b[');
  });
});
