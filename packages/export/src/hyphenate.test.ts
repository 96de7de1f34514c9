import { describe, expect, it } from 'vitest';
import { hyphenate, SOFT_HYPHEN, stripSoftHyphens } from './hyphenate.ts';

const show = (s: string) => s.replaceAll(SOFT_HYPHEN, '|');

describe('hyphenate (Swedish patterns)', () => {
  it('puts soft hyphens at Swedish hyphenation points of long words', () => {
    expect(show(hyphenate('gymnasiebehörighet'))).toBe('gym|na|sie|be|hö|rig|het');
    expect(show(hyphenate('fritidsgårdsverksamheten'))).toBe('fri|tids|gårds|verk|sam|he|ten');
  });

  it('leaves short words, addresses, numbers and dates alone, and keeps the text otherwise unchanged', () => {
    const text = 'Andel elever i årskurs 9, se karin.lindqvist@sjovik.se och https://example.se/statistik 2027-08-31';
    const out = hyphenate(text);
    expect(out).toContain('karin.lindqvist@sjovik.se');
    expect(out).toContain('https://example.se/statistik');
    expect(out).toContain('2027-08-31');
    expect(out).toContain(' i ');
    expect(stripSoftHyphens(out)).toBe(text);
  });

  it('hyphenates the parts of a hyphenated compound', () => {
    expect(show(hyphenate('IOP-överenskommelsen'))).toMatch(/^IOP-över\|/);
  });
});
