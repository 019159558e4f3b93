/**
 * The fetch a transport uses, as both MCP SDK lines declare it (WHATWG `fetch` shapes), without
 * depending on either SDK.
 */
export type FetchLike = (url: string | URL, init?: RequestInit) => Promise<Response>;
