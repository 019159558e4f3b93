import type { Readable } from 'node:stream';
import { DiscoveryError, ErrorCodes } from '../errors.js';

/** What {@link readCappedBody} should do when the body is longer than the cap. */
export interface ReadBodyOptions {
  readonly maxBytes: number;
  /** URL for error messages. */
  readonly url: string;
  /** Keep the first `maxBytes` and stop (non-2xx pages) instead of failing with `RESPONSE_TOO_LARGE`. */
  readonly truncate?: boolean;
  /** Stop reading (without error) once this returns true for the bytes read so far (first SSE event). */
  readonly stopAfter?: ((received: Buffer) => boolean) | undefined;
}

/** The bytes read and whether reading stopped before the end. */
export interface ReadBodyResult {
  readonly bytes: Buffer;
  readonly complete: boolean;
}

/**
 * Reads a response body with a streaming cap: reading stops and the stream is destroyed as soon as
 * more than `maxBytes` arrived, so a hostile server cannot make the client buffer without limit.
 * A `content-length` over the cap is refused before reading anything.
 */
export async function readCappedBody(
  body: Readable,
  contentLength: string | undefined,
  options: ReadBodyOptions,
): Promise<ReadBodyResult> {
  const declared = contentLength === undefined ? Number.NaN : Number(contentLength);
  if (!options.truncate && Number.isFinite(declared) && declared > options.maxBytes) {
    discardBody(body);
    throw tooLarge(options, `content-length ${declared}`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  // Leaving the loop early (break / throw) destroys the stream through the async iterator's return().
  for await (const chunk of body as AsyncIterable<Buffer>) {
    const room = options.maxBytes - size;
    if (chunk.length > room) {
      if (!options.truncate) throw tooLarge(options, `more than ${options.maxBytes} bytes`);
      chunks.push(chunk.subarray(0, room));
      return { bytes: Buffer.concat(chunks), complete: false };
    }
    chunks.push(chunk);
    size += chunk.length;
    if (options.stopAfter?.(Buffer.concat(chunks))) return { bytes: Buffer.concat(chunks), complete: false };
  }
  return { bytes: Buffer.concat(chunks), complete: true };
}

/**
 * Stops reading a body and closes it. undici reports a destroyed body as an `AbortError` event; the
 * no-op listener keeps that expected event from surfacing as an uncaught exception.
 */
export function discardBody(body: Readable): void {
  body.on('error', () => {});
  body.destroy();
}

/** Decodes a body as UTF-8 (JSON is always UTF-8, RFC 8259 §8.1), dropping a leading byte order mark. */
export function decodeText(bytes: Buffer): string {
  return utf8.decode(bytes);
}

// Decoding without `stream` keeps no state between calls, so one decoder serves every body.
const utf8 = new TextDecoder('utf-8');

/**
 * True when `content-type` unambiguously means JSON: `application/json` or `application/<anything>+json`,
 * parameters allowed (`; charset=utf-8`), and also a list whose every entry is such a type — a value
 * repeated (`application/json, application/json`, as GitHub's MCP server once sent, or two
 * `Content-Type` headers joined) or several JSON types. Anything else — a list with one non-JSON
 * entry, `text/html`, an empty value — is not JSON.
 *
 * @see https://www.rfc-editor.org/rfc/rfc8259#section-11
 * @see https://www.rfc-editor.org/rfc/rfc6839#section-3.1
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-5.3
 */
export function isJsonContentType(contentType: string | undefined): boolean {
  const types = splitOutsideQuotes(contentType ?? '', ',')
    .map((entry) => mediaTypeOf(entry))
    .filter((entry) => entry !== '');
  return types.length > 0 && types.every(isJsonMediaType);
}

function isJsonMediaType(mediaType: string): boolean {
  return mediaType === 'application/json' || /^application\/[^/\s]+\+json$/.test(mediaType);
}

/** Splits on `separator` outside double-quoted strings (parameter values may quote commas). */
function splitOutsideQuotes(value: string, separator: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < value.length; i += 1) {
    const char = value[i] as string;
    if (quoted && char === '\\') {
      current += char + (value[i + 1] ?? '');
      i += 1;
      continue;
    }
    if (char === '"') quoted = !quoted;
    if (char === separator && !quoted) {
      parts.push(current);
      current = '';
      continue;
    }
    current += char;
  }
  parts.push(current);
  return parts;
}

/** The media type of a `content-type` value, lower-cased, without parameters (`''` when absent). */
export function mediaTypeOf(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}

/** True once a complete server-sent event (terminated by a blank line) has been received. */
export function hasCompleteEvent(received: Buffer): boolean {
  return received.includes('\n\n') || received.includes('\r\n\r\n') || received.includes('\r\r');
}

/**
 * Parses a JSON body; a syntax error becomes `INVALID_JSON` with the parser's message.
 *
 * @see https://www.rfc-editor.org/rfc/rfc8259
 */
export function parseJsonBody(text: string, url: string): unknown {
  try {
    return JSON.parse(text);
  } catch (cause) {
    const sample = text.length > 80 ? `${text.slice(0, 80)}…` : text;
    throw new DiscoveryError(
      ErrorCodes.INVALID_JSON,
      `Response from ${url} is not valid JSON (${(cause as Error).message}); it starts with ${JSON.stringify(sample)}`,
      { url, expected: 'a JSON document', actual: sample, cause },
    );
  }
}

function tooLarge(options: ReadBodyOptions, actual: string): DiscoveryError {
  return new DiscoveryError(
    ErrorCodes.RESPONSE_TOO_LARGE,
    `Response from ${options.url} is larger than the ${options.maxBytes}-byte cap (${actual})`,
    { url: options.url, expected: `at most ${options.maxBytes} bytes`, actual },
  );
}
