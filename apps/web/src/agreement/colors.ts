/** Party colours: each has at least 4.5:1 contrast with white text (caret labels, presence chips). */
export const PARTY_COLORS = ['#1d4f91', '#00703c', '#6f2da8', '#a4310f', '#005a73', '#7a4b00', '#8a1f5b', '#3d4d00'] as const;

export function colorForIndex(i: number): string {
  return PARTY_COLORS[((i % PARTY_COLORS.length) + PARTY_COLORS.length) % PARTY_COLORS.length]!;
}
