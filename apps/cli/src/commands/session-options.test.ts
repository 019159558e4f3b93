import { describe, expect, it } from 'vitest';
import type { CliIo } from '../io.js';
import { clientSecretFor } from './session-options.js';

const io = (env: Record<string, string>): CliIo => ({
  stdout: { write: () => true },
  stderr: { write: () => true },
  env,
});

describe('clientSecretFor', () => {
  it('takes the flag first, then OAUTH_DISCOVERY_CLIENT_SECRET, and ignores an empty variable', () => {
    expect(clientSecretFor({ clientSecret: 'flag' }, io({ OAUTH_DISCOVERY_CLIENT_SECRET: 'env' }))).toBe(
      'flag',
    );
    expect(clientSecretFor({}, io({ OAUTH_DISCOVERY_CLIENT_SECRET: 'env' }))).toBe('env');
    expect(clientSecretFor({}, io({ OAUTH_DISCOVERY_CLIENT_SECRET: '' }))).toBeUndefined();
    expect(clientSecretFor({}, io({}))).toBeUndefined();
  });
});
