import { describe, expect, it } from 'vitest';
import { type Challenge, formatChallenge, isToken, isToken68, parseWwwAuthenticate } from './parse.js';

const c = (scheme: string, params: Record<string, string> = {}, duplicates: string[] = []): Challenge => ({
  scheme,
  params,
  duplicates,
});
const t68 = (scheme: string, token68: string): Challenge => ({ scheme, token68, params: {}, duplicates: [] });

const FIGMA =
  'Bearer resource_metadata="https://mcp.figma.com/.well-known/oauth-protected-resource",scope="mcp:connect",authorization_uri="https://www.figma.com/oauth/mcp"';

const cases: ReadonlyArray<readonly [string, string | readonly string[], Challenge[]]> = [
  // RFC 9110 §11.6.1 and §11.2 examples
  ['RFC 9110 Basic', 'Basic realm="simple"', [c('Basic', { realm: 'simple' })]],
  [
    'RFC 9110 two challenges with a custom one',
    'Newauth realm="apps", type=1, title="Login to \\"apps\\"", Basic realm="simple"',
    [c('Newauth', { realm: 'apps', type: '1', title: 'Login to "apps"' }), c('Basic', { realm: 'simple' })],
  ],
  // RFC 6750 §3 examples
  ['RFC 6750 realm only', 'Bearer realm="example"', [c('Bearer', { realm: 'example' })]],
  [
    'RFC 6750 invalid_token',
    'Bearer realm="example",\n error="invalid_token",\n error_description="The access token expired"'.replaceAll(
      '\n',
      '',
    ),
    [
      c('Bearer', {
        realm: 'example',
        error: 'invalid_token',
        error_description: 'The access token expired',
      }),
    ],
  ],
  // RFC 9728 §5.1 example
  [
    'RFC 9728 resource_metadata',
    'Bearer resource_metadata="https://resource.example.com/.well-known/oauth-protected-resource"',
    [c('Bearer', { resource_metadata: 'https://resource.example.com/.well-known/oauth-protected-resource' })],
  ],
  [
    'Atlassian v1 401',
    'Bearer realm="OAuth", error="invalid_token", error_description="Missing or invalid access token"',
    [
      c('Bearer', {
        realm: 'OAuth',
        error: 'invalid_token',
        error_description: 'Missing or invalid access token',
      }),
    ],
  ],
  [
    'Figma: no space after commas',
    FIGMA,
    [
      c('Bearer', {
        resource_metadata: 'https://mcp.figma.com/.well-known/oauth-protected-resource',
        scope: 'mcp:connect',
        authorization_uri: 'https://www.figma.com/oauth/mcp',
      }),
    ],
  ],
  [
    'several challenges, one bare',
    'Negotiate, Bearer realm="x", DPoP algs="ES256 PS256"',
    [c('Negotiate'), c('Bearer', { realm: 'x' }), c('DPoP', { algs: 'ES256 PS256' })],
  ],
  [
    'Basic then Bearer',
    'Basic realm="a", Bearer scope="read write", error="insufficient_scope"',
    [c('Basic', { realm: 'a' }), c('Bearer', { scope: 'read write', error: 'insufficient_scope' })],
  ],
  ['token68 with padding', 'Negotiate YII=', [t68('Negotiate', 'YII=')]],
  ['token68 with double padding', 'Negotiate abc/+d.-_~==', [t68('Negotiate', 'abc/+d.-_~==')]],
  ['token68 without padding', 'Bearer abc', [t68('Bearer', 'abc')]],
  [
    'token68 then another challenge',
    'Negotiate YII=, Bearer realm="x"',
    [t68('Negotiate', 'YII='), c('Bearer', { realm: 'x' })],
  ],
  ['token68 followed by whitespace', 'Negotiate YII=  ,Basic', [t68('Negotiate', 'YII='), c('Basic')]],
  ['param after token68 is dropped', 'Negotiate YII=, realm="x"', [t68('Negotiate', 'YII=')]],
  ['escapes in quoted string', 'Bearer realm="a\\"b\\\\c\\d"', [c('Bearer', { realm: 'a"b\\cd' })]],
  ['comma inside quoted string', 'Bearer scope="a,b", realm=x', [c('Bearer', { scope: 'a,b', realm: 'x' })]],
  ['empty quoted string', 'Bearer realm=""', [c('Bearer', { realm: '' })]],
  ['empty list elements', ', ,Basic realm="a", , ,Bearer , ,', [c('Basic', { realm: 'a' }), c('Bearer')]],
  ['only commas and spaces', ' , ,, ', []],
  ['empty header', '', []],
  ['BWS around equals', 'Bearer realm = "x" ,\tscope\t=\tread', [c('Bearer', { realm: 'x', scope: 'read' })]],
  [
    'case-insensitive names lower-cased, scheme as written',
    'bEaReR Realm="x", SCOPE=y',
    [c('bEaReR', { realm: 'x', scope: 'y' })],
  ],
  [
    'duplicates: first wins',
    'Bearer realm="a", Realm="b", scope=x, REALM=c, scope=y',
    [c('Bearer', { realm: 'a', scope: 'x' }, ['realm', 'scope'])],
  ],
  ['comma after scheme then params', 'Bearer, realm="x"', [c('Bearer', { realm: 'x' })]],
  [
    'missing comma between params',
    'Bearer realm="x" scope="y"error=z',
    [c('Bearer', { realm: 'x', scope: 'y', error: 'z' })],
  ],
  [
    'unquoted URL value kept whole',
    'Bearer resource_metadata=https://r.example/.well-known/oauth-protected-resource, scope=a',
    [
      c('Bearer', {
        resource_metadata: 'https://r.example/.well-known/oauth-protected-resource',
        scope: 'a',
      }),
    ],
  ],
  [
    'array of header lines joined',
    ['Basic realm="a"', 'Bearer resource_metadata="https://r.example/prm"'],
    [c('Basic', { realm: 'a' }), c('Bearer', { resource_metadata: 'https://r.example/prm' })],
  ],
  ['__proto__ is an ordinary parameter', 'Bearer __proto__=x', [c('Bearer', { ['__proto__']: 'x' })]],
  // garbage: skipped up to the next comma, parsing goes on
  ['param before any scheme', 'Bearer ="x"', []],
  ['param before any scheme, then a challenge', 'realm="x", Bearer scope=y', [c('Bearer', { scope: 'y' })]],
  ['leading equals', '="x", Bearer', [c('Bearer')]],
  ['unterminated quote drops the param', 'Bearer scope=a, realm="abc', [c('Bearer', { scope: 'a' })]],
  ['unterminated quote ending in a backslash', 'Bearer realm="abc\\', [c('Bearer')]],
  ['param without value', 'Bearer scope=a, realm=, error=x', [c('Bearer', { scope: 'a', error: 'x' })]],
  [
    'param with only whitespace as value',
    'Bearer scope=a, realm= , error=x',
    [c('Bearer', { scope: 'a', error: 'x' })],
  ],
  // RFC 9110 grammar: `name=` right after the scheme is a token68, not an empty parameter.
  ['first param without value reads as token68', 'Bearer realm=, scope=a', [t68('Bearer', 'realm=')]],
  ['lone commas and equals', ',=,=,=, Basic', [c('Basic')]],
  ['garbage element swallows up to the next comma', '=Basic, Bearer', [c('Bearer')]],
  ['non-ASCII garbage', 'Bearer realm="ok", ü=1, scope=a', [c('Bearer', { realm: 'ok', scope: 'a' })]],
  ['stray quoted string', 'Bearer "oops, x", scope=a', [c('Bearer', { scope: 'a' })]],
  ['garbage after a value', 'Bearer realm=abc"def, x", scope=a', [c('Bearer', { realm: 'abc', scope: 'a' })]],
  ['non-ASCII inside quotes is kept', 'Bearer realm="Zürich ✓"', [c('Bearer', { realm: 'Zürich ✓' })]],
];

