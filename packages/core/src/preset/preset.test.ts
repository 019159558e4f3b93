import { describe, expect, it } from 'vitest';
import { DiscoveryError, ErrorCodes } from '../errors.js';
import { issuerPolicyFor } from '../issuer-policy.js';
import { initialState } from '../pipeline/state.js';
import type { HttpClient, StrategyContext, StrategyOutcome } from '../types.js';
import { validatePresetDefinition } from './definition-schema.js';
import { listPresetFacts } from './facts.js';
import { rewriteUrl } from './hosts.js';
import { presetResourceMatches } from './match.js';
import { createPresetStrategy } from './strategy.js';
import type { PresetDefinition } from './types.js';

const example: PresetDefinition = {
  name: 'example',
  title: 'Example',
  description: 'A fictional provider for tests.',
  hosts: ['https://mcp.example.com', 'https://auth.example.com'],
  facts: [
    {
      id: 'foreign-issuer',
      statement: 'v1 metadata names issuer https://auth.example.com',
      observed: '2026-03-01',
      source: 'example issue #1',
    },
    {
      id: 'tenant-issuer',
      statement: 'tenant metadata names the bare origin',
      observed: '2026-07-15',
      source: 'https://example.org/report',
    },
    {
      id: 'no-dcr',
      statement: 'no dynamic registration',
      observed: '2026-01-02',
      source: 'example issue #2',
    },
  ],
  resources: [
    {
      label: 'Example v1 endpoint',
      match: [{ url: 'https://mcp.example.com/v1/mcp' }],
      issuers: [{ issuer: 'https://mcp.example.com', acceptedIssuers: ['https://auth.example.com'] }],
      hints: { requiresPreregisteredClient: true },
      facts: ['foreign-issuer', 'no-dcr'],
    },
    {
      label: 'Example v2 endpoint',
      match: [{ origin: 'https://mcp.example.com', pathPrefix: '/v2' }],
      issuerPolicies: [
        {
          match: { prefix: 'https://auth.example.com/' },
          acceptedIssuers: ['https://auth.example.com'],
          metadataUrlKinds: ['oauth'],
          hints: { pkceS256KnownSupported: true },
          facts: ['tenant-issuer'],
        },
      ],
      facts: ['tenant-issuer'],
    },
  ],
};

/** An HTTP client that records and refuses every call: preset strategies must make none. */
function refusingHttp(): HttpClient & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    async request(url) {
      calls.push(String(url));
      throw new DiscoveryError(ErrorCodes.NETWORK_ERROR, `test: unexpected request to ${String(url)}`);
    },
  };
}

function contextFor(
  resource: string,
  http: HttpClient = refusingHttp(),
  signal = new AbortController().signal,
) {
  const state = initialState(resource, undefined, undefined);
  const notes: string[] = [];
  const ctx: StrategyContext = { state, http, signal, note: (message) => notes.push(message) };
  return ctx;
}

function found(outcome: StrategyOutcome) {
  if (outcome.status !== 'found') throw new Error(`expected found, got ${outcome.status}: ${outcome.reason}`);
  return outcome;
}

function configError(fn: () => unknown): DiscoveryError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(DiscoveryError);
    expect((error as DiscoveryError).code).toBe(ErrorCodes.INVALID_CONFIG);
    return error as DiscoveryError;
  }
  throw new Error('expected INVALID_CONFIG, nothing was thrown');
}

