import { describe, expect, it } from 'vitest';
import { measurementFormSchema } from './measurement-schema.ts';

describe('measurementFormSchema', () => {
  it('turns a decimal comma into a number', () => {
    const r = measurementFormSchema.parse({ value: ' 12,5 ', measuredOn: '2026-06-30', source: 'Enkät', comment: '' });
    expect(r).toEqual({ value: 12.5, measuredOn: '2026-06-30', source: 'Enkät', comment: '' });
  });
  it('names the field and a stable code for each mistake', () => {
    const r = measurementFormSchema.safeParse({ value: 'många', measuredOn: '', source: ' ', comment: '' });
    expect(r.success).toBe(false);
    const byField = Object.fromEntries(r.error!.issues.map((i) => [String(i.path[0]), i]));
    expect(Object.keys(byField).sort()).toEqual(['measuredOn', 'source', 'value']);
    expect((byField.value as { params?: { code?: string } }).params?.code).toBe('decimal');
  });
});
