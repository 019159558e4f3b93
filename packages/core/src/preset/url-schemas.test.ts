import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
  createHttpUrlSchema,
  createOriginUrlSchema,
  createSecureIssuerUrlSchema,
  httpUrlSchema,
  originUrlSchema,
  secureIssuerUrlSchema,
} from './url-schemas.js';

/** The messages of a value's failures, or `[]` when the schema accepts it. */
const messages = (schema: z.ZodString, value: string): string[] => {
  const parsed = schema.safeParse(value);
  return parsed.success ? [] : parsed.error.issues.map((issue) => issue.message);
};

describe('the configuration URL vocabulary', () => {
  it('says what it expects in its own words by default', () => {
    expect(messages(httpUrlSchema, 'ftp://x.example')).toEqual(['expected an absolute http(s) URL']);
    expect(messages(secureIssuerUrlSchema, 'http://idp.example')).toEqual([
      'expected an absolute https URL (http only for loopback hosts)',
    ]);
    expect(messages(secureIssuerUrlSchema, 'https://idp.example/?a=1')).toEqual([
      'expected an issuer without query or fragment (RFC 8414 §2)',
    ]);
    expect(messages(originUrlSchema, 'nope')).toEqual(['expected an absolute http(s) URL']);
    expect(messages(originUrlSchema, 'https://x.example/path')).toEqual([
      'expected an origin only (scheme, host and port, no path)',
    ]);
  });

  it('the builders apply the same rules with the caller’s message, one problem per value', () => {
    const http = createHttpUrlSchema({ error: 'must be an http(s) URL' });
    expect(messages(http, 'mailto:a@b.example')).toEqual(['must be an http(s) URL']);
    expect(messages(http, 'http://x.example/a?b#c')).toEqual([]);

    const issuer = createSecureIssuerUrlSchema({ error: 'must be an https issuer' });
    for (const bad of [
      'nope',
      'http://idp.example',
      'https://user:secret@idp.example',
      'https://idp.example/?',
      'https://idp.example/#x',
    ])
      expect(messages(issuer, bad), bad).toEqual(['must be an https issuer']);
    for (const good of ['https://idp.example/tenant', 'http://127.0.0.1:4000', 'http://localhost:4000/x'])
      expect(messages(issuer, good), good).toEqual([]);

    const origin = createOriginUrlSchema({ error: 'must be an origin' });
    for (const bad of ['nope', 'https://x.example/path'])
      expect(messages(origin, bad)).toEqual(['must be an origin']);
    expect(messages(origin, 'http://127.0.0.2:41234/')).toEqual([]);
  });
});