describe('parseWwwAuthenticate', () => {
  it.each(cases)('%s', (_name, header, expected) => {
    expect(parseWwwAuthenticate(header)).toEqual(expected);
  });

  it('gives plain objects whose prototype a __proto__ parameter cannot change', () => {
    const [challenge] = parseWwwAuthenticate('Bearer __proto__="polluted", constructor=x');
    expect(Object.getPrototypeOf(challenge?.params)).toBe(Object.prototype);
    expect(Object.keys(challenge?.params ?? {})).toEqual(['__proto__', 'constructor']);
    expect(Object.getOwnPropertyDescriptor(challenge?.params, '__proto__')?.value).toBe('polluted');
  });

  it('never includes a token68 and params together', () => {
    const [challenge] = parseWwwAuthenticate('Negotiate YII=, realm="x", scope=y');
    expect(challenge).toEqual(t68('Negotiate', 'YII='));
  });
});

describe('formatChallenge', () => {
  it.each([
    [c('Bearer'), 'Bearer'],
    [c('Bearer', { realm: 'x', scope: 'a b' }), 'Bearer realm=x, scope="a b"'],
    [c('Bearer', { realm: 'say "hi" \\o/' }), 'Bearer realm="say \\"hi\\" \\\\o/"'],
    [c('Bearer', { realm: '' }), 'Bearer realm=""'],
    [t68('Negotiate', 'YII='), 'Negotiate YII='],
    [{ scheme: 'Negotiate', token68: 'YII=', params: { realm: 'ignored' } }, 'Negotiate YII='],
  ] as const)('formats %j as %s', (challenge, header) => {
    expect(formatChallenge(challenge)).toBe(header);
  });

  it('parses back what it wrote', () => {
    const challenge = c('Bearer', { realm: 'a,b "c" \\d', resource_metadata: 'https://x.example/p?q=1' });
    expect(parseWwwAuthenticate(formatChallenge(challenge))).toEqual([challenge]);
  });
});

describe('isToken / isToken68', () => {
  it.each([
    ['abc', true, true],
    ["!#$%&'*+-.^_`|~09aZ", true, false],
    ['a/b==', false, true],
    ['', false, false],
    ['a b', false, false],
    ['=', false, false],
    ['ab=c', false, false],
    ['é', false, false],
  ] as const)('%j: token %s, token68 %s', (value, token, token68) => {
    expect(isToken(value)).toBe(token);
    expect(isToken68(value)).toBe(token68);
  });
});