describe('validatePresetDefinition', () => {
  it('accepts the example', () => {
    expect(validatePresetDefinition(example)).toBe(example);
  });

  it('accepts a month or a year when the source gives no day', () => {
    const facts = [
      { ...example.facts[0]!, observed: '2026-07' },
      { ...example.facts[1]!, observed: '2026' },
      example.facts[2]!,
    ];
    expect(() => validatePresetDefinition({ ...example, facts })).not.toThrow();
  });

  it.each([
    ['name', { ...example, name: 'Example Inc' }, /name: expected a kebab-case name/],
    [
      'date format',
      { ...example, facts: [{ ...example.facts[0]!, observed: '2026-3-1' }] },
      /facts\[0\]\.observed/,
    ],
    [
      'impossible date',
      { ...example, facts: [{ ...example.facts[0]!, observed: '2026-02-30' }] },
      /facts\[0\]\.observed/,
    ],
    [
      'month 13',
      { ...example, facts: [{ ...example.facts[0]!, observed: '2026-13' }] },
      /facts\[0\]\.observed/,
    ],
    [
      'free-text date',
      { ...example, facts: [{ ...example.facts[0]!, observed: 'July 2026' }] },
      /facts\[0\]\.observed/,
    ],
    ['unknown key', { ...example, hostz: [] }, /hostz: unknown key/],
    ['missing facts', { ...example, facts: [] }, /facts: /],
    [
      'duplicate fact id',
      { ...example, facts: [...example.facts, example.facts[0]!] },
      /facts\[3\]\.id: duplicate fact id "foreign-issuer"/,
    ],
    [
      'unknown fact id',
      { ...example, resources: [{ ...example.resources![0]!, facts: ['nope'] }] },
      /resources\[0\]\.facts\[0\]: unknown fact id "nope"/,
    ],
    [
      'relative issuer',
      { ...example, resources: [{ ...example.resources![0]!, issuers: [{ issuer: '/x' }] }] },
      /resources\[0\]\.issuers\[0\]\.issuer: expected an absolute http\(s\) URL/,
    ],
    [
      'issuer off the preset hosts',
      {
        ...example,
        resources: [{ ...example.resources![0]!, issuers: [{ issuer: 'https://other.example.net' }] }],
      },
      /resources\[0\]\.issuers\[0\]\.issuer: expected a URL on one of the preset hosts/,
    ],
    [
      'accepted issuer off the preset hosts',
      {
        ...example,
        issuerPolicies: [
          {
            match: { exact: 'https://auth.example.com' },
            acceptedIssuers: ['https://evil.test'],
            facts: ['no-dcr'],
          },
        ],
      },
      /issuerPolicies\[0\]\.acceptedIssuers\[0\]: expected a URL on one of the preset hosts/,
    ],
    [
      'host with a path',
      { ...example, hosts: ['https://mcp.example.com/v1'] },
      /hosts\[0\]: expected an origin only/,
    ],
  ])('rejects a bad %s with INVALID_CONFIG naming the key', (_label, definition, message) => {
    const error = configError(() => validatePresetDefinition(definition as PresetDefinition));
    expect(error.message).toMatch(message);
  });
});

describe('presetResourceMatches', () => {
  const v1 = { url: 'https://mcp.example.com/v1/mcp' };
  const v2 = { origin: 'https://mcp.example.com', pathPrefix: '/v2' };

  it('matches an exact URL after normalising scheme, host case and default port', () => {
    expect(presetResourceMatches(v1, 'https://mcp.example.com/v1/mcp')).toBe(true);
    expect(presetResourceMatches(v1, 'HTTPS://MCP.Example.COM:443/v1/mcp')).toBe(true);
    expect(presetResourceMatches(v1, 'https://mcp.example.com/v1/mcp#frag')).toBe(true);
  });

  it('treats one trailing slash as not significant, like the RFC 9728 check and static configuration', () => {
    expect(presetResourceMatches(v1, 'https://mcp.example.com/v1/mcp/')).toBe(true);
    expect(presetResourceMatches(v1, 'https://mcp.example.com/v1/mcp//')).toBe(false);
  });

  it('does not match another path, a query, port or host', () => {
    for (const other of [
      'https://mcp.example.com/v1/MCP',
      'https://mcp.example.com/v1/mcp?x=1',
      'https://mcp.example.com:8443/v1/mcp',
      'http://mcp.example.com/v1/mcp',
      'https://mcp.example.com.evil.test/v1/mcp',
      'not a url',
    ]) {
      expect(presetResourceMatches(v1, other), other).toBe(false);
    }
  });

  it('matches a path prefix only at a segment boundary', () => {
    expect(presetResourceMatches(v2, 'https://mcp.example.com/v2')).toBe(true);
    expect(presetResourceMatches(v2, 'https://mcp.example.com/v2/mcp')).toBe(true);
    expect(presetResourceMatches(v2, 'https://mcp.example.com/v20')).toBe(false);
    expect(presetResourceMatches(v2, 'https://mcp.example.com/')).toBe(false);
    expect(presetResourceMatches({ origin: 'https://mcp.example.com' }, 'https://mcp.example.com/any')).toBe(
      true,
    );
  });
});

