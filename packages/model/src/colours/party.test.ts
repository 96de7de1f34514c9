import { describe, expect, it } from 'vitest';
import { contrastRatio, PARTY_COLOURS, partyColour, partyTint, UNKNOWN_PARTY_COLOUR } from './party.ts';

describe('party colours', () => {
  it('meet WCAG AA (4.5:1) as text on white, on their own tint, and behind white text', () => {
    for (let i = 0; i < PARTY_COLOURS.length; i++) {
      expect(contrastRatio(partyColour(i), '#ffffff')).toBeGreaterThanOrEqual(4.5);
      expect(contrastRatio(partyColour(i), partyTint(i))).toBeGreaterThanOrEqual(4.5);
    }
    expect(contrastRatio(UNKNOWN_PARTY_COLOUR, '#ffffff')).toBeGreaterThanOrEqual(4.5);
  });
  it('are distinct per party and stable by index', () => {
    expect(new Set(PARTY_COLOURS).size).toBe(PARTY_COLOURS.length);
    expect(partyColour(0)).toBe(PARTY_COLOURS[0]);
    expect(partyColour(PARTY_COLOURS.length)).toBe(PARTY_COLOURS[0]);
    expect(partyColour(-1)).toBe(UNKNOWN_PARTY_COLOUR);
  });
  it('contrastRatio matches known values', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrastRatio('#777777', '#ffffff')).toBeCloseTo(4.48, 2);
  });
});
