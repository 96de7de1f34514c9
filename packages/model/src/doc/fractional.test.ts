import { describe, expect, it } from 'vitest';
import { isValidOrderKey, orderKeyBetween, spreadOrderKeys } from './fractional.ts';

describe('fractional order keys', () => {
  it('always finds a valid key strictly between two keys, also after many inserts at one spot', () => {
    let seed = 42;
    const rnd = (n: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed % n;
    };
    const keys = spreadOrderKeys(15);
    for (let i = 0; i < 2000; i++) {
      const at = i % 3 === 0 ? 0 : i % 3 === 1 ? keys.length : rnd(keys.length + 1); // front, end, random
      const key = orderKeyBetween(keys[at - 1] ?? null, keys[at] ?? null);
      expect(isValidOrderKey(key)).toBe(true);
      if (at > 0) expect(key > keys[at - 1]!).toBe(true);
      if (at < keys.length) expect(key < keys[at]!).toBe(true);
      keys.splice(at, 0, key);
    }
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('spreads initial keys in increasing order and refuses a reversed range', () => {
    const keys = spreadOrderKeys(40);
    expect([...keys].sort()).toEqual(keys);
    expect(keys.every(isValidOrderKey)).toBe(true);
    expect(() => orderKeyBetween('b', 'a')).toThrow();
  });
});
