import { describe, expect, it } from 'vitest';
import { makeSuggestionId, parseSuggestionId } from './id.ts';

describe('suggestion id', () => {
  it('round-trips author and time', () => {
    const now = new Date('2026-01-02T03:04:05.678Z');
    const id = makeSuggestionId('u-1234', now, () => 0.5);
    expect(id).toMatch(/^sg_u-1234_[0-9a-z]+_[0-9a-z]{6}$/);
    expect(parseSuggestionId(id)).toEqual({ userId: 'u-1234', at: now });
  });
  it('rejects a userId with "_"', () => {
    expect(() => makeSuggestionId('a_b')).toThrow();
  });
  it('returns null for foreign ids', () => {
    expect(parseSuggestionId('123')).toBeNull();
    expect(parseSuggestionId(42)).toBeNull();
    expect(parseSuggestionId('sg_u_x')).toBeNull();
  });
});
