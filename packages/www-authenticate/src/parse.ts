/**
 * One challenge of a `WWW-Authenticate` header (RFC 9110 §11.6.1).
 *
 * A challenge carries either a `token68` (`Negotiate YII=`) or parameters (`Bearer realm="x"`), never both.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-11.6.1
 */
export interface Challenge {
  /** The auth scheme as written (`Bearer`, `bearer`, `DPoP`, …). Compare it case-insensitively. */
  readonly scheme: string;
  /** The token68 form of the credentials hint, when the challenge used it instead of parameters. */
  readonly token68?: string | undefined;
  /**
   * Parameters, names lower-cased (RFC 9110 §11.2: names are case-insensitive), values unquoted and
   * unescaped. When a name appears more than once, the FIRST value wins and the name is listed in
   * {@link Challenge.duplicates}.
   */
  readonly params: Readonly<Record<string, string>>;
  /** Lower-cased names of parameters that appeared more than once (each listed once, in order of the first repeat). */
  readonly duplicates: readonly string[];
}

/** The result of {@link scanWwwAuthenticate}: the challenges and how much work the scanner did. */
export interface ScanResult {
  readonly challenges: Challenge[];
  /** Characters examined by the scanner; bounded by a small constant times the input length. */
  readonly steps: number;
}

interface DraftChallenge {
  scheme: string;
  token68?: string;
  readonly params: Map<string, string>;
  readonly duplicates: Set<string>;
}

const SP = 0x20;
const HTAB = 0x09;
const COMMA = 0x2c;
const EQUALS = 0x3d;
const DQUOTE = 0x22;
const BACKSLASH = 0x5c;

/** `tchar` of RFC 9110 §5.6.2, indexed by char code (ASCII only). */
const TCHAR = asciiTable("!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ");
/** Characters of `token68` before its `=` padding (RFC 9110 §11.2). */
const TOKEN68_CHAR = asciiTable('-._~+/0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ');

function asciiTable(chars: string): Uint8Array {
  const table = new Uint8Array(128);
  for (let k = 0; k < chars.length; k++) table[chars.charCodeAt(k)] = 1;
  return table;
}

function isTchar(code: number): boolean {
  return code < 128 && TCHAR[code] === 1;
}

function isToken68Char(code: number): boolean {
  return code < 128 && TOKEN68_CHAR[code] === 1;
}

/** True when `value` is a non-empty RFC 9110 `token` (so it can be written without quotes). */
export function isToken(value: string): boolean {
  if (value.length === 0) return false;
  for (let k = 0; k < value.length; k++) if (!isTchar(value.charCodeAt(k))) return false;
  return true;
}

/** True when `value` matches RFC 9110 `token68`: `1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="`. */
export function isToken68(value: string): boolean {
  let k = 0;
  while (k < value.length && isToken68Char(value.charCodeAt(k))) k++;
  if (k === 0) return false;
  while (k < value.length && value.charCodeAt(k) === EQUALS) k++;
  return k === value.length;
}

/**
 * Scans a `WWW-Authenticate` value in a single pass and reports the work done. Every loop advances
 * the index or stops; the only look-ahead (token68 after a scheme) is bounded by text that is
 * consumed right after it, so `steps` stays linear in the input length whatever the input.
 *
 * Exposed for the linear-time property test; use {@link parseWwwAuthenticate}.
 *
 * @internal
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-11.6.1
 */
