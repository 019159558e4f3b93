import { z } from 'zod';
import { parseHttpUrl } from '../http/url-policy.js';
import { isSecureUrl } from '../metadata/secure-url.js';

/**
 * The URL vocabulary of the configuration languages (preset definitions, resource matches, static
 * configuration), so a bad URL gets the same `INVALID_CONFIG` message in each. The metadata schemas
 * (`endpointUrl` and friends) are a different layer: they accept any absolute URL and leave the HTTPS
 * rule to the `process…Response` functions.
 */

const HTTP_URL = 'expected an absolute http(s) URL';

/** An absolute `http:` or `https:` URL. */
export const httpUrlSchema = z.string().refine((v) => parseHttpUrl(v) !== null, { error: HTTP_URL });

/** The same, stopping there when it fails (so a refinement built on it reports one problem). */
const httpUrlFirst = z.string().refine((v) => parseHttpUrl(v) !== null, { error: HTTP_URL, abort: true });

/** An absolute URL that passes the HTTPS-except-loopback rule (`isSecureUrl`). */
export const secureUrlSchema = z.string().refine(
  (v) => {
    const url = URL.parse(v);
    return url !== null && isSecureUrl(url);
  },
  { error: 'expected an absolute https URL (http only for loopback hosts)', abort: true },
);

const ISSUER_FORM = {
  error: 'expected an issuer without query or fragment (RFC 8414 §2)',
} as const;
const withoutQueryOrFragment = (v: string): boolean => !v.includes('?') && !v.includes('#');

/**
 * An http(s) issuer identifier: no query, no fragment.
 *
 * @see https://www.rfc-editor.org/rfc/rfc8414#section-2
 */
export const issuerUrlSchema = httpUrlFirst.refine(withoutQueryOrFragment, ISSUER_FORM);

/**
 * An issuer identifier that passes the HTTPS-except-loopback rule: no query, no fragment.
 *
 * @see https://www.rfc-editor.org/rfc/rfc8414#section-2
 */
export const secureIssuerUrlSchema = secureUrlSchema.refine(withoutQueryOrFragment, ISSUER_FORM);

/** An http(s) origin: scheme, host and port, no path (one trailing `/` allowed). */
export const originUrlSchema = httpUrlFirst.refine((v) => parseHttpUrl(v)?.origin === v.replace(/\/$/, ''), {
  error: 'expected an origin only (scheme, host and port, no path)',
});
