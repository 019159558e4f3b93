import { readFileSync } from 'node:fs';
import { SECURITY_ERROR_CODES } from '@oauth-discovery/core';
import { describe, expect, it } from 'vitest';
import { FlowErrorCodes } from './error-codes.js';

const doc = readFileSync(new URL('../../../docs/errors.md', import.meta.url), 'utf8');

describe('FlowErrorCodes in docs/errors.md', () => {
  it.each(Object.values(FlowErrorCodes))('documents %s', (code) => {
    expect(doc).toMatch(new RegExp(`^\\| \`${code}\` \\|`, 'm'));
  });

  it('STATE_MISMATCH is a security error', () => {
    expect(SECURITY_ERROR_CODES.has(FlowErrorCodes.STATE_MISMATCH)).toBe(true);
  });
});
