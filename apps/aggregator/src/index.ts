export type { Aggregator, AggregatorOptions } from './aggregator.js';
export { startAggregator } from './aggregator.js';
export type { AggregatorConfig, AggregatorConfigInput, UpstreamAuth, UpstreamConfig } from './config.js';
export { loadConfig, parseConfig, validateConfig } from './config.js';
export { PATHS } from './http-server.js';
export type { LogEvent, Logger, LogLevel } from './log.js';
export { createJsonLogger, formatLogLine } from './log.js';
export { META_TOOLS, TOOL_SEPARATOR } from './tool-registry.js';
export type { UpstreamState, UpstreamStatus } from './upstream-status.js';
