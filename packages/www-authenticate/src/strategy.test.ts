import { describe, expect, it } from 'vitest';
import { buildProbeRequest, PROBE_PROTOCOL_VERSION, processProbeResponse } from './strategy.js';

describe('buildProbeRequest', () => {
  it('is an MCP initialize POST with JSON and event-stream accepted', () => {
    const request = buildProbeRequest({ name: 'n', version: '1' });
    expect(request.method).toBe('POST');
    expect(request.headers).toEqual({
      'Content-Type': 'application/json',
      Accept: 'application/json, text/event-stream',
    });
    expect(JSON.parse(request.body)).toEqual({
      jsonrpc: '2.0',
      id: 0,
      method: 'initialize',
      params: {
        protocolVersion: PROBE_PROTOCOL_VERSION,
        capabilities: {},
        clientInfo: { name: 'n', version: '1' },
      },
    });
  });
});

describe('processProbeResponse', () => {
  it.each([
    [401, {}, '401 without WWW-Authenticate'],
    [403, {}, '403 without WWW-Authenticate'],
    [
      403,
      { 'www-authenticate': 'Basic realm=x' },
      '403 with no usable challenge in WWW-Authenticate (schemes: Basic)',
    ],
    [204, { 'www-authenticate': 'Bearer realm=x' }, 'resource answered without authentication (204)'],
    [400, { 'www-authenticate': 'Bearer realm=x' }, 'resource answered 400, not 401/403'],
    [302, {}, 'resource answered 302, not 401/403'],
  ])('status %i with %j → %s', (status, headers, reason) => {
    expect(processProbeResponse({ status, headers })).toEqual({ reason });
  });

  it('takes the challenge of a 401 and records the status', () => {
    expect(
      processProbeResponse({
        status: 401,
        headers: { 'www-authenticate': 'DPoP algs="ES256", error=invalid_token' },
      }),
    ).toEqual({
      challenge: {
        scheme: 'DPoP',
        error: 'invalid_token',
        status: 401,
        params: { algs: 'ES256', error: 'invalid_token' },
      },
    });
  });
});
