#!/usr/bin/env node
/**
 * The example client under the official MCP conformance suite:
 *
 *   node apps/client/dist/conformance.js <server-url>
 *
 * The runner sets MCP_CONFORMANCE_SCENARIO, MCP_CONFORMANCE_PROTOCOL_VERSION and (for some
 * scenarios) MCP_CONFORMANCE_CONTEXT. This file only maps them onto the public API: the protocol
 * version onto the SDK's version negotiation, the context's credentials onto a pre-registered client
 * and a grant (client credentials with a secret or a private key; the user's ID token and IdP onto
 * enterprise-managed authorization; a workload JWT onto the JWT-bearer grant),
 * the suite's client metadata document URL, headless approval, and which tools to call. DPoP is on
 * for authorization servers that advertise it (`dpop: { when: 'when-supported' }`), as a client that
 * prefers sender-constrained tokens would set it. Every
 * authorization decision is the packages' own — nothing here depends on an auth scenario's name.
 */
import { Client } from '@modelcontextprotocol/client';
import { createMemoryStore, type GrantOptions } from '@oauth-discovery/mcp';
import { connectWithOAuth, discoveryErrorIn } from '@oauth-discovery/mcp/sdk-v2';
import { Agent, fetch as undiciFetch } from 'undici';

/** The Client ID Metadata Document URL the suite's authorization servers accept. */
const CIMD_URL = 'https://conformance-test.local/client-metadata.json';

interface ToolCall {
  readonly name: string;
  readonly arguments?: Record<string, unknown>;
}
type Session = Awaited<ReturnType<typeof connectWithOAuth>>;

interface Context {
  readonly client_id?: string;
  readonly client_secret?: string;
  /** The client's private key (PEM) for `private_key_jwt`, and its JWS algorithm. */
  readonly private_key_pem?: string;
  readonly signing_algorithm?: string;
  /** The issuer the credentials belong to. */
  readonly issuer?: string;
  /** Enterprise-managed authorization: the user's ID token, and the IdP that issued it. */
  readonly idp_id_token?: string;
  readonly idp_client_id?: string;
  readonly idp_issuer?: string;
  readonly idp_token_endpoint?: string;
  /** Workload identity: the workload's JWT. */
  readonly valid_jwt?: string;
  readonly toolCalls?: readonly ToolCall[];
}

/** What to do once connected, per non-auth scenario; every other scenario lists the tools and calls `test-tool`. */
const PLANS: Record<string, (session: Session, context: Context) => Promise<void>> = {
  initialize: async ({ client }) => {
    await client.listTools();
  },
  'request-metadata': async () => {},
  tools_call: (session) => call(session, [{ name: 'add_numbers', arguments: { a: 5, b: 3 } }]),
  'elicitation-sep1034-client-defaults': (session) =>
    call(session, [{ name: 'test_client_elicitation_defaults' }]),
  'sse-retry': (session) => call(session, [{ name: 'test_reconnection' }]),
  'json-schema-ref-no-deref': async ({ client }) => {
    await client.listTools();
  },
  'json-schema-2020-12-preservation': async ({ client }) => {
    const { tools } = await client.listTools();
    const schema = tools.find((tool) => tool.name === 'json_schema_2020_12_tool')?.inputSchema;
    await client.callTool({ name: 'json_schema_echo', arguments: { schema } });
  },
  'http-custom-headers': (session, context) => call(session, context.toolCalls ?? []),
  'http-invalid-tool-headers': async (session) => {
    const { tools } = await session.client.listTools();
    await call(
      session,
      tools.map((tool) => ({ name: tool.name, arguments: { region: 'us-west1' } })),
      true,
    );
  },
  'http-standard-headers': async ({ client }) => {
    const tool = (await client.listTools()).tools[0];
    if (tool !== undefined) await client.callTool({ name: tool.name, arguments: {} });
    const resource = (await client.listResources()).resources[0];
    if (resource !== undefined) await client.readResource({ uri: resource.uri });
    const prompt = (await client.listPrompts()).prompts[0];
    if (prompt !== undefined) await client.getPrompt({ name: prompt.name, arguments: {} });
  },
  'sep-2322-client-request-state': async (session) => {
    await call(session, [
      { name: 'test_mrtr_echo_state' },
      { name: 'test_mrtr_no_state' },
      { name: 'test_mrtr_unrelated' },
    ]);
    // A 2026 result without `resultType`: the SDK rejects it (and must not retry); that is the test.
    await call(session, [{ name: 'test_mrtr_no_result_type' }], true);
  },
};

