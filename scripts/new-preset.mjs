#!/usr/bin/env node
// Scaffolds a provider preset package: packages/preset-<name>/ with package.json and tsconfigs (from
// scripts/package-template.mjs), src/facts.ts, src/index.ts, test/preset.test.ts against a testkit
// replica, README.md, and a changeset. See docs/presets.md.
//
//   pnpm new:preset <name> [--dry-run] [--root <repository root>]
//
// <name> is kebab-case (`acme`, `acme-cloud`). Refuses a bad name and an existing package.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writePackageSkeleton } from './package-template.mjs';

const NAME = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;

function fail(message) {
  process.stderr.write(`new-preset: ${message}\n`);
  process.exit(1);
}

function parseArgs(argv) {
  const options = {
    dryRun: false,
    root: resolve(dirname(fileURLToPath(import.meta.url)), '..'),
    name: undefined,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--dry-run') options.dryRun = true;
    else if (arg === '--root') {
      const value = argv[++i];
      if (value === undefined) fail('--root needs a directory');
      options.root = resolve(value);
    } else if (arg === '--help' || arg === '-h') {
      process.stdout.write('usage: pnpm new:preset <name> [--dry-run] [--root <repository root>]\n');
      process.exit(0);
    } else if (arg.startsWith('-')) fail(`unknown option ${arg}`);
    else if (options.name === undefined) options.name = arg;
    else fail(`unexpected argument ${arg}`);
  }
  return options;
}

const { dryRun, root, name } = parseArgs(process.argv.slice(2));
if (name === undefined) fail('missing <name>; usage: pnpm new:preset <name> [--dry-run]');
if (!NAME.test(name))
  fail(`bad name "${name}": use kebab-case letters and digits, e.g. "acme" or "acme-cloud"`);
if (name.startsWith('preset-'))
  fail(`bad name "${name}": give the provider only, the package is named preset-<name>`);
if (!existsSync(join(root, 'pnpm-workspace.yaml')))
  fail(`${root} is not the repository root (no pnpm-workspace.yaml)`);

const dir = `packages/preset-${name}`;
if (existsSync(join(root, dir))) fail(`${dir} already exists`);

const words = name.split('-');
const title = words.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join(' ');
const fn = words.map((w, i) => (i === 0 ? w : w.charAt(0).toUpperCase() + w.slice(1))).join('');
const today = new Date().toISOString().slice(0, 10);
const pkg = `@oauth-discovery/preset-${name}`;
const mcpHost = `https://mcp.${name}.example`;
const authHost = `https://auth.${name}.example`;

const files = {
  'src/facts.ts': `import type { PresetDefinition, PresetFact } from '@oauth-discovery/core';

/**
 * What has been observed of ${title}, each with the day it was observed and where it was reported.
 * TODO: replace the example with real facts (see docs/presets.md). When a fact stops holding, add the
 * new one with its date rather than editing the old one. Where the evidence is thin (one capture, no
 * public thread), set \`evidence: 'thin'\`.
 */
export const ${fn}Facts: readonly PresetFact[] = [
  {
    id: 'foreign-issuer',
    statement: 'TODO: what was observed, e.g. the metadata at ${mcpHost} names issuer ${authHost}',
    observed: '${today}',
    source: 'TODO: a link to the issue, report or documentation',
  },
];

/**
 * ${title} as a preset: TODO say in one sentence what it contributes and why.
 *
 * @see https://www.rfc-editor.org/rfc/rfc8414#section-3.3
 */
export const ${fn}Preset: PresetDefinition = {
  name: '${name}',
  title: '${title}',
  description: 'TODO: one line for the presets list.',
  hosts: ['${mcpHost}', '${authHost}'],
  facts: ${fn}Facts,
  resources: [
    {
      label: '${title} MCP endpoint',
      match: [{ url: '${mcpHost}/mcp' }],
      issuerPolicies: [
        {
          match: { exact: '${mcpHost}' },
          acceptedIssuers: [{ issuer: '${authHost}', facts: ['foreign-issuer'] }],
          facts: ['foreign-issuer'],
        },
      ],
      facts: ['foreign-issuer'],
    },
  ],
};
`,
  'src/index.ts': `import { createPresetStrategy, type PresetStrategy, type PresetStrategyOptions } from '@oauth-discovery/core';
import { ${fn}Preset } from './facts.js';

export { ${fn}Facts, ${fn}Preset } from './facts.js';

/** Options of {@link ${fn}}: \`hosts\` moves the preset onto other origins (a loopback replica in tests). */
export type ${title.replace(/ /g, '')}Options = PresetStrategyOptions;

/**
 * The ${title} preset strategy, \`preset:${name}\`. Put it before the standard strategies.
 *
 * @see https://www.rfc-editor.org/rfc/rfc8414#section-3.3
 */
export function ${fn}(options: ${title.replace(/ /g, '')}Options = {}): PresetStrategy {
  return createPresetStrategy(${fn}Preset, options);
}
`,
  'test/preset.test.ts': `import { oidc } from '@oauth-discovery/oidc';
import { rfc8414 } from '@oauth-discovery/rfc8414';
import { rfc9728 } from '@oauth-discovery/rfc9728';
import { foreignIssuerWorld } from '@oauth-discovery/testkit';
import { testPreset } from '@oauth-discovery/testkit/preset-contract';
import { wwwAuthenticate } from '@oauth-discovery/www-authenticate';
import { ${fn}, ${fn}Preset } from '../src/index.js';

// Which world origin stands for each host of the preset. TODO: pick the testkit shape that reproduces
// ${title} (packages/testkit/src/provider-shapes*.ts), or add one there. For a provider that serves
// OpenID Connect discovery instead of RFC 8414, use foreignIssuerWorld({ form: 'oidc' }).
const hosts = { '${mcpHost}': 'mcp', '${authHost}': 'auth' };

testPreset({
  definition: ${fn}Preset,
  create: (options) => ${fn}(options),
  strategies: () => [wwwAuthenticate(), rfc9728(), rfc8414(), oidc()],
  cases: [
    {
      name: 'as reported (${today}): the metadata names a foreign issuer',
      shape: foreignIssuerWorld(),
      hosts,
      expect: { issuerCheck: 'alias' },
      withoutPreset: 'ISSUER_MISMATCH',
    },
    {
      name: 'provider fixed it: the metadata names its own issuer',
      shape: foreignIssuerWorld({ fixed: true }),
      hosts,
      fixed: true,
      withoutPreset: 'found',
    },
  ],
});
`,
  'README.md': `# ${pkg}

Provider preset for **${title}**. TODO: what the standards cannot tell a client about ${title}, and what
this preset contributes instead (issuer candidates, accepted issuers, issuer policies, hints) — each
resting on a fact with the date it was observed and its source. It makes no request itself.

## Install

\`\`\`sh
pnpm add @oauth-discovery/core ${pkg}
\`\`\`

> Not on npm yet: until the first release this command fails. Install from a checkout or from packed tarballs
> (\`pnpm pack:all\`): [docs/install.md](../../docs/install.md).

## Use

\`\`\`ts
import { createPipeline } from '@oauth-discovery/core';
import { oidc } from '@oauth-discovery/oidc';
import { ${fn} } from '${pkg}';
import { rfc8414 } from '@oauth-discovery/rfc8414';
import { rfc9728 } from '@oauth-discovery/rfc9728';
import { wwwAuthenticate } from '@oauth-discovery/www-authenticate';

const pipeline = createPipeline([${fn}(), wwwAuthenticate(), rfc9728(), rfc8414(), oidc()]);
const result = await pipeline.discover('${mcpHost}/mcp');
\`\`\`

## API

- \`${fn}(options?): PresetStrategy\` — the strategy \`preset:${name}\`.
- \`${fn}Preset: PresetDefinition\`, \`${fn}Facts: readonly PresetFact[]\`.

### Options

- \`hosts?: Record<string, string>\` — moves the preset onto other origins (a loopback replica in tests).
  Keys: ${[mcpHost, authHost].map((h) => `\`${h}\``).join(', ')}; values: origins only.

