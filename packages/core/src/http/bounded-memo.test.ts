import { describe, expect, it } from 'vitest';
import { boundedMemo } from './bounded-memo.js';

describe('boundedMemo', () => {
  it('computes each key once while it is remembered, and forgets all at once when full', () => {
    const calls: string[] = [];
    const memo = boundedMemo((key: string) => {
      calls.push(key);
      return key.length;
    }, 2);
    expect([memo('a'), memo('bb'), memo('a'), memo('bb')]).toEqual([1, 2, 1, 2]);
    expect(calls).toEqual(['a', 'bb']);
    // A third key clears the two remembered ones.
    expect(memo('ccc')).toBe(3);
    expect(memo('a')).toBe(1);
    expect(calls).toEqual(['a', 'bb', 'ccc', 'a']);
  });

  it('remembers undefined and false results too', () => {
    let calls = 0;
    const memo = boundedMemo((key: string) => {
      calls += 1;
      return key === 'x' ? undefined : false;
    });
    memo('x');
    memo('x');
    memo('y');
    memo('y');
    expect(calls).toBe(2);
  });
});
