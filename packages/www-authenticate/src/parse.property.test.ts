import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Challenge, formatChallenge, parseWwwAuthenticate, scanWwwAuthenticate } from './parse.js';

/**
 * Upper bound on scanner steps per input character. Every character read counts as a step, including
 * repeated peeks at the same index, so the constant is a few; a quadratic scan would exceed it by
 * orders of magnitude on the 200k-character inputs below.
 */
const STEPS_PER_CHAR = 8;

const TCHARS = [..."!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"];
const TOKEN68_CHARS = [...'-._~+/0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'];

const token = fc.string({ unit: fc.constantFrom(...TCHARS), minLength: 1, maxLength: 12 });
const token68 = fc
  .tuple(
    fc.string({ unit: fc.constantFrom(...TOKEN68_CHARS), minLength: 1, maxLength: 16 }),
    fc.integer({ min: 0, max: 3 }),
  )
  .map(([body, pad]) => body + '='.repeat(pad));
const value = fc.oneof(
  token,
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.constantFrom('', '"', '\\', ', ='),
);

const paramsChallenge: fc.Arbitrary<Challenge> = fc
  .tuple(
    token,
    fc.uniqueArray(fc.tuple(token, value), { selector: ([name]) => name.toLowerCase(), maxLength: 6 }),
  )
  .map(([scheme, params]) => ({
    scheme,
    params: Object.fromEntries(params.map(([name, v]) => [name.toLowerCase(), v])),
    duplicates: [],
  }));
const token68Challenge: fc.Arbitrary<Challenge> = fc
  .tuple(token, token68)
  .map(([scheme, t]) => ({ scheme, token68: t, params: {}, duplicates: [] }));
const challenges = fc.array(fc.oneof(paramsChallenge, token68Challenge), { maxLength: 5 });

/** Pieces of the grammar, so random inputs hit the interesting states far more often than random text. */
const grammarBiased = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        'Bearer',
        'Negotiate',
        ' ',
        '\t',
        ',',
        ', ',
        '=',
        '"',
        '\\',
        '\\"',
        'realm',
        'resource_metadata',
        'YII=',
        '==',
        '/',
        'é',
        '\u0000',
        '\uD800',
      ),
      token,
      value,
    ),
    { maxLength: 40 },
  )
  .map((parts) => parts.join(''));

function expectLinear(input: string): void {
  const { steps } = scanWwwAuthenticate(input);
  expect(steps).toBeLessThanOrEqual(STEPS_PER_CHAR * input.length + STEPS_PER_CHAR);
}

describe('parseWwwAuthenticate properties', () => {
  it('never throws on any string', () => {
    for (const arbitrary of [fc.string(), fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' })]) {
      fc.assert(
        fc.property(arbitrary, (input) => {
          expect(Array.isArray(parseWwwAuthenticate(input))).toBe(true);
        }),
        { numRuns: 500 },
      );
    }
  });

  it('never throws on grammar-biased input, and every challenge is well-formed', () => {
    fc.assert(
      fc.property(grammarBiased, (input) => {
        for (const challenge of parseWwwAuthenticate(input)) {
          expect(challenge.scheme.length).toBeGreaterThan(0);
          if (challenge.token68 !== undefined) expect(challenge.params).toEqual({});
          for (const name of Object.keys(challenge.params)) expect(name).toBe(name.toLowerCase());
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('never throws on arrays of header lines', () => {
    fc.assert(
      fc.property(fc.array(grammarBiased, { maxLength: 4 }), (lines) => {
        expect(parseWwwAuthenticate(lines)).toEqual(parseWwwAuthenticate(lines.join(', ')));
      }),
    );
  });

  it('does linear work on any input', () => {
    fc.assert(fc.property(fc.oneof(grammarBiased, fc.string({ unit: 'binary' })), expectLinear), {
      numRuns: 2000,
    });
  });

  const N = 200_000;
  it.each([
    ['a="', 'a="'.repeat(N / 3)],
    [',=', ',='.repeat(N / 2)],
    ['backslashes', '\\'.repeat(N)],
    ['backslashes in a quote', `Bearer realm="${'\\'.repeat(N)}`],
    ['quotes', '"'.repeat(N)],
    ['scheme then token68 look-alikes', 'a '.repeat(N / 2)],
    ['long token68 that is not one', `Bearer ${'a/'.repeat(N / 2)} x`],
    ['long padding that is not token68', `Bearer a${'='.repeat(N)} x`],
    ['params without commas', 'Bearer a=b '.repeat(N / 11)],
    ['same duplicate', `Bearer ${'a=b,'.repeat(N / 4)}`],
    [
      'many distinct duplicates',
      `Bearer ${Array.from({ length: N / 16 }, (_, k) => `p${k}=1,p${k}=2,`).join('')}`,
    ],
    ['empty elements', ' ,'.repeat(N / 2)],
    ['non-ASCII', 'é'.repeat(N)],
    ['garbage quotes', 'x="a"b"'.repeat(N / 7)],
  ])('does linear work on %s (%#)', (_name, input) => {
    expect(input.length).toBeGreaterThan(N * 0.9);
    expectLinear(input);
  });

  it.each([
    ['a="', (n: number) => 'a="'.repeat(n)],
    ['a ', (n: number) => 'a '.repeat(n)],
    [',=', (n: number) => ',='.repeat(n)],
    ['duplicates', (n: number) => `Bearer ${'a=b,'.repeat(n)}`],
  ])('twice the input of %s costs twice the steps', (_name, make) => {
    const small = scanWwwAuthenticate(make(50_000)).steps;
    const large = scanWwwAuthenticate(make(100_000)).steps;
    expect(large / small).toBeGreaterThan(1.9);
    expect(large / small).toBeLessThan(2.1);
  });

  it('round-trips generated challenges through formatChallenge', () => {
    fc.assert(
      fc.property(challenges, (generated) => {
        const header = generated.map(formatChallenge).join(', ');
        expect(parseWwwAuthenticate(header)).toEqual(generated);
      }),
      { numRuns: 2000 },
    );
  });

  it('round-trips without spaces after commas (Figma style)', () => {
    fc.assert(
      fc.property(paramsChallenge, (generated) => {
        const header = formatChallenge(generated).replaceAll(', ', ',');
        const quotedWithComma = Object.values(generated.params).some((v) => v.includes(', '));
        fc.pre(!quotedWithComma);
        expect(parseWwwAuthenticate(header)).toEqual([generated]);
      }),
      { numRuns: 1000 },
    );
  });
});
