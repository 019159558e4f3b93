/** Options of {@link safeText}. */
export interface SafeTextOptions {
  /** Keep line feeds (`\n`) as they are: for multi-line text this project wrote itself. Default `false`. */
  readonly multiline?: boolean | undefined;
}

// C0 controls but tab and line feed, DEL, C1 controls (U+0080–U+009F, where U+009B is an 8-bit CSI
// and U+009D an OSC), Unicode line and paragraph separators, bidirectional embeddings, overrides and
// isolates (the "Trojan Source" characters) and the Arabic letter mark.
const UNSAFE_CLASS =
  '\\u0000-\\u0008\\u000b-\\u001f\\u007f-\\u009f\\u061c\\u200e\\u200f\\u2028\\u2029\\u202a-\\u202e\\u2066-\\u2069';
const UNSAFE = new RegExp(`[${UNSAFE_CLASS}]`, 'gu');
const UNSAFE_WITH_LF = new RegExp(`[\\n${UNSAFE_CLASS}]`, 'gu');

function visibleEscape(char: string): string {
  return `\\u${(char.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`;
}

/**
 * Server-controlled text made safe to show a person: every control character a terminal or a log
 * reader would act on — `ESC` (and with it every CSI/OSC sequence), `CR`, the other C0 and C1
 * controls, `DEL`, line separators and bidirectional overrides — is replaced by its visible escape
 * `\u001b`, so a hostile metadata document, error description or client id can neither move the
 * cursor, rewrite earlier lines, set a window title or hyperlink, nor reorder what is read. Tabs are
 * kept; line feeds only with `multiline` (never for a value inside one line, so no fake line can be
 * added). The escapes are JSON's, so JSON output stays equivalent.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9839
 * @see https://www.unicode.org/reports/tr9/#Explicit_Directional_Overrides
 */
export function safeText(text: string, options: SafeTextOptions = {}): string {
  return text.replace(options.multiline === true ? UNSAFE : UNSAFE_WITH_LF, visibleEscape);
}

/** True when {@link safeText} would change `text`. */
export function hasUnsafeText(text: string, options: SafeTextOptions = {}): boolean {
  const pattern = options.multiline === true ? UNSAFE : UNSAFE_WITH_LF;
  pattern.lastIndex = 0;
  const found = pattern.test(text);
  pattern.lastIndex = 0;
  return found;
}
