import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';

/** A value given directly, or computed from the running world at request time (to name other origins). */
export type WorldValue<T> = T | ((world: World) => T);

/** Anything `JSON.stringify` accepts as a document (a function is taken as a world value instead). */
export type JsonValue = string | number | boolean | null | object;

/**
 * What one path of one origin answers. Every field is optional; an empty route answers `200` with an
 * empty body. Fields combine: `status` + `headers` + one body source (`json`, `body`, `bytes`, `garbage`).
 */
export interface RouteSpec {
  /** HTTP status. Default `200`, or `302` with `redirect`. */
  readonly status?: number;
  /** Extra response headers; a value may be computed from the world (e.g. a `resource_metadata` URL). */
  readonly headers?: Readonly<Record<string, WorldValue<string | readonly string[]>>> | undefined;
  /** A JSON body, served as `application/json` (unless `contentType` says otherwise). */
  readonly json?: ((world: World) => unknown) | JsonValue;
  /** A text body, served as `text/plain; charset=utf-8` (unless `contentType` says otherwise). */
  readonly body?: WorldValue<string>;
  /** Redirect target (absolute URL or path); sets `Location`, status defaults to `302`. */
  readonly redirect?: WorldValue<string | URL>;
  /** Wait this long before sending the headers (on top of the origin's latency). */
  readonly delayMs?: number;
  /** Send the headers at once, then the body in `chunks` parts, one every `intervalMs`. */
  readonly slowBody?: { readonly chunks: number; readonly intervalMs: number };
  /** A valid JSON body of exactly this many bytes, streamed without `Content-Length` (for size caps). */
  readonly bytes?: number;
  /** An invalid JSON body with a JSON content type. */
  readonly garbage?: boolean;
  /** Overrides the `Content-Type` of the body (e.g. `text/html` for a JSON body). */
  readonly contentType?: string | undefined;
  /** Only this method matches; any other gets `405`. Default `'*'`. */
  readonly method?: 'GET' | 'POST' | '*';
  /** Accept the request and never answer (until the client gives up or the world closes). */
  readonly hang?: boolean;
  /** Escape hatch: answer the request yourself. Other fields except `method` and `delayMs` are ignored. */
  readonly handler?: (req: IncomingMessage, res: ServerResponse, world: World) => void | Promise<void>;
}

/** One route, or several served in turn (the 1st request gets `[0]`, …, the last one repeats). */
export type Route = RouteSpec | readonly RouteSpec[];

/** One origin of a world: its routes, keyed by path (or path with an exact query, `/x?y=1`). */
export interface OriginSpec {
  /** Loopback address to listen on; by default each origin of a world gets its own `127.0.0.x`. */
  readonly host?: string;
  /** Latency added before every response of this origin; overrides the world's `latencyMs`. */
  readonly latencyMs?: number;
  readonly routes?: Readonly<Record<string, Route>>;
}

/** A plain description of a set of origins and what each serves. */
export interface WorldSpec {
  /** Latency added before every response of every origin. Default `0`. */
  readonly latencyMs?: number;
  readonly origins: Readonly<Record<string, OriginSpec>>;
}

/** One request a world received, in arrival order. */
export interface RequestLogEntry {
  /** Name of the origin (the key in `WorldSpec.origins`). */
  readonly origin: string;
  readonly method: string;
  /** Path without the query. */
  readonly path: string;
  /** Full URL as requested (origin + path + query). */
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  /** Milliseconds since the world started. */
  readonly time: number;
  /** True when the client closed the connection before the response was complete. */
  aborted: boolean;
}

/** A running world. */
export interface World {
  /** The spec it was started from. */
  readonly spec: WorldSpec;
  /** `http://127.0.0.x:port` of an origin, without a trailing slash. */
  origin(name: string): string;
  /** `origin(name) + path`, exactly (no normalisation). `path` must start with `/`. */
  url(name: string, path: string): string;
  /** Every request received so far, in arrival order (a live array). */
  readonly requests: readonly RequestLogEntry[];
  /** The requests received by one origin. */
  requestsTo(name: string): RequestLogEntry[];
  /** Empties the request log and restarts the turn counters of array routes. */
  clearLog(): void;
  /** Closes every server and destroys open (keep-alive or hanging) connections. */
  close(): Promise<void>;
}
