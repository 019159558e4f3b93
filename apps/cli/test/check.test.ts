import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startWorld, type World } from '@oauth-discovery/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, requireBuiltCli } from './helpers.js';
import { atlassianWorld, prmWorld, type TestWorld } from './worlds.js';

requireBuiltCli();

interface CheckJson {
  resource: string;
  ok: boolean;
  counts: { error: number; warning: number; info: number };
  findings: {
    severity: string;
    rule: string;
    message: string;
    reference: string;
    url: string;
    fix: string | null;
  }[];
  probe: { status: number | null; wwwAuthenticate: string | null };
  discovery: Record<string, unknown>;
}

let atlassian: TestWorld;
let compliant: TestWorld;
let noPkce: TestWorld;
let noRegistration: TestWorld;
let foreignIssuer: TestWorld;
let noHeader: World;

beforeAll(async () => {
  [atlassian, compliant, noPkce, noRegistration, foreignIssuer] = await Promise.all([
    atlassianWorld({ mcp: '127.0.1.2', as: '127.0.1.3' }),
    prmWorld({ mcp: '127.0.1.4', as: '127.0.1.5' }),
    prmWorld({ mcp: '127.0.1.6', as: '127.0.1.7' }, { pkceAdvertised: false }),
    prmWorld({ mcp: '127.0.1.8', as: '127.0.1.9' }, { registration: 'unadvertised' }),
    prmWorld({ mcp: '127.0.1.10', as: '127.0.1.11' }, { issuer: 'http://127.0.1.12:1' }, (as) => ({
      resourceMetadata: { authorizationServers: [as.origin] },
    })),
  ]);
  noHeader = await startWorld({
    origins: { mcp: { host: '127.0.1.13', routes: { '/mcp': { status: 401 } } } },
  });
});

afterAll(async () => {
  await Promise.all(
    [atlassian, compliant, noPkce, noRegistration, foreignIssuer, noHeader].map((w) => w?.close()),
  );
});

async function check(url: string, ...flags: string[]): Promise<{ code: number | null; json: CheckJson }> {
  const result = await cli(['check', url, '--json', ...flags]);
  return { code: result.code, json: JSON.parse(result.stdout) as CheckJson };
}

function rules(json: CheckJson, severity: string): string[] {
  return json.findings.filter((f) => f.severity === severity).map((f) => f.rule);
}

