/** How much an event matters. */
export type LogLevel = 'info' | 'warn' | 'error';

/**
 * One thing that happened, as data: `event` names the kind (`upstream-state`, `relaxation`,
 * `request-refused`, `session-closed`, `token-check-unavailable`, `listening`, `stopping`, `stopped`), `message` is a sentence
 * for a person, and the other fields carry the details — server-controlled text only ever in fields.
 */
export interface LogEvent {
  readonly level: LogLevel;
  readonly event: string;
  readonly message: string;
  readonly [field: string]: unknown;
}

/** Where the aggregator sends its events. */
export type Logger = (event: LogEvent) => void;

/**
 * Characters JSON leaves raw that a terminal or a line-based log reader still acts on: DEL, the C1
 * controls (`\u009b` is a one-byte CSI) and the Unicode line and paragraph separators.
 */
const STILL_ACTIVE = /[\u007f-\u009f\u2028\u2029]/g;

/**
 * One event as one line of JSON (`{"time":…,"level":…,"event":…,"message":…,…}`). JSON escapes
 * newlines and C0 controls in every string, and the rest of the active characters are escaped here,
 * so text from a server — an upstream's error page, an authorization server's `error_description` —
 * can neither start a line of its own nor move the cursor: a forged "upstream payroll: connected"
 * stays inside the string it came in.
 */
export function formatLogLine(event: LogEvent, time: Date = new Date()): string {
  const { level, event: kind, message, ...fields } = event;
  const line = JSON.stringify({ time: time.toISOString(), level, event: kind, message, ...fields });
  return line.replace(STILL_ACTIVE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A {@link Logger} writing one JSON line per event (JSON Lines) to `write`. */
export function createJsonLogger(write: (line: string) => void): Logger {
  return (event) => write(`${formatLogLine(event)}\n`);
}

/**
 * Lets one event through per `windowMs` and counts the ones held back, handing that count to the next
 * one let through — so a flood (refused requests, evicted sessions) costs a line a minute, not a line
 * per request.
 */
export function createThrottle(windowMs: number, now: () => number) {
  let last = Number.NEGATIVE_INFINITY;
  let held = 0;
  return (emit: (suppressed: number) => void): void => {
    if (now() - last < windowMs) {
      held += 1;
      return;
    }
    last = now();
    const suppressed = held;
    held = 0;
    emit(suppressed);
  };
}
