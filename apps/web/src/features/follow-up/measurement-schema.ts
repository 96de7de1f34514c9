/**
 * The measurement form's rules, checked in the browser before sending (the server checks its own
 * request schema again). The value is typed as text so a decimal comma ("12,5") is accepted.
 */
import { z } from 'zod';
import { parseDecimal } from './numbers.ts';

export const measurementFormSchema = z.object({
  value: z
    .string()
    .trim()
    .min(1)
    .refine((s) => parseDecimal(s) !== null, { params: { code: 'decimal' } })
    .transform((s) => parseDecimal(s) as number),
  measuredOn: z.string().refine((s) => /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`)), { params: { code: 'date' } }),
  source: z.string().trim().min(1).max(500),
  comment: z.string().trim().max(2000),
});

export type MeasurementFormInput = z.input<typeof measurementFormSchema>;
export type MeasurementFormValues = z.output<typeof measurementFormSchema>;
