import { describe, expect, it } from 'vitest';
import { DiscoveryError, ErrorCodes } from '../errors.js';
import { issuerPolicyFor } from '../issuer-policy.js';
import { initialState } from '../pipeline/state.js';
import type { StrategyContext, StrategyOutcome } from '../types.js';
import { validatePresetDefinition } from './definition-schema.js';
import { formatPresetFact } from './facts.js';
import {
  describeResourceIdentifierException,
  findResourceIdentifierException,
  relaxationOf,
} from './resource-exception.js';
import { describeResourceMatch, type ResourceMatch, resourceMatches } from './resource-match.js';
import { createPresetStrategy } from './strategy.js';
import type { PresetDefinition } from './types.js';

/** Every construct of the preset language, on a fictional provider. */
const acme: PresetDefinition = {
  name: 'acme',
  title: 'Acme',
  description: 'Every construct of the preset language.',
  hosts: ['https://mcp.acme.example', 'https://auth.acme.example', 'https://old.acme.example'],
  facts: [
    {
      id: 'custom-url',
      statement: 'metadata at /oauth/metadata.json',
      observed: '2026-05',
      source: 'acme#1',
    },
    { id: 'old-issuer', statement: 'issuer https://old.acme.example', observed: '2026-03', source: 'acme#2' },
    {
      id: 'new-issuer',
      statement: 'issuer https://auth.acme.example',
      observed: '2026-08',
      source: 'acme#3',
    },
    {
      id: 'root-origin',
      statement: 'root PRM names the origin',
      observed: '2026-10',
      source: 'a capture',
      evidence: 'thin',
    },
    { id: 'audience', statement: 'needs audience', observed: '2026', source: 'acme#4' },
  ],
  resources: [
    {
      label: 'Acme MCP',
      match: [{ origin: 'https://mcp.acme.example' }],
      resourceIdentifierExceptions: [{ resource: 'https://mcp.acme.example', facts: ['root-origin'] }],
      issuers: [
        {
          issuer: 'https://auth.acme.example',
          acceptedIssuers: [{ issuer: 'https://old.acme.example', facts: ['old-issuer'] }],
        },
      ],
      issuerPolicies: [
        {
          match: { exact: 'https://auth.acme.example' },
          metadataUrl: 'https://auth.acme.example/oauth/metadata.json',
          pin: true,
          facts: ['custom-url', 'new-issuer'],
        },
      ],
      hints: {
        omitResourceParameter: true,
        extraAuthorizationParameters: { audience: 'https://api.acme.example' },
        preferredRegistration: 'dcr',
        registrationFields: { client_name: 'MCP client', token_endpoint_auth_method: 'none' },
        preregisteredClientMessage: 'Create an app at https://auth.acme.example/apps.',
      },
      facts: ['audience'],
    },
  ],
};

function contextFor(resource: string): StrategyContext {
  const state = initialState(resource, undefined, undefined);
  return {
    state,
    http: {
      request: async () => {
        throw new Error('no request');
      },
    },
    signal: new AbortController().signal,
    note: () => {},
  };
}

function found(outcome: StrategyOutcome) {
  if (outcome.status !== 'found') throw new Error(`expected found: ${outcome.reason}`);
  return outcome;
}

function configError(definition: unknown): string {
  try {
    validatePresetDefinition(definition as PresetDefinition);
  } catch (error) {
    expect(error).toBeInstanceOf(DiscoveryError);
    expect((error as DiscoveryError).code).toBe(ErrorCodes.INVALID_CONFIG);
    return (error as DiscoveryError).message;
  }
  throw new Error('expected INVALID_CONFIG');
}

const entry = acme.resources![0]!;
const withEntry = (patch: object) => ({ ...acme, resources: [{ ...entry, ...patch }] });
const withHints = (hints: object) => withEntry({ hints });

