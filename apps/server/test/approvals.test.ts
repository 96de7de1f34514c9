/**
 * Approval, voiding, locking and signing export, end to end over HTTP and the real sync endpoint:
 * refused while validation has errors; a one-character edit (from a plain y-websocket client) voids an
 * approval and says who changed what; both parties approving the same hash locks the agreement as final
 * version 1; the locked agreement refuses updates at the sync endpoint; a signing-ready PDF comes only
 * from the locked final version (409 before); unlock needs a reason and voids the approvals; the audit
 * trail records all of it.
 *
 * The watcher's "no active approvals" cache (a check of an agreement without approvals costs no query)
 * stays correct across two processes sharing the database: an approval given in the other process
 * reaches this one as an event (Redis) and the next edit here voids it.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebsocketProvider } from 'y-websocket';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { getSectionBody, listSections } from '@overens/model';
import { createApprovalWatchExtension, type ApprovalWatchExtension } from '../src/sync/extensions/approval-watch.ts';
import type { Db } from '../src/db/client.ts';
import { client, setUpTwoParties, type Session, type TwoParties } from './helpers/agreement-fixture.ts';
import { drivers, startServerOn, type TestServer } from './helpers/drivers.ts';
import { createTestDatabase, startTestServer, type TestDatabase, type TestServer as SupportServer } from './support/index.ts';
import { agreeAllSections, fillComplete } from './helpers/complete-agreement.ts';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

interface ApprovalState {
  status: 'draft' | 'locked';
  finalVersion: { id: string; number: number; hash: string; versionId: string } | null;
  approvals: Array<{ id: string; userId: string; partyId: string; hash: string }>;
  voided: Array<{ id: string; voided: { reason: string; by: { id: string; name: string } | null; change: { changes: Array<{ sv: string; en: string }> } | null } }>;
  waitingFor: Array<{ partyId: string }>;
  currentHash: string;
}

function connect(server: TestServer, session: Session, agreementId: string) {
  const received: Uint8Array[] = [];
  class CookieWebSocket extends WebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols, { headers: { cookie: session.cookie, origin: server.url } });
      this.on('message', (data: Buffer) => received.push(new Uint8Array(data)));
    }
  }
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(`${server.url.replace(/^http/, 'ws')}/sync`, agreementId, doc, {
    WebSocketPolyfill: CookieWebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
  });
  const synced = new Promise<void>((resolve) => provider.once('sync', () => resolve()));
  return { doc, provider, synced, received };
}

async function until(check: () => Promise<boolean> | boolean): Promise<void> {
  while (!(await check())) await new Promise((r) => setTimeout(r, 25));
}


describe.each(drivers)('approval, lock and signing export (%s)', (driver) => {
  let server: TestServer;
  let p: TwoParties;
  let api: ReturnType<typeof client>;
  const path = (s: string) => `/api/agreements/${p.agreementId}${s}`;
  const state = async () => (await api.expectOk<ApprovalState>('GET', path('/approvals'), p.ngo)) as ApprovalState;
  /** Both parties mark every section agreed (an edit by a connected editor withdraws a section's marks). */
  const agreeAll = () =>
    server.deps.sync.withDocument(p.agreementId, (doc) =>
      agreeAllSections(doc, [
        { partyId: p.ngoOrgId, userId: p.ngo.userId, userName: p.ngo.name },
        { partyId: p.kommunOrgId, userId: p.kommun.userId, userName: p.kommun.name },
      ]),
    );
  /** Approve the text as the approval state shows it now (the hash the person saw). */
  const approveAs = async <T,>(who: Session) => api.call<T>('POST', path('/approvals'), who, { hash: (await state()).currentHash });

  beforeAll(async () => {
    server = await startServerOn(driver);
    api = client(server.url);
    p = await setUpTwoParties(server.url);
    // Each party's editor is its signatory.
    await api.expectOk('PATCH', path(`/members/${p.ngo.userId}`), p.ngo, { signatory: true });
    await api.expectOk('PATCH', path(`/members/${p.kommun.userId}`), p.kommun, { signatory: true });
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
  });

  it('refuses approval while validation has errors, listing them', async () => {
    const r = await approveAs<{ type: string; status: number; errors: Array<{ field: string; message: string }>; findings: unknown[] }>(p.ngo);
    expect(r.status).toBe(409);
    expect(r.headers.get('content-type')).toContain('application/problem+json');
    expect(r.json.type).toBe('/problems/approval-blocked');
    expect(r.json.findings.length).toBeGreaterThan(0);
    expect(r.json.errors.length).toBeGreaterThan(0);
    // A member without the signatory flag may not approve at all.
    const viewer = await approveAs(p.ngoViewer);
    expect(viewer.status).toBe(403);
  });

  it('refuses a signing-ready export while the agreement is not locked (409), a draft export works', async () => {
    const r = await api.call<{ type: string; detail: string }>('POST', path('/export?format=pdf&mode=signing'), p.ngo);
    expect(r.status).toBe(409);
    expect(r.headers.get('content-type')).toContain('application/problem+json');
    expect(r.json.type).toBe('/problems/not-signing-ready');
    expect(r.json.detail).toContain('not locked');

    const draft = await fetch(server.url + path('/export?format=docx&mode=draft'), { method: 'POST', headers: { cookie: p.kommun.cookie, origin: server.url } });
    expect(draft.status).toBe(200);
    expect(draft.headers.get('content-type')).toContain('wordprocessingml');
    expect((await draft.arrayBuffer()).byteLength).toBeGreaterThan(5000);
  });

  it('a one-character edit voids an approval, naming who changed what', async () => {
    await server.deps.sync.withDocument(p.agreementId, (doc) => fillComplete(doc, p.ngoOrgId, p.kommunOrgId));
    const v = await api.call<{ findings: Array<{ severity: string; ruleId: string }> }>('GET', path('/validation'), p.ngo);
    expect(v.json.findings.filter((f) => f.severity === 'error')).toEqual([]);
    await agreeAll();

    const approved = await approveAs<{ approval: { id: string; hash: string }; lockedAs: unknown }>(p.ngo);
    expect(approved.status).toBe(201);
    expect(approved.json.lockedAs).toBeNull();
    expect(approved.json.approval.hash).toMatch(/^[0-9a-f]{64}$/);
    const before = await state();
    expect(before.approvals.map((a) => a.id)).toEqual([approved.json.approval.id]);
    expect(before.currentHash).toBe(approved.json.approval.hash);
    expect(before.waitingFor.map((w) => w.partyId)).toEqual([p.kommunOrgId]);

    // The kommun types one character into "Bakgrund" with a plain y-websocket client.
    const c = connect(server, p.kommun, p.agreementId);
    await c.synced;
    try {
      const background = listSections(c.doc).find((s) => s.key === 'background')!;
      const firstText = getSectionBody(c.doc, background.id).get(0) as Y.XmlElement;
      (firstText.get(0) as Y.XmlText).insert(0, 'X');
      await until(async () => (await state()).approvals.length === 0);
    } finally {
      c.provider.destroy();
      c.doc.destroy();
    }
    const after = await state();
    expect(after.currentHash).not.toBe(approved.json.approval.hash);
    const voided = after.voided.find((a) => a.id === approved.json.approval.id)!;
    expect(voided.voided.reason).toBe('changed');
    expect(voided.voided.by).toEqual({ id: p.kommun.userId, name: 'Kalle Kommun' });
    expect(voided.voided.change!.changes.map((ch) => ch.sv)).toEqual(['Texten i avsnittet Bakgrund ändrades.']);
  });

  it('locks as final version 1 when both parties approve the same hash; the sync endpoint then refuses updates', async () => {
    // The server's agreed-section guard withdraws the marks of the edited Bakgrund (a moment after the
    // edit); then both agree to every section as it is now again.
    await until(async () =>
      ((await state()) as unknown as { open: { sectionsNotAgreed: Array<{ key: string | null }> } }).open.sectionsNotAgreed.some((x) => x.key === 'background'),
    );
    await agreeAll();
    const a1 = await approveAs<{ lockedAs: unknown }>(p.ngo);
    expect(a1.status).toBe(201);
    expect(a1.json.lockedAs).toBeNull();
    const a2 = await approveAs<{ lockedAs: { number: number; hash: string } }>(p.kommun);
    expect(a2.status).toBe(201);
    expect(a2.json.lockedAs).toMatchObject({ number: 1 });
    const s = await state();
    expect(s.status).toBe('locked');
    expect(s.finalVersion).toMatchObject({ number: 1, hash: s.currentHash });
    const detail = await api.expectOk<{ status: string }>('GET', `/api/agreements/${p.agreementId}`, p.kommun);
    expect(detail.status).toBe('locked');

    // An editor's client edits the locked document: the server drops the update and says so.
    const c = connect(server, p.ngo, p.agreementId);
    await c.synced;
    try {
      const background = listSections(c.doc).find((s) => s.key === 'background')!;
      const n = c.received.length;
      const para = new Y.XmlElement('paragraph');
      para.insert(0, [new Y.XmlText('Ändring efter låsningen.')]);
      getSectionBody(c.doc, background.id).insert(0, [para]);
      // y-websocket message type 2 = auth: permission denied.
      await until(() => c.received.slice(n).some((m) => m[0] === 2));
    } finally {
      c.provider.destroy();
      c.doc.destroy();
    }
    const live = await server.deps.sync.getDocumentState(p.agreementId);
    const text = JSON.stringify(getSectionBody(live, listSections(live).find((x) => x.key === 'background')!.id).toJSON());
    expect(text).not.toContain('Ändring efter låsningen');
    expect((await state()).currentHash).toBe(s.finalVersion!.hash);
    expect((await state()).approvals).toHaveLength(2);
    // Approving again is refused while locked.
    expect((await approveAs(p.ngo)).status).toBe(409);
  });

  it('exports the signing-ready PDF from the locked final version, and records exports in the audit trail', async () => {
    const res = await fetch(server.url + path('/export?format=pdf&mode=signing&diarienummer=KS%202026%2F17'), { method: 'POST', headers: { cookie: p.kommun.cookie, origin: server.url } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('content-disposition')).toContain('slutlig-version-1.pdf');
    const pdf = Buffer.from(await res.arrayBuffer());
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const hash = res.headers.get('x-content-sha256')!;
    expect(hash).toBe((await state()).finalVersion!.hash);
    // The hash and the version are in the PDF's metadata (Keywords) in clear text.
    expect(pdf.toString('latin1')).toContain(hash);
  });

  it('unlock needs an editor and a reason, voids the approvals and lets edits through again', async () => {
    expect((await api.call('POST', path('/unlock'), p.ngoCommenter, { reason: 'x' })).status).toBe(403);
    expect((await api.call('POST', path('/unlock'), p.ngo, { reason: '  ' })).status).toBe(400);
    const r = await api.call('POST', path('/unlock'), p.ngo, { reason: 'Kommunen vill ändra beloppet.' });
    expect(r.status).toBe(200);
    const s = await state();
    expect(s.status).toBe('draft');
    expect(s.approvals).toEqual([]);
    expect(s.voided.filter((v) => v.voided.reason === 'unlocked')).toHaveLength(2);
    const signing = await api.call<{ type: string }>('POST', path('/export?format=pdf&mode=signing'), p.ngo);
    expect(signing.status).toBe(409);

    // The sync endpoint accepts edits again.
    const c = connect(server, p.ngo, p.agreementId);
    await c.synced;
    try {
      const background = listSections(c.doc).find((x) => x.key === 'background')!;
      const para = new Y.XmlElement('paragraph');
      para.insert(0, [new Y.XmlText('Nytt stycke efter upplåsningen.')]);
      getSectionBody(c.doc, background.id).insert(0, [para]);
      await until(async () => {
        const live = await server.deps.sync.getDocumentState(p.agreementId);
        return JSON.stringify(getSectionBody(live, background.id).toJSON()).includes('Nytt stycke efter upplåsningen.');
      });
    } finally {
      c.provider.destroy();
      c.doc.destroy();
    }

    const audit = await api.expectOk<{ entries: Array<{ type: string; actor: { name: string } | null; data: Record<string, unknown> }> }>('GET', path('/audit'), p.ngoViewer);
    const types = audit.entries.map((e) => e.type);
    expect(types).toEqual(
      expect.arrayContaining(['invitation.created', 'invitation.accepted', 'member.role_changed', 'approval.given', 'approval.voided', 'agreement.locked', 'export', 'agreement.unlocked']),
    );
    const unlocked = audit.entries.find((e) => e.type === 'agreement.unlocked')!;
    expect(unlocked.data['reason']).toBe('Kommunen vill ändra beloppet.');
    expect(unlocked.actor?.name).toBe('Nora NGO');
    const exported = audit.entries.find((e) => e.type === 'export' && e.data['mode'] === 'signing')!;
    expect(exported.data).toMatchObject({ format: 'pdf', versionNumber: 1 });
    // No API edits the trail, and the database refuses changes to entries.
    expect((await api.call('DELETE', path('/audit'), p.ngo)).status).toBe(404);
    const refused = await server.deps.db.execute(sql`update audit_events set type = 'x'`).then(
      () => 'updated',
      (e: unknown) => `${String(e)} ${String((e as { cause?: unknown }).cause ?? '')}`,
    );
    expect(refused).toContain('append-only');
  });
});

