import { createHash, randomBytes } from 'node:crypto';

/** A PKCE S256 pair for tests (RFC 7636 §4.1–4.2). */
export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** `application/x-www-form-urlencoded` body; `undefined` fields are left out. */
export function form(fields: Record<string, string | undefined>): string {
  const sent = Object.entries(fields).filter((entry): entry is [string, string] => entry[1] !== undefined);
  return new URLSearchParams(sent).toString();
}

export const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
