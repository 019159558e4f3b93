import type { FileHandle } from 'node:fs/promises';
import { open, rm } from 'node:fs/promises';
import { DiscoveryError, ErrorCodes } from '@oauth-discovery/core';
import { renderDiscoverySvg } from '@oauth-discovery/trace-svg';
import { markUsageError } from '../exit-codes.js';
import { type CliIo, writeLine } from '../io.js';

/** Where `--svg <file>` writes the waterfall of the discovery. */
export interface SvgOutput {
  readonly file: string;
  /**
   * Writes the waterfall of `outcome` — what `discover()` resolved with or threw — and closes the
   * file. Without a trace (the command failed before discovering), removes the file and says so.
   */
  write(outcome: unknown, io: CliIo): Promise<void>;
}

/**
 * Opens the `--svg` file before any request, so a path that cannot be written fails at once with
 * `INVALID_CONFIG` (exit 2) instead of after the discovery. `undefined` without `--svg`.
 */
export async function openSvgOutput(file: string | undefined): Promise<SvgOutput | undefined> {
  if (file === undefined) return undefined;
  let handle: FileHandle;
  try {
    handle = await open(file, 'w');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw markUsageError(
      new DiscoveryError(ErrorCodes.INVALID_CONFIG, `--svg ${file}: cannot write the file (${reason})`, {
        cause: error,
      }),
    );
  }
  let written = false;
  return {
    file,
    async write(outcome, io) {
      if (written) return;
      written = true;
      const svg = renderDiscoverySvg(outcome);
      try {
        if (svg !== undefined) await handle.writeFile(`${svg}\n`, 'utf8');
      } finally {
        await handle.close();
      }
      if (svg === undefined) {
        await rm(file, { force: true });
        writeLine(io.stderr, `no discovery trace to draw: ${file} not written`);
      } else {
        writeLine(io.stderr, `waterfall of the discovery written to ${file}`);
      }
    },
  };
}
