import { describe, expect, it } from 'vitest';
import { isJsonContentType, mediaTypeOf } from './body.js';

describe('isJsonContentType', () => {
  it.each([
    'application/json',
    'Application/JSON',
    'application/json; charset=utf-8',
    'application/json;charset="utf-8"',
    'application/problem+json',
    'application/json, application/json',
    'application/json,application/json; charset=utf-8',
    'application/json, application/vnd.api+json',
    'application/json; note="a, b"',
    'application/json,',
  ])('%s is JSON', (value) => {
    expect(isJsonContentType(value)).toBe(true);
  });

  it.each([
    undefined,
    '',
    ',',
    'text/html',
    'text/json',
    'application/jsonx',
    'application/json, text/html',
    'text/plain, application/json',
    'application/json; note="a, b", text/html',
    'application/+json',
    'multipart/mixed; boundary="application/json"',
  ])('%s is not JSON', (value) => {
    expect(isJsonContentType(value)).toBe(false);
  });

  it('mediaTypeOf drops parameters and lower-cases', () => {
    expect(mediaTypeOf(' Text/Event-Stream ; charset=utf-8')).toBe('text/event-stream');
    expect(mediaTypeOf(undefined)).toBe('');
  });
});
