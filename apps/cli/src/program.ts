import { Command, InvalidArgumentError } from 'commander';
import type { ExitCode } from './exit-codes.js';
import type { CliIo } from './io.js';
import { type CliOptions, DEFAULT_TIMEOUT_MS, optionParsers } from './options.js';

const parse = optionParsers((message) => new InvalidArgumentError(message));

/** The exit codes section of `--help` (also in docs/cli.md). */
export const EXIT_CODES_HELP = `
Exit codes:
  0  success
  1  discovery or connection failed (check: the server has findings of severity error)
  2  usage error (unknown command or flag, bad value, bad config file, unknown preset)
  3  refused for a security reason (ISSUER_MISMATCH, RESOURCE_MISMATCH, BLOCKED_ADDRESS, INSECURE_URL, …)
  4  authorization failed (registration refused, authorization or token request failed, step-up limit, login required)

Environment:
  OAUTH_DISCOVERY_HOME    directory of the token store and discovery cache (default: the user's config directory)
  OAUTH_DISCOVERY_CLIENT_SECRET
                          secret of the pre-registered client, when --client-secret is not given
                          (keeps it out of the process list and the shell history); with --grant,
                          the only place the secret is read from
  OAUTH_DISCOVERY_PRIVATE_KEY
                          PEM private key of --grant client_credentials, when --private-key-file is not given
  NO_COLOR / FORCE_COLOR  turn colours off / on`;

/** The examples section of the top-level `--help`. */
export const EXAMPLES_HELP = `
Examples:
  who authorizes an MCP server, and how that was found:
    oauth-discovery discover https://mcp.example.com/mcp
  what its operators should fix:
    oauth-discovery check https://mcp.example.com/mcp
  log in as needed, list the tools, call one:
    oauth-discovery tools https://mcp.example.com/mcp --call echo --args '{"text":"hi"}'
  the issuer alone, for a script:
    oauth-discovery discover https://mcp.example.com/mcp --json | jq -r .authorizationServer.issuer`;

type Action = (url: string, options: CliOptions, io: CliIo) => Promise<ExitCode>;

function discoveryFlags(command: Command): Command {
  return command
    .option('--json', 'print one JSON object on stdout')
    .option(
      '--allow-private-network',
      'let metadata URLs reach private, loopback and link-local addresses (weakens the SSRF guard)',
    )
    .option('--preset <name>', 'run only this built-in provider preset (see `oauth-discovery presets`)')
    .option(
      '--preset-hosts <mapping>',
      'move presets onto other origins, e.g. a loopback replica: <preset>=<origin> or <real origin>=<origin> (comma-separated or repeated)',
      (value: string, previous: string[] | undefined) => [...(previous ?? []), value],
    )
    .option(
      '--issuer <url>',
      'pin the authorization server for this resource: its metadata must name exactly this issuer',
      parse.httpUrl,
    )
    .option(
      '--config <file>',
      'static configuration, JSON or YAML: pinned issuers, metadata and presets per resource',
    )
    .option(
      '--timeout <ms>',
      `discovery deadline; also caps each request's timeouts (default ${DEFAULT_TIMEOUT_MS})`,
      parse.positiveInteger,
    )
    .option(
      '--speculate',
      'start the probable requests of later steps early (faster on slow links; the server sees extra requests, e.g. the root PRM beside the path-aware one)',
    )
    .option('--no-cache', 'ask the servers again: do not read or write the discovery cache')
    .option(
      '--no-guess',
      'fail instead of guessing the MCP 2025-03-26 default endpoints (/authorize, /token, /register)',
    );
}

