import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonErrorOffset, lineAndColumn } from '../src/json-error-position.js';

describe('jsonErrorOffset', () => {
  it.each([
    ['{\n  "a": 1,\n  "b": }', { line: 3, column: 8 }],
    ['{"a":1', { line: 1, column: 7 }],
    ['', { line: 1, column: 1 }],
    ['{\n "a": 1,\n}', { line: 3, column: 1 }],
    ['{"a":[1,2,{"b":"x\\q"}]}', { line: 1, column: 16 }],
    ['[1] x', { line: 1, column: 5 }],
    ['{a: 1}', { line: 1, column: 2 }],
    ['[1,]', { line: 1, column: 4 }],
    ['[01]', { line: 1, column: 3 }],
  ])('locates the error in %j', (text, position) => {
    expect(() => JSON.parse(text)).toThrow();
    const offset = jsonErrorOffset(text);
    expect(offset).not.toBeNull();
    expect(lineAndColumn(text, offset ?? -1)).toEqual(position);
  });

  it('returns null for valid JSON, as JSON.parse decides', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom(0, 2), (value, indent) => {
        expect(jsonErrorOffset(JSON.stringify(value, null, indent))).toBeNull();
      }),
    );
  });

  it('agrees with JSON.parse on arbitrary text', () => {
    fc.assert(
      fc.property(
        fc.string({
          unit: fc.constantFrom(
            '{',
            '}',
            '[',
            ']',
            '"',
            ':',
            ',',
            '1',
            'a',
            ' ',
            '\\',
            'n',
            'u',
            'e',
            '-',
            '.',
          ),
        }),
        (text) => {
          let valid = true;
          try {
            JSON.parse(text);
          } catch {
            valid = false;
          }
          expect(jsonErrorOffset(text) === null).toBe(valid);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
