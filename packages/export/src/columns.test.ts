import { describe, expect, it } from 'vitest';
import { columnNeed, fitColumns } from './columns.ts';
import { hyphenate } from './hyphenate.ts';
import { wrapLines } from './wrap.ts';

/** A monospace stand-in: 5 points per character. */
const mono = (s: string) => s.length * 5;

describe('wrapLines', () => {
  it('breaks between words, and inside a word only at a hyphenation point, with a visible hyphen', () => {
    const lines = wrapLines(hyphenate('Andel med gymnasiebehörighet'), 45, mono);
    for (const l of lines) expect(mono(l)).toBeLessThanOrEqual(45);
    expect(lines.join('\n')).toBe('Andel med\ngymnasie-\nbehörig-\nhet');
  });

  it('breaks after a hard hyphen between letters without adding one, never inside a date, and keeps hard line breaks', () => {
    expect(wrapLines('IOP-avtalet', 40, mono)).toEqual(['IOP-', 'avtalet']);
    expect(wrapLines('2027-08-31, 2028-08-31\nKälla: SCB', 60, mono)).toEqual(['2027-08-31,', '2028-08-31', 'Källa: SCB']);
  });

  it('cuts a piece wider than the column with visible hyphens rather than silently', () => {
    const lines = wrapLines('karin.lindqvist@sjovik.se', 50, mono);
    expect(lines.length).toBeGreaterThan(1);
    for (const l of lines.slice(0, -1)) expect(l.endsWith('-')).toBe(true);
  });
});

describe('fitColumns', () => {
  it('gives each column at least its longest unbreakable piece and keeps words whole when there is room', () => {
    const needs = [['1', '2', '3'], ['Fler elever når gymnasiebehörighet'], ['80 %', '75 %']].map((c) => columnNeed(c.map(hyphenate), mono, 8));
    const widths = fitColumns(needs, 200);
    expect(widths.reduce((a, b) => a + b, 0)).toBeCloseTo(200);
    expect(widths[0]).toBeGreaterThanOrEqual(mono('1') + 8);
    expect(widths[1]).toBeGreaterThanOrEqual(mono('gymnasiebehörighet') + 8);
    expect(widths[2]).toBeGreaterThanOrEqual(mono('80 %') + 8);
  });

  it('spreads what is left by weight once every column has its full lines', () => {
    const needs = [columnNeed(['a'], mono, 0), columnNeed(['b'], mono, 0)];
    const [a, b] = fitColumns(needs, 110, [1, 0]);
    expect(a).toBeCloseTo(105, 3);
    expect(b).toBeCloseTo(5, 3);
  });
});