## Errors

\`${fn}()\` throws \`DiscoveryError\` \`INVALID_CONFIG\` for a bad \`hosts\` override, naming the key. At
discovery time the strategy is \`skipped\` for other resources and throws only \`ABORTED\`.

See \`docs/presets.md\` for how presets work.
`,
};

const changeset = `---
"${pkg}": minor
---

${title} preset. TODO: what it contributes, in one sentence for the changelog.
`;

const planned = [
  `${dir}/package.json`,
  `${dir}/tsconfig.json`,
  `${dir}/tsconfig.build.json`,
  ...Object.keys(files).map((f) => `${dir}/${f}`),
  `.changeset/preset-${name}-initial.md`,
];

if (dryRun) {
  process.stdout.write(
    `new-preset (dry run): would create in ${root}\n${planned.map((f) => `  ${f}`).join('\n')}\n`,
  );
  process.exit(0);
}

process.chdir(root);
writePackageSkeleton(dir, {
  name: pkg,
  description: `Provider preset for ${title}.`,
  peerDependencies: { '@oauth-discovery/core': 'workspace:0.x' },
  devDependencies: {
    '@oauth-discovery/core': 'workspace:^',
    '@oauth-discovery/oidc': 'workspace:^',
    '@oauth-discovery/rfc8414': 'workspace:^',
    '@oauth-discovery/rfc9728': 'workspace:^',
    '@oauth-discovery/testkit': 'workspace:*',
    '@oauth-discovery/www-authenticate': 'workspace:^',
  },
});
for (const [file, text] of Object.entries(files)) {
  mkdirSync(dirname(join(dir, file)), { recursive: true });
  writeFileSync(join(dir, file), text);
}
mkdirSync('.changeset', { recursive: true });
writeFileSync(join('.changeset', `preset-${name}-initial.md`), changeset);

// Line breaks depend on the name's length: let the project's formatter settle them.
const biome = join('node_modules', '.bin', 'biome');
if (existsSync(biome)) {
  try {
    // Not the changeset: biome's markdown formatter would rewrite its front matter.
    execFileSync(biome, ['check', '--write', dir], { stdio: 'ignore' });
  } catch {
    process.stderr.write(
      `new-preset: biome could not format ${dir}; run pnpm exec biome check --write ${dir}\n`,
    );
  }
}

process.stdout.write(
  `new-preset: created ${planned.length} files for ${pkg}:\n${planned.map((f) => `  ${f}`).join('\n')}\n\n` +
    `Next: pnpm install (links the workspace), replace every TODO (facts with dates and sources first),\n` +
    `then pnpm vitest run --project preset-${name}; to ship it, register it in\n` +
    `packages/oauth-discovery/src/presets.ts (builtInPresets), add it to the README package table and to\n` +
    `docs/provider-quirks.md. Walkthrough: docs/presets.md\n`,
);
