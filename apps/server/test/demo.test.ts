import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../src/demo.ts';
import { api, createTestApp, login, type TestApp } from './support/index.ts';

describe('demo mode seed', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('two users of two parties share a complete sample agreement; seeding twice reuses it', async () => {
    const first = await seedDemo(t.deps);
    expect(first.created).toBe(true);
    expect(first.users).toHaveLength(2);
    const again = await seedDemo(t.deps);
    expect(again).toMatchObject({ agreementId: first.agreementId, created: false });

    const cookies = [];
    for (const u of first.users) cookies.push(await login(t, u.email, u.password));
    for (const cookie of cookies) {
      const list = (await (await api(t, 'GET', '/api/agreements', { cookie })).json()) as { id: string }[];
      expect(list.map((a) => a.id)).toEqual([first.agreementId]);
    }
    const detail = (await (await api(t, 'GET', `/api/agreements/${first.agreementId}`, { cookie: cookies[1]! })).json()) as {
      parties: { kind: string }[];
      role: string;
      signatory: boolean;
    };
    expect(detail.parties.map((p) => p.kind)).toEqual(['ideburen', 'kommun']);
    expect(detail).toMatchObject({ role: 'editor', signatory: true });

    // The fixture content arrived with the real party ids: no validation errors.
    const v = (await (await api(t, 'GET', `/api/agreements/${first.agreementId}/validation`, { cookie: cookies[0]! })).json()) as {
      findings: { ruleId: string; severity: string }[];
      summary: { errors: number; readyToSign: boolean };
    };
    expect(v.findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(v.summary.readyToSign).toBe(true);
  });
});
