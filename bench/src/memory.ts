import { mib } from './stats.js';

/** Peak memory seen while a piece of work ran. */
export interface MemoryPeak {
  readonly peakRssMb: number;
  /** Highest sampled `heapUsed` minus `heapUsed` at the start, MiB. */
  readonly peakHeapDeltaMb: number;
}

/** A running memory sampler: `stop()` takes a last sample and returns the peaks. */
export interface MemorySampler {
  stop(): MemoryPeak;
}

/**
 * Samples `process.memoryUsage()` every `intervalMs` until stopped. Runs a full GC first when Node was
 * started with `--expose-gc`, so the heap baseline is not inflated by garbage of earlier work.
 */
export function sampleMemory(intervalMs = 5): MemorySampler {
  (globalThis as { gc?: () => void }).gc?.();
  const baseline = process.memoryUsage().heapUsed;
  let peakRss = 0;
  let peakHeap = baseline;
  const sample = () => {
    const usage = process.memoryUsage();
    peakRss = Math.max(peakRss, usage.rss);
    peakHeap = Math.max(peakHeap, usage.heapUsed);
  };
  sample();
  const timer = setInterval(sample, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return { peakRssMb: mib(peakRss), peakHeapDeltaMb: mib(peakHeap - baseline) };
    },
  };
}
