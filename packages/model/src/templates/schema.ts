import { z } from 'zod';
import type { Template } from '../types.ts';

/** A field-level problem, shaped like the `errors` of a problem+json response. */
export interface FieldError {
  /** Dotted path into the input, e.g. `sections[2].title`; `''` for the document itself. */
  field: string;
  message: string;
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] };

const TEMPLATE_KEY_PATTERN = /^[a-z][a-z0-9_]*$/;

export const templateSectionSchema = z.object({
  key: z
    .string({ error: 'key must be a string' })
    .min(1, 'key must not be empty')
    .max(64, 'key must be at most 64 characters')
    .regex(TEMPLATE_KEY_PATTERN, 'key must be lower-case snake_case (a-z, 0-9, _), starting with a letter'),
  title: z
    .string({ error: 'title must be a string' })
    .trim()
    .min(1, 'title must not be empty')
    .max(200, 'title must be at most 200 characters'),
  guidance: z.string({ error: 'guidance must be a string' }).trim().max(2000, 'guidance must be at most 2000 characters').optional(),
  required: z.boolean({ error: 'required must be true or false' }),
});

export const templateSchema = z
  .object({
    name: z
      .string({ error: 'name must be a string' })
      .trim()
      .min(1, 'name must not be empty')
      .max(200, 'name must be at most 200 characters'),
    sections: z
      .array(templateSectionSchema, { error: 'sections must be an array' })
      .min(1, 'a template needs at least one section')
      .max(100, 'a template can have at most 100 sections'),
  })
  .superRefine((tpl, ctx) => {
    const seen = new Map<string, number>();
    tpl.sections.forEach((section, index) => {
      const first = seen.get(section.key);
      if (first !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['sections', index, 'key'],
          message: `duplicate key "${section.key}" (already used by sections[${first}])`,
        });
      } else {
        seen.set(section.key, index);
      }
    });
  });

/** Formats a zod issue path as `sections[2].title`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out;
}

export function zodErrors(error: z.ZodError): FieldError[] {
  return error.issues.map((issue) => ({ field: formatPath(issue.path), message: issue.message }));
}

/**
 * Validates template JSON (a string or an already-parsed value). Returns the normalised template
 * (trimmed strings, empty guidance dropped) or human-readable errors naming the field.
 */
export function parseTemplate(json: unknown): ParseResult<Template> {
  let value: unknown = json;
  if (typeof json === 'string') {
    try {
      value = JSON.parse(json);
    } catch (err) {
      return { ok: false, errors: [{ field: '', message: `not valid JSON: ${(err as Error).message}` }] };
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, errors: [{ field: '', message: 'a template must be a JSON object with "name" and "sections"' }] };
  }
  const result = templateSchema.safeParse(value);
  if (!result.success) return { ok: false, errors: zodErrors(result.error) };
  return {
    ok: true,
    value: {
      name: result.data.name,
      sections: result.data.sections.map((s) => ({
        key: s.key,
        title: s.title,
        ...(s.guidance ? { guidance: s.guidance } : {}),
        required: s.required,
      })),
    },
  };
}
