/**
 * The measurement form's rules, checked in the browser before sending (the server checks its own
 * request schema again). The value is typed as text so a decimal comma ("12,5") is accepted.
 */
import { z } from 'zod';
import { parseDecimal } from './numbers.ts';

/**
 * A real date from 1900 on, as the server requires: Date.parse alone rolls 2026-02-31 over into March,
 * so the date must read back as itself.
 */
function isCalendarDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s) || s < '1900-01-01') return false;
  const ms = Date.parse(`${s}T00:00:00Z`);
  return !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 10) === s;
}

export const measurementFormSchema = z.object({
  value: z
    .string()
    .trim()
    .min(1)
    .refine((s) => parseDecimal(s) !== null, { params: { code: 'decimal' } })
    .transform((s) => parseDecimal(s) as number),
  measuredOn: z.string().refine(isCalendarDate, { params: { code: 'date' } }),
  source: z.string().trim().min(1).max(500),
  comment: z.string().trim().max(2000),
});

export type MeasurementFormInput = z.input<typeof measurementFormSchema>;
export type MeasurementFormValues = z.output<typeof measurementFormSchema>;
