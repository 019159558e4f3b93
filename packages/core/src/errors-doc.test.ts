import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ErrorCodes, SECURITY_ERROR_CODES } from './errors.js';

const doc = readFileSync(new URL('../../../docs/errors.md', import.meta.url), 'utf8');

describe('docs/errors.md', () => {
  it.each(Object.values(ErrorCodes))('documents %s', (code) => {
    expect(doc).toMatch(new RegExp(`^\\| \`${code}\` \\|`, 'm'));
  });

  it.each([...SECURITY_ERROR_CODES])('marks %s as a security error', (code) => {
    expect(doc).toMatch(new RegExp(`^\\| \`${code}\` \\| \\*\\*security\\*\\*`, 'm'));
  });
});
