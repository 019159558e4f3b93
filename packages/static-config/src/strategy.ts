import {
  type AuthorizationServerFound,
  abortReason,
  type Contribution,
  type DiscoveryStrategy,
  type IssuerCandidate,
  type ProviderHints,
  type StrategyContext,
  type StrategyOutcome,
} from '@oauth-discovery/core';
import { fetchAuthorizationServerMetadata } from '@oauth-discovery/core/metadata';
import { tryInOrder } from '@oauth-discovery/core/strategy-kit';
import { describeStaticMatch, findStaticConfigEntry } from './match.js';
import { validateStaticConfig } from './schema.js';
import type { StaticConfig, StaticConfigEntry } from './types.js';

const SOURCE = 'static-config';

/** The `static-config` strategy; `config` is the validated configuration in effect. */
export interface StaticConfigStrategy extends DiscoveryStrategy {
  readonly config: StaticConfig;
}

function hintsOf(entry: StaticConfigEntry, where: string): ProviderHints {
  return {
    ...entry.hints,
    // Kept as a spread: an own `undefined` would hide a later strategy's `defaultScopes` when hints merge.
    ...(entry.scopes === undefined ? {} : { defaultScopes: entry.scopes }),
    notes: [...(entry.hints?.notes ?? []), `${SOURCE}: pinned by the operator (${where})`],
  };
}

function candidate(issuer: string, entry: StaticConfigEntry): IssuerCandidate {
  return {
    issuer,
    source: SOURCE,
    acceptedIssuers: entry.acceptedIssuers,
  };
}

async function fromMetadataUrl(
  ctx: StrategyContext,
  entry: StaticConfigEntry,
  url: string,
  hints: ProviderHints,
): Promise<StrategyOutcome> {
  const result = await tryInOrder<AuthorizationServerFound>(ctx, [
    {
      url,
      label: 'operator-pinned metadata URL',
      fetch: () =>
        fetchAuthorizationServerMetadata(ctx.http, url, {
          issuer: entry.issuer ?? null,
          acceptedIssuers: entry.acceptedIssuers,
          source: SOURCE,
        }),
    },
  ]);
  if (result.status === 'found') {
    const found = result.value;
    const notes =
      found.issuerCheck === 'adopted'
        ? [
            `issuer ${found.issuer} adopted from the operator-pinned metadata URL ${url} (no issuer was pinned)`,
          ]
        : [`metadata at ${url} names issuer ${found.issuer} (${found.issuerCheck})`];
    const contribution: Contribution = {
      authorizationServer: found,
      issuers: [candidate(entry.issuer ?? found.issuer, entry)],
      hints,
    };
    return { status: 'found', contribution, notes };
  }
  if (entry.issuer !== undefined) {
    // The pin still holds: rfc8414/oidc look the pinned issuer up, with the strict check.
    return {
      status: 'found',
      contribution: { issuers: [candidate(entry.issuer, entry)], hints },
      notes: [
        `operator-pinned metadata URL missed (${result.reason}); issuer ${entry.issuer} is left to the standard lookup`,
      ],
    };
  }
  return { status: 'not-found', reason: `operator-pinned metadata URL missed: ${result.reason}` };
}

async function run(config: StaticConfig, ctx: StrategyContext): Promise<StrategyOutcome> {
  const { resource } = ctx.state;
  if (ctx.signal.aborted) throw abortReason(ctx.signal, `Discovery of ${resource}`, { url: resource });
  const match = findStaticConfigEntry(config, resource);
  if (match === undefined) {
    return {
      status: 'skipped',
      reason: `no static configuration entry matches resource ${resource} (${config.resources.length} entries)`,
    };
  }
  const { entry, index } = match;
  const where = `resources[${index}], ${describeStaticMatch(entry.resource)}`;
  const hints = hintsOf(entry, where);
  const matched = `resource ${resource} matches ${where}`;
  const presetNote =
    entry.preset === undefined
      ? []
      : [`entry names preset ${entry.preset} (applied by the composing pipeline)`];

  if (entry.metadata !== undefined) {
    const authorizationServer: AuthorizationServerFound = {
      issuer: entry.metadata.issuer,
      metadataUrl: null,
      metadata: entry.metadata,
      issuerCheck: 'configured',
      source: SOURCE,
    };
    return {
      status: 'found',
      contribution: { authorizationServer, issuers: [candidate(entry.metadata.issuer, entry)], hints },
      notes: [
        matched,
        ...presetNote,
        `authorization server metadata configured inline for ${entry.metadata.issuer} (no request)`,
      ],
    };
  }
  if (entry.metadataUrl !== undefined) {
    const outcome = await fromMetadataUrl(ctx, entry, entry.metadataUrl, hints);
    return outcome.status === 'found'
      ? { ...outcome, notes: [matched, ...presetNote, ...(outcome.notes ?? [])] }
      : outcome;
  }
  const issuer = entry.issuer as string;
  const aliases = entry.acceptedIssuers ?? [];
  return {
    status: 'found',
    contribution: { issuers: [candidate(issuer, entry)], hints },
    notes: [
      matched,
      ...presetNote,
      aliases.length === 0
        ? `issuer ${issuer} pinned; its metadata must name exactly it`
        : `issuer ${issuer} pinned; its metadata may name only ${[issuer, ...aliases].join(' or ')}`,
    ],
  };
}

/**
 * The `static-config` strategy: operator-pinned configuration per resource, validated at creation.
 * For the first entry matching the resource (see `findStaticConfigEntry` for the order) it contributes:
 *
 * - `issuer` → the issuer candidate (first in order, since this strategy runs first), with its
 *   `acceptedIssuers`; `rfc8414`/`oidc` fetch its metadata and check the issuer strictly;
 * - `metadataUrl` → fetches it now; the issuer must be `issuer` (or an accepted alias) when given, else
 *   it is adopted (traced: the pinned URL is the operator's trust decision). A miss is `not-found`, or —
 *   with `issuer` — falls back to contributing the issuer candidate. `ISSUER_MISMATCH` and other
 *   security errors are thrown, never swallowed;
 * - `metadata` → the authorization server itself (`issuerCheck: 'configured'`, no request);
 *
 * plus `hints` (with `scopes` as `defaultScopes`). Resources no entry matches are `skipped`. It declares
 * no `contributes` keys, so the runner never skips it.
 *
 * @throws {DiscoveryError} `INVALID_CONFIG` at creation, naming the bad key (`resources[2].issuer: …`).
 * @see https://www.rfc-editor.org/rfc/rfc8414#section-3.3
 */
export function staticConfig(config: StaticConfig | readonly StaticConfigEntry[]): StaticConfigStrategy {
  const validated = validateStaticConfig(config);
  return {
    name: SOURCE,
    config: validated,
    run: (ctx) => run(validated, ctx),
  } satisfies StaticConfigStrategy;
}
