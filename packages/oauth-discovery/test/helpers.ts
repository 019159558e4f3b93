import type { DiscoveryTrace } from '@oauth-discovery/core';
import { startWorld, type World, type WorldSpec } from '@oauth-discovery/testkit';
import { afterEach } from 'vitest';

const running: World[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((world) => world.close()));
});

/** Starts a shape's world (or any world spec); it is closed after the test. */
export async function startShape(shape: { readonly spec: WorldSpec }): Promise<World> {
  const world = await startWorld(shape.spec);
  running.push(world);
  return world;
}

/** Every URL the trace says was requested (consumed by a strategy), in order. */
export function tracedUrls(trace: DiscoveryTrace): string[] {
  return trace.steps.flatMap((step) => step.attempts.map((attempt) => attempt.url));
}

/** The trace step of one strategy. */
export function stepOf(trace: DiscoveryTrace, strategy: string) {
  const step = trace.steps.find((candidate) => candidate.strategy === strategy);
  if (!step)
    throw new Error(`no step ${strategy} in the trace: ${trace.steps.map((s) => s.strategy).join(', ')}`);
  return step;
}