/** The real database, counting the queries started through it (select / transaction). */
function countingDb(db: Db): { db: Db; queries: () => number } {
  let n = 0;
  const proxy = new Proxy(db, {
    get(target, key, receiver) {
      if (key === 'select' || key === 'transaction' || key === 'execute') n++;
      return Reflect.get(target, key, receiver);
    },
  });
  return { db: proxy, queries: () => n };
}

describe.each(drivers)('approval watcher: "no active approvals" cache across two processes (%s)', (driver) => {
  let database: TestDatabase;
  let a: SupportServer;
  let b: SupportServer;
  let p: TwoParties;
  let api: ReturnType<typeof client>;
  let watcher: ApprovalWatchExtension;
  let unfollow: () => void;
  let counted: ReturnType<typeof countingDb>;
  const path = (s: string) => `/api/agreements/${p.agreementId}${s}`;
  const state = async () => (await api.expectOk<ApprovalState>('GET', path('/approvals'), p.ngo)) as ApprovalState;
  const agreeAll = () =>
    a.deps.sync.withDocument(p.agreementId, (doc) =>
      agreeAllSections(doc, [
        { partyId: p.ngoOrgId, userId: p.ngo.userId, userName: p.ngo.name },
        { partyId: p.kommunOrgId, userId: p.kommun.userId, userName: p.kommun.name },
      ]),
    );

  /**
   * Both parties agree to every section, then `who` approves through `via` the text as that server shows
   * it. The server's agreed-section guard withdraws the marks of a section edited just before (it checks
   * a moment after the edit), so this agrees again until the approval goes through.
   */
  async function approveWhenAgreed(via: ReturnType<typeof client>, who: Session) {
    for (;;) {
      await agreeAll();
      const s = await via.call<ApprovalState & { open: { sectionsNotAgreed: unknown[] } }>('GET', path('/approvals'), who);
      if (s.json.open.sectionsNotAgreed.length > 0) continue;
      const r = await via.call<{ approval: { id: string; hash: string }; code?: string }>('POST', path('/approvals'), who, { hash: s.json.currentHash });
      if (r.status === 409 && (r.json.code === 'approval-blocked' || r.json.code === 'content-changed')) continue;
      return r;
    }
  }

  beforeAll(async () => {
    database = await createTestDatabase({ driver });
    a = await startTestServer({ database, redisUrl: REDIS_URL });
    b = await startTestServer({ database, redisUrl: REDIS_URL });
    api = client(a.url);
    p = await setUpTwoParties(a.url);
    await api.expectOk('PATCH', path(`/members/${p.ngo.userId}`), p.ngo, { signatory: true });
    await api.expectOk('PATCH', path(`/members/${p.kommun.userId}`), p.kommun, { signatory: true });
    await a.deps.sync.withDocument(p.agreementId, (doc) => fillComplete(doc, p.ngoOrgId, p.kommunOrgId));
    await agreeAll();
    // A watcher of our own on process A (beside the server's), on the real database and A's real
    // (Redis-backed) event bus, with a cache that only an invalidation can end within the test.
    counted = countingDb(a.deps.db);
    watcher = createApprovalWatchExtension({ db: counted.db, sync: a.deps.sync, events: a.deps.events }, { minIntervalMs: 0, noApprovalsTtlMs: 600_000 });
    // fed A's changes as the engine's onChange chain feeds the server's own
    unfollow = a.deps.sync.onDocumentChanged((agreementId, update, origin) => watcher.onChange!({ agreementId, update, origin }));
  }, 120_000);
  afterAll(async () => {
    unfollow?.();
    await watcher?.stop();
    await a?.close();
    await b?.close();
    await database?.close();
  });

  /** A plain client on process A types one character into Bakgrund. */
  async function typeOnA(who: Session, text: string): Promise<void> {
    const c = connect(a as unknown as TestServer, who, p.agreementId);
    await c.synced;
    try {
      const background = listSections(c.doc).find((s) => s.key === 'background')!;
      const firstText = getSectionBody(c.doc, background.id).get(0) as Y.XmlElement;
      const checks = watcher.stats().queries + watcher.stats().cacheHits;
      (firstText.get(0) as Y.XmlText).insert(0, text);
      await until(() => watcher.stats().queries + watcher.stats().cacheHits > checks);
      await watcher.idle();
    } finally {
      c.provider.destroy();
      c.doc.destroy();
    }
  }

  it('checks an agreement without approvals with no query once it knows; an approval given on B ends that, and an edit on A voids it', async () => {
    await typeOnA(p.kommun, 'a');
    expect(watcher.stats().queries).toBeGreaterThanOrEqual(1);
    // Now it knows there are none: further edits cost no database query at all.
    const queries = counted.queries();
    const before = watcher.stats();
    await typeOnA(p.kommun, 'b');
    await typeOnA(p.ngo, 'c');
    expect(watcher.stats().cacheHits).toBeGreaterThanOrEqual(before.cacheHits + 2);
    expect(watcher.stats().queries).toBe(before.queries);
    expect(counted.queries()).toBe(queries);

    // The NGO approves through process B: A hears of it only through the event bus (Redis).
    const onB = client(b.url);
    await until(async () => {
      const v = await onB.call<{ findings: Array<{ severity: string }> }>('GET', path('/validation'), p.ngo);
      return v.status === 200 && v.json.findings.every((f) => f.severity !== 'error');
    });
    const approved = await approveWhenAgreed(onB, p.ngo);
    expect(approved.status).toBe(201);
    await until(() => watcher.stats().invalidations > before.invalidations);

    // The kommun edits on A: the watcher asks the database again and the approval is voided.
    const queriesBefore = watcher.stats().queries;
    await typeOnA(p.kommun, 'd');
    expect(watcher.stats().queries).toBeGreaterThan(queriesBefore);
    expect(counted.queries()).toBeGreaterThan(queries);
    await until(async () => (await state()).approvals.length === 0);
    const voided = (await state()).voided.find((v) => v.id === approved.json.approval.id)!;
    expect(voided.voided.reason).toBe('changed');
    expect(voided.voided.by).toEqual({ id: p.kommun.userId, name: 'Kalle Kommun' });
  });

  it('an approval given in this process ends the cached answer at once', async () => {
    await typeOnA(p.kommun, 'e'); // none active again: cached
    await typeOnA(p.kommun, 'f');
    const before = watcher.stats();
    expect(before.cacheHits).toBeGreaterThan(0);
    const approved = await approveWhenAgreed(api, p.kommun);
    expect(approved.status).toBe(201);
    // approve() invalidated the cache before it answered (no waiting for an event).
    expect(watcher.stats().invalidations).toBeGreaterThan(before.invalidations);
    await typeOnA(p.ngo, 'g');
    expect(watcher.stats().queries).toBeGreaterThan(before.queries);
    await until(async () => (await state()).approvals.length === 0);
  });

  it('changes let through on the cached answer are checked again when an approval event arrives', async () => {
    await typeOnA(p.kommun, 'h');
    await typeOnA(p.kommun, 'i'); // a cache hit: this change was not looked at
    const before = watcher.stats();
    expect(before.cacheHits).toBeGreaterThan(0);
    // An approval event (as one made elsewhere would publish) without any new edit here.
    a.deps.events.publish({ type: 'approval.given', agreementId: p.agreementId, data: {} });
    await until(() => watcher.stats().queries > before.queries);
    await watcher.idle();
  });
});
