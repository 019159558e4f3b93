import { describe, expect, it } from 'vitest';
import { ErrorCodes, isDiscoveryError } from '../errors.js';
import { createHttpClient } from '../http/client.js';
import { httpSourceOf } from './options.js';

describe('httpClient / httpOptions (PipelineOptions)', () => {
  it('takes an instance from httpClient, options from httpOptions, and reads the deprecated http', async () => {
    const client = createHttpClient();
    try {
      expect(httpSourceOf({ httpClient: client })).toEqual({ client });
      expect(httpSourceOf({ httpOptions: { requestTimeoutMs: 5 } })).toEqual({
        options: { requestTimeoutMs: 5 },
      });
      expect(httpSourceOf({ http: client })).toEqual({ client });
      expect(httpSourceOf({ http: { requestTimeoutMs: 5 } })).toEqual({ options: { requestTimeoutMs: 5 } });
      expect(httpSourceOf({})).toEqual({ options: undefined });
    } finally {
      await client.close();
    }
  });

  it('refuses two of them at once with INVALID_CONFIG naming both', async () => {
    const client = createHttpClient();
    try {
      let caught: unknown;
      try {
        httpSourceOf({ httpClient: client, httpOptions: {} });
      } catch (error) {
        caught = error;
      }
      expect(isDiscoveryError(caught, ErrorCodes.INVALID_CONFIG)).toBe(true);
      expect((caught as Error).message).toContain('httpClient and httpOptions');
    } finally {
      await client.close();
    }
  });
});
