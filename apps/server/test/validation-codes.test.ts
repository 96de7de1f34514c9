/**
 * Validation errors carry a stable code and parameters per field (issue 15 item 3), which the web
 * translates; the English `message` and `detail` stay for API users.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, createAgreement, createOrganisation, createTestApp, createTestDatabase, registerUser, testDrivers, uniqueEmail, type TestApp } from './support/index.ts';

interface Problem {
  type: string;
  detail: string;
  errors?: Array<{ field: string; message: string; path?: Array<string | number>; code?: string; params?: Record<string, string | number> }>;
}

describe.each(testDrivers())('validation error codes (%s)', (driver) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ database: await createTestDatabase({ driver }) });
  });
  afterAll(async () => {
    await t?.close();
    await t?.database.close();
  });

  it('a short password: too_small with its minimum, the English message and detail kept', async () => {
    const res = await api(t, 'POST', '/api/auth/register', { body: { email: uniqueEmail(), password: 'short', name: 'Anna' } });
    expect(res.status).toBe(400);
    const p = (await res.json()) as Problem;
    expect(p.type).toBe('/problems/validation');
    expect(p.errors).toEqual([
      {
        field: 'password',
        path: ['password'],
        code: 'too_small',
        params: { minimum: 10, origin: 'string' },
        message: 'must be at least 10 characters; a short sentence is easy to remember',
      },
    ]);
    expect(p.detail).toBe('password: must be at least 10 characters; a short sentence is easy to remember');
  });

  it('missing, malformed and unknown fields each have their code', async () => {
    const res = await api(t, 'POST', '/api/auth/register', { body: { email: 'not-an-address', name: 'Anna' } });
    const p = (await res.json()) as Problem;
    const byField = Object.fromEntries((p.errors ?? []).map((e) => [e.field, e]));
    expect(byField.password).toMatchObject({ code: 'required', params: { expected: 'string' }, message: 'password is required' });
    expect(byField.email).toMatchObject({ code: 'invalid_format', params: { format: 'email' } });

    const u = await registerUser(t);
    const org = await createOrganisation(t, u.cookie);
    const { id } = await createAgreement(t, u.cookie, { organisationId: org.id });
    const patch = await api(t, 'PATCH', `/api/agreements/${id}`, { cookie: u.cookie, body: { title: 'x'.repeat(201), colour: 'red' } });
    expect(patch.status).toBe(400);
    const q = (await patch.json()) as Problem;
    const codes = Object.fromEntries((q.errors ?? []).map((e) => [e.code, e.params]));
    expect(codes.too_big).toEqual({ maximum: 200, origin: 'string' });
    expect(codes.unrecognized_keys).toEqual({ keys: 'colour' });
  });
});
