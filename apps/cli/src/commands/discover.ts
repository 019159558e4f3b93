import { createRecommendedPipeline } from 'oauth-discovery';
import { discoveryCacheDir, pipelineOptionsFor } from '../discovery-options.js';
import { type ExitCode, ExitCodes } from '../exit-codes.js';
import { type CliIo, useColor, writeLine } from '../io.js';
import type { CliOptions } from '../options.js';
import { painter } from '../render/color.js';
import { discoverJson } from '../render/discovery-json.js';
import { formatDiscovery } from '../render/discovery-text.js';
import { progressFor } from '../render/progress.js';
import { openSvgOutput, type SvgOutput } from '../render/svg-output.js';
import { reportError } from '../report-error.js';

/**
 * `oauth-discovery discover <url>`: runs the recommended pipeline and prints the trace and the result
 * (or, with `--json`, one JSON object). Progress goes to stderr while it works. Results and misses
 * are cached in files in the CLI's state directory (`--no-cache` bypasses the cache).
 *
 * @see https://modelcontextprotocol.io/specification/2025-11-25/basic/authorization#authorization-server-discovery
 */
export async function discoverCommand(url: string, options: CliOptions, io: CliIo): Promise<ExitCode> {
  const json = options.json === true;
  const color = useColor(io.stdout, io.env);
  const progress = progressFor(io, json);
  let svg: SvgOutput | undefined;
  try {
    svg = await openSvgOutput(options.svg);
    // Results outlive the process: a second run asks the servers nothing while the result is fresh.
    const cacheDir = options.cache === false ? undefined : await discoveryCacheDir(io.env);
    const pipeline = createRecommendedPipeline(
      await pipelineOptionsFor(url, options, progress.discovery, cacheDir),
    );
    try {
      const result = await pipeline.discover(url);
      progress.done();
      await svg?.write(result, io);
      writeLine(
        io.stdout,
        json
          ? JSON.stringify(discoverJson(result), null, 2)
          : formatDiscovery(result, painter(color), { color, verbose: options.verbose }),
      );
      return ExitCodes.OK;
    } finally {
      await pipeline.close();
    }
  } catch (error) {
    progress.done();
    await svg?.write(error, io);
    return reportError(io, error, { json, verbose: options.verbose });
  }
}
