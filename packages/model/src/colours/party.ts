/**
 * Party colours (issue #16): one per party, by the party's index in the agreement (join order), used for
 * presence, suggestions in the editor and the marked draft export. Each colour is dark enough for text on
 * white and on its own tint, and for white text on it (WCAG 2.1 AA, 4.5:1; party-colours.test.ts).
 */
export const PARTY_COLOURS = ['#1d4f91', '#00703c', '#6f2da8', '#a4310f', '#005a73', '#7a4b00', '#8a1f5b', '#3d4d00'] as const;

/** Neutral colour for a party that is not (or no longer) in the agreement. */
export const UNKNOWN_PARTY_COLOUR = '#505a5f';

/** The colour of the party at `partyIndex` (negative: unknown party). */
export function partyColour(partyIndex: number): string {
  if (!Number.isInteger(partyIndex) || partyIndex < 0) return UNKNOWN_PARTY_COLOUR;
  return PARTY_COLOURS[partyIndex % PARTY_COLOURS.length]!;
}

/** A light background of the party's colour (`share` of the colour over white), for highlighted text. */
export function partyTint(partyIndex: number, share = 0.1): string {
  const [r, g, b] = hexToRgb(partyColour(partyIndex));
  const mix = (c: number) => Math.round(255 - (255 - c) * share);
  return rgbToHex(mix(r), mix(g), mix(b));
}

export function hexToRgb(hex: string): [number, number, number] {
  const h = hex.replace('#', '');
  return [parseInt(h.slice(0, 2), 16), parseInt(h.slice(2, 4), 16), parseInt(h.slice(4, 6), 16)];
}

function rgbToHex(r: number, g: number, b: number): string {
  return `#${[r, g, b].map((c) => c.toString(16).padStart(2, '0')).join('')}`;
}

/** WCAG 2.1 contrast ratio of two sRGB colours (1 … 21). */
export function contrastRatio(a: string, b: string): number {
  const lum = (hex: string) => {
    const [r, g, bl] = hexToRgb(hex).map((c) => {
      const s = c / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    }) as [number, number, number];
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}
