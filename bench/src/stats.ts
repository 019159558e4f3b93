/** The median of `values` (mean of the two middle ones for an even count); `NaN` for none. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const upper = sorted[middle] as number;
  return sorted.length % 2 === 1 ? upper : ((sorted[middle - 1] as number) + upper) / 2;
}

/** Rounds to one decimal (milliseconds and MiB in the results). */
export function round1(value: number): number {
  return Math.round(value * 10) / 10;
}

/** Bytes to MiB, one decimal. */
export function mib(bytes: number): number {
  return round1(bytes / 1024 / 1024);
}
