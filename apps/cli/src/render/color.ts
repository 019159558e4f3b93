const CODES = {
  bold: 1,
  dim: 2,
  red: 31,
  green: 32,
  yellow: 33,
  cyan: 36,
} as const;

/** A style name for {@link Paint}. */
export type Style = keyof typeof CODES;

/** Styles text with ANSI codes, or returns it unchanged when colours are off. */
export type Paint = (style: Style, text: string) => string;

/** A painter: ANSI colours when `enabled`, plain text otherwise. */
export function painter(enabled: boolean): Paint {
  if (!enabled) return (_style, text) => text;
  return (style, text) => (text === '' ? text : `\u001b[${CODES[style]}m${text}\u001b[0m`);
}