function clientFlags(command: Command): Command {
  return command
    .option(
      '--client-id <id>',
      'pre-registered OAuth client id (needed where dynamic registration is refused)',
    )
    .option(
      '--client-secret <secret>',
      'secret of the pre-registered client, if it is confidential (prefer $OAUTH_DISCOVERY_CLIENT_SECRET)',
    )
    .option(
      '--client-metadata-url <url>',
      'HTTPS URL of this client’s Client ID Metadata Document',
      parse.httpUrl,
    )
    .option(
      '--scope <scopes>',
      'scopes to request, space separated (default: the challenge’s, else the PRM’s)',
    )
    .option(
      '--headless',
      'follow the authorization redirects without a browser (servers that approve without a person)',
    )
    .option('--callback-port <port>', 'port of the loopback redirect URI (default: a free one)', parse.port)
    .option(
      '--grant <type>',
      'client_credentials: a machine client (--client-id, secret in $OAUTH_DISCOVERY_CLIENT_SECRET or --private-key-file), no browser',
      parseGrant,
    )
    .option('--private-key-file <file>', 'PEM private key of the machine client (private_key_jwt)')
    .option('--signing-algorithm <alg>', 'JWS algorithm of the client assertion (default: the key’s own)')
    .option(
      '--dpop',
      'DPoP-bound tokens (RFC 9449): a key per authorization server, kept in the token store, proves each request',
    );
}

function parseGrant(value: string): 'client_credentials' {
  if (value !== 'client_credentials') {
    throw new InvalidArgumentError(`unsupported grant "${value}" (supported: client_credentials)`);
  }
  return value;
}

function resourceArgument(command: Command): Command {
  return command.argument('<url>', 'the protected resource (MCP server URL)', parse.httpUrl);
}

/**
 * The `oauth-discovery` command tree. Actions load their modules on demand (so `--version` and
 * `--help` start fast) and report an exit code through `setExit`.
 */
export function createProgram(io: CliIo, version: string, setExit: (code: ExitCode) => void): Command {
  const program = new Command('oauth-discovery');
  program
    .description(
      'Find the OAuth authorization server behind an MCP server (or any protected resource), audit it, log in, and call its tools.',
    )
    .version(version, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      outputError: (text, write) => write(text.replace(/^error: /, 'error USAGE: ')),
    })
    .showHelpAfterError('(run oauth-discovery --help for usage)')
    .addHelpText('after', `${EXAMPLES_HELP}\n${EXIT_CODES_HELP}`);

  const act =
    (load: () => Promise<Action>) =>
    async (url: string, options: CliOptions): Promise<void> => {
      setExit(await (await load())(url, options, io));
    };

  discoveryFlags(resourceArgument(program.command('discover')))
    .description('discover the authorization server of <url> and print the trace of every step')
    .option('--svg <file>', 'also write the discovery as an SVG waterfall to <file> (failed ones too)')
    .action(act(async () => (await import('./commands/discover.js')).discoverCommand))
    .addHelpText('after', EXIT_CODES_HELP);

  discoveryFlags(resourceArgument(program.command('check')))
    .description('audit <url> for its operators: findings with severity, rule and RFC/MCP section')
    .option('--svg <file>', 'also write the discovery as an SVG waterfall to <file> (failed ones too)')
    .action(act(async () => (await import('./commands/check.js')).checkCommand))
    .addHelpText('after', EXIT_CODES_HELP);

  clientFlags(discoveryFlags(resourceArgument(program.command('login'))))
    .description('authorize with the server’s authorization server and store the tokens')
    .action(act(async () => (await import('./commands/login.js')).loginCommand))
    .addHelpText('after', EXIT_CODES_HELP);

  resourceArgument(program.command('logout'))
    .description('delete the stored tokens of <url> (no network request)')
    .option('--json', 'print one JSON object on stdout')
    .action(act(async () => (await import('./commands/login.js')).logoutCommand))
    .addHelpText('after', EXIT_CODES_HELP);

  clientFlags(discoveryFlags(resourceArgument(program.command('tools'))))
    .description('connect (authorizing as needed), list the tools, or call one with --call')
    .option('--call <tool>', 'call this tool and print its result')
    .option('--args <json>', 'arguments of the --call tool, as a JSON object', parse.jsonObject)
    .action(act(async () => (await import('./commands/tools.js')).toolsCommand))
    .addHelpText('after', EXIT_CODES_HELP);

  program
    .command('presets [name]')
    .description('list the built-in provider presets, or show one, with their facts (dated, with sources)')
    .option('--json', 'print one JSON object on stdout')
    .action(async (name: string | undefined, options: CliOptions) => {
      setExit(await (await import('./commands/presets.js')).presetsCommand(name, options, io));
    });

  return program;
}
