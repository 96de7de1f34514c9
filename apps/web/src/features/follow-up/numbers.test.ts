import { describe, expect, it } from 'vitest';
import { daysBetween } from '@overens/model/follow-up';
import { numberIn, parseDecimal, todayInStockholm } from './numbers.ts';

describe('parseDecimal', () => {
  it('reads the decimal comma, the point and thousands spaces', () => {
    expect(parseDecimal('12,5')).toBe(12.5);
    expect(parseDecimal('12.5')).toBe(12.5);
    expect(parseDecimal(' 1 234,5 ')).toBe(1234.5);
    expect(parseDecimal('1\u00a0234')).toBe(1234);
    expect(parseDecimal('-3')).toBe(-3);
    expect(parseDecimal('\u22123,25')).toBe(-3.25);
    expect(parseDecimal(',5')).toBe(0.5);
  });
  it('refuses what is not one number', () => {
    for (const bad of ['', 'abc', '12,5,1', '12 %', '1e3', '12,', '--1']) expect(parseDecimal(bad)).toBeNull();
  });
});

describe('numberIn', () => {
  it('finds the one number in a goal value', () => {
    expect(numberIn('60 %')).toBe(60);
    expect(numberIn('1 200 besök')).toBe(1200);
    expect(numberIn('3,5 timmar')).toBe(3.5);
    expect(numberIn('45')).toBe(45);
  });
  it('gives null for no number or several', () => {
    expect(numberIn('')).toBeNull();
    expect(numberIn(null)).toBeNull();
    expect(numberIn('hög')).toBeNull();
    expect(numberIn('från 10 till 20')).toBeNull();
  });
});

describe('dates', () => {
  it('takes today as in Sweden', () => {
    // 23:30 UTC on 31 December is already 1 January in Stockholm.
    expect(todayInStockholm(new Date('2026-12-31T23:30:00Z'))).toBe('2027-01-01');
  });
  it('counts days', () => {
    expect(daysBetween('2026-03-01', '2026-03-31')).toBe(30);
    expect(daysBetween('2026-03-31', '2026-03-01')).toBe(-30);
  });
});
