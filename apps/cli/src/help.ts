// The help texts beyond commander's usage and options: examples and environment per command, and the
// full tables of `oauth-discovery help exit-codes` / `help environment`. Plain strings, so `--help`
// stays fast.

import { AUTHORIZATION_CODES, SECURITY_CODES } from './exit-codes.js';

/** The commands that have their own help. */
export type CommandName = 'discover' | 'check' | 'login' | 'logout' | 'tools' | 'presets';

/** The exit codes, one line each (`help exit-codes`; also in docs/cli.md). */
export const EXIT_CODES: readonly (readonly [code: number, meaning: string])[] = [
  [0, 'success'],
  [
    1,
    'discovery or connection failed (check: findings of severity error; tools: the tool answered an error)',
  ],
  [2, 'usage error (unknown command or flag, bad value, bad config file, unknown preset)'],
  [3, `refused for a security reason: ${SECURITY_CODES.join(', ')}`],
  [
    4,
    `authorization failed: ${AUTHORIZATION_CODES.join(', ')} (LOGIN_REQUIRED: a sign-in nobody can answer too)`,
  ],
];

type Variable =
  | 'OAUTH_DISCOVERY_HOME'
  | 'OAUTH_DISCOVERY_CLIENT_SECRET'
  | 'OAUTH_DISCOVERY_PRIVATE_KEY'
  | 'OAUTH_DISCOVERY_ASSERTION'
  | 'OAUTH_DISCOVERY_ID_TOKEN'
  | 'OAUTH_DISCOVERY_IDP_CLIENT_SECRET'
  | 'NO_COLOR / FORCE_COLOR';

/** Every environment variable the CLI reads, with what it is for (`help environment`). */
export const ENVIRONMENT: Readonly<Record<Variable, string>> = {
  OAUTH_DISCOVERY_HOME:
    'directory of the token store (login, logout, tools) and of the discovery cache (discover); default: the user’s config directory',
  OAUTH_DISCOVERY_CLIENT_SECRET:
    'secret of the pre-registered client when --client-secret is not given (keeps it out of the process list and the shell history); with --grant, the only place the secret is read from',
  OAUTH_DISCOVERY_PRIVATE_KEY:
    'PEM private key of --grant client_credentials when --private-key-file is not given',
  OAUTH_DISCOVERY_ASSERTION: 'workload token of --grant jwt-bearer when --assertion-file is not given',
  OAUTH_DISCOVERY_ID_TOKEN: 'the user’s ID token of --grant token-exchange when --id-token-file is not given',
  OAUTH_DISCOVERY_IDP_CLIENT_SECRET: 'this client’s secret at the enterprise IdP (--grant token-exchange)',
  'NO_COLOR / FORCE_COLOR': 'turn colours off / on (default: on for a terminal)',
};

/** What a command that may sign in reads (`login`, `tools`): the store, every grant's secret, color. */
const SIGN_IN_ENVIRONMENT: readonly Variable[] = [
  'OAUTH_DISCOVERY_HOME',
  'OAUTH_DISCOVERY_CLIENT_SECRET',
  'OAUTH_DISCOVERY_PRIVATE_KEY',
  'OAUTH_DISCOVERY_ASSERTION',
  'OAUTH_DISCOVERY_ID_TOKEN',
  'OAUTH_DISCOVERY_IDP_CLIENT_SECRET',
  'NO_COLOR / FORCE_COLOR',
];

/** Per command: one to three examples, each with what it does, and the variables it reads. */
const COMMANDS: Readonly<
  Record<
    CommandName,
    {
      readonly examples: readonly (readonly [line: string, what: string])[];
      readonly environment: readonly Variable[];
    }
  >