describe('hosts override', () => {
  const map = [['https://mcp.example.com', 'http://127.0.0.2:4000']] as const;

  it('rewrites only URLs on the mapped origin and keeps the rest of the string exactly', () => {
    expect(rewriteUrl('https://mcp.example.com', map)).toBe('http://127.0.0.2:4000');
    expect(rewriteUrl('https://mcp.example.com/', map)).toBe('http://127.0.0.2:4000/');
    expect(rewriteUrl('https://mcp.example.com/v1/mcp', map)).toBe('http://127.0.0.2:4000/v1/mcp');
    expect(rewriteUrl('https://mcp.example.com.evil.test/x', map)).toBe(
      'https://mcp.example.com.evil.test/x',
    );
    expect(rewriteUrl('https://mcp.example.comx', map)).toBe('https://mcp.example.comx');
  });

  it('moves resource matchers, issuers, aliases and policy matches onto the replica', async () => {
    const strategy = createPresetStrategy(example, {
      hosts: {
        'https://mcp.example.com': 'http://127.0.0.2:4000',
        'https://auth.example.com/': 'http://127.0.0.3:5000',
      },
    });
    expect(strategy.definition.hosts).toEqual(['http://127.0.0.2:4000', 'http://127.0.0.3:5000']);

    const v1 = found(await strategy.run(contextFor('http://127.0.0.2:4000/v1/mcp')));
    expect(v1.contribution.issuers).toEqual([
      {
        issuer: 'http://127.0.0.2:4000',
        source: 'preset:example',
        acceptedIssuers: ['http://127.0.0.3:5000'],
      },
    ]);
    const v2 = found(await strategy.run(contextFor('http://127.0.0.2:4000/v2/mcp')));
    expect(v2.contribution.issuerPolicies?.[0]?.match).toEqual({ prefix: 'http://127.0.0.3:5000/' });
    expect(v2.contribution.issuerPolicies?.[0]?.acceptedIssuers).toEqual(['http://127.0.0.3:5000']);

    const real = await strategy.run(contextFor('https://mcp.example.com/v1/mcp'));
    expect(real.status).toBe('skipped');
  });

  it('rejects a host the preset does not name, and a replica with a path', () => {
    const unknown = configError(() =>
      createPresetStrategy(example, { hosts: { 'https://github.com': 'http://127.0.0.2:1' } }),
    );
    expect(unknown.message).toMatch(/hosts\["https:\/\/github.com"\]: not a host this preset names/);
    const withPath = configError(() =>
      createPresetStrategy(example, { hosts: { 'https://mcp.example.com': 'http://127.0.0.2:1/base' } }),
    );
    expect(withPath.message).toMatch(/hosts\["https:\/\/mcp.example.com"\]: expected an origin only/);
    configError(() => createPresetStrategy(example, { hosts: { 'https://mcp.example.com': 'nonsense' } }));
  });
});

