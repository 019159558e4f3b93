import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import type { StoreContractContext } from './store-contract.js';
import { rejectsWithCode, type StoreWorkerSpec, uniquePrefix } from './store-contract-types.js';
import type { StoreWorkerJob } from './store-worker.js';

type JobOf = StoreWorkerJob extends infer J ? (J extends unknown ? Omit<J, 'config'> : never) : never;

interface Worker {
  readonly ready: Promise<void>;
  /** Resolves with the first JSON line the worker prints after `ready`. */
  readonly output: Promise<Record<string, unknown>>;
  readonly exited: Promise<number | null>;
  go(): void;
  readonly child: ChildProcess;
}

function startWorker(spec: StoreWorkerSpec, job: JobOf): Worker {
  if (!existsSync(spec.script)) throw new Error(`store worker script ${spec.script} not found`);
  const child = spawn(process.execPath, [spec.script, JSON.stringify({ ...job, config: spec.config })], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  let onReady: () => void = () => undefined;
  let onOutput: (value: Record<string, unknown>) => void = () => undefined;
  const ready = new Promise<void>((resolve) => {
    onReady = resolve;
  });
  const output = new Promise<Record<string, unknown>>((resolve, reject) => {
    onOutput = resolve;
    void exited.then((code) =>
      reject(new Error(`worker exited (${code}) without output; stderr: ${stderr}`)),
    );
  });
  lines.on('line', (text) => {
    if (text === 'ready') onReady();
    else if (text.startsWith('{')) onOutput(JSON.parse(text) as Record<string, unknown>);
  });
  void exited.then(() => onReady());
  return { ready, output, exited, child, go: () => child.stdin?.write('go\n') };
}

/** Run `jobs` as workers that start together; resolves with their outputs. */
async function together(spec: StoreWorkerSpec, jobs: JobOf[]) {
  const workers = jobs.map((job) => startWorker(spec, job));
  try {
    await Promise.all(workers.map((worker) => worker.ready));
    for (const worker of workers) worker.go();
    return await Promise.all(workers.map((worker) => worker.output));
  } finally {
    await Promise.all(workers.map((worker) => worker.exited));
  }
}

/**
 * Real processes contending on the store: CAS (four writers of one version: exactly one wins),
 * the lock (three processes' read-modify-write rounds lose nothing), and a holder killed with
 * SIGKILL (its lock is taken over once the lease ends).
 */
export function storeProcessContract({ a, harness }: StoreContractContext, enabled: boolean): void {
  if (!enabled) return;
  const spec = (): StoreWorkerSpec => {
    const worker = harness().worker;
    if (worker === undefined) throw new Error('the harness has processes: true but no worker');
    return worker;
  };

  describe('processes', () => {
    it('CAS: four processes write with the same version, exactly one wins', async () => {
      const key = `${uniquePrefix('proc-cas')}x`;
      const base = await a().set(key, 'base');
      const version = base.ok ? (base.version ?? '') : '';
      const outputs = await together(
        spec(),
        [0, 1, 2, 3].map((i) => ({ op: 'cas' as const, key, version, value: `worker-${i}` })),
      );
      const results = outputs.map((output) => output.result as { ok: boolean; version?: string });
      const winners = results.flatMap((result, i) => (result.ok ? [i] : []));
      expect(winners).toHaveLength(1);
      const stored = await a().get(key);
      expect(stored?.value).toBe(`worker-${winners[0]}`);
      expect(stored?.version).toBe(results[winners[0] ?? 0]?.version);
    });

    it('lock: three processes × 8 read-modify-write rounds under the lock lose no update', async () => {
      const prefix = uniquePrefix('proc-lock');
      const counterKey = `${prefix}counter`;
      await a().set(counterKey, '0');
      const jobs = [0, 1, 2].map(() => ({
        op: 'count' as const,
        lockKey: `${prefix}lock`,
        counterKey,
        rounds: 8,
      }));
      const outputs = await together(spec(), jobs);
      expect(outputs.map((output) => output.result)).toEqual(jobs.map(() => ({ rounds: 8 })));
      expect((await a().get(counterKey))?.value).toBe('24');
    });

    it('a holder killed with SIGKILL keeps the lock until its lease ends, then it is taken over', async () => {
      const lockKey = `${uniquePrefix('proc-crash')}lock`;
      const worker = startWorker(spec(), { op: 'hold', lockKey, leaseMs: 5_000 });
      await worker.ready;
      worker.go();
      const { locked } = await worker.output;
      expect(typeof locked).toBe('string');
      worker.child.kill('SIGKILL');
      await worker.exited;
      await rejectsWithCode(
        a().withLock(lockKey, 1_000, () => 'early', { waitMs: 0 }),
        'STORE_LOCK_TIMEOUT',
      );
      const taken = await a().withLock(lockKey, 5_000, (lock) => lock.token, { waitMs: 20_000 });
      expect(taken).not.toBe(locked);
    });
  });
}
