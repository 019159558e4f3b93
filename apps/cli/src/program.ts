import { Command, InvalidArgumentError, Option } from 'commander';
import { type ExitCode, ExitCodes } from './exit-codes.js';
import { type CommandName, commandHelp, HELP_TOPICS, PROGRAM_HELP } from './help.js';
import type { CliIo } from './io.js';
import { type CliOptions, DEFAULT_TIMEOUT_MS, optionParsers } from './options.js';

const parse = optionParsers((message) => new InvalidArgumentError(message));

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
      '--no-legacy-defaults',
      'fail instead of using the MCP 2025-03-26 default endpoints (/authorize, /token, /register)',
    )
    .addOption(new Option('--no-guess', 'deprecated: the old name of --no-legacy-defaults').hideHelp())
    .option(
      '--verbose',
      'show every step of the trace (presets that do not apply included) and whole error messages',
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
    .option(
      '--callback-port <port>',
      'port of the loopback redirect URI http://127.0.0.1:<port>/callback (default 8976, so the client registration is reused; a free one when 8976 is taken; 0: always a free one)',
      parse.port,
    )
    .option('--interactive', 'wait for the browser sign-in even when stdin or stderr is not a terminal')
    .option(
      '--no-interactive',
      'never wait for a person: stored or refreshed tokens, --headless or --grant, else LOGIN_REQUIRED (exit 4)',
    )
    .option(
      '--grant <type>',
      'no browser: client_credentials (a machine client), jwt-bearer (a workload token, --assertion-file), token-exchange (enterprise-managed: the user’s ID token at --idp-token-endpoint); secrets from the environment',
      parseGrant,
    )
    .option('--private-key-file <file>', 'PEM private key of the machine client (private_key_jwt)')
    .option('--signing-algorithm <alg>', 'JWS algorithm of the client assertion (default: the key’s own)')
    .option('--assertion-file <file>', 'the workload token of --grant jwt-bearer (read at each grant)')
    .option('--id-token-file <file>', 'the user’s ID token of --grant token-exchange')
    .option(
      '--idp-token-endpoint <url>',
      'the enterprise IdP’s token endpoint (--grant token-exchange)',
      parse.httpUrl,
    )
    .option(
      '--idp-issuer <url>',
      'the enterprise IdP’s issuer (default: the token endpoint’s origin)',
      parse.httpUrl,
    )
    .option('--idp-client-id <id>', 'this client’s id at the enterprise IdP (--grant token-exchange)')
    .option(
      '--dpop',
      'DPoP-bound tokens (RFC 9449): a key per authorization server, kept in the token store, proves each request',
    );
}

const GRANTS = ['client_credentials', 'jwt-bearer', 'token-exchange'] as const;

function parseGrant(value: string): (typeof GRANTS)[number] {
  const grant = GRANTS.find((known) => known === value);
  if (grant === undefined) {
    throw new InvalidArgumentError(`unsupported grant "${value}" (supported: ${GRANTS.join(', ')})`);
  }
  return grant;
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
    .helpCommand(false)
    .addHelpText('after', PROGRAM_HELP);
  const help = (command: Command, name: CommandName): Command =>
    command.addHelpText('after', commandHelp(name));

  const act =
    (load: () => Promise<Action>) =>
    async (url: string, options: CliOptions): Promise<void> => {
      setExit(await (await load())(url, options, io));
    };

  help(discoveryFlags(resourceArgument(program.command('discover'))), 'discover')
    .description('discover the authorization server of <url> and print the trace of every step')
    .option('--svg <file>', 'also write the discovery as an SVG waterfall to <file> (failed ones too)')
    .action(act(async () => (await import('./commands/discover.js')).discoverCommand));

  help(discoveryFlags(resourceArgument(program.command('check'))), 'check')
    .description('audit <url> for its operators: findings with severity, rule and RFC/MCP section')
    .option('--svg <file>', 'also write the discovery as an SVG waterfall to <file> (failed ones too)')
    .action(act(async () => (await import('./commands/check.js')).checkCommand));

  help(clientFlags(discoveryFlags(resourceArgument(program.command('login')))), 'login')
    .description('authorize with the server’s authorization server and store the tokens')
    .action(act(async () => (await import('./commands/login.js')).loginCommand));

  help(resourceArgument(program.command('logout')), 'logout')
    .description('delete the stored tokens of <url> (no network request)')
    .option('--json', 'print one JSON object on stdout')
    .action(act(async () => (await import('./commands/login.js')).logoutCommand));

  help(clientFlags(discoveryFlags(resourceArgument(program.command('tools')))), 'tools')
    .description('connect (authorizing as needed), list the tools, or call one with --call')
    .option('--call <tool>', 'call this tool and print its result')
    .option('--args <json>', 'arguments of the --call tool, as a JSON object', parse.jsonObject)
    .action(act(async () => (await import('./commands/tools.js')).toolsCommand));

  help(program.command('presets [name]'), 'presets')
    .description('list the built-in provider presets, or show one, with their facts (dated, with sources)')
    .option('--json', 'print one JSON object on stdout')
    .action(async (name: string | undefined, options: CliOptions) => {
      setExit(await (await import('./commands/presets.js')).presetsCommand(name, options, io));
    });

  program
    .command('help [topic]')
    .description('help on a command, or the tables: exit-codes, environment')
    .action((topic: string | undefined) => {
      const sub = program.commands.find((command) => command.name() === topic);
      const table = topic !== undefined && Object.hasOwn(HELP_TOPICS, topic) ? HELP_TOPICS[topic] : undefined;
      if (topic === undefined) program.outputHelp();
      else if (sub !== undefined && topic !== 'help') sub.outputHelp();
      else if (table !== undefined) io.stdout.write(table());
      else {
        io.stderr.write(
          `error USAGE: no help on ${JSON.stringify(topic)} (a command, exit-codes or environment)\n`,
        );
        setExit(ExitCodes.USAGE);
      }
    });

  return program;
}
