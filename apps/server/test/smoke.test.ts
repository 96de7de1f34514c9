import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, createTestApp, registerUser, type TestApp } from './support/index.ts';

describe('smoke', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });
  it('health and register', async () => {
    const res = await api(t, 'GET', '/api/health');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', db: t.database.kind });
    const u = await registerUser(t);
    const me = await api(t, 'GET', '/api/me', { cookie: u.cookie });
    expect(await me.json()).toEqual({ id: u.id, email: u.email, name: u.name });
  });
});
