import { listPresetFacts } from '@oauth-discovery/core';
import { builtInPresets } from 'oauth-discovery';
import { type ExitCode, ExitCodes } from '../exit-codes.js';
import { type CliIo, useColor, writeLine } from '../io.js';
import type { CliOptions } from '../options.js';
import { painter } from '../render/color.js';

/**
 * `oauth-discovery presets`: every built-in provider preset with its facts — what was observed, when
 * and where it was reported, and which parts of the preset rely on it.
 */
export async function presetsCommand(options: CliOptions, io: CliIo): Promise<ExitCode> {
  const presets = builtInPresets.map(({ definition }) => ({
    name: definition.name,
    title: definition.title,
    description: definition.description,
    hosts: [...definition.hosts],
    facts: listPresetFacts(definition).map(({ id, statement, observed, source, usedBy }) => ({
      id,
      statement,
      observed,
      source,
      usedBy: [...usedBy],
    })),
  }));
  if (options.json === true) {
    writeLine(io.stdout, JSON.stringify({ presets }, null, 2));
    return ExitCodes.OK;
  }
  const paint = painter(useColor(io.stdout, io.env));
  for (const preset of presets) {
    writeLine(io.stdout, `${paint('bold', preset.name)} — ${preset.title}: ${preset.description}`);
    writeLine(io.stdout, `  hosts: ${preset.hosts.join(', ')}`);
    for (const fact of preset.facts) {
      writeLine(io.stdout, `  ${paint('cyan', `[${fact.observed}]`)} ${fact.statement}`);
      writeLine(io.stdout, paint('dim', `      source: ${fact.source}`));
      if (fact.usedBy.length > 0)
        writeLine(io.stdout, paint('dim', `      used by: ${fact.usedBy.join('; ')}`));
    }
    writeLine(io.stdout);
  }
  writeLine(
    io.stdout,
    paint('dim', 'Use one with --preset <name>, or name it in a --config entry ("preset": "<name>").'),
  );
  return ExitCodes.OK;
}
