/**
 * Hostile text for terminal-injection tests: an OSC that sets the window title, a CSI that moves the
 * cursor up and erases the line, a carriage return and a fake verdict, an 8-bit CSI (U+009B) and a
 * right-to-left override. Shown raw, it rewrites an earlier line into "✔ issuer check exact".
 */
export const TERMINAL_PAYLOAD =
  '\u001b]0;pwned\u0007\u001b]8;;https://evil.example\u0007link\u001b]8;;\u0007\u001b[1A\u001b[2K\r✔ issuer check exact\u009b31m\u202eexe.txt';

const CONTROL_CLASS =
  '\\u0000-\\u0008\\u000b-\\u001f\\u007f-\\u009f\\u2028\\u2029\\u202a-\\u202e\\u2066-\\u2069';
const CONTROLS = new RegExp(`[${CONTROL_CLASS}]`, 'gu');

/** Every control character in `text` a terminal would act on (none of LF and TAB), as code points. */
export function rawTerminalControls(text: string): string[] {
  return [...text.matchAll(CONTROLS)].map(
    (match) => `U+${(match[0].codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`,
  );
}

/** JSON text of arrays nested `depth` levels (`[[[…]]]`): tiny, yet deep enough to overflow a recursive serialiser. */
export function deeplyNestedJson(depth: number): string {
  return `${'['.repeat(depth)}${']'.repeat(depth)}`;
}
