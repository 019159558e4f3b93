// `@oauth-discovery/core/http`: the safe HTTP client and its address rules (RFC 9728 §7.7: no
// private, loopback or cloud-metadata addresses unless allowed by name).

export type { HttpSource } from '../pipeline/options.js';
export { httpSourceOf } from '../pipeline/options.js';
export { isCloudMetadataAddress } from './address-cloud-metadata.js';
export type { AgentPool, GuardPolicy } from './address-guard.js';
export { assertAddressLiteralAllowed, createAgentPool } from './address-guard.js';
export type { AddressPolicy, AddressRange } from './address-policy.js';
export { classifyAddress, isAddressAllowed, isLoopbackHost } from './address-policy.js';
export type { SafeHttpClient } from './client.js';
export { createHttpClient } from './client.js';
export type { HttpClientOptions } from './client-options.js';
export { resourceAddressRanges } from './resource-ranges.js';
export { parseHttpUrl, requireAbsoluteUrl, requireHttpUrl, urlSecurityProblem } from './url-policy.js';