describe('the preset language: validation', () => {
  it('accepts every construct (metadataUrl in a policy is no longer an unknown key)', () => {
    expect(validatePresetDefinition(acme)).toBe(acme);
  });

  it.each([
    [
      'a metadata URL off the preset hosts',
      withEntry({
        issuerPolicies: [
          {
            match: { exact: 'https://auth.acme.example' },
            metadataUrl: 'https://evil.test/m',
            facts: ['custom-url'],
          },
        ],
      }),
      /resources\[0\]\.issuerPolicies\[0\]\.metadataUrl: expected a URL on one of the preset hosts/,
    ],
    [
      'a dated alias citing an unknown fact',
      withEntry({
        issuers: [
          {
            issuer: 'https://auth.acme.example',
            acceptedIssuers: [{ issuer: 'https://old.acme.example', facts: ['nope'] }],
          },
        ],
      }),
      /resources\[0\]\.issuers\[0\]\.acceptedIssuers\[0\]\.facts\[0\]: unknown fact id "nope"/,
    ],
    [
      'a dated alias off the preset hosts',
      withEntry({
        issuers: [
          {
            issuer: 'https://auth.acme.example',
            acceptedIssuers: [{ issuer: 'https://evil.test', facts: ['old-issuer'] }],
          },
        ],
      }),
      /resources\[0\]\.issuers\[0\]\.acceptedIssuers\[0\]: expected a URL on one of the preset hosts/,
    ],
    [
      'a resource-identifier exception off the preset hosts',
      withEntry({
        resourceIdentifierExceptions: [{ resource: 'https://evil.test', facts: ['root-origin'] }],
      }),
      /resources\[0\]\.resourceIdentifierExceptions\[0\]\.resource: expected a URL on one of the preset hosts/,
    ],
    [
      'a resource-identifier exception without facts',
      withEntry({ resourceIdentifierExceptions: [{ resource: 'https://mcp.acme.example', facts: [] }] }),
      /resourceIdentifierExceptions\[0\]\.facts: expected at least one fact id/,
    ],
    [
      'an extra authorization parameter the flow computes',
      withHints({ extraAuthorizationParameters: { redirect_uri: 'https://evil.test/cb' } }),
      /extraAuthorizationParameters: cannot set a parameter the flow computes/,
    ],
    [
      'a DCR field that would replace the redirect URIs',
      withHints({ registrationFields: { redirect_uris: ['https://evil.test/cb'] } }),
      /registrationFields: cannot set redirect_uris/,
    ],
    [
      'an unknown registration method',
      withHints({ preferredRegistration: 'magic' }),
      /preferredRegistration/,
    ],
    ['an unknown hint', withHints({ sendResource: false }), /hints\.sendResource: unknown key/],
    [
      'an unknown evidence level',
      { ...acme, facts: [{ ...acme.facts[0]!, evidence: 'rumour' }, ...acme.facts.slice(1)] },
      /facts\[0\]\.evidence/,
    ],
    [
      'a resource matcher of no known form',
      withEntry({ match: [{ host: 'mcp.acme.example' }] }),
      /resources\[0\]\.match\[0\]: expected a resource URL string, \{ url \}/,
    ],
  ])('rejects %s with INVALID_CONFIG naming the key', (_label, definition, message) => {
    expect(configError(definition)).toMatch(message);
  });
});

