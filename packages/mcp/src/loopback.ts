/**
 * Whether a URL host name is a loopback host: `localhost`, an address in 127.0.0.0/8, or `[::1]`.
 * Used for the "https except loopback" rule and to allow a local MCP server's local authorization server.
 *
 * @see https://www.rfc-editor.org/rfc/rfc8252#section-7.3
 */
export function isLoopbackHostname(hostname: string): boolean {
  return (
    hostname === 'localhost' || hostname === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname)
  );
}
