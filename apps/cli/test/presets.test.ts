import { hubspotWorld, slackWorld, testScope } from '@oauth-discovery/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { cli, requireBuiltCli } from './helpers.js';

requireBuiltCli();

const scope = testScope();
afterEach(() => scope.close());

interface JsonPreset {
  name: string;
  runsByDefault: boolean;
  needsConfiguration?: string;
  facts: { id: string; observed: string; source: string; evidence: string; usedBy: string[] }[];
}

describe('presets', () => {
  it('--json lists every built-in preset, which run by default, and dated, sourced facts', async () => {
    const result = await cli(['presets', '--json']);
    expect(result.code).toBe(0);
    const { presets } = JSON.parse(result.stdout) as { presets: JsonPreset[] };
    expect(presets.map((p) => p.name)).toEqual(
      expect.arrayContaining([
        'atlassian',
        'github',
        'microsoft-entra',
        'slack',
        'hubspot',
        'auth0',
        'keycloak',
      ]),
    );
    expect(presets).toHaveLength(16);
    expect(presets.filter((p) => !p.runsByDefault).map((p) => p.name)).toEqual(['auth0', 'keycloak']);
    for (const preset of presets) {
      for (const fact of preset.facts) {
        expect(fact.observed).toMatch(/^\d{4}(-\d{2}){0,2}$/);
        expect(fact.source).not.toBe('');
        expect(['reported', 'thin']).toContain(fact.evidence);
      }
    }
    const hubspot = presets.find((p) => p.name === 'hubspot');
    expect(hubspot?.facts.find((f) => f.id === 'root-prm-origin')?.evidence).toBe('thin');
  });

  it('<name> shows one preset: its facts with dates, sources, ids and what uses them', async () => {
    const result = await cli(['presets', 'slack']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^slack — Slack/m);
    expect(result.stdout).toContain('[2026-08] Later the metadata named issuer https://mcp.slack.com');
    expect(result.stdout).toContain('source: slack-skills-plugin#7');
    expect(result.stdout).toContain('id: issuer-slack-com');
    expect(result.stdout).toContain('(thin evidence)');
    expect(result.stdout).not.toMatch(/^hubspot/m);
    const json = await cli(['presets', 'auth0', '--json']);
    const { preset } = JSON.parse(json.stdout) as { preset: JsonPreset };
    expect(preset.name).toBe('auth0');
    expect(preset.runsByDefault).toBe(false);
    expect(preset.needsConfiguration).toContain('https://tenant.auth0.invalid');
  });

  it('an unknown preset is a usage error naming the known ones', async () => {
    const result = await cli(['presets', 'acme']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('INVALID_CONFIG');
    expect(result.stderr).toContain('known presets: atlassian, github');
  });
});

describe('--preset-hosts: trying a preset against a loopback replica', () => {
  it('without it the HubSpot replica is refused (RESOURCE_MISMATCH, exit 3); hubspot=<origin> accepts it, traced', async () => {
    const shape = hubspotWorld();
    const world = await scope.world(shape);
    const resource = shape.expect.resource(world);

    const strict = await cli(['discover', resource, '--json']);
    expect(strict.code).toBe(3);
    expect(strict.stdout + strict.stderr).toContain('RESOURCE_MISMATCH');

    const relaxed = await cli([
      'discover',
      resource,
      '--json',
      '--preset-hosts',
      `hubspot=${world.origin('mcp')}`,
    ]);
    expect(relaxed.code).toBe(0);
    const result = JSON.parse(relaxed.stdout) as {
      authorizationServer: { issuer: string };
      trace: { strategy: string; notes?: string[] }[];
    };
    expect(result.authorizationServer.issuer).toBe(world.origin('mcp'));
    const notes = result.trace.flatMap((s) => s.notes ?? []);
    expect(notes.some((n) => /^relaxation: .*preset:hubspot.*observed 2026-10/.test(n))).toBe(true);

    // For people: the relaxation in the trace, the hints as readable data.
    const text = await cli(['discover', resource, '--preset-hosts', `hubspot=${world.origin('mcp')}`]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('relaxation:');
    expect(text.stdout).toContain(`resourceIdentifierExceptions=[{"resource":"${world.origin('mcp')}"`);
    expect(text.stdout).not.toContain('[object Object]');
  });

  it('<real origin>=<origin> moves one host at a time (Slack: issuer alias and exception)', async () => {
    const shape = slackWorld();
    const world = await scope.world(shape);
    const mapping = `https://mcp.slack.com=${world.origin('mcp')},https://slack.com=${world.origin('slack')}`;
    const run = await cli(['discover', shape.expect.resource(world), '--json', '--preset-hosts', mapping]);
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as { authorizationServer: { issuer: string; issuerCheck: string } };
    expect(result.authorizationServer).toMatchObject({ issuer: world.origin('slack'), issuerCheck: 'alias' });
  });

  it.each([
    ['no =', 'hubspot'],
    ['an origin with a path', 'hubspot=http://127.0.0.1:1/x'],
    ['an unknown preset', 'acme=http://127.0.0.1:1'],
  ])('%s is a usage error (exit 2, INVALID_CONFIG)', async (_label, value) => {
    const result = await cli(['discover', 'http://127.0.0.1:9/mcp', '--preset-hosts', value]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('INVALID_CONFIG');
  });
});
