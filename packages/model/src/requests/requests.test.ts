import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createInvitationSchema, describeIssue, loginRequestSchema, registerRequestSchema } from './index.ts';

const issues = (schema: z.ZodType, value: unknown) => {
  const r = schema.safeParse(value);
  return r.success ? [] : r.error.issues.map((i) => describeIssue(i));
};

describe('shared request rules and their issue codes', () => {
  it('gives each rule a stable code with parameters and keeps the English message', () => {
    expect(issues(registerRequestSchema, { email: 'anna@exempel.se', password: 'kort', name: 'Anna' })).toEqual([
      { field: 'password', path: ['password'], code: 'too_small', params: { minimum: 10, origin: 'string' }, message: 'must be at least 10 characters; a short sentence is easy to remember' },
    ]);
    const [missing] = issues(loginRequestSchema, { email: 'anna@exempel.se' });
    expect(missing).toMatchObject({ field: 'password', code: 'required', params: { expected: 'string' }, message: 'password is required' });
    expect(issues(loginRequestSchema, { email: '  ', password: 'x' })[0]).toMatchObject({ field: 'email', code: 'too_small', params: { minimum: 1 } });
    expect(issues(loginRequestSchema, { email: 'inte-en-adress', password: 'x' })[0]).toMatchObject({ field: 'email', code: 'invalid_format', params: { format: 'email' } });
  });

  it('numbers, enums, unknown keys and custom codes', () => {
    const codes = issues(createInvitationSchema, { role: 'owner', expiresInDays: 120, extra: 1 }).map((i) => [i.field, i.code, i.params]);
    expect(codes).toContainEqual(['role', 'invalid_value', { values: 'editor, commenter, viewer' }]);
    expect(codes).toContainEqual(['expiresInDays', 'too_big', { maximum: 90, origin: 'number' }]);
    expect(codes).toContainEqual(['body', 'unrecognized_keys', { keys: 'extra' }]);
    const custom = z.string().refine(() => false, { params: { code: 'link_scheme', scheme: 'javascript' }, message: 'x' });
    expect(issues(z.object({ url: custom }), { url: 'javascript:1' })[0]).toMatchObject({ field: 'url', code: 'link_scheme', params: { scheme: 'javascript' } });
  });

  it('trims and lower-cases the e-mail address the same way on both sides', () => {
    expect(loginRequestSchema.parse({ email: '  Anna@Exempel.SE ', password: 'x' }).email).toBe('anna@exempel.se');
  });
});