describe('createPresetStrategy', () => {
  const strategy = createPresetStrategy(example);

  it('is named preset:<name> and declares nothing the runner would skip on', () => {
    expect(strategy.name).toBe('preset:example');
    expect('contributes' in strategy).toBe(false);
  });

  it('contributes the candidate, its exact aliases and hints for a matching resource, with no request', async () => {
    const http = refusingHttp();
    const outcome = found(await strategy.run(contextFor('https://mcp.example.com/v1/mcp', http)));
    expect(http.calls).toEqual([]);
    expect(outcome.contribution.issuers).toEqual([
      {
        issuer: 'https://mcp.example.com',
        source: 'preset:example',
        acceptedIssuers: ['https://auth.example.com'],
      },
    ]);
    expect(outcome.contribution.hints?.requiresPreregisteredClient).toBe(true);
    expect(outcome.contribution.hints?.notes).toEqual([
      'preset:example: v1 metadata names issuer https://auth.example.com (observed 2026-03-01; example issue #1)',
      'preset:example: no dynamic registration (observed 2026-01-02; example issue #2)',
    ]);
    expect(outcome.contribution.issuerPolicies).toBeUndefined();
    expect(outcome.notes).toContain('resource https://mcp.example.com/v1/mcp is a Example v1 endpoint');
    expect(outcome.notes?.some((n) => n.includes('observed 2026-03-01'))).toBe(true);
  });

  it('contributes policies that apply to issuers learned later, with cited facts in their hints', async () => {
    const outcome = found(await strategy.run(contextFor('https://mcp.example.com/v2/mcp')));
    expect(outcome.contribution.issuers).toBeUndefined();
    const policies = outcome.contribution.issuerPolicies ?? [];
    expect(policies).toHaveLength(1);
    const effective = issuerPolicyFor('https://auth.example.com/tenant-1', policies);
    expect(effective.acceptedIssuers).toEqual(['https://auth.example.com']);
    expect(effective.metadataUrlKinds).toEqual(['oauth']);
    expect(effective.hints.pkceS256KnownSupported).toBe(true);
    expect(effective.hints.notes?.[0]).toMatch(/observed 2026-07-15; https:\/\/example.org\/report/);
    expect(effective.sources).toEqual(['preset:example']);
    expect(issuerPolicyFor('https://other.example.net/t', policies).sources).toEqual([]);
  });

  it('skips a resource it does not know and says why', async () => {
    const outcome = await strategy.run(contextFor('https://mcp.example.com/v1/other'));
    expect(outcome).toEqual({
      status: 'skipped',
      reason:
        'resource https://mcp.example.com/v1/other is none of the Example endpoints this preset knows (https://mcp.example.com/v1/mcp, https://mcp.example.com/v2…)',
    });
  });

  it('contributes resource-independent policies for every resource', async () => {
    const issuerOnly = createPresetStrategy({
      ...example,
      resources: [],
      issuerPolicies: [
        {
          match: { prefix: 'https://auth.example.com/' },
          metadataUrlKinds: ['oidc-append'],
          facts: ['no-dcr'],
        },
      ],
    });
    const outcome = found(await issuerOnly.run(contextFor('https://unrelated.test/mcp')));
    expect(outcome.contribution.issuers).toBeUndefined();
    expect(outcome.contribution.hints).toBeUndefined();
    expect(outcome.contribution.issuerPolicies?.[0]?.source).toBe('preset:example');
    expect(outcome.notes).toEqual([
      'applies to Example issuers (issuers https://auth.example.com/…), whatever the resource',
      'policy for issuers https://auth.example.com/…; tries only oidc-append metadata URLs',
    ]);
    expect(outcome.contribution.issuerPolicies?.[0]?.hints?.notes).toEqual([
      expect.stringMatching(/^preset:example: .*observed/),
    ]);
  });

  it('throws ABORTED when the signal has fired', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(
      strategy.run(contextFor('https://mcp.example.com/v1/mcp', refusingHttp(), controller.signal)),
    ).rejects.toMatchObject({
      code: ErrorCodes.ABORTED,
    });
  });

  it('rejects an invalid definition at creation', () => {
    configError(() => createPresetStrategy({ ...example, name: '' }));
  });
});

describe('listPresetFacts', () => {
  it('lists every fact with its date, source and the entries citing it', () => {
    const facts = listPresetFacts(example);
    expect(facts.map((f) => f.id)).toEqual(['foreign-issuer', 'tenant-issuer', 'no-dcr']);
    expect(facts[0]).toMatchObject({ preset: 'example', observed: '2026-03-01', source: 'example issue #1' });
    expect(facts[0]?.usedBy).toEqual(['Example v1 endpoint (https://mcp.example.com/v1/mcp)']);
    expect(facts[1]?.usedBy).toEqual([
      'Example v2 endpoint (https://mcp.example.com/v2…)',
      'issuers https://auth.example.com/…',
    ]);
  });
});
