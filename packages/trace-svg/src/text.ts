/**
 * Text from the trace is server-controlled (URLs, reasons, error messages): it is cleaned of
 * anything a terminal or an XML parser would act on, then escaped for XML.
 */

/** CSI (`ESC [ … final`), OSC (`ESC ] … BEL|ST`) and any other two-character escape sequence. */
const ESCAPE_SEQUENCES =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing escape sequences is the point
  /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|\u001b[\s\S]?|\u009b[0-?]*[ -/]*[@-~]/g;
/** Line breaks and tabs become a space; everything else below U+0020, DEL and C1 controls go. */
const WHITESPACE_CONTROLS = /[\t\n\r\v\f]+/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
const CONTROLS = /[\u0000-\u001f\u007f-\u009f]/g;
/** Bidirectional overrides and isolates: they would reorder what a person reads. */
const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
/** Code points XML 1.0 forbids: lone surrogates and U+FFFE, U+FFFF. */
const NOT_XML = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]|[\ufffe\uffff]/g;

/**
 * Makes server-controlled text printable: removes escape sequences, control characters, bidi
 * controls and code points XML cannot carry; runs of whitespace controls become one space.
 */
export function cleanText(text: string): string {
  return text
    .replace(ESCAPE_SEQUENCES, '')
    .replace(WHITESPACE_CONTROLS, ' ')
    .replace(CONTROLS, '')
    .replace(BIDI, '')
    .replace(NOT_XML, '');
}

const XML_ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

/** Escapes text for XML character data and attribute values (both quote kinds included). */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => XML_ENTITIES[c] ?? c);
}

/** {@link cleanText}, then {@link escapeXml}: the only way trace text reaches the SVG. */
export function xmlText(text: string): string {
  return escapeXml(cleanText(text));
}

/** Cleans `text` and shortens it to at most `max` characters, keeping its start and end around an ellipsis. */
export function truncateMiddle(text: string, max: number): string {
  const chars = [...cleanText(text)];
  if (chars.length <= max) return chars.join('');
  if (max <= 1) return '…';
  const head = Math.ceil((max - 1) * 0.6);
  const tail = max - 1 - head;
  return `${chars.slice(0, head).join('')}…${tail > 0 ? chars.slice(-tail).join('') : ''}`;
}

/** Cleans `text` and shortens it to at most `max` characters, ending with an ellipsis. */
export function truncateEnd(text: string, max: number): string {
  const chars = [...cleanText(text)];
  return chars.length <= max ? chars.join('') : `${chars.slice(0, Math.max(0, max - 1)).join('')}…`;
}
