import { describe, expect, it } from 'vitest';
import { chartGeometry } from './chart.ts';

describe('chartGeometry', () => {
  const input = {
    baseline: { value: 40, date: '2026-01-01' },
    measurements: [
      { id: 'b', value: 55, date: '2026-12-31' },
      { id: 'a', value: 48, date: '2026-07-01' },
    ],
    target: { value: 70, date: '2027-12-31' },
  };

  it('places baseline left, target right, measurements in date order between them', () => {
    const g = chartGeometry(input)!;
    expect(g.baseline!.x).toBe(g.plot.left);
    expect(g.target!.x).toBe(g.plot.right);
    expect(g.measurements.map((m) => m.id)).toEqual(['a', 'b']);
    expect(g.measurements[0]!.x).toBeLessThan(g.measurements[1]!.x);
    // Higher values are higher up (smaller y).
    expect(g.target!.y).toBeLessThan(g.measurements[1]!.y);
    expect(g.measurements[1]!.y).toBeLessThan(g.baseline!.y);
  });

  it('draws the actual line through baseline and measurements and the planned line to the target', () => {
    const g = chartGeometry(input)!;
    expect(g.actualPath.split('L')).toHaveLength(3);
    expect(g.actualPath.startsWith(`M${g.baseline!.x} ${g.baseline!.y}`)).toBe(true);
    expect(g.plannedPath).toBe(`M${g.baseline!.x} ${g.baseline!.y} L${g.target!.x} ${g.target!.y}`);
  });

  it('keeps every value inside the plot with round ticks covering them', () => {
    const g = chartGeometry(input)!;
    for (const p of [g.baseline!, g.target!, ...g.measurements]) {
      expect(p.y).toBeGreaterThanOrEqual(g.plot.top);
      expect(p.y).toBeLessThanOrEqual(g.plot.bottom);
    }
    const vals = g.yTicks.map((t) => t.value);
    expect(Math.min(...vals)).toBeLessThanOrEqual(40);
    expect(Math.max(...vals)).toBeGreaterThanOrEqual(70);
  });

  it('handles a falling goal, one point and nothing', () => {
    const down = chartGeometry({ baseline: { value: 30, date: '2026-01-01' }, measurements: [], target: { value: 10, date: '2027-01-01' } })!;
    expect(down.target!.y).toBeGreaterThan(down.baseline!.y);
    const one = chartGeometry({ baseline: null, measurements: [{ id: 'x', value: 5, date: '2026-05-05' }], target: null })!;
    expect(Number.isFinite(one.measurements[0]!.x) && Number.isFinite(one.measurements[0]!.y)).toBe(true);
    expect(one.actualPath).toBe('');
    expect(chartGeometry({ baseline: null, measurements: [], target: null })).toBeNull();
  });
});
