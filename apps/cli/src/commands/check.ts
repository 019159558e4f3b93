import type { DiscoveryResult, DiscoveryTrace } from '@oauth-discovery/core';
import { createRecommendedPipeline } from 'oauth-discovery';
import { countFindings, type Finding, sortFindings } from '../check/findings.js';
import { probeResource } from '../check/probe.js';
import { checkFindings } from '../check/rules.js';
import { pipelineOptionsFor } from '../discovery-options.js';
import { describeError, type ExitCode, ExitCodes } from '../exit-codes.js';
import { type CliIo, useColor, writeLine } from '../io.js';
import { type CliOptions, DEFAULT_TIMEOUT_MS } from '../options.js';
import { type Paint, painter } from '../render/color.js';
import { discoverJson, errorJson } from '../render/discovery-json.js';
import { progressFor } from '../render/progress.js';
import { openSvgOutput, type SvgOutput } from '../render/svg-output.js';
import { formatTraceText } from '../render/trace-text.js';
import { errorHeadline, reportError } from '../report-error.js';

const LABEL = { error: 'ERROR  ', warning: 'WARNING', info: 'INFO   ' } as const;
const STYLE = { error: 'red', warning: 'yellow', info: 'cyan' } as const;

function printFindings(io: CliIo, findings: readonly Finding[], paint: Paint): void {
  if (findings.length === 0) writeLine(io.stdout, paint('green', '  no findings'));
  for (const f of findings) {
    writeLine(io.stdout, `  ${paint(STYLE[f.severity], LABEL[f.severity])} ${paint('bold', f.rule)}`);
    for (const line of f.message.split('\n')) writeLine(io.stdout, `          ${line}`);
    if (f.fix !== null) writeLine(io.stdout, `          ${paint('green', 'fix:')} ${f.fix}`);
    writeLine(io.stdout, paint('dim', `          ${f.reference} — ${f.url}`));
  }
}

/**
 * `oauth-discovery check <url>`: audits a server for its operators. Runs discovery and an
 * unauthenticated MCP probe side by side and lists findings with severity, rule and the RFC/MCP
 * section. Exit 0 without errors, 1 with findings of severity error.
 *
 * @see https://modelcontextprotocol.io/specification/2025-11-25/basic/authorization
 */
export async function checkCommand(url: string, options: CliOptions, io: CliIo): Promise<ExitCode> {
  const json = options.json === true;
  const progress = progressFor(io, json);
  let pipeline: ReturnType<typeof createRecommendedPipeline>;
  let svg: SvgOutput | undefined;
  try {
    svg = await openSvgOutput(options.svg);
    pipeline = createRecommendedPipeline(await pipelineOptionsFor(url, options, progress.discovery));
  } catch (error) {
    return reportError(io, error, { json, verbose: options.verbose });
  }
  try {
    const [probe, discovery] = await Promise.all([
      probeResource(url, {
        allowPrivateNetwork: options.allowPrivateNetwork,
        timeoutMs: options.timeout ?? DEFAULT_TIMEOUT_MS,
      }),
      pipeline.discover(url).then(
        (result) => ({ result }) as { result: DiscoveryResult },
        (error: unknown) => ({ error }),
      ),
    ]);
    progress.done();
    await svg?.write('result' in discovery ? discovery.result : discovery.error, io);
    const failure = 'error' in discovery ? describeError(discovery.error) : undefined;
    const findings = sortFindings(
      checkFindings({
        url,
        probe,
        result: 'result' in discovery ? discovery.result : undefined,
        error: failure,
      }),
    );
    const counts = countFindings(findings);
    if (json) {
      const out = {
        resource: url,
        ok: counts.error === 0,
        counts,
        findings,
        probe,
        discovery: 'result' in discovery ? discoverJson(discovery.result) : errorJson(discovery.error),
      };
      writeLine(io.stdout, JSON.stringify(out, null, 2));
    } else {
      const color = useColor(io.stdout, io.env);
      const paint = painter(color);
      const trace: DiscoveryTrace | undefined =
        'result' in discovery
          ? discovery.result.trace
          : (discovery.error as { trace?: DiscoveryTrace }).trace;
      // What discovery found (or why not) first, then how.
      if ('result' in discovery) {
        const server = discovery.result.authorizationServer;
        writeLine(
          io.stdout,
          `Authorization server ${paint('bold', server.issuer)} (${server.issuerCheck}, found by ${server.source})\n`,
        );
      } else if (failure !== undefined) {
        const head = errorHeadline(failure.code, failure.message, trace);
        writeLine(io.stdout, `${paint('red', `No authorization server (${failure.code}):`)} ${head}\n`);
      }
      if (trace !== undefined) {
        const text = formatTraceText(trace, { color, verbose: options.verbose === true, paint });
        writeLine(io.stdout, `${text}\n`);
      }
      writeLine(io.stdout, paint('bold', `Findings for ${url}`));
      printFindings(io, findings, paint);
      const summary = `${counts.error} error${counts.error === 1 ? '' : 's'}, ${counts.warning} warning${counts.warning === 1 ? '' : 's'}, ${counts.info} info`;
      writeLine(io.stdout, `\n${counts.error > 0 ? paint('red', summary) : paint('green', summary)}`);
    }
    return counts.error > 0 ? ExitCodes.FAILED : ExitCodes.OK;
  } finally {
    await pipeline.close();
  }
}
