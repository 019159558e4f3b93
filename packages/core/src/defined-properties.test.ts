import { describe, expect, it } from 'vitest';
import { definedProperties } from './defined-properties.js';

describe('definedProperties', () => {
  it('drops undefined properties and keeps every other value, falsy ones included', () => {
    const copy = definedProperties({ a: 1, b: undefined, c: null, d: '', e: false, f: 0 });
    expect(Object.keys(copy)).toEqual(['a', 'c', 'd', 'e', 'f']);
    expect(copy).toEqual({ a: 1, c: null, d: '', e: false, f: 0 });
  });

  it('types a possibly undefined property as optional without undefined', () => {
    const value: string | undefined = undefined;
    const copy: { readonly required: number; readonly optional?: string } = definedProperties({
      required: 1,
      optional: value,
    });
    expect('optional' in copy).toBe(false);
  });
});
