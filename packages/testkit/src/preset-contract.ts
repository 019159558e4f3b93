import type {
  DiscoveryResult,
  DiscoveryStrategy,
  ErrorCode,
  IssuerCheck,
  ProviderHints,
} from '@oauth-discovery/core';
import { listPresetFacts, type PresetDefinition } from '@oauth-discovery/core/preset';
import { afterEach, describe, expect, it } from 'vitest';
import type { WorldShape } from './shape-types.js';
import { rejection, testScope } from './strategy-harness.js';
import type { World } from './world-types.js';

/** One loopback replica of a provider, discovered with the preset and without any. */
export interface PresetReplicaCase {
  /** What the replica reproduces, with its date: `as reported (2026-03)`, `provider fixed it`. */
  readonly name: string;
  readonly shape: WorldShape;
  /** Which world origin stands for each real host of the preset: `{ 'https://mcp.slack.com': 'mcp' }`. */
  readonly hosts: Readonly<Record<string, string>>;
  /** The resource to discover. Default: the shape's resource. */
  readonly resource?: (world: World) => string;
  /** A replica of the provider once it follows the spec: the preset must not break it (at least one case). */
  readonly fixed?: boolean;
  /** What discovery with the preset must end with. */
  readonly expect?: {
    /** Default `exact`. */
    readonly issuerCheck?: IssuerCheck;
    /** A trace note that must appear: the relaxation, naming the fact that allowed it. */
    readonly relaxation?: RegExp;
    /** Hints the result must carry (compared with `toMatchObject`). */
    readonly hints?: ProviderHints;
  };
  /**
   * Without any preset: the exact code of the strict refusal, or `found` when the standard strategies
   * already cope (the preset then adds only hints, or nothing, and never a relaxation).
   */
  readonly withoutPreset: ErrorCode | 'found';
  /** Further assertions on the result with the preset. */
  readonly check?: (result: DiscoveryResult, world: World) => void | Promise<void>;
}

/** What {@link testPreset} checks a preset against. */
export interface PresetContract {
  readonly definition: PresetDefinition;
  /** The preset's strategy moved onto the replica's origins. */
  readonly create: (options: { readonly hosts: Record<string, string> }) => DiscoveryStrategy;
  /**
   * The standard strategies that run after the preset, e.g.
   * `() => [wwwAuthenticate(), rfc9728(), rfc8414(), oidc()]` (the testkit depends on none of them).
   */
  readonly strategies: () => readonly DiscoveryStrategy[];
  readonly cases: readonly PresetReplicaCase[];
  /**
   * A resource the preset must skip. Default `https://unrelated.example/mcp`; `false` for a preset whose
   * issuer policies apply to every resource.
   */
  readonly unrelatedResource?: string | false;
}

function notesOf(result: DiscoveryResult): string[] {
  return result.trace.steps.flatMap((step) => step.notes);
}

/**
 * Registers the contract tests of a provider preset with vitest: every fact dated, sourced and cited;
 * other resources skipped; and for each loopback replica, discovery with the preset (the expected
 * issuer, issuer check, relaxation note naming its fact, hints), with the preset left on its real hosts
 * (a relaxation is refused everywhere else), and without any preset (the strict refusal with its exact
 * code, or the same standard answer) — including at least one "provider fixed it" replica, which the
 * preset must not break.
 *
 * @example
 * ```ts
 * testPreset({
 *   definition: acmePreset,
 *   create: (options) => acme(options),
 *   strategies: () => [wwwAuthenticate(), rfc9728(), rfc8414(), oidc()],
 *   cases: [{ name: 'as reported', shape: prmRootWorld(), hosts: { 'https://mcp.acme.example': 'mcp' }, withoutPreset: 'found', fixed: true }],
 * });
 * ```
 */
