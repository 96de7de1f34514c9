import { describe, expect, it } from 'vitest';
import { measurementFormSchema } from './measurement-schema.ts';

describe('measurementFormSchema', () => {
  it('turns a decimal comma into a number', () => {
    const r = measurementFormSchema.parse({ value: ' 12,5 ', measuredOn: '2026-06-30', source: 'Enkät', comment: '' });
    expect(r).toEqual({ value: 12.5, measuredOn: '2026-06-30', source: 'Enkät', comment: '' });
  });
  it('refuses a date that does not exist (Date.parse would roll it into March) or one before 1900', () => {
    for (const measuredOn of ['2026-02-31', '2026-04-31', '0000-01-01']) {
      const r = measurementFormSchema.safeParse({ value: '1', measuredOn, source: 'Enkät', comment: '' });
      expect(r.success, measuredOn).toBe(false);
      expect((r.error!.issues[0] as { params?: { code?: string } }).params?.code).toBe('date');
    }
  });
  it('names the field and a stable code for each mistake', () => {
    const r = measurementFormSchema.safeParse({ value: 'många', measuredOn: '', source: ' ', comment: '' });
    expect(r.success).toBe(false);
    const byField = Object.fromEntries(r.error!.issues.map((i) => [String(i.path[0]), i]));
    expect(Object.keys(byField).sort()).toEqual(['measuredOn', 'source', 'value']);
    expect((byField.value as { params?: { code?: string } }).params?.code).toBe('decimal');
  });
});
