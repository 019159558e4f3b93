import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { DiscoveryError, ErrorCodes } from '@oauth-discovery/core';
import { parseHttpUrl } from '@oauth-discovery/core/http';
import {
  createHttpUrlSchema,
  createOriginUrlSchema,
  createSecureIssuerUrlSchema,
} from '@oauth-discovery/core/preset';
import { presetNames } from 'oauth-discovery';
import { z } from 'zod';
import { type ConfigProblem, crossChecks } from './config-checks.js';
import { parseWithPositions } from './config-positions.js';

const httpUrl = createHttpUrlSchema({ error: 'must be an absolute http(s) URL' });
/** RFC 9728 §1.2 / RFC 8707 §2: a resource identifier has no fragment. */
const resourceUrl = httpUrl.refine((value) => !parseHttpUrl(value)?.hash, {
  error: 'must not have a fragment (#…)',
});
/** RFC 8414 §2, and plain http only on loopback hosts, as discovery allows. */
const issuerUrl = createSecureIssuerUrlSchema({
  error: 'must be an https URL without credentials, query or fragment (http only for loopback hosts)',
});
/** Where a preset moves to: an origin, as the preset's `hosts` option takes it. */
const originUrl = createOriginUrlSchema({
  error: 'must be an http(s) origin only (scheme, host and port, no path)',
});
const presetName = z.string().refine((name) => presetNames.includes(name), {
  error: `must be one of the built-in presets: ${presetNames.join(', ')}`,
});
const envName = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: 'must be an environment variable name' });

const filePath = z.string().min(1);

/** A machine client's credentials: a secret or a PEM key, each from the environment or a file. */
const grantClientFields = {
  /** Environment variable holding the client secret. */
  clientSecretEnv: envName.optional(),
  /** File holding the client secret. */
  clientSecretFile: filePath.optional(),
  /** Environment variable holding a PEM private key (`private_key_jwt`). */
  privateKeyEnv: envName.optional(),
  /** File holding a PEM private key (`private_key_jwt`). */
  privateKeyFile: filePath.optional(),
  /** JWS algorithm of the client assertion. Default: the key's own. */
  signingAlgorithm: z.string().min(1).optional(),
};

const credentialCount = (grant: Record<string, unknown>): number =>
  ['clientSecretEnv', 'clientSecretFile', 'privateKeyEnv', 'privateKeyFile'].filter(
    (key) => grant[key] !== undefined,
  ).length;

/**
 * A grant instead of a person's login: `client_credentials` (a machine client), or `jwt-bearer` with
 * a token from the workload's environment (workload identity federation), read again at each grant.
 */
const grantSchema = z.discriminatedUnion('type', [
  z
    .strictObject({
      type: z.literal('client_credentials'),
      clientId: z.string().min(1),
      ...grantClientFields,
    })
    .refine((grant) => credentialCount(grant) === 1, {
      error: 'needs exactly one of clientSecretEnv, clientSecretFile, privateKeyEnv, privateKeyFile',
    }),
  z
    .strictObject({
      type: z.literal('jwt-bearer'),
      /** The client id, when the authorization server wants one. */
      clientId: z.string().min(1).optional(),
      ...grantClientFields,
      /** File holding the workload's token (e.g. a projected service-account token), read at each grant. */
      assertionFile: filePath.optional(),
      /** Environment variable holding the workload's token, read at each grant. */
      assertionEnv: envName.optional(),
    })
    .refine((grant) => (grant.assertionFile === undefined) !== (grant.assertionEnv === undefined), {
      error: 'needs exactly one of assertionFile, assertionEnv',
    })
    .refine((grant) => credentialCount(grant) <= 1, {
      error: 'takes at most one of clientSecretEnv, clientSecretFile, privateKeyEnv, privateKeyFile',
    })
    .refine((grant) => credentialCount(grant) === 0 || grant.clientId !== undefined, {
      error: 'a client secret or key needs clientId',
    }),
]);

const authSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('none') }),
  z.strictObject({
    type: z.literal('bearer'),
    /** Environment variable holding a static bearer token. */
    tokenEnv: envName,
  }),
  z.strictObject({
    type: z.literal('oauth'),
    /** Pin: discovery must end at exactly this issuer, else the upstream fails with ISSUER_MISMATCH. */
    issuer: issuerUrl.optional(),
    scopes: z.array(z.string().min(1)).optional(),
    /** A built-in preset that must have shaped this upstream's discovery. */
    preset: presetName.optional(),
    clientId: z.string().min(1).optional(),
    /** Environment variable holding the client secret of `clientId`. */
    clientSecretEnv: envName.optional(),
    /** A grant instead of a person's login (`auth_login`); its tokens are obtained when needed. */
    grant: grantSchema.optional(),
  }),
]);

const upstreamSchema = z.strictObject({
  name: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_-]*$/, {
      error: 'must be letters, digits, "_" and "-", starting with a letter or digit',
    })
    .refine((name) => !name.includes('__'), { error: 'must not contain "__" (the tool name separator)' })
    // `notes_` + `__search` would read as `notes` + `___search`: with no "__" inside and no "_" at the
    // end, the first "__" of `<upstream>__<tool>` is always the separator.
    .refine((name) => !name.endsWith('_'), {
      error: 'must not end with "_" (its tool names <name>__<tool> would also read as another upstream\'s)',
    })
    .refine((name) => name.length <= 40, { error: 'must be at most 40 characters' }),
  url: resourceUrl,
  auth: authSchema.default({ type: 'oauth' }),
});

