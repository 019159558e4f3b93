import { type DiscoveryTrace, isDiscoveryError } from '@oauth-discovery/core';
import { atlassianV1World, noMetadataWorld, testScope } from '@oauth-discovery/testkit';
import { createRecommendedPipeline } from 'oauth-discovery';
import { afterEach, describe, expect, it } from 'vitest';
import { renderDiscoverySvg } from '../src/index.js';
import { allNodes, allText, parseSvg } from './parse-svg.js';

const scope = testScope();
afterEach(() => scope.close());

/** The attempts of a trace in its order: every step's, then the unused speculation. */
function attemptsOf(trace: DiscoveryTrace) {
  return [...trace.steps.flatMap((s) => s.attempts), ...trace.unusedSpeculation];
}

describe('renderTraceSvg on the Atlassian v1 world', () => {
  it('shows every attempt of the trace, in order, with its status, and highlights the committing one', async () => {
    const shape = atlassianV1World({ latencyMs: 5 });
    const world = await scope.world(shape);
    const pipeline = createRecommendedPipeline({ presets: false });
    try {
      const result = await pipeline.discover(shape.expect.resource(world));
      const svg = renderDiscoverySvg(result);
      if (svg === undefined) throw new Error('no svg');
      const root = parseSvg(svg);
      expect(root.name).toBe('svg');
      expect(root.attributes.xmlns).toBe('http://www.w3.org/2000/svg');

      const rows = allNodes(root).filter((n) => n.name === 'g' && n.attributes.class?.startsWith('attempt'));
      const attempts = attemptsOf(result.trace);
      expect(attempts.length).toBeGreaterThan(2);
      expect(
        rows.map((r) => [r.attributes['data-method'], r.attributes['data-url'], r.attributes['data-status']]),
      ).toEqual(attempts.map((a) => [a.method, a.url, String(a.status ?? '')]));
      expect(rows.map((r) => Number(r.attributes['data-index']))).toEqual(attempts.map((_, i) => i));
      // Every attempt of the live trace has its start time, and its bar is where it says.
      for (const attempt of attempts) expect(attempt.startMs).toBeTypeOf('number');

      const committed = rows.filter((r) => r.attributes['data-role'] === 'committed');
      expect(committed.map((r) => r.attributes['data-url'])).toEqual([
        world.url('mcp', '/.well-known/oauth-authorization-server'),
      ]);
      // Speculative requests are marked as such; unused ones carry their own role.
      const speculative = rows.filter((r) => r.attributes['data-speculative'] === 'true');
      expect(speculative.length).toBe(attempts.filter((a) => a.speculative === true).length);
      expect(rows.filter((r) => r.attributes['data-role'] === 'unused')).toHaveLength(
        result.trace.unusedSpeculation.length,
      );

      // Steps are group headings in trace order; the issuer decision is an annotation.
      const steps = allNodes(root).filter((n) => n.name === 'g' && n.attributes.class === 'step');
      expect(steps.map((s) => s.attributes['data-strategy'])).toEqual([
        ...result.trace.steps.map((s) => s.strategy),
        ...(result.trace.unusedSpeculation.length > 0 ? ['unused speculation'] : []),
      ]);
      const decisions = allNodes(root).filter(
        (n) => n.name === 'g' && n.attributes.class === 'note decision',
      );
      expect(decisions.map(allText).join('\n')).toMatch(/adopted/);
    } finally {
      await pipeline.close();
    }
  });

  it('renders a failed discovery from the trace its DiscoveryError carries, naming the code', async () => {
    const shape = noMetadataWorld();
    const world = await scope.world(shape);
    const error = await createRecommendedPipeline({ presets: false, legacyDefaults: false })
      .discover(shape.expect.resource(world))
      .catch((e: unknown) => e);
    expect(isDiscoveryError(error, 'DISCOVERY_FAILED')).toBe(true);
    if (!isDiscoveryError(error) || error.trace === undefined) throw new Error('no trace');
    const svg = renderDiscoverySvg(error);
    if (svg === undefined) throw new Error('no svg');
    const root = parseSvg(svg);
    const rows = allNodes(root).filter((n) => n.name === 'g' && n.attributes.class?.startsWith('attempt'));
    expect(rows.map((r) => r.attributes['data-url'])).toEqual(attemptsOf(error.trace).map((a) => a.url));
    expect(rows.some((r) => r.attributes['data-role'] === 'committed')).toBe(false);
    const failure = allNodes(root).find((n) => n.attributes.class === 'note error');
    expect(failure === undefined ? '' : allText(failure)).toContain(error.code);
    expect(allText(root)).toContain(`failed: ${error.code}`);
  });

  it('renders nothing for a value without a trace', () => {
    expect(renderDiscoverySvg(new Error('x'))).toBeUndefined();
    expect(renderDiscoverySvg(null)).toBeUndefined();
    expect(renderDiscoverySvg({ trace: { steps: 'no' } })).toBeUndefined();
  });
});
