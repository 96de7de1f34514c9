/**
 * Geometry of a goal's progress chart (pure, tested beside it): baseline → measurements → target over
 * time, in SVG user units. Dates are YYYY-MM-DD and placed by day; the value axis has a little room
 * above and below and includes zero when the values are close to it.
 */

export interface ChartInput {
  baseline: { value: number; date: string } | null;
  measurements: Array<{ id: string; value: number; date: string }>;
  target: { value: number; date: string } | null;
}

export interface ChartPoint {
  x: number;
  y: number;
  value: number;
  date: string;
}

export interface ChartGeometry {
  width: number;
  height: number;
  plot: { left: number; right: number; top: number; bottom: number };
  baseline: ChartPoint | null;
  target: ChartPoint | null;
  measurements: Array<ChartPoint & { id: string }>;
  /** Baseline then measurements in date order: the solid line. */
  actualPath: string;
  /** Baseline straight to the target: the planned line (dashed). */
  plannedPath: string;
  yTicks: Array<{ y: number; value: number }>;
  xTicks: Array<{ x: number; date: string }>;
}

const DAY = 86_400_000;
const toDay = (d: string) => Math.floor(Date.parse(`${d}T00:00:00Z`) / DAY);

/** Round tick steps: 1, 2 or 5 times a power of ten. */
function niceStep(span: number, count: number): number {
  const raw = span / Math.max(1, count);
  const pow = 10 ** Math.floor(Math.log10(raw));
  const m = raw / pow;
  return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * pow;
}

export function chartGeometry(input: ChartInput, width = 480, height = 220): ChartGeometry | null {
  const all = [
    ...(input.baseline ? [input.baseline] : []),
    ...input.measurements.map((m) => ({ value: m.value, date: m.date })),
    ...(input.target ? [input.target] : []),
  ].filter((p) => Number.isFinite(p.value) && !Number.isNaN(Date.parse(`${p.date}T00:00:00Z`)));
  if (all.length === 0) return null;

  const plot = { left: 56, right: width - 16, top: 16, bottom: height - 40 };
  const days = all.map((p) => toDay(p.date));
  let d0 = Math.min(...days);
  let d1 = Math.max(...days);
  if (d0 === d1) {
    d0 -= 15;
    d1 += 15;
  }
  const values = all.map((p) => p.value);
  let lo = Math.min(...values);
  let hi = Math.max(...values);
  if (lo > 0 && lo < (hi - lo) * 0.5) lo = 0;
  if (lo === hi) {
    const pad = Math.abs(lo) * 0.1 || 1;
    lo -= pad;
    hi += pad;
  }
  const step = niceStep(hi - lo, 4);
  lo = Math.floor(lo / step) * step;
  hi = Math.ceil(hi / step) * step;

  const x = (date: string) => plot.left + ((toDay(date) - d0) / (d1 - d0)) * (plot.right - plot.left);
  const y = (v: number) => plot.bottom - ((v - lo) / (hi - lo)) * (plot.bottom - plot.top);
  const point = (p: { value: number; date: string }): ChartPoint => ({ x: round(x(p.date)), y: round(y(p.value)), value: p.value, date: p.date });

  const baseline = input.baseline ? point(input.baseline) : null;
  const target = input.target ? point(input.target) : null;
  const measurements = [...input.measurements]
    .sort((a, b) => a.date.localeCompare(b.date))
    .map((m) => ({ ...point(m), id: m.id }));
  const line = (pts: ChartPoint[]) => pts.map((p, i) => `${i === 0 ? 'M' : 'L'}${p.x} ${p.y}`).join(' ');
  const actual = [...(baseline ? [baseline] : []), ...measurements];

  const yTicks: ChartGeometry['yTicks'] = [];
  for (let v = lo; v <= hi + step / 2; v += step) yTicks.push({ y: round(y(v)), value: round(v) });
  const xTicks = [...new Set(all.map((p) => p.date))]
    .sort()
    .filter((_, i, arr) => i === 0 || i === arr.length - 1)
    .map((date) => ({ x: round(x(date)), date }));

  return {
    width,
    height,
    plot,
    baseline,
    target,
    measurements,
    actualPath: actual.length > 1 ? line(actual) : '',
    plannedPath: baseline && target ? line([baseline, target]) : '',
    yTicks,
    xTicks,
  };
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