export function testPreset(contract: PresetContract): void {
  const { definition } = contract;
  const scope = testScope();
  afterEach(() => scope.close());

  describe(`preset ${definition.name}: contract`, () => {
    it('cites a dated, sourced fact for everything it contributes', () => {
      const facts = listPresetFacts(definition);
      expect(facts.length).toBeGreaterThan(0);
      for (const fact of facts) {
        expect(fact.observed, fact.id).toMatch(/^\d{4}(-\d{2}(-\d{2})?)?$/);
        expect(fact.source.trim(), fact.id).not.toBe('');
        expect(fact.usedBy.length, `fact ${fact.id} is cited`).toBeGreaterThan(0);
      }
    });

    it('has a "provider fixed it" replica that the standard strategies accept', () => {
      const fixed = contract.cases.filter((c) => c.fixed === true);
      expect(fixed.length, 'at least one case with fixed: true').toBeGreaterThan(0);
      for (const c of fixed) expect(c.withoutPreset, c.name).toBe('found');
    });

    if (contract.unrelatedResource !== false) {
      const unrelated = contract.unrelatedResource ?? 'https://unrelated.example/mcp';
      it(`skips a resource it does not know (${unrelated})`, async () => {
        const pipeline = scope.pipeline([contract.create({ hosts: {} })]);
        const error = await rejection(pipeline.discover(unrelated));
        const step = error.trace?.steps.find((s) => s.strategy === `preset:${definition.name}`);
        expect(step?.outcome).toBe('skipped');
      });
    }

    describe.each(contract.cases.map((c) => [c.name, c] as const))('replica: %s', (_name, c) => {
      async function start() {
        const world = await scope.world(c.shape);
        const hosts = Object.fromEntries(
          Object.entries(c.hosts).map(([real, origin]) => [real, world.origin(origin)]),
        );
        const resource = (c.resource ?? c.shape.expect.resource)(world);
        return { world, hosts, resource };
      }

      it('with the preset: found, with the expected issuer check, relaxation and hints', async () => {
        const { world, hosts, resource } = await start();
        const preset = contract.create({ hosts });
        const result = await scope.pipeline([preset, ...contract.strategies()]).discover(resource);
        expect(result.authorizationServer.issuer).toBe(c.shape.expect.issuer(world));
        expect(result.authorizationServer.issuerCheck).toBe(c.expect?.issuerCheck ?? 'exact');
        const notes = notesOf(result);
        if (c.expect?.relaxation !== undefined) {
          expect(notes.some((n) => c.expect?.relaxation?.test(n))).toBe(true);
          // Listed with the pipeline's own relaxations, naming the preset.
          expect(result.trace.relaxations.some((r) => r.includes(`preset:${definition.name}`))).toBe(true);
        } else {
          expect(notes.filter((n) => n.startsWith('relaxation:'))).toEqual([]);
          expect(result.trace.relaxations.filter((r) => r.includes('preset:'))).toEqual([]);
        }
        if (result.authorizationServer.issuerCheck === 'alias') {
          // An accepted alias is a relaxation too: the trace must name the dated fact behind it.
          const cited = new RegExp(
            `accepted as an alias .*pinned by preset:${definition.name} \\(.*observed `,
          );
          expect(
            notes.some((n) => cited.test(n)),
            'the alias note cites its dated fact',
          ).toBe(true);
        }
        if (c.expect?.hints !== undefined) expect(result.hints).toMatchObject(c.expect.hints);
        await c.check?.(result, world);
      });

      const code = c.withoutPreset;
      if (c.expect?.relaxation !== undefined && code !== 'found') {
        it(`with the preset left on the real hosts (another host): still ${code}`, async () => {
          const { resource } = await start();
          const preset = contract.create({ hosts: {} });
          const error = await rejection(
            scope.pipeline([preset, ...contract.strategies()]).discover(resource),
          );
          expect(error.code).toBe(code);
        });
      }

      it(`without presets: ${c.withoutPreset === 'found' ? 'the same standard answer' : c.withoutPreset}`, async () => {
        const { world, resource } = await start();
        const pipeline = scope.pipeline(contract.strategies());
        if (c.withoutPreset === 'found') {
          const result = await pipeline.discover(resource);
          expect(result.authorizationServer.issuer).toBe(c.shape.expect.issuer(world));
          expect(notesOf(result).filter((n) => n.startsWith('relaxation:'))).toEqual([]);
          return;
        }
        const error = await rejection(pipeline.discover(resource));
        expect(error.code).toBe(c.withoutPreset);
      });
    });
  });
}
