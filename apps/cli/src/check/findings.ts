/** How bad a finding is: `error` breaks spec-following clients, `warning` breaks some, `info` is worth knowing. */
export type Severity = 'error' | 'warning' | 'info';

/** One problem (or fact) `check` reports to a server's operators. */
export interface Finding {
  readonly severity: Severity;
  /** Stable rule id, kebab-case (`no-protected-resource-metadata`). */
  readonly rule: string;
  readonly message: string;
  /** The standard and section it rests on, for people: `RFC 9728 §3; MCP 2025-06-18`. */
  readonly reference: string;
  /** Where to read it. */
  readonly url: string;
  /** What the operators can change to clear it; `null` when there is no one fix (an outage, a fact). */
  readonly fix: string | null;
}

/** The standards `check` cites. */
export const REFERENCES = {
  rfc9728Prm: {
    reference: 'RFC 9728 §3; MCP 2025-06-18 Authorization',
    url: 'https://www.rfc-editor.org/rfc/rfc9728#section-3',
  },
  rfc9728Resource: { reference: 'RFC 9728 §3.3', url: 'https://www.rfc-editor.org/rfc/rfc9728#section-3.3' },
  rfc9728Header: { reference: 'RFC 9728 §5.1', url: 'https://www.rfc-editor.org/rfc/rfc9728#section-5.1' },
  rfc9728Ssrf: { reference: 'RFC 9728 §7.7', url: 'https://www.rfc-editor.org/rfc/rfc9728#section-7.7' },
  rfc6750Challenge: {
    reference: 'RFC 6750 §3; MCP 2025-06-18 Authorization',
    url: 'https://www.rfc-editor.org/rfc/rfc6750#section-3',
  },
  rfc8414Metadata: { reference: 'RFC 8414 §2', url: 'https://www.rfc-editor.org/rfc/rfc8414#section-2' },
  rfc8414Issuer: { reference: 'RFC 8414 §3.3', url: 'https://www.rfc-editor.org/rfc/rfc8414#section-3.3' },
  mcpDiscovery: {
    reference: 'MCP 2025-11-25 Authorization Server Discovery',
    url: 'https://modelcontextprotocol.io/specification/2025-11-25/basic/authorization#authorization-server-discovery',
  },
  mcpPkce: {
    reference: 'MCP 2025-11-25 Authorization Code Protection; RFC 7636',
    url: 'https://modelcontextprotocol.io/specification/2025-11-25/basic/authorization#authorization-code-protection',
  },
  mcpRegistration: {
    reference: 'MCP 2025-11-25 Client Registration; RFC 7591',
    url: 'https://modelcontextprotocol.io/specification/2025-11-25/basic/authorization#client-registration-approaches',
  },
  mcpHttps: {
    reference: 'MCP 2025-11-25 Communication Security; RFC 8414 §2',
    url: 'https://modelcontextprotocol.io/specification/2025-11-25/basic/authorization#communication-security',
  },
  mcpLegacyDefaults: {
    reference: 'MCP 2025-03-26 §2.3.3 (removed in 2025-06-18)',
    url: 'https://modelcontextprotocol.io/specification/2025-03-26/basic/authorization#2-3-3-fallbacks-for-servers-without-metadata-discovery',
  },
} as const;

/** A finding citing one of {@link REFERENCES}, with the fix when there is one. */
export function finding(
  severity: Severity,
  rule: string,
  message: string,
  cite: { readonly reference: string; readonly url: string },
  fix: string | null = null,
): Finding {
  return { severity, rule, message, reference: cite.reference, url: cite.url, fix };
}

const ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** Errors first, then warnings, then infos; stable within a severity. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort((a, b) => ORDER[a.severity] - ORDER[b.severity]);
}

/** How many findings of each severity. */
export function countFindings(findings: readonly Finding[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const f of findings) counts[f.severity] += 1;
  return counts;
}
