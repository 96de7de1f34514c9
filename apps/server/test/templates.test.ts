import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STANDARD_TEMPLATE, STANDARD_TEMPLATE_ID } from '@overens/model';
import { api, createAgreement, createOrganisation, createTestApp, createTestDatabase, registerUser, testDrivers, type TestApp, type TestUser } from './support/index.ts';

const OWN = {
  name: 'Vår mall',
  sections: [
    { key: 'background', title: 'Bakgrund', guidance: 'Varför?', required: true },
    { key: 'goals', title: 'Mål', required: true },
    { key: 'extra', title: 'Övrigt', required: false },
  ],
};

describe.each(testDrivers())('templates (%s)', (driver) => {
  let t: TestApp;
  let u: TestUser;
  let outsider: TestUser;
  let org: { id: string };
  let templateId: string;
  beforeAll(async () => {
    t = await createTestApp({ database: await createTestDatabase({ driver }) });
    u = await registerUser(t);
    outsider = await registerUser(t);
    org = await createOrganisation(t, u.cookie);
    await createOrganisation(t, outsider.cookie);
  });
  afterAll(async () => {
    await t?.close();
    await t?.database.close();
  });

  it('the standard IOP template is listed first and readable by id', async () => {
    const list = (await (await api(t, 'GET', '/api/templates', { cookie: u.cookie })).json()) as { id: string; sections: unknown[]; builtIn: boolean }[];
    expect(list[0]).toMatchObject({ id: STANDARD_TEMPLATE_ID, builtIn: true, version: 1 });
    expect(list[0]!.sections).toHaveLength(15);
    const one = await api(t, 'GET', `/api/templates/${STANDARD_TEMPLATE_ID}`, { cookie: u.cookie });
    expect(((await one.json()) as { name: string }).name).toBe(STANDARD_TEMPLATE.name);
    expect((await api(t, 'GET', '/api/templates')).status).toBe(401);
  });

  it("an organisation stores its own template; only its members see it", async () => {
    const res = await api(t, 'POST', `/api/organisations/${org.id}/templates`, { cookie: u.cookie, body: OWN });
    expect(res.status).toBe(201);
    const created = (await res.json()) as { id: string; version: number };
    expect(created.version).toBe(1);
    templateId = created.id;
    const list = (await (await api(t, 'GET', '/api/templates', { cookie: u.cookie })).json()) as { id: string }[];
    expect(list.map((x) => x.id)).toContain(templateId);
    const got = (await (await api(t, 'GET', `/api/templates/${templateId}`, { cookie: u.cookie })).json()) as { sections: unknown[]; organisationId: string };
    expect(got).toMatchObject({ organisationId: org.id, sections: OWN.sections });
    expect((await api(t, 'GET', `/api/templates/${templateId}`, { cookie: outsider.cookie })).status).toBe(404);
    const theirs = (await (await api(t, 'GET', '/api/templates', { cookie: outsider.cookie })).json()) as { id: string }[];
    expect(theirs.map((x) => x.id)).not.toContain(templateId);
    // Not a member of the organisation: 404.
    expect((await api(t, 'POST', `/api/organisations/${org.id}/templates`, { cookie: outsider.cookie, body: OWN })).status).toBe(404);
  });

  it('a new version keeps the old one; agreements record the version they started from', async () => {
    const a1 = await createAgreement(t, u.cookie, { organisationId: org.id, templateId });
    const v2 = await api(t, 'PUT', `/api/templates/${templateId}`, { cookie: u.cookie, body: { ...OWN, name: 'Vår mall v2' } });
    expect(v2.status).toBe(200);
    expect(await v2.json()).toEqual({ id: templateId, version: 2 });
    const a2 = await createAgreement(t, u.cookie, { organisationId: org.id, templateId });
    const d1 = (await (await api(t, 'GET', `/api/agreements/${a1.id}`, { cookie: u.cookie })).json()) as { templateVersion: number };
    const d2 = (await (await api(t, 'GET', `/api/agreements/${a2.id}`, { cookie: u.cookie })).json()) as { templateVersion: number };
    expect([d1.templateVersion, d2.templateVersion]).toEqual([1, 2]);
    const old = (await (await api(t, 'GET', `/api/templates/${templateId}?version=1`, { cookie: u.cookie })).json()) as { name: string };
    expect(old.name).toBe('Vår mall');
    // The document has the template's sections.
    const doc = await t.deps.sync.getDocumentState(a2.id);
    expect(doc.getMap('sections').size).toBe(3);
    doc.destroy();
    // Someone else cannot start an agreement from it.
    const other = await createOrganisation(t, outsider.cookie);
    const refused = await api(t, 'POST', '/api/agreements', { cookie: outsider.cookie, body: { title: 'X', organisationId: other.id, templateId } });
    expect(refused.status).toBe(400);
  });

  it("only the organisation's members change or delete its template; one an agreement started from cannot be deleted", async () => {
    // Someone outside the organisation: no new version, no delete (404, no existence leak).
    expect((await api(t, 'PUT', `/api/templates/${templateId}`, { cookie: outsider.cookie, body: OWN })).status).toBe(404);
    expect((await api(t, 'DELETE', `/api/templates/${templateId}`, { cookie: outsider.cookie })).status).toBe(404);
    // Agreements started from it (the test above): 409 with what to do instead, and it stays.
    const inUse = await api(t, 'DELETE', `/api/templates/${templateId}`, { cookie: u.cookie });
    expect(inUse.status).toBe(409);
    const problem = (await inUse.json()) as { code: string; messages: { sv: string; en: string } };
    expect(problem.code).toBe('template-in-use');
    expect(problem.messages.en).toMatch(/new version/);
    expect((await api(t, 'GET', `/api/templates/${templateId}`, { cookie: u.cookie })).status).toBe(200);
    // An unused one is deleted with all its versions.
    const fresh = (await (await api(t, 'POST', `/api/organisations/${org.id}/templates`, { cookie: u.cookie, body: OWN })).json()) as { id: string };
    await api(t, 'PUT', `/api/templates/${fresh.id}`, { cookie: u.cookie, body: { ...OWN, name: 'v2' } });
    expect((await api(t, 'DELETE', `/api/templates/${fresh.id}`, { cookie: u.cookie })).status).toBe(204);
    expect((await api(t, 'GET', `/api/templates/${fresh.id}?version=1`, { cookie: u.cookie })).status).toBe(404);
    expect((await api(t, 'DELETE', `/api/templates/${fresh.id}`, { cookie: u.cookie })).status).toBe(404);
  });

  const bad: [string, unknown, string][] = [
    ['no sections', { name: 'Tom', sections: [] }, 'sections'],
    ['duplicate keys', { name: 'Dubbel', sections: [{ key: 'a', title: 'A', required: true }, { key: 'a', title: 'B', required: false }] }, 'sections[1].key'],
    ['missing required flag', { name: 'X', sections: [{ key: 'a', title: 'A' }] }, 'sections[0].required'],
    ['bad key', { name: 'X', sections: [{ key: 'Not OK', title: 'A', required: true }] }, 'sections[0].key'],
    ['no name', { sections: [{ key: 'a', title: 'A', required: true }] }, 'name'],
    ['not an object', [1, 2], 'body'],
  ];
  it.each(bad)('invalid template JSON (%s) → 400 naming %s', async (_l, body, field) => {
    const res = await api(t, 'POST', `/api/organisations/${org.id}/templates`, { cookie: u.cookie, body });
    expect(res.status).toBe(400);
    const p = (await res.json()) as { errors: { field: string; message: string }[] };
    expect(p.errors.map((e) => e.field), JSON.stringify(p)).toContain(field);
  });

  it('malformed template JSON → 400', async () => {
    const res = await api(t, 'POST', `/api/organisations/${org.id}/templates`, { cookie: u.cookie, body: '{"name":', headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(400);
  });
});
