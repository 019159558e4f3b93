import { listPresetFacts, type PresetDefinition } from '@oauth-discovery/core';
import { type BuiltInPreset, builtInPresets, defaultPresetNames, getPreset } from 'oauth-discovery';
import { type ExitCode, ExitCodes } from '../exit-codes.js';
import { type CliIo, useColor, writeLine } from '../io.js';
import type { CliOptions } from '../options.js';
import { painter } from '../render/color.js';

/** A preset as `presets --json` prints it. */
interface PresetListing {
  readonly name: string;
  readonly title: string;
  readonly description: string;
  readonly hosts: string[];
  /** Run by the recommended pipeline unless `presets` says otherwise. */
  readonly runsByDefault: boolean;
  readonly needsConfiguration?: string | undefined;
  readonly facts: {
    id: string;
    statement: string;
    observed: string;
    source: string;
    evidence: 'reported' | 'thin';
    usedBy: string[];
  }[];
}

function listing(preset: BuiltInPreset): PresetListing {
  const definition: PresetDefinition = preset.definition;
  return {
    name: definition.name,
    title: definition.title,
    description: definition.description,
    hosts: [...definition.hosts],
    runsByDefault: defaultPresetNames.includes(definition.name),
    needsConfiguration: preset.needsConfiguration,
    facts: listPresetFacts(definition).map(({ id, statement, observed, source, evidence, usedBy }) => ({
      id,
      statement,
      observed,
      source,
      evidence: evidence ?? 'reported',
      usedBy: [...usedBy],
    })),
  };
}

/**
 * `oauth-discovery presets [name]`: every built-in provider preset (or the one named) with its facts —
 * what was observed, when and where it was reported, how strong the evidence is, and which parts of the
 * preset rely on it. An unknown name is `INVALID_CONFIG` (exit 2), naming the known presets.
 */
export async function presetsCommand(
  name: string | undefined,
  options: CliOptions,
  io: CliIo,
): Promise<ExitCode> {
  const chosen = name === undefined ? builtInPresets : [getPreset(name)];
  const presets = chosen.map(listing);
  if (options.json === true) {
    writeLine(io.stdout, JSON.stringify(name === undefined ? { presets } : { preset: presets[0] }, null, 2));
    return ExitCodes.OK;
  }
  const paint = painter(useColor(io.stdout, io.env));
  for (const preset of presets) {
    writeLine(io.stdout, `${paint('bold', preset.name)} — ${preset.title}: ${preset.description}`);
    writeLine(io.stdout, `  hosts: ${preset.hosts.join(', ')}`);
    if (preset.needsConfiguration !== undefined) {
      writeLine(io.stdout, `  not run by default; configure ${preset.needsConfiguration}`);
    }
    for (const fact of preset.facts) {
      const thin = fact.evidence === 'thin' ? ` ${paint('yellow', '(thin evidence)')}` : '';
      writeLine(io.stdout, `  ${paint('cyan', `[${fact.observed}]`)} ${fact.statement}${thin}`);
      writeLine(io.stdout, paint('dim', `      source: ${fact.source}`));
      if (name !== undefined) writeLine(io.stdout, paint('dim', `      id: ${fact.id}`));
      if (fact.usedBy.length > 0)
        writeLine(io.stdout, paint('dim', `      used by: ${fact.usedBy.join('; ')}`));
    }
    writeLine(io.stdout);
  }
  writeLine(
    io.stdout,
    paint(
      'dim',
      name === undefined
        ? 'Details of one: oauth-discovery presets <name>. Use one with --preset <name>, try it on a replica with --preset-hosts <name>=<origin>.'
        : `Use it with --preset ${name}; try it on a loopback replica with --preset-hosts ${name}=http://127.0.0.1:<port>.`,
    ),
  );
  return ExitCodes.OK;
}