export function scanWwwAuthenticate(header: string | readonly string[]): ScanResult {
  const input = typeof header === 'string' ? header : header.join(', ');
  const n = input.length;
  const drafts: DraftChallenge[] = [];
  let i = 0;
  let steps = 0;
  let current: DraftChallenge | undefined;

  const code = (at: number): number => {
    steps++;
    return input.charCodeAt(at);
  };
  const skipWhitespace = (): void => {
    while (i < n) {
      const c = code(i);
      if (c !== SP && c !== HTAB) return;
      i++;
    }
  };
  const readToken = (): string => {
    const start = i;
    while (i < n && isTchar(code(i))) i++;
    return input.slice(start, i);
  };
  /** Reads a quoted-string starting at the opening quote; `undefined` when it is not terminated. */
  const readQuoted = (): string | undefined => {
    i++;
    let value = '';
    let chunkStart = i;
    while (i < n) {
      const c = code(i);
      if (c === DQUOTE) {
        value += input.slice(chunkStart, i);
        i++;
        return value;
      }
      if (c === BACKSLASH) {
        value += input.slice(chunkStart, i);
        if (i + 1 >= n) break;
        value += input.charAt(i + 1);
        i += 2;
        chunkStart = i;
        continue;
      }
      i++;
    }
    i = n;
    return undefined;
  };
  /**
   * A parameter value: a quoted-string, or (leniently) an unquoted run up to whitespace, comma or
   * quote. For valid input the run is exactly a `token`; the leniency keeps unquoted URLs whole.
   */
  const readValue = (): string | undefined => {
    if (i < n && code(i) === DQUOTE) return readQuoted();
    const start = i;
    while (i < n) {
      const c = code(i);
      if (c === SP || c === HTAB || c === COMMA || c === DQUOTE) break;
      i++;
    }
    return i > start ? input.slice(start, i) : undefined;
  };
  /** Error recovery: skips to the next list separator, treating quoted strings as units. */
  const skipGarbage = (): void => {
    while (i < n) {
      const c = code(i);
      if (c === COMMA) return;
      if (c === DQUOTE) readQuoted();
      else i++;
    }
  };
  /** After `scheme 1*SP`: a token68 if it is the whole list element, else `undefined` and `i` unchanged. */
  const tryToken68 = (): string | undefined => {
    let k = i;
    while (k < n && isToken68Char(code(k))) k++;
    if (k === i) return undefined;
    while (k < n && code(k) === EQUALS) k++;
    const end = k;
    while (k < n && (code(k) === SP || code(k) === HTAB)) k++;
    if (k < n && code(k) !== COMMA) return undefined;
    const token68 = input.slice(i, end);
    i = k;
    return token68;
  };

  while (i < n) {
    const c = code(i);
    if (c === SP || c === HTAB || c === COMMA) {
      i++;
      continue;
    }
    const name = readToken();
    if (name.length === 0) {
      skipGarbage();
      continue;
    }
    const afterName = i;
    skipWhitespace();
    if (i < n && code(i) === EQUALS) {
      i++;
      skipWhitespace();
      const value = readValue();
      if (value === undefined) {
        skipGarbage();
        continue;
      }
      // A parameter before any scheme, or after a token68, belongs to no challenge: dropped.
      if (current !== undefined) {
        const key = name.toLowerCase();
        if (!current.params.has(key)) current.params.set(key, value);
        else current.duplicates.add(key);
      }
      continue;
    }
    current = { scheme: name, params: new Map(), duplicates: new Set() };
    drafts.push(current);
    if (i > afterName && i < n && code(i) !== COMMA) {
      const token68 = tryToken68();
      if (token68 !== undefined) {
        current.token68 = token68;
        current = undefined;
      }
    }
  }

  const challenges = drafts.map(
    (draft): Challenge => ({
      scheme: draft.scheme,
      token68: draft.token68,
      // Object.fromEntries defines own properties, so a `__proto__` parameter cannot touch the prototype.
      params: Object.fromEntries(draft.params),
      duplicates: [...draft.duplicates],
    }),
  );
  return { challenges, steps };
}

/**
 * Parses a `WWW-Authenticate` header value into its challenges. Never throws; runs in linear time.
 *
 * - Several challenges in one value (`Negotiate, Bearer realm="x", DPoP algs="ES256"`); an array of
 *   values (several header lines) is joined with `, `.
 * - `token68` (`Negotiate YII=`) or parameters; parameter names lower-cased, quoted strings unescaped.
 * - Duplicate parameter names: the first value wins, the name is listed in `duplicates`.
 * - Lenient: empty list elements (`, ,`), no space after commas, missing commas between parameters,
 *   unquoted values that are not tokens (read up to whitespace, comma or quote).
 * - Garbage is skipped up to the next comma: an element that does not start with a token, a
 *   parameter without a value, an unterminated quoted string, and parameters before any scheme
 *   (`="x"`, `realm="x"` first) or after a token68.
 *
 * @example
 * ```ts
 * parseWwwAuthenticate('Basic realm="a", Bearer resource_metadata="https://mcp.example/.well-known/oauth-protected-resource"');
 * // [{ scheme: 'Basic', params: { realm: 'a' }, duplicates: [] },
 * //  { scheme: 'Bearer', params: { resource_metadata: 'https://…' }, duplicates: [] }]
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-11.6.1
 */
export function parseWwwAuthenticate(header: string | readonly string[]): Challenge[] {
  return scanWwwAuthenticate(header).challenges;
}

function quote(value: string): string {
  let out = '"';
  for (const ch of value) out += ch === '"' || ch === '\\' ? `\\${ch}` : ch;
  return `${out}"`;
}

/**
 * Writes a challenge as it appears in a `WWW-Authenticate` value: the inverse of
 * {@link parseWwwAuthenticate} for one challenge. Values that are not tokens are quoted, with `"` and
 * `\` escaped. A challenge with a `token68` is written with it alone (its params are not written).
 * Scheme, parameter names and token68 are written as given: pass valid ones (as the parser returns)
 * or the result will not parse back.
 *
 * @example
 * ```ts
 * formatChallenge({ scheme: 'Bearer', params: { scope: 'a b' }, duplicates: [] }); // 'Bearer scope="a b"'
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-11.6.1
 */
export function formatChallenge(challenge: Pick<Challenge, 'scheme' | 'token68' | 'params'>): string {
  if (challenge.token68 !== undefined) return `${challenge.scheme} ${challenge.token68}`;
  const params = Object.entries(challenge.params).map(
    ([name, value]) => `${name}=${isToken(value) ? value : quote(value)}`,
  );
  return params.length === 0 ? challenge.scheme : `${challenge.scheme} ${params.join(', ')}`;
}
