import { ErrorCodes, isDiscoveryError } from '@oauth-discovery/core';
import { describe, expect, it } from 'vitest';
import { discover } from '../src/index.js';
import { startRawServer } from './raw-server.js';

/** A spec-following server whose PRM is served with `contentType` (a list of values: several headers). */
async function prmServedAs(contentType: string | string[]): Promise<string> {
  let origin = '';
  origin = await startRawServer((req, res) => {
    if (req.method === 'POST') {
      res.writeHead(401, {
        'www-authenticate': `Bearer resource_metadata="${origin}/.well-known/oauth-protected-resource/mcp"`,
      });
      res.end();
    } else if (req.url === '/.well-known/oauth-protected-resource/mcp') {
      res.setHeader('content-type', contentType);
      res.end(JSON.stringify({ resource: `${origin}/mcp`, authorization_servers: [origin] }));
    } else if (req.url === '/.well-known/oauth-authorization-server') {
      res.setHeader('content-type', 'application/json');
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
      res.writeHead(404).end();
    }
  });
  return `${origin}/mcp`;
}

describe('lenient media types where the meaning is unambiguous', () => {
  it.each<[string, string | string[]]>([
    ['repeated in one header (GitHub)', 'application/json, application/json'],
    ['two Content-Type headers', ['application/json', 'application/json']],
    ['with parameters', 'application/json; charset=utf-8; profile="x, y"'],
    ['a +json type', 'application/vnd.oauth.resource+json'],
  ])('%s is accepted', async (_name, contentType) => {
    const resource = await prmServedAs(contentType);
    const result = await discover(resource);
    expect(result.resourceMetadata?.url).toBe(
      resource.replace('/mcp', '/.well-known/oauth-protected-resource/mcp'),
    );
    expect(result.guessed).toBe(false);
  });

  it.each([
    ['a list with a non-JSON type', 'application/json, text/html'],
    ['text/html', 'text/html'],
    ['text/plain', 'text/plain'],
  ])('%s stays UNEXPECTED_CONTENT_TYPE', async (_name, contentType) => {
    const resource = await prmServedAs(contentType);
    const error = await discover(resource).catch((e: unknown) => e);
    expect(isDiscoveryError(error, ErrorCodes.UNEXPECTED_CONTENT_TYPE)).toBe(true);
  });
});
