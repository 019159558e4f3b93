export { loadStaticConfig } from './load.js';
export { describeStaticMatch, findStaticConfigEntry, globToRegExp, staticResourceMatches } from './match.js';
export { validateStaticConfig } from './schema.js';
export type { StaticConfigStrategy } from './strategy.js';
export { staticConfig } from './strategy.js';
export type { StaticConfig, StaticConfigEntry, StaticConfigMatch, StaticResourceMatch } from './types.js';
