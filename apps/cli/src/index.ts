export type { ExitCode } from './exit-codes.js';
export { ExitCodes, exitCodeFor } from './exit-codes.js';
export type { CliIo, CliStream } from './io.js';
export { processIo } from './io.js';
export type { CliOptions } from './options.js';
export { run } from './run.js';
