#!/usr/bin/env node
import { resolve } from 'node:path';
import { isDiscoveryError } from '@oauth-discovery/core';
import { startAggregator } from './aggregator.js';
import { loadConfig } from './config.js';
import { createJsonLogger } from './log.js';

/** The `--config` value, resolved against the directory the user ran the command in (pnpm sets `INIT_CWD`). */
function configPath(argv: readonly string[]): string | undefined {
  const at = argv.indexOf('--config');
  const value =
    at >= 0 ? argv[at + 1] : argv.find((arg) => arg.startsWith('--config='))?.slice('--config='.length);
  return value === undefined ? undefined : resolve(process.env.INIT_CWD ?? process.cwd(), value);
}

/**
 * Command line: `node dist/main.js --config <file>`. Exit 2 for a bad configuration, 1 for anything else.
 * The MCP URL goes to stdout; events go to stderr as JSON lines.
 */
async function main(): Promise<void> {
  const path = configPath(process.argv.slice(2));
  if (!path) {
    console.error('usage: oauth-discovery-aggregator --config <file.yaml>');
    process.exitCode = 2;
    return;
  }
  // One JSON object per line on stderr: server text cannot forge a line (see log.ts).
  const log = createJsonLogger((line) => process.stderr.write(line));
  let aggregator: Awaited<ReturnType<typeof startAggregator>>;
  try {
    aggregator = await startAggregator(await loadConfig(path), { log });
  } catch (error) {
    console.error(isDiscoveryError(error) ? `${error.code}: ${error.message}` : error);
    process.exitCode = isDiscoveryError(error) ? 2 : 1;
    return;
  }
  console.log(`MCP endpoint: ${aggregator.mcpUrl}`);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log({ level: 'info', event: 'signal', signal, message: `${signal} received` });
    aggregator.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

await main();
