/**
 * Options as commander hands them to a command action, after the flag parsers below ran. Every
 * command receives the subset it declares.
 */
export interface CliOptions {
  readonly json?: boolean | undefined;
  readonly allowPrivateNetwork?: boolean | undefined;
  readonly preset?: string | undefined;
  /** `--preset-hosts` values, as given (see `parsePresetHosts`). */
  readonly presetHosts?: readonly string[] | undefined;
  readonly issuer?: string | undefined;
  readonly config?: string | undefined;
  readonly timeout?: number | undefined;
  /** `false` with `--no-cache`. */
  readonly cache?: boolean | undefined;
  /** `true` with `--speculate`. */
  readonly speculate?: boolean | undefined;
  /** `false` with `--no-legacy-defaults`. */
  readonly legacyDefaults?: boolean | undefined;
  /** `false` with `--no-guess`, the deprecated spelling of `--no-legacy-defaults`. */
  readonly guess?: boolean | undefined;
  readonly clientId?: string | undefined;
  readonly clientSecret?: string | undefined;
  readonly clientMetadataUrl?: string | undefined;
  readonly scope?: string | undefined;
  readonly headless?: boolean | undefined;
  /** `--interactive` (`true`) / `--no-interactive` (`false`); absent: a person is there when stdin and stderr are terminals. */
  readonly interactive?: boolean | undefined;
  readonly callbackPort?: number | undefined;
  /** `--grant <type>`: a grant instead of the browser. */
  readonly grant?: 'client_credentials' | 'jwt-bearer' | 'token-exchange' | undefined;
  /** `--assertion-file <file>`: the workload token of `--grant jwt-bearer` (else `$OAUTH_DISCOVERY_ASSERTION`). */
  readonly assertionFile?: string | undefined;
  /** `--id-token-file <file>`: the user's ID token of `--grant token-exchange` (else `$OAUTH_DISCOVERY_ID_TOKEN`). */
  readonly idTokenFile?: string | undefined;
  /** `--idp-token-endpoint <url>`: the enterprise IdP's token endpoint (`--grant token-exchange`). */
  readonly idpTokenEndpoint?: string | undefined;
  /** `--idp-issuer <url>`: the enterprise IdP's issuer. */
  readonly idpIssuer?: string | undefined;
  /** `--idp-client-id <id>`: this client at the IdP (its secret in `$OAUTH_DISCOVERY_IDP_CLIENT_SECRET`). */
  readonly idpClientId?: string | undefined;
  /** `--private-key-file <file>`: the PEM key of `private_key_jwt` (else `$OAUTH_DISCOVERY_PRIVATE_KEY`). */
  readonly privateKeyFile?: string | undefined;
  /** `--signing-algorithm <alg>`: the client assertion's JWS algorithm (default: the key's). */
  readonly signingAlgorithm?: string | undefined;
  /** `--dpop`: DPoP-bound tokens (RFC 9449), the key kept per authorization server in the store. */
  readonly dpop?: boolean | undefined;
  readonly call?: string | undefined;
  readonly args?: Record<string, unknown> | undefined;
  /** `--svg <file>` (discover, check): write the discovery's waterfall there. */
  readonly svg?: string | undefined;
  /** `--verbose`: every step of the trace, idle presets included, and whole error messages. */
  readonly verbose?: boolean | undefined;
}

/** Default of `--timeout`: the discovery deadline, in ms. */
export const DEFAULT_TIMEOUT_MS = 30_000;

/** The HTTP client's timeouts under `--timeout <ms>`: the total is the timeout, each phase at most that. */
export function httpTimeouts(timeoutMs: number): {
  readonly requestTimeoutMs: number;
  readonly connectTimeoutMs: number;
  readonly headersTimeoutMs: number;
  readonly bodyTimeoutMs: number;
} {
  return {
    requestTimeoutMs: timeoutMs,
    connectTimeoutMs: Math.min(5_000, timeoutMs),
    headersTimeoutMs: Math.min(10_000, timeoutMs),
    bodyTimeoutMs: Math.min(10_000, timeoutMs),
  };
}

/** An option value that cannot be used; commander turns it into a usage error (exit 2). */
export type OptionParser<T> = (value: string) => T;

/**
 * Builds the option parsers with the error type commander expects (`InvalidArgumentError`), passed
 * in so this module does not load commander itself.
 */
export function optionParsers(invalid: (message: string) => Error): {
  readonly positiveInteger: OptionParser<number>;
  readonly port: OptionParser<number>;
  readonly httpUrl: OptionParser<string>;
  readonly jsonObject: OptionParser<Record<string, unknown>>;
} {
  return {
    positiveInteger(value) {
      const n = Number(value);
      if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < 1) {
        throw invalid('expected a positive integer (milliseconds)');
      }
      return n;
    },
    port(value) {
      const n = Number(value);
      if (!/^\d+$/.test(value) || n > 65_535) throw invalid('expected a port number from 0 to 65535');
      return n;
    },
    httpUrl(value) {
      // Not core's parseHttpUrl: this module is loaded for `--help` and must stay light (cold-start test).
      const protocol = URL.parse(value)?.protocol;
      if (protocol !== 'https:' && protocol !== 'http:') throw invalid('expected an absolute http(s) URL');
      return value;
    },
    jsonObject(value) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(value);
      } catch (error) {
        throw invalid(`expected a JSON object (${error instanceof Error ? error.message : String(error)})`);
      }
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
        throw invalid('expected a JSON object such as {"text":"hi"}');
      }
      return parsed as Record<string, unknown>;
    },
  };
}
