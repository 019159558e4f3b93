import { describe, expect, it } from 'vitest';
import {
  authorizationServerMetadataSchema,
  MAX_UNKNOWN_FIELD_DEPTH,
  protectedResourceMetadataSchema,
} from './schemas.js';

// Finding 13 of the security review: a 6 KB deeply nested unknown field made `discover --json` print
// 17 MB; nested 20,000 levels it crashed it (RangeError).

const OMITTED = `[omitted: an unknown field deeper than ${MAX_UNKNOWN_FIELD_DEPTH} levels or larger than 16384 characters]`;

/** A JSON text nesting `depth` arrays, parsed (JSON.parse itself copes with any depth). */
const nested = (depth: number): unknown => JSON.parse(`${'['.repeat(depth)}${']'.repeat(depth)}`);

const as = (extra: Record<string, unknown>) =>
  authorizationServerMetadataSchema.parse({ issuer: 'https://as.example', ...extra });

describe('unknown metadata fields are kept within depth and size limits', () => {
  it.each([
    ['3,000 levels (6 KB)', 3_000],
    ['20,000 levels', 20_000],
    ['one level too deep', MAX_UNKNOWN_FIELD_DEPTH + 1],
  ])('an unknown field nested %s is replaced by a note, and the result serialises small', (_what, depth) => {
    const doc = as({ x_deep: nested(depth), x_ok: { a: [1, 'b'] } });
    expect(doc.x_deep).toBe(OMITTED);
    expect(doc.x_ok).toEqual({ a: [1, 'b'] });
    expect(JSON.stringify(doc, null, 2).length).toBeLessThan(1_000);
  });

  it('keeps an unknown field at the depth limit as it is', () => {
    expect(as({ x: nested(MAX_UNKNOWN_FIELD_DEPTH) }).x).toEqual(nested(MAX_UNKNOWN_FIELD_DEPTH));
  });

  it('replaces an unknown field larger than the size limit', () => {
    expect(as({ x_big: 'y'.repeat(20_000), x_wide: Array.from({ length: 5_000 }, () => 1) })).toMatchObject({
      x_big: OMITTED,
      x_wide: OMITTED,
    });
  });

  it('applies to protected resource metadata too', () => {
    const doc = protectedResourceMetadataSchema.parse({
      resource: 'https://mcp.example/mcp',
      x: nested(20_000),
    });
    expect(doc.x).toBe(OMITTED);
  });
});