describe('check', () => {
  it('the Atlassian-shaped server: no PRM, foreign issuer, challenge without resource_metadata — exit 1', async () => {
    const { code, json } = await check(atlassian.mcp.url);
    expect(code).toBe(1);
    expect(json.ok).toBe(false);
    expect(rules(json, 'error')).toEqual(['no-protected-resource-metadata', 'foreign-issuer']);
    expect(rules(json, 'warning')).toEqual(['challenge-without-resource-metadata']);
    expect(json.counts).toEqual({ error: 2, warning: 1, info: 1 });
    const foreign = json.findings.find((f) => f.rule === 'foreign-issuer');
    expect(foreign).toMatchObject({
      reference: 'RFC 8414 §3.3',
      url: 'https://www.rfc-editor.org/rfc/rfc8414#section-3.3',
    });
    expect(foreign?.message).toContain(atlassian.as.issuer);
    expect(json.findings.find((f) => f.rule === 'no-protected-resource-metadata')?.reference).toContain(
      'RFC 9728 §3',
    );
    expect(json.probe.status).toBe(401);
    expect(json.discovery.authorizationServer).toMatchObject({ issuerCheck: 'adopted' });
    // Each finding the operators can act on says how.
    const prmUrl = `${atlassian.mcp.origin}/.well-known/oauth-protected-resource/v1/mcp`;
    const fix = (rule: string) => json.findings.find((f) => f.rule === rule)?.fix;
    expect(fix('no-protected-resource-metadata')).toBe(
      `Serve {"resource": "${atlassian.mcp.url}", "authorization_servers": ["${atlassian.as.issuer}"]} as JSON at ${prmUrl}`,
    );
    expect(fix('challenge-without-resource-metadata')).toBe(
      `Add resource_metadata="${prmUrl}" to the Bearer challenge`,
    );
    expect(fix('foreign-issuer')).toContain(
      `serve its metadata at ${atlassian.as.issuer}/.well-known/oauth-authorization-server`,
    );
    expect(fix('insecure-endpoint')).toBeNull();
  });

  it('a spec-following server has no errors or warnings (plain http on loopback is only info) — exit 0', async () => {
    const { code, json } = await check(compliant.mcp.url);
    expect(code).toBe(0);
    expect(json.ok).toBe(true);
    expect(json.findings.map((f) => [f.severity, f.rule])).toEqual([['info', 'insecure-endpoint']]);
  });

  it('PKCE not advertised is an error (MCP 2025-11-25)', async () => {
    const { code, json } = await check(noPkce.mcp.url);
    expect(code).toBe(1);
    expect(rules(json, 'error')).toEqual(['pkce-not-advertised']);
    expect(json.findings[0]?.reference).toContain('MCP 2025-11-25');
    expect(json.findings[0]?.fix).toContain('"code_challenge_methods_supported": ["S256"]');
  });

  it('no registration path is a warning', async () => {
    const { code, json } = await check(noRegistration.mcp.url);
    expect(code).toBe(0);
    expect(rules(json, 'warning')).toEqual(['no-registration-path']);
  });

  it('an issuer mismatch behind PRM is an error citing RFC 8414 §3.3', async () => {
    const { code, json } = await check(foreignIssuer.mcp.url);
    expect(code).toBe(1);
    expect(rules(json, 'error')).toEqual(['issuer-mismatch']);
    expect(json.discovery.error).toMatchObject({ code: 'ISSUER_MISMATCH' });
  });

  it('a 401 without WWW-Authenticate, no metadata anywhere: errors for the header, PRM and guessed endpoints', async () => {
    const { code, json } = await check(noHeader.url('mcp', '/mcp'));
    expect(code).toBe(1);
    expect(rules(json, 'error')).toEqual([
      'no-www-authenticate',
      'no-protected-resource-metadata',
      'guessed-endpoints',
    ]);
    expect(json.findings[0]?.reference).toContain('RFC 6750 §3');
    expect(json.findings[0]?.fix).toBe(
      `Send WWW-Authenticate: Bearer resource_metadata="${noHeader.origin('mcp')}/.well-known/oauth-protected-resource/mcp" with the 401`,
    );
  });

  it('guessed endpoints: the PRM fix never names the MCP server itself as its authorization server', async () => {
    const { json } = await check(noHeader.url('mcp', '/mcp'));
    const fix = json.findings.find((f) => f.rule === 'no-protected-resource-metadata')?.fix ?? '';
    expect(fix).toContain('<your authorization server issuer>');
    expect(fix).not.toContain(`"authorization_servers": ["${noHeader.origin('mcp')}"]`);
  });

  it('a dead port: "unreachable", and no advice about metadata it could not see', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const { code, json } = await check(`http://127.0.0.1:${port}/mcp`);
    expect(code).toBe(1);
    expect(rules(json, 'error')).toEqual(['unreachable']);
    expect(json.discovery.error).toMatchObject({ code: 'NETWORK_ERROR' });
    expect(JSON.stringify(json.findings)).not.toContain('authorization_servers');
  });

  it('with --no-legacy-defaults the same server is "no-authorization-server"', async () => {
    const { code, json } = await check(noHeader.url('mcp', '/mcp'), '--no-legacy-defaults');
    expect(code).toBe(1);
    expect(rules(json, 'error')).toEqual(['no-www-authenticate', 'no-authorization-server']);
    // One line naming the resource; the steps are in the trace, not repeated in the finding.
    const message = json.findings.find((f) => f.rule === 'no-authorization-server')?.message ?? '';
    expect(message).toContain(`No authorization server found for ${noHeader.url('mcp', '/mcp')}`);
    expect(message).not.toContain('\n');
    expect(message).not.toContain('Tried:');
  });

  it('plain http to a host that is not loopback: insecure-url citing MCP communication security (nothing is sent)', async () => {
    const { code, json } = await check('http://mcp.example.test/mcp');
    expect(code).toBe(1);
    expect(rules(json, 'error')).toEqual(['insecure-url']);
    expect(json.findings.find((f) => f.rule === 'insecure-url')?.reference).toContain(
      'MCP 2025-11-25 Communication Security',
    );
    expect(json.probe.status).toBeNull();
    expect(json.discovery.error).toMatchObject({ code: 'INSECURE_URL' });
  });

  it('human output: the trace, then the findings with severity, rule and section', async () => {
    const result = await cli(['check', atlassian.mcp.url]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`Discovery of ${atlassian.mcp.url}`);
    expect(result.stdout).toContain(`Findings for ${atlassian.mcp.url}`);
    expect(result.stdout).toMatch(/ERROR +no-protected-resource-metadata/);
    expect(result.stdout).toMatch(/WARNING challenge-without-resource-metadata/);
    expect(result.stdout).toContain('RFC 9728 §5.1');
    expect(result.stdout).toMatch(/^ {10}fix: Add resource_metadata="/m);
    expect(result.stdout).toContain('2 errors, 1 warning, 1 info');
  });

  it('usage errors still exit 2', async () => {
    const result = await cli(['check', atlassian.mcp.url, '--preset', 'nope']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Unknown preset "nope"');
  });
});
