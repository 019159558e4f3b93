import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DiscoveryError, ErrorCodes } from '@oauth-discovery/core';
import { type CliRun, runCli } from './run-cli.js';
import { strictClientVerdict } from './strict-client.js';
import { startDemoWorld } from './world.js';

/** Where the demo writes, and whether it may colour. */
export interface DemoOutput {
  write(text: string): unknown;
  readonly color: boolean;
}

interface DiscoverJson {
  readonly authorizationServer: {
    readonly issuer: string;
    readonly issuerCheck: string;
    readonly metadataUrl: string | null;
  };
  readonly resourceMetadata: unknown;
  readonly trace: readonly {
    readonly strategy: string;
    readonly outcome: string;
    readonly attempts: readonly unknown[];
  }[];
}

interface CheckJson {
  readonly counts: { readonly error: number; readonly warning: number; readonly info: number };
  readonly findings: readonly {
    readonly severity: string;
    readonly rule: string;
    readonly reference: string;
    readonly fix: string | null;
  }[];
}

const ECHO_TEXT = 'hello from the oauth-discovery demo';

function parse<T>(run: CliRun): T {
  try {
    return JSON.parse(run.stdout) as T;
  } catch (cause) {
    throw new DiscoveryError(
      ErrorCodes.INVALID_JSON,
      `oauth-discovery ${run.args.join(' ')} exited ${run.code} without JSON on stdout:\n${run.stdout}\n${run.stderr}`,
      { expected: 'one JSON object on stdout', actual: run.stdout, cause },
    );
  }
}

/**
 * The one-command demo: starts the Atlassian-shaped world on loopback, shows what a strict RFC 8414
 * client makes of it, then drives the built CLI — `discover` (the trace), `tools --headless --call
 * echo` (dynamic registration, PKCE, token, tool call) and `check` — and prints a summary. Resolves
 * with the exit code: 0 when every step did what it should.
 */
export async function runDemo(out: DemoOutput): Promise<number> {
  const started = performance.now();
  const paint = (code: number, text: string) => (out.color ? `\u001b[${code}m${text}\u001b[0m` : text);
  const bold = (text: string) => paint(1, text);
  const say = (text = '') => out.write(`${text}\n`);
  const indent = (text: string) =>
    text
      .trimEnd()
      .split('\n')
      .map((line) => (line === '' ? '' : `    ${line}`))
      .join('\n');
  const problems: string[] = [];

  const home = await mkdtemp(join(tmpdir(), 'oauth-discovery-demo-'));
  const world = await startDemoWorld();
  try {
    const url = world.mcp.url;
    const env: Record<string, string> = {
      OAUTH_DISCOVERY_HOME: home,
      ...(out.color ? { FORCE_COLOR: '1' } : { NO_COLOR: '1' }),
    };
    say(bold('oauth-discovery demo — the Atlassian case, reproduced on loopback'));
    say();
    say(`  MCP server            ${url}`);
    say('                        no protected resource metadata anywhere; 401 without resource_metadata');
    say(`  its RFC 8414 metadata ${world.mcp.origin}/.well-known/oauth-authorization-server`);
    say(`                        names issuer ${world.as.issuer} — a different host`);
    say(
      `  authorization server  ${world.as.origin} (dynamic registration, PKCE S256, approves without a person)`,
    );
    say();

    say(bold('1. A strict RFC 8414 client'));
    const strict = await strictClientVerdict(url);
    if (strict.rejected === null) {
      problems.push('the strict client accepted the foreign issuer');
      say(`    accepted ${strict.metadataUrl} (unexpected)`);
    } else {
      say(`    GET ${strict.metadataUrl}`);
      say(`    expects issuer ${strict.expected}, gets ${world.as.issuer}`);
      say(
        `    ${paint(31, `✘ ${strict.rejected.code}`)}: it must not use the metadata, and the user cannot connect.`,
      );
    }
    say();

    const discoverArgs = ['discover', url];
    say(bold(`2. $ oauth-discovery ${discoverArgs.join(' ')}`));
    const discovered = await runCli(discoverArgs, env);
    say(indent(discovered.stdout));
    if (discovered.code !== 0) {
      problems.push(`discover exited ${discovered.code}: ${discovered.stderr.trim()}`);
      say(indent(discovered.stderr));
    }
    const discoveredJson = parse<DiscoverJson>(await runCli([...discoverArgs, '--json'], env));
    say();

    const toolsArgs = [
      'tools',
      url,
      '--headless',
      '--call',
      'echo',
      '--args',
      JSON.stringify({ text: ECHO_TEXT }),
    ];
    say(bold(`3. $ oauth-discovery ${toolsArgs.map((a) => (a.includes(' ') ? `'${a}'` : a)).join(' ')}`));
    const tools = await runCli(toolsArgs, env);
    say(indent(tools.stderr));
    say(indent(tools.stdout));
    const echoed = tools.code === 0 && tools.stdout.includes(ECHO_TEXT);
    if (tools.code !== 0) problems.push(`tools exited ${tools.code}`);
    else if (!echoed) problems.push('the echo tool did not answer with the demo text');
    say();

    say(bold(`4. $ oauth-discovery check ${url} --json   (the findings for the server's operators)`));
    const check = parse<CheckJson>(await runCli(['check', url, '--json'], env));
    for (const f of check.findings) {
      say(`    ${f.severity.padEnd(7)} ${f.rule.padEnd(36)} ${f.reference}`);
      if (f.fix !== null) say(`            fix: ${f.fix}`);
    }
    say();

    const server = discoveredJson.authorizationServer;
    const prmMisses = discoveredJson.trace.find((s) => s.strategy === 'rfc9728');
    const registered = world.as.clients.size;
    // The authorization server requires PKCE S256, so a token means it was used; RFC 8707 is checked here.
    const resourceSent = world.as.resourcesSeen.filter((seen) => seen === url).length;
    if (world.as.issuedTokens.length > 0 && resourceSent < 2) {
      problems.push(
        `the RFC 8707 resource ${url} was not sent in both the authorization and the token request`,
      );
    }
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    say(bold('Summary'));
    say(
      `  strict RFC 8414 client   ${strict.rejected === null ? 'accepted (unexpected)' : `refuses: ${strict.rejected.code}`}`,
    );
    say(
      `  oauth-discovery          ${prmMisses?.outcome === 'found' ? 'PRM found' : `no PRM (${prmMisses?.attempts.length ?? 0} URLs tried)`}, RFC 8414 at the origin, issuer ${server.issuer} ${server.issuerCheck} — traced, not silent`,
    );
    say(
      `  login                    ${registered} client registered dynamically, ${world.as.issuedTokens.length} token for ${url} (PKCE S256 required by the server; resource sent ${resourceSent}×)`,
    );
    say(`  tool call                ${echoed ? `echo answered "${ECHO_TEXT}"` : 'FAILED'}`);
    const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
    say(
      `  check                    ${plural(check.counts.error, 'error')}, ${plural(check.counts.warning, 'warning')} for the operators to fix`,
    );
    say(`  time                     ${seconds} s`);
    say();
    if (problems.length > 0) {
      for (const problem of problems) say(paint(31, `demo failed: ${problem}`));
      return 1;
    }
    say(paint(32, '✔ solved: the user is connected and the decision is in the trace.'));
    return 0;
  } finally {
    await world.close();
    await rm(home, { recursive: true, force: true });
  }
}