const configSchema = z.strictObject({
  listen: z
    .strictObject({
      host: z.string().min(1).default('127.0.0.1'),
      port: z.number().int().min(0).max(65535).default(8080),
    })
    .prefault({}),
  /**
   * Who may use the aggregator's own endpoint. `oauth`: a bearer token of the team's identity provider,
   * checked for issuer, audience, expiry and signature (or by introspection); every user has their own
   * upstream logins. `none`: nobody is asked — one implicit user, for one person on loopback.
   */
  auth: z
    .discriminatedUnion('type', [
      z.strictObject({
        type: z.literal('none'),
        /**
         * Weakens security: lets `listen.host` be a non-loopback address although nothing authenticates
         * clients, so anyone who reaches the port uses every upstream login.
         */
        allowNonLoopbackListen: z.boolean().default(false),
      }),
      z.strictObject({
        type: z.literal('oauth'),
        /** The team's identity provider: the only issuer whose tokens are accepted. */
        issuer: issuerUrl,
        /** The `aud` tokens must carry. Default: the aggregator's resource URL (`<publicUrl>/mcp`, RFC 8707). */
        audience: z.string().min(1).optional(),
        /** Scopes announced in the protected resource metadata (`scopes_supported`). */
        scopes: z.array(z.string().min(1)).optional(),
        /** Operators: users whose token has `value` in `claim` see every user's status (no secrets) at `/status/users`. */
        adminGroup: z
          .strictObject({ claim: z.string().min(1).default('groups'), value: z.string().min(1) })
          .optional(),
        /** Weakens security: accept JWTs whose `typ` is not `at+jwt` (RFC 9068), e.g. ID tokens. */
        allowUntypedJwt: z.boolean().default(false),
        /**
         * Browser sign-in to the status page at the issuer (authorization code + PKCE) with this client;
         * its redirect URI is `<publicUrl>/ui/callback`. Without it the page wants a bearer token.
         */
        browser: z
          .strictObject({
            clientId: z.string().min(1),
            /** Environment variable holding the client's secret (absent: a public client). */
            clientSecretEnv: envName.optional(),
            /** How long a page session lasts. */
            sessionHours: z
              .number()
              .int()
              .min(1)
              .max(24 * 30)
              .default(8),
          })
          .optional(),
        /** Check tokens by RFC 7662 introspection (opaque tokens) instead of as JWTs. */
        introspection: z
          .strictObject({
            /** Default: the issuer's advertised `introspection_endpoint`. */
            endpoint: httpUrl.optional(),
            clientId: z.string().min(1),
            clientSecretEnv: envName,
          })
          .optional(),
      }),
    ])
    .prefault({ type: 'none' }),
  /** Where logins in progress, tokens and client registrations are kept (encrypted, see docs/stores.md). */
  store: z
    .discriminatedUnion('type', [
      /** Files in `storageDir`: one machine. */
      z.strictObject({ type: z.literal('file') }),
      /** One Redis shared by every instance. */
      z.strictObject({
        type: z.literal('redis'),
        url: z.string().regex(/^rediss?:\/\//, { error: 'must be a redis:// or rediss:// URL' }),
        /** Prefix of every Redis key (one per deployment). */
        prefix: z.string().min(1).default('oauth-discovery-aggregator:'),
      }),
    ])
    .prefault({ type: 'file' }),
  /** Public base URL of this aggregator (the OAuth callback is `<publicUrl>/oauth/callback`). Default: the listen address. */
  publicUrl: httpUrl.optional(),
  /** The folder of the file store (`store.type: file`). */
  storageDir: z.string().min(1).default('./.aggregator'),
  discovery: z
    .strictObject({
      deadlineMs: z.number().int().min(100).default(30_000),
      requestTimeoutMs: z.number().int().min(100).default(10_000),
      /** Weakens the SSRF guard: metadata URLs may point at private and loopback addresses. */
      allowPrivateNetwork: z.boolean().default(false),
      /** Discoveries running at once at start-up. */
      concurrency: z.number().int().min(1).max(256).default(16),
      /** Built-in presets to run (default all), or `false`. */
      presets: z.union([z.array(presetName), z.literal(false)]).optional(),
      /** Moves presets onto other origins (self-hosted replicas). */
      presetHosts: z.record(z.string(), originUrl).optional(),
      /** How long fetched metadata documents are shared between upstreams, in seconds. */
      metadataCacheSeconds: z.number().int().min(0).default(300),
    })
    .prefault({}),
  reconnect: z
    .strictObject({
      initialDelayMs: z.number().int().min(10).default(1000),
      maxDelayMs: z.number().int().min(10).default(60_000),
      /** Interval of the health ping of connected upstreams. */
      healthIntervalMs: z.number().int().min(50).default(30_000),
      connectTimeoutMs: z.number().int().min(100).default(15_000),
    })
    .prefault({}),
  oauth: z
    .strictObject({
      /** How long a started login waits for its callback. */
      loginTtlSeconds: z.number().int().min(1).default(600),
      /** Refresh an access token this long before it expires. */
      refreshSkewSeconds: z.number().int().min(0).default(60),
      clientName: z.string().min(1).default('oauth-discovery aggregator'),
    })
    .prefault({}),
  /** MCP sessions of the aggregator's own endpoint (one per connected client). */
  sessions: z
    .strictObject({
      /** At most this many at once; a new one closes the least recently used. */
      max: z.number().int().min(1).max(100_000).default(1000),
      /** At most this many per user (`auth.type: oauth`); a user's new one closes their least recently used. */
      maxPerUser: z.number().int().min(1).max(100_000).default(50),
      /** A session with no request for this long is closed (its client initializes again). */
      idleSeconds: z.number().int().min(1).default(1800),
    })
    .prefault({}),
  shutdownGraceMs: z.number().int().min(0).default(10_000),
  upstreams: z.array(upstreamSchema).min(1, { error: 'must list at least one upstream' }),
});

/** The aggregator's configuration, defaults filled in. */
export type AggregatorConfig = z.output<typeof configSchema>;
/** The configuration as written in the file (defaults optional). */
export type AggregatorConfigInput = z.input<typeof configSchema>;
/** One upstream MCP server. */
export type UpstreamConfig = AggregatorConfig['upstreams'][number];
/** How the aggregator authenticates to an upstream. */
export type UpstreamAuth = UpstreamConfig['auth'];
/** The grant block of an upstream's `auth`. */
export type UpstreamGrant = z.output<typeof grantSchema>;

/** `upstreams[2].auth.clientId` from a key path. */
function keyOf(path: readonly PropertyKey[]): string {
  let key = '';
  for (const part of path) {
    key += typeof part === 'number' ? `[${part}]` : `${key === '' ? '' : '.'}${String(part)}`;
  }
  return key === '' ? '(top level)' : key;
}

/** The zod issue as problems with a key path each (one per unknown key). */
function problemsOf(issue: z.core.$ZodIssue): ConfigProblem[] {
  const path = issue.path.filter((part) => typeof part !== 'symbol');
  if (issue.code === 'unrecognized_keys')
    return issue.keys.map((key) => ({ path: [...path, key], message: 'unknown key' }));
  if (issue.code === 'invalid_type' && issue.input === undefined) return [{ path, message: 'is required' }];
  return [{ path, message: issue.message }];
}

/** Every problem at once: the schema's (per key) and the checks across keys. */
function check(
  value: unknown,
  source: string,
  locate?: (path: readonly PropertyKey[]) => string | undefined,
): AggregatorConfig {
  const parsed = configSchema.safeParse(value);
  const problems = [
    ...(parsed.success ? [] : parsed.error.issues.flatMap(problemsOf)),
    ...crossChecks(value),
  ];
  if (parsed.success && problems.length === 0) return parsed.data;
  // With positions each problem says where it is (`file:line:column: key: why`), in file order.
  const located = problems.map((problem) => ({ problem, at: locate?.(problem.path) }));
  const order = (at: string | undefined) => (at ?? '0:0').split(':').map(Number) as [number, number];
  if (locate) located.sort((a, b) => order(a.at)[0] - order(b.at)[0] || order(a.at)[1] - order(b.at)[1]);
  const lines = located.map(
    ({ problem, at }) =>
      `${locate ? `${source}${at === undefined ? '' : `:${at}`}: ` : ''}${keyOf(problem.path)}: ${problem.message}`,
  );
  throw new DiscoveryError(
    ErrorCodes.INVALID_CONFIG,
    locate ? lines.join('; ') : `${source}: ${lines.join('; ')}`,
    {
      url: source,
      expected: 'a valid aggregator configuration (see docs/aggregator.md)',
      actual: lines,
      cause: parsed.success ? undefined : parsed.error,
    },
  );
}

/**
 * Validates a parsed configuration object. `source` names the file in messages.
 *
 * @throws {DiscoveryError} `INVALID_CONFIG` whose message names every bad key and why, all at once.
 */
export function validateConfig(value: unknown, source = 'config'): AggregatorConfig {
  return check(value, source);
}

/**
 * Parses YAML (JSON is YAML too) and validates it; every problem is reported at once, each with the
 * `source:line:column` of its node.
 *
 * @throws {DiscoveryError} `INVALID_CONFIG` for bad YAML or a bad configuration.
 */
export function parseConfig(text: string, source = 'config'): AggregatorConfig {
  const parsed = parseWithPositions(text);
  if (parsed.syntaxErrors.length > 0) {
    const lines = parsed.syntaxErrors.map((error) => `${source}:${error}`);
    throw new DiscoveryError(ErrorCodes.INVALID_CONFIG, `not valid YAML: ${lines.join('; ')}`, {
      url: source,
      expected: 'YAML',
      actual: lines,
    });
  }
  return check(parsed.value, source, parsed.locate);
}

/**
 * Reads and validates the configuration file; relative `storageDir` is resolved against the file's folder.
 *
 * @throws {DiscoveryError} `INVALID_CONFIG` (unreadable file, bad YAML, bad key).
 */
export async function loadConfig(path: string): Promise<AggregatorConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw new DiscoveryError(ErrorCodes.INVALID_CONFIG, `Cannot read config file ${path}: ${String(cause)}`, {
      url: path,
      cause,
    });
  }
  const config = parseConfig(text, path);
  return { ...config, storageDir: resolve(resolve(path, '..'), config.storageDir) };
}

/**
 * Reads an upstream's secrets from the environment.
 *
 * @throws {DiscoveryError} `INVALID_CONFIG` naming the key and the variable when one is unset.
 */
export function readSecret(
  env: Readonly<Record<string, string | undefined>>,
  variable: string,
  key: string,
): string {
  const value = env[variable];
  if (value === undefined || value === '') {
    throw new DiscoveryError(
      ErrorCodes.INVALID_CONFIG,
      `${key}: environment variable ${variable} is not set`,
      { expected: `a value in $${variable}`, actual: null },
    );
  }
  return value;
}
