export type { Rfc8414Options } from './strategy.js';
export { rfc8414, rfc8414Search } from './strategy.js';