describe('the preset language: what the strategy contributes', () => {
  it('exceptions, dated aliases, the metadata URL, the pin and the flow hints — with their facts', async () => {
    const outcome = found(await createPresetStrategy(acme).run(contextFor('https://mcp.acme.example/mcp')));
    const { contribution } = outcome;
    expect(contribution.hints?.resourceIdentifierExceptions).toEqual([
      {
        resource: 'https://mcp.acme.example',
        source: 'preset:acme',
        because: 'root PRM names the origin (observed 2026-10; a capture; thin evidence)',
      },
    ]);
    expect(contribution.hints).toMatchObject({
      omitResourceParameter: true,
      extraAuthorizationParameters: { audience: 'https://api.acme.example' },
      preferredRegistration: 'dcr',
      registrationFields: { client_name: 'MCP client', token_endpoint_auth_method: 'none' },
      preregisteredClientMessage: 'Create an app at https://auth.acme.example/apps.',
    });
    expect(contribution.issuers).toEqual([
      {
        issuer: 'https://auth.acme.example',
        source: 'preset:acme',
        acceptedIssuers: ['https://old.acme.example'],
      },
    ]);
    const policy = issuerPolicyFor('https://auth.acme.example', contribution.issuerPolicies ?? []);
    expect(policy.metadataUrl).toBe('https://auth.acme.example/oauth/metadata.json');
    expect(policy.pinned).toBe(true);
    expect(policy.acceptedIssuers).toEqual(['https://old.acme.example']);
    const aliasPolicy = contribution.issuerPolicies?.find((p) => p.acceptedIssuerNotes !== undefined);
    expect(aliasPolicy?.acceptedIssuerNotes).toEqual({
      'https://old.acme.example': 'issuer https://old.acme.example (observed 2026-03; acme#2)',
    });
    expect(outcome.notes).toContain(
      'the protected resource metadata may name https://mcp.acme.example as its resource: root PRM names the origin (observed 2026-10; a capture; thin evidence)',
    );
    expect(
      outcome.notes?.some((n) =>
        n.includes('fetches its metadata from https://auth.acme.example/oauth/metadata.json'),
      ),
    ).toBe(true);
  });

  it('the hosts override moves exceptions, metadata URLs and dated aliases too', async () => {
    const strategy = createPresetStrategy(acme, {
      hosts: {
        'https://mcp.acme.example': 'http://127.0.0.2:1',
        'https://auth.acme.example': 'http://127.0.0.3:2',
        'https://old.acme.example': 'http://127.0.0.4:3',
      },
    });
    const { contribution } = found(await strategy.run(contextFor('http://127.0.0.2:1/mcp')));
    expect(contribution.hints?.resourceIdentifierExceptions?.[0]?.resource).toBe('http://127.0.0.2:1');
    const policy = issuerPolicyFor('http://127.0.0.3:2', contribution.issuerPolicies ?? []);
    expect(policy.metadataUrl).toBe('http://127.0.0.3:2/oauth/metadata.json');
    expect(policy.acceptedIssuers).toEqual(['http://127.0.0.4:3']);
  });

  it('an exception is contributed only for the resources the entry matches', async () => {
    const outcome = await createPresetStrategy(acme).run(contextFor('https://mcp.other.example/mcp'));
    expect(outcome.status).toBe('skipped');
  });

  it('findResourceIdentifierException: exactly the named resource (one trailing slash aside)', () => {
    const exceptions = [{ resource: 'https://mcp.acme.example', source: 'preset:acme', because: 'x' }];
    expect(findResourceIdentifierException(exceptions, 'https://mcp.acme.example/')).toBeDefined();
    expect(findResourceIdentifierException(exceptions, 'https://mcp.acme.example/other')).toBeUndefined();
    expect(findResourceIdentifierException(exceptions, 'https://evil.test')).toBeUndefined();
    expect(findResourceIdentifierException(undefined, 'https://mcp.acme.example')).toBeUndefined();
  });

  it('a relaxation note: its short label goes to trace.relaxations; other notes have none', () => {
    const note = describeResourceIdentifierException(
      {
        resource: 'https://mcp.acme.example',
        source: 'preset:acme',
        because: 'root PRM names the origin (observed 2026-10; a capture)',
      },
      'https://mcp.acme.example/.well-known/oauth-protected-resource',
      'https://mcp.acme.example/mcp',
    );
    expect(note).toMatch(/^relaxation: /);
    expect(note).toContain('observed 2026-10');
    expect(relaxationOf(note)).toBe(
      'RFC 9728 §3.3 exception by preset:acme for https://mcp.acme.example/mcp',
    );
    expect(
      relaxationOf('issuer https://x accepted as an alias of https://y — pinned by preset:acme'),
    ).toBeUndefined();
    expect(relaxationOf('relaxation: no separator')).toBeUndefined();
  });

  it('formats a thin fact so nobody mistakes it for an observation', () => {
    expect(formatPresetFact(acme.facts[3]!)).toBe(
      'root PRM names the origin (observed 2026-10; a capture; thin evidence)',
    );
  });
});

describe('one resource-matching vocabulary (presets and static configuration)', () => {
  const table: [ResourceMatch, string, boolean][] = [
    ['https://x.example/mcp', 'https://x.example/mcp/', true],
    [{ url: 'https://x.example/mcp' }, 'https://x.example/mcp/', true],
    [{ url: 'https://x.example/mcp/' }, 'https://x.example/mcp', true],
    [{ url: 'https://x.example/mcp' }, 'https://x.example/mcp?x=1', false],
    [{ origin: 'https://x.example', pathPrefix: '/v2' }, 'https://x.example/v2/mcp', true],
    [{ origin: 'https://x.example', pathPrefix: '/v2' }, 'https://x.example/v20', false],
    [{ prefix: 'https://x.example/api' }, 'https://x.example/api-v2', true],
    [{ prefix: 'https://x.example/api/' }, 'https://x.example/api-v2', false],
    [{ pattern: 'https://*.x.example/mcp' }, 'https://eu.x.example/mcp', true],
    [{ pattern: 'https://*.x.example/mcp' }, 'https://evil.test/a.x.example/mcp', false],
  ];
  it.each(table)('%j vs %s → %s', (match, resource, expected) => {
    expect(resourceMatches(match, resource)).toBe(expected);
  });

  it('describes each form', () => {
    expect(table.slice(0, 1).map(([m]) => describeResourceMatch(m))).toEqual(['https://x.example/mcp']);
    expect(describeResourceMatch({ origin: 'https://x.example/', pathPrefix: '/v2' })).toBe(
      'https://x.example/v2…',
    );
    expect(describeResourceMatch({ prefix: 'https://x.example/a' })).toBe('prefix https://x.example/a');
    expect(describeResourceMatch({ pattern: 'https://*.x/m' })).toBe('pattern https://*.x/m');
  });
});