async function call(session: Session, calls: readonly ToolCall[], tolerant = false): Promise<void> {
  await session.client.listTools();
  for (const { name, arguments: args = {} } of calls) {
    const done = session.client.callTool({ name, arguments: args });
    if (tolerant) {
      // Scenarios that test how the client handles a broken answer: reported, not fatal.
      await done.catch((error: unknown) => console.error(`call ${name}: ${String(error)}`));
    } else await done;
  }
}

/** The grant the context's fields describe, if any: which credentials it holds, not which scenario runs. */
function grantOf(context: Context): GrantOptions | undefined {
  const clientId = context.client_id;
  if (
    context.idp_id_token !== undefined &&
    context.idp_token_endpoint !== undefined &&
    clientId !== undefined
  ) {
    return {
      type: 'token-exchange',
      clientId,
      clientSecret: context.client_secret,
      issuer: context.issuer,
      idToken: { value: context.idp_id_token },
      idp: {
        tokenEndpoint: context.idp_token_endpoint,
        issuer: context.idp_issuer,
        clientId: context.idp_client_id ?? clientId,
      },
    };
  }
  if (context.valid_jwt !== undefined) {
    return {
      type: 'jwt-bearer',
      clientId,
      clientSecret: context.client_secret,
      issuer: context.issuer,
      assertion: { value: context.valid_jwt },
    };
  }
  if (
    clientId === undefined ||
    (context.client_secret === undefined && context.private_key_pem === undefined)
  )
    return undefined;
  // The same credentials as a machine client: used only where the authorization server offers
  // client_credentials and not the authorization code grant.
  return {
    type: 'client_credentials',
    clientId,
    clientSecret: context.private_key_pem === undefined ? context.client_secret : undefined,
    privateKey: context.private_key_pem,
    signingAlgorithm: context.signing_algorithm,
    issuer: context.issuer,
    when: 'without-authorization-code',
  };
}

async function main(): Promise<number> {
  const serverUrl = process.argv.at(-1);
  const scenario = process.env.MCP_CONFORMANCE_SCENARIO ?? '';
  const version = process.env.MCP_CONFORMANCE_PROTOCOL_VERSION ?? '2025-11-25';
  const context = JSON.parse(process.env.MCP_CONFORMANCE_CONTEXT ?? '{}') as Context;
  if (serverUrl === undefined || !URL.canParse(serverUrl)) {
    console.error('usage: node apps/client/dist/conformance.js <server-url> (run by the conformance suite)');
    return 2;
  }
  const client = new Client(
    { name: 'oauth-discovery-conformance', version: '0.0.0' },
    {
      capabilities: { elicitation: { form: { applyDefaults: true } } },
      // The revision the runner asks for: 2026-07-28 negotiates (falling back to 2025-11-25), earlier ones are 2025 only.
      ...(version >= '2026-07-28' ? { versionNegotiation: { mode: 'auto' as const } } : {}),
    },
  );
  // Headless approval of elicitations: accept, and let the SDK fill in the schema's defaults.
  client.setRequestHandler('elicitation/create', async () => ({ action: 'accept', content: {} }));
  // A new connection per MCP request: the suite's servers close idle keep-alive connections after 5 s,
  // and on a loaded machine a request sent on such a connection as it closes fails with ECONNRESET.
  const dispatcher = new Agent({ pipelining: 0 });
  const session = await connectWithOAuth({
    serverUrl,
    client,
    fetch: (url, init) => undiciFetch(url, { ...init, dispatcher } as never) as unknown as Promise<Response>,
    headless: true,
    clientId: context.client_id,
    clientSecret: context.client_secret,
    clientMetadataUrl: CIMD_URL,
    grant: grantOf(context),
    dpop: { when: 'when-supported' },
    store: createMemoryStore(),
  });
  try {
    const plan = PLANS[scenario] ?? ((connected) => call(connected, [{ name: 'test-tool' }]));
    await plan(session, context);
    return 0;
  } finally {
    await session.close();
    await dispatcher.close();
  }
}

try {
  process.exitCode = await main();
} catch (thrown) {
  const error = discoveryErrorIn(thrown);
  const code = (error as { code?: unknown }).code;
  // With the causes: a network error's code is in its cause.
  let causes = '';
  let cause = (error as { cause?: unknown }).cause;
  for (let depth = 0; cause !== undefined && cause !== null && depth < 4; depth += 1) {
    causes += ` <- ${String((cause as { code?: unknown }).code ?? '')} ${cause instanceof Error ? cause.message : String(cause)}`;
    cause = (cause as { cause?: unknown }).cause;
  }
  console.error(
    `error ${typeof code === 'string' ? code : 'ERROR'}: ${error instanceof Error ? error.message : String(error)}${causes}`,
  );
  process.exitCode = 1;
}
