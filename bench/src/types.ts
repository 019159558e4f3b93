/** The machine a benchmark ran on. */
export interface Machine {
  /** `os.cpus()[0].model`. */
  readonly cpu: string;
  readonly cores: number;
  /** `process.version`. */
  readonly node: string;
  /** `os.platform()` and `os.release()`. */
  readonly os: string;
}

/** What one contender found, so a fast wrong answer cannot pass as a win. */
export interface Answer {
  /** `metadata`: published metadata; `guessed`: MCP 2025-03-26 default endpoints; `none`: nothing; `error`: it threw. */
  readonly kind: 'metadata' | 'guessed' | 'none' | 'error';
  /** The `issuer` of the metadata it ended with. */
  readonly issuer?: string;
  /** Error code or message when `kind` is `error`. */
  readonly error?: string;
}

/** One contender in one world at one latency. */
export interface ContenderResult {
  /** Median wall time of one discovery, ms. */
  readonly medianMs: number;
  /** Fastest and slowest run, ms. */
  readonly minMs: number;
  readonly maxMs: number;
  /** Requests the world's servers received during one discovery (median over the runs). */
  readonly requests: number;
  /** Of those, requests whose connection the client closed before the response was complete (median). */
  readonly aborted: number;
  /** Speculative requests no strategy used (our pipeline's `trace.unusedSpeculation`, median); 0 for the SDK. */
  readonly unusedSpeculation: number;
  /** Every run found the answer the world expects. */
  readonly correct: boolean;
  /** The answer of the last run. */
  readonly answer: Answer;
}

/** One world at one latency, the three contenders side by side. */
export interface WorldResult {
  readonly name: string;
  readonly latencyMs: number;
  /** Round trips that truly depend on each other, from the 401 to the metadata. */
  readonly chain: number;
  /** `chain × latencyMs`: the wall time no client can beat. */
  readonly idealMs: number;
  readonly runs: number;
  /** Our default pipeline: the requests and order of a sequential client following the MCP spec. */
  readonly ours: ContenderResult;
  /** The same pipeline with `speculate: true` (later steps' requests started early). */
  readonly oursSpeculative: ContenderResult;
  readonly sdk: ContenderResult;
}

/** The CLI run twice in two processes with one state directory: the second run must ask nothing. */
export interface CrossProcessResult {
  readonly world: string;
  readonly latencyMs: number;
  /** Wall time of each `oauth-discovery discover --json` process (spawn included), ms. */
  readonly firstMs: number;
  readonly secondMs: number;
  /** Requests the servers received during each run. */
  readonly firstRequests: number;
  readonly secondRequests: number;
  /** The second run said `fromCache: true`. */
  readonly fromCache: boolean;
  /** Why it was skipped (the CLI is not built), when it was. */
  readonly note?: string;
}

/** A warm-cache discovery: the answer without a request. */
export interface CacheResult {
  readonly world: string;
  readonly latencyMs: number;
  /** The first (cold) discovery that filled the cache. */
  readonly coldMs: number;
  readonly coldRequests: number;
  /** Median of the warm discoveries. */
  readonly warmMedianMs: number;
  /** Requests the servers received during all warm discoveries together (must be 0). */
  readonly warmRequests: number;
  readonly warmRuns: number;
  /** Every warm result said `fromCache: true`. */
  readonly fromCache: boolean;
}

/** Median wall time and requests of one discovery. */
export interface DiscoveryCost {
  readonly medianMs: number;
  readonly requests: number;
}

/**
 * Documents shared between the discoveries of one pipeline: a second resource behind an
 * authorization server the pipeline already fetched the metadata of.
 */
export interface SharedDocumentsResult {
  readonly latencyMs: number;
  readonly runs: number;
  /** The first resource, on a new pipeline: its PRM and the authorization server's metadata. */
  readonly first: DiscoveryCost;
  /** A second resource of the same origin behind the same authorization server, on the same pipeline. */
  readonly second: DiscoveryCost;
  /** The SDK's `discoverOAuthServerInfo` on the second resource (it shares nothing between calls). */
  readonly sdkSecond: DiscoveryCost;
  /** Every discovery ended with the expected issuer, none from the result cache. */
  readonly correct: boolean;
}

/** One contender of the scale run. */
export interface ScaleContenderResult {
  readonly wallMs: number;
  readonly requests: number;
  /** Discoveries that did not end with the expected issuer. */
  readonly failures: number;
  /** Highest `process.memoryUsage().rss` sampled during the run, MiB. */
  readonly peakRssMb: number;
  /** Highest `heapUsed` sampled during the run minus `heapUsed` just before it, MiB. */
  readonly peakHeapDeltaMb: number;
}

/** Many concurrent discoveries of a few resources behind fewer authorization servers. */
export interface ScaleResult {
  readonly discoveries: number;
  readonly resources: number;
  readonly authorizationServers: number;
  readonly latencyMs: number;
  /** Times each contender did the whole run; wall time and requests are medians, memory the peak. */
  readonly rounds: number;
  /** Our pipeline, one instance for all discoveries (single flight, cache), default mode. */
  readonly ours: ScaleContenderResult;
  /** The same with `speculate: true`. */
  readonly oursSpeculative: ScaleContenderResult;
  /** The SDK, one `discoverOAuthServerInfo` per discovery. */
  readonly sdk: ScaleContenderResult;
}

/** CLI cold start (`node apps/cli/dist/cli.js --version`). */
export interface CliStartResult {
  /** Median wall time of one spawn, ms; `null` when the CLI is not built. */
  readonly medianMs: number | null;
  /** Median of `node -e ''` on the same machine: the floor any Node CLI pays. */
  readonly nodeBaselineMs: number;
  readonly runs: number;
  /** Why it was skipped, when it was. */
  readonly note?: string;
}

/** Everything one benchmark run measured; `--json` writes it to `bench/results.json`. */
export interface BenchResults {
  readonly machine: Machine;
  /** ISO time the run started. */
  readonly date: string;
  readonly mode: 'quick' | 'full';
  /** Where the worlds' servers ran: `worker-thread` (their own event loop) or `in-process`. */
  readonly servers: 'worker-thread' | 'in-process';
  readonly worlds: readonly WorldResult[];
  /** `os.loadavg()` (1, 5, 15 minutes) when the run started and when it ended: how busy the machine was. */
  readonly load: { readonly start: readonly number[]; readonly end: readonly number[] };
  readonly cache: CacheResult;
  /** The CLI's file cache across two processes. */
  readonly crossProcess: CrossProcessResult;
  readonly sharedDocuments: SharedDocumentsResult;
  readonly scale: ScaleResult;
  /** Median CLI cold start in ms, `null` when the CLI is not built (see `cliStart.note`). */
  readonly cliStartMs: number | null;
  readonly cliStart: CliStartResult;
}
