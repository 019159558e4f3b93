import { isLoopbackHost, urlSecurityProblem } from '@oauth-discovery/core/http';

/** One problem of a configuration: where (a key path) and what. */
export interface ConfigProblem {
  readonly path: readonly (string | number)[];
  readonly message: string;
}

/** Bind addresses meaning "every interface". */
export const WILDCARD_HOSTS: ReadonlySet<string> = new Set(['0.0.0.0', '::', '[::]']);

type Fields = Readonly<Record<string, unknown>>;

const fields = (value: unknown): Fields =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Fields) : {};
const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const integer = (value: unknown, fallback: number): number =>
  typeof value === 'number' && Number.isInteger(value) ? value : fallback;

function urlOf(value: unknown): URL | undefined {
  return typeof value === 'string' ? (URL.parse(value) ?? undefined) : undefined;
}

function listenChecks(config: Fields): ConfigProblem[] {
  const host = text(fields(config.listen).host) ?? '127.0.0.1';
  if (isLoopbackHost(host)) return [];
  const auth = fields(config.auth);
  if ((auth.type ?? 'none') === 'none' && auth.allowNonLoopbackListen !== true)
    return [
      {
        path: ['listen', 'host'],
        message: `${host} is not a loopback address and auth.type is none: anyone who can reach the port would use every upstream login; listen on 127.0.0.1, or set auth.allowNonLoopbackListen: true to accept that (weakens security)`,
      },
    ];
  if (WILDCARD_HOSTS.has(host) && config.publicUrl === undefined)
    return [
      {
        path: ['publicUrl'],
        message: `is required when listen.host is ${host}: requests are accepted only for the Host and Origin of publicUrl (and localhost)`,
      },
    ];
  return [];
}

function upstreamChecks(config: Fields): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const upstreams = Array.isArray(config.upstreams) ? (config.upstreams as unknown[]) : [];
  const presets = fields(config.discovery).presets;
  const names = new Map<string, number>();
  // One resource, one upstream: tokens are stored per resource and issuer, and a pin per resource.
  const urls = new Map<string, number>();
  upstreams.forEach((entry, index) => {
    const upstream = fields(entry);
    const auth = fields(upstream.auth);
    const authType = text(auth.type) ?? (upstream.auth === undefined ? 'oauth' : undefined);
    const target = urlOf(upstream.url);
    if (target !== undefined) {
      const first = urls.get(target.href);
      if (first !== undefined)
        problems.push({
          path: ['upstreams', index, 'url'],
          message: `duplicate upstream url ${target.href} (also upstreams[${first}].url)`,
        });
      else urls.set(target.href, index);
      if ((authType === 'bearer' || authType === 'oauth') && urlSecurityProblem(target) === 'plain-http')
        problems.push({
          path: ['upstreams', index, 'url'],
          message: `is plain http to a non-loopback host: with auth.type ${authType} the ${authType === 'bearer' ? 'token from auth.tokenEnv' : 'access token'} would travel in clear; use https (http only for loopback hosts)`,
        });
    }
    const preset = authType === 'oauth' ? text(auth.preset) : undefined;
    if (preset !== undefined && (presets === false || (Array.isArray(presets) && !presets.includes(preset))))
      problems.push({
        path: ['upstreams', index, 'auth', 'preset'],
        message: `preset ${preset} is not enabled: discovery.presets is ${JSON.stringify(presets)}`,
      });
    const name = text(upstream.name);
    if (name === undefined) return;
    const first = names.get(name);
    if (first !== undefined)
      problems.push({
        path: ['upstreams', index, 'name'],
        message: `duplicate upstream name "${name}" (also upstreams[${first}].name)`,
      });
    else names.set(name, index);
  });
  return problems;
}

/**
 * The checks that relate several keys, run on the configuration as written (defaults assumed where a
 * key is absent), so they are reported together with every per-key error rather than after them.
 * A value of the wrong type is skipped here: the schema reports it.
 */
export function crossChecks(input: unknown): ConfigProblem[] {
  const config = fields(input);
  const reconnect = fields(config.reconnect);
  const initial = integer(reconnect.initialDelayMs, 1000);
  const problems: ConfigProblem[] =
    integer(reconnect.maxDelayMs, 60_000) < initial
      ? [
          {
            path: ['reconnect', 'maxDelayMs'],
            message: `must be at least reconnect.initialDelayMs (${initial})`,
          },
        ]
      : [];
  return [...problems, ...listenChecks(config), ...upstreamChecks(config)];
}