> = {
  discover: {
    examples: [
      ['discover https://mcp.example.com/mcp', 'who authorizes it, and how that was found'],
      ['discover https://mcp.example.com/mcp --json | jq -r .authorizationServer.issuer', 'the issuer alone'],
      ['discover https://mcp.example.com/mcp --verbose --no-cache', 'every step, asking the servers again'],
    ],
    environment: ['OAUTH_DISCOVERY_HOME', 'NO_COLOR / FORCE_COLOR'],
  },
  check: {
    examples: [
      ['check https://mcp.example.com/mcp', 'what its operators should fix'],
      ["check https://mcp.example.com/mcp --json | jq -r '.findings[].rule'", 'the rules broken, for CI'],
    ],
    environment: ['NO_COLOR / FORCE_COLOR'],
  },
  login: {
    examples: [
      ['login https://mcp.example.com/mcp', 'sign in in the browser; tokens stored'],
      [
        'login https://mcp.example.com/mcp --client-id my-app',
        'a pre-registered client (secret, if any, in $OAUTH_DISCOVERY_CLIENT_SECRET)',
      ],
      [
        'login https://mcp.example.com/mcp --grant client_credentials --client-id my-service',
        'a machine client, no browser',
      ],
    ],
    environment: SIGN_IN_ENVIRONMENT,
  },
  logout: {
    examples: [['logout https://mcp.example.com/mcp', 'forget its tokens (the client registration stays)']],
    environment: ['OAUTH_DISCOVERY_HOME'],
  },
  tools: {
    examples: [
      ['tools https://mcp.example.com/mcp', 'list the tools, signing in if needed'],
      ['tools https://mcp.example.com/mcp --call echo --args \'{"text":"hi"}\'', 'call one'],
      [
        'tools https://mcp.example.com/mcp --no-interactive --json',
        'in a script: stored tokens or exit 4, never a browser wait',
      ],
    ],
    environment: SIGN_IN_ENVIRONMENT,
  },
  presets: {
    examples: [
      ['presets', 'the providers with known quirks'],
      ['presets atlassian', 'one preset’s facts, dated, with sources'],
    ],
    environment: ['NO_COLOR / FORCE_COLOR'],
  },
};

const EXIT_CODES_LINE =
  'Exit codes: 0 ok, 1 failed, 2 usage, 3 security, 4 authorization (oauth-discovery help exit-codes)';

function table(rows: readonly (readonly [string, string])[], indent = '  '): string {
  const width = Math.max(...rows.map(([key]) => key.length));
  return rows.map(([key, text]) => `${indent}${key.padEnd(width)}  ${text}`).join('\n');
}

/** The text after the options of `oauth-discovery <command> --help`: examples, environment, exit codes. */
export function commandHelp(command: CommandName): string {
  const { examples, environment } = COMMANDS[command];
  const lines = examples.map(([line, what]) => `  ${what}:\n    oauth-discovery ${line}`);
  const variables = environment.map((name) => [name, ENVIRONMENT[name]] as const);
  return `\nExamples:\n${lines.join('\n')}\n\nEnvironment:\n${table(variables)}\n\n${EXIT_CODES_LINE}`;
}

/** The text after the command list of `oauth-discovery --help`. */
export const PROGRAM_HELP = `
Examples:
  who authorizes an MCP server, and how that was found:
    oauth-discovery discover https://mcp.example.com/mcp
  what its operators should fix:
    oauth-discovery check https://mcp.example.com/mcp
  log in as needed, list the tools, call one:
    oauth-discovery tools https://mcp.example.com/mcp --call echo --args '{"text":"hi"}'

More: oauth-discovery help <command> | help exit-codes | help environment`;

/** The help topics besides the commands. */
export const HELP_TOPICS: Readonly<Record<string, () => string>> = {
  'exit-codes': () =>
    `Exit codes of oauth-discovery (stable: scripts may branch on them)\n${table(EXIT_CODES.map(([code, meaning]) => [String(code), meaning]))}\n`,
  environment: () =>
    `Environment variables oauth-discovery reads\n${table(Object.entries(ENVIRONMENT) as [string, string][])}\n`,
};
