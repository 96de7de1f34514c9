import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, createTestApp, createTestDatabase, registerUser, testDrivers, uniqueOrgNumber, type TestApp, type TestUser } from './support/index.ts';

describe.each(testDrivers())('organisations (%s)', (driver) => {
  let t: TestApp;
  let u: TestUser;
  beforeAll(async () => {
    t = await createTestApp({ database: await createTestDatabase({ driver }) });
    u = await registerUser(t);
  });
  afterAll(async () => {
    await t?.close();
    await t?.database.close();
  });

  const post = (body: unknown, cookie = u.cookie) => api(t, 'POST', '/api/organisations', { cookie, body });

  it('creates an idéburen organisation; the number is normalised; the creator is admin', async () => {
    const res = await post({ name: 'Läxhjälpen', kind: 'ideburen', orgNumber: '8020024280' });
    expect(res.status).toBe(201);
    const org = (await res.json()) as Record<string, unknown>;
    expect(org).toMatchObject({ name: 'Läxhjälpen', kind: 'ideburen', orgNumber: '802002-4280', municipalityCode: null, role: 'admin' });
  });

  it('creates a kommun with its SCB code and a region with its county code', async () => {
    const k = await post({ name: 'Stockholms stad', kind: 'kommun', orgNumber: '212000-0142', municipalityCode: '0180' });
    expect(k.status).toBe(201);
    expect(await k.json()).toMatchObject({ kind: 'kommun', municipalityCode: '0180' });
    const r = await post({ name: 'Region Stockholm', kind: 'region', orgNumber: '232100-0016', municipalityCode: '01' });
    expect(r.status).toBe(201);
  });

  it('lists only my organisations', async () => {
    const other = await registerUser(t);
    expect((await post({ name: 'Andras förening', kind: 'ideburen', orgNumber: uniqueOrgNumber('802') }, other.cookie)).status).toBe(201);
    const mine = (await (await api(t, 'GET', '/api/organisations', { cookie: u.cookie })).json()) as { name: string }[];
    expect(mine.map((o) => o.name)).not.toContain('Andras förening');
    expect(mine.length).toBeGreaterThanOrEqual(3);
    expect((await api(t, 'GET', '/api/organisations')).status).toBe(401);
  });

  const bad: [string, unknown, string, RegExp][] = [
    ['invalid org number (check digit)', { name: 'X', kind: 'ideburen', orgNumber: '802002-4281' }, 'orgNumber', /check digit/],
    ['org number of wrong form', { name: 'X', kind: 'ideburen', orgNumber: 'abc' }, 'orgNumber', /organisation number/],
    ['unknown municipality code', { name: 'X', kind: 'kommun', orgNumber: '212000-0142', municipalityCode: '9999' }, 'municipalityCode', /no municipality has the code 9999/],
    ['malformed municipality code', { name: 'X', kind: 'kommun', orgNumber: '212000-0142', municipalityCode: '18' }, 'municipalityCode', /4-digit/],
    ['kommun without a code', { name: 'X', kind: 'kommun', orgNumber: '212000-0142' }, 'municipalityCode', /required for a kommun/],
    ['unknown region code', { name: 'X', kind: 'region', orgNumber: '232100-0016', municipalityCode: '02' }, 'municipalityCode', /no region has the code 02/],
    ['code on an idéburen organisation', { name: 'X', kind: 'ideburen', orgNumber: '802002-4280', municipalityCode: '0180' }, 'municipalityCode', /remove it/],
    ['unknown kind', { name: 'X', kind: 'bolag', orgNumber: '802002-4280' }, 'kind', /ideburen, kommun or region/],
    ['missing name', { kind: 'ideburen', orgNumber: '802002-4280' }, 'name', /required/],
    ['number instead of string', { name: 'X', kind: 'ideburen', orgNumber: 8020024280 }, 'orgNumber', /./],
  ];
  it.each(bad)('400 for %s, naming the field', async (_label, body, field, message) => {
    const res = await post(body);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/problem\+json/);
    const p = (await res.json()) as { errors: { field: string; message: string }[] };
    const e = p.errors.find((x) => x.field === field);
    expect(e, JSON.stringify(p)).toBeTruthy();
    expect(e!.message).toMatch(message);
  });

  it('reference data: 290 municipalities and 21 regions', async () => {
    const m = (await (await api(t, 'GET', '/api/reference/municipalities')).json()) as { code: string; name: string }[];
    expect(m).toHaveLength(290);
    expect(m.find((x) => x.code === '0180')?.name).toBe('Stockholm');
    const r = (await (await api(t, 'GET', '/api/reference/regions')).json()) as { code: string; name: string; municipalityCode: string | null }[];
    expect(r).toHaveLength(21);
    // Regions are named as the organisations call themselves, not as the county.
    expect(r.find((x) => x.code === '12')?.name).toBe('Region Skåne');
    expect(r.find((x) => x.code === '09')).toMatchObject({ name: 'Region Gotland', municipalityCode: '0980' });
  });
});
