export { toResourceChallenge } from './challenge.js';
export type { Challenge } from './parse.js';
export { formatChallenge, isToken, isToken68, parseWwwAuthenticate } from './parse.js';
export type { WwwAuthenticateOptions } from './strategy.js';
export {
  buildProbeRequest,
  DEFAULT_PROBE_CLIENT_INFO,
  PROBE_PROTOCOL_VERSION,
  processProbeResponse,
  wwwAuthenticate,
} from './strategy.js';
