import { describe, expect, it } from 'vitest';
import { createTraceRecorder } from '../trace/recorder.js';
import type { IssuerPolicy } from '../types.js';
import { foundServer } from './loopback-server.test-helper.js';
import { buildResult } from './result.js';
import { alreadyKnownReason, initialState, isKnown, mergeContribution, mergeHints } from './state.js';

const RESOURCE = 'https://mcp.example/mcp';

describe('mergeContribution', () => {
  it('sets challenge, resource metadata and authorization server only once', () => {
    const first = mergeContribution(initialState(RESOURCE, undefined, undefined), {
      authorizationServer: foundServer('https://a.example', 'a'),
      challenge: { scheme: 'Bearer', params: {} },
    });
    expect(first.filled).toEqual(['challenge', 'authorizationServer']);
    const second = mergeContribution(first.state, {
      authorizationServer: foundServer('https://b.example', 'b'),
      challenge: { scheme: 'DPoP', params: {} },
    });
    expect(second.filled).toEqual([]);
    expect(second.state.authorizationServer?.issuer).toBe('https://a.example');
    expect(second.state.challenge?.scheme).toBe('Bearer');
  });

  it('appends issuers without duplicates, merging accepted issuers into the first, and appends policies', () => {
    const policy: IssuerPolicy = { match: { exact: 'https://a.example' }, source: 'preset:a' };
    const { state } = mergeContribution(
      mergeContribution(initialState(RESOURCE, undefined, undefined), {
        issuers: [{ issuer: 'https://a.example', source: 'x' }],
        issuerPolicies: [policy],
      }).state,
      {
        issuers: [
          { issuer: 'https://a.example', source: 'y', acceptedIssuers: ['https://alias.example'] },
          { issuer: 'https://b.example', source: 'y' },
        ],
        issuerPolicies: [policy],
      },
    );
    expect(state.issuers).toEqual([
      { issuer: 'https://a.example', source: 'x', acceptedIssuers: ['https://alias.example'] },
      { issuer: 'https://b.example', source: 'y' },
    ]);
    expect(state.issuerPolicies).toEqual([policy, policy]);
  });
});

describe('mergeHints', () => {
  it('lets earlier keys win and appends notes', () => {
    expect(
      mergeHints(
        { clientId: 'a', notes: ['one'] },
        { clientId: 'b', omitResourceParameter: true, notes: ['two', 'one'] },
      ),
    ).toEqual({ clientId: 'a', omitResourceParameter: true, notes: ['one', 'two'] });
    expect(mergeHints({ clientId: 'a' }, undefined)).toEqual({ clientId: 'a' });
  });
});

describe('alreadyKnownReason', () => {
  it('names what is known and who found it; undefined while something is missing or nothing is declared', () => {
    const { state } = mergeContribution(initialState(RESOURCE, undefined, undefined), {
      issuers: [{ issuer: 'https://a.example', source: 'rfc9728' }],
    });
    const provenance = new Map([['issuers', 'rfc9728']] as const);
    expect(alreadyKnownReason(state, ['issuers'], provenance)).toBe(
      'issuer candidates already known from rfc9728',
    );
    expect(alreadyKnownReason(state, ['issuers', 'resourceMetadata'], provenance)).toBeUndefined();
    expect(alreadyKnownReason(state, [], provenance)).toBeUndefined();
    expect(alreadyKnownReason(state, undefined, provenance)).toBeUndefined();
  });

  it('counts empty issuers, policies and hints as unknown', () => {
    const state = initialState(RESOURCE, 'Bearer', 401);
    expect(state).toMatchObject({ wwwAuthenticate: 'Bearer', wwwAuthenticateStatus: 401 });
    for (const key of ['issuers', 'issuerPolicies', 'hints', 'challenge'] as const)
      expect(isKnown(state, key)).toBe(false);
  });
});

describe('buildResult', () => {
  it('completes the hints with the policies of the chosen server (state hints win) and derives scopes and PKCE', () => {
    const { state } = mergeContribution(initialState(RESOURCE, undefined, undefined), {
      hints: { defaultScopes: ['from-state'] },
      issuerPolicies: [
        {
          match: { prefix: 'https://as.example/' },
          hints: { pkceS256KnownSupported: true, defaultScopes: ['from-policy'] },
          source: 'preset:x',
        },
        { match: { exact: 'https://elsewhere.example' }, hints: { clientId: 'nope' }, source: 'preset:y' },
      ],
    });
    const server = {
      ...foundServer('https://as.example/t1', 'rfc8414'),
      metadata: { issuer: 'https://as.example/t1' },
    };
    const result = buildResult(state, server, createTraceRecorder(RESOURCE).snapshot());
    expect(result.hints).toEqual({ defaultScopes: ['from-state'], pkceS256KnownSupported: true });
    expect(result.scopes).toEqual(['from-state']);
    expect(result.pkce).toEqual({ s256Advertised: false, s256Usable: true });
    expect(result.guessed).toBe(false);
    expect(buildResult(state, { ...server, issuerCheck: 'guessed' }, result.trace).guessed).toBe(true);
  });
});
