/**
 * A pure function of a string, remembered for the last `size` distinct arguments (all forgotten at once
 * when full). The SSRF guard and the loopback rule ask the same few host names about every request of
 * every discovery; parsing an address each time was a measurable part of a discovery's CPU.
 */
export function boundedMemo<T>(fn: (key: string) => T, size = 512): (key: string) => T {
  const known = new Map<string, T>();
  return (key) => {
    if (known.has(key)) return known.get(key) as T;
    const value = fn(key);
    if (known.size >= size) known.clear();
    known.set(key, value);
    return value;
  };
}
