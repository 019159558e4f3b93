import { z } from 'zod';
import { parseHttpUrl } from '../http/url-policy.js';
import { isSecureUrl } from '../metadata/secure-url.js';

/**
 * The URL vocabulary of the configuration languages (preset definitions, resource matches, static
 * configuration, the aggregator's file), so a bad URL is judged by the same rule in each. The metadata
 * schemas (`endpointUrl` and friends) are a different layer: they accept any absolute URL and leave the
 * HTTPS rule to the `process…Response` functions.
 */

const HTTP_URL = 'expected an absolute http(s) URL';
const SECURE_URL = 'expected an absolute https URL (http only for loopback hosts)';
const ISSUER_FORM = 'expected an issuer without query or fragment (RFC 8414 §2)';
const ORIGIN = 'expected an origin only (scheme, host and port, no path)';

/** Options of the URL schema builders: the words of a configuration language with its own style. */
export interface UrlSchemaOptions {
  /** The message of every failure of the schema. Default: the schema's own (`expected …`). */
  readonly error?: string | undefined;
}

const isHttpUrl = (v: string): boolean => parseHttpUrl(v) !== null;
const withoutQueryOrFragment = (v: string): boolean => !v.includes('?') && !v.includes('#');

/** An absolute `http:` or `https:` URL, failing with `error` (default: `expected an absolute http(s) URL`). */
export function createHttpUrlSchema(options: UrlSchemaOptions = {}): z.ZodString {
  return z.string().refine(isHttpUrl, { error: options.error ?? HTTP_URL });
}

/** An absolute `http:` or `https:` URL. */
export const httpUrlSchema: z.ZodString = createHttpUrlSchema();

/** The same, stopping there when it fails (so a refinement built on it reports one problem). */
const httpUrlFirst = (error: string): z.ZodString => z.string().refine(isHttpUrl, { error, abort: true });

const secureUrl = (error: string): z.ZodString =>
  z.string().refine(
    (v) => {
      const url = URL.parse(v);
      return url !== null && isSecureUrl(url);
    },
    { error, abort: true },
  );

/** An absolute URL that passes the HTTPS-except-loopback rule (`isSecureUrl`). */
export const secureUrlSchema: z.ZodString = secureUrl(SECURE_URL);

/**
 * An http(s) issuer identifier: no query, no fragment.
 *
 * @see https://www.rfc-editor.org/rfc/rfc8414#section-2
 */
export const issuerUrlSchema: z.ZodString = httpUrlFirst(HTTP_URL).refine(withoutQueryOrFragment, {
  error: ISSUER_FORM,
});

/**
 * An issuer identifier that passes the HTTPS-except-loopback rule (`isSecureUrl`: https, http only
 * for loopback hosts, no user name or password), without query or fragment. With `error`, every
 * failure says that; by default the scheme and the form have their own messages.
 *
 * @see https://www.rfc-editor.org/rfc/rfc8414#section-2
 */
export function createSecureIssuerUrlSchema(options: UrlSchemaOptions = {}): z.ZodString {
  return secureUrl(options.error ?? SECURE_URL).refine(withoutQueryOrFragment, {
    error: options.error ?? ISSUER_FORM,
  });
}

/**
 * An issuer identifier that passes the HTTPS-except-loopback rule: no query, no fragment.
 *
 * @see https://www.rfc-editor.org/rfc/rfc8414#section-2
 */
export const secureIssuerUrlSchema: z.ZodString = createSecureIssuerUrlSchema();

/**
 * An http(s) origin: scheme, host and port, no path (one trailing `/` allowed). With `error`, every
 * failure says that; by default a non-URL and a URL with a path have their own messages.
 */
export function createOriginUrlSchema(options: UrlSchemaOptions = {}): z.ZodString {
  return httpUrlFirst(options.error ?? HTTP_URL).refine(
    (v) => parseHttpUrl(v)?.origin === v.replace(/\/$/, ''),
    { error: options.error ?? ORIGIN },
  );
}

/** An http(s) origin: scheme, host and port, no path (one trailing `/` allowed). */
export const originUrlSchema: z.ZodString = createOriginUrlSchema();
