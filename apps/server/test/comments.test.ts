import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { client, openEventStream, setUpTwoParties, type TwoParties } from './helpers/agreement-fixture.ts';
import { drivers, startServerOn, type TestServer } from './helpers/drivers.ts';
import { sectionAnchor } from './helpers/section-anchor.ts';

interface Thread {
  id: string;
  visibility: 'all' | 'internal';
  resolvedAt: string | null;
  resolvedBy: { id: string } | null;
  quote: string;
  comments: Array<{ id: string; body: string; author: { id: string } | null; mentions: Array<{ id: string; name: string }>; editedAt: string | null }>;
}

let anchor: Awaited<ReturnType<typeof sectionAnchor>>;

describe.each(drivers)('comments (%s)', (driver) => {
  let server: TestServer;
  let p: TwoParties;
  let api: ReturnType<typeof client>;
  let base: string;

  beforeAll(async () => {
    server = await startServerOn(driver);
    api = client(server.url);
    p = await setUpTwoParties(server.url);
    base = `/api/agreements/${p.agreementId}/comments`;
    anchor = await sectionAnchor(server, p.agreementId);
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
  });

  it('each change writes its event to the outbox and its audit row in its own transaction; internal ones keep their party audience', async () => {
    const rowsOf = <T>(r: unknown): T[] => (Array.isArray(r) ? r : (r as { rows: T[] }).rows) as T[];
    const outbox = async (threadId: string) =>
      rowsOf<{ type: string; party_id: string | null; delivered: boolean }>(
        await server.db.execute(
          sql`select type, party_id, delivered_at is not null as delivered from outbox_events where agreement_id = ${p.agreementId} and data->'thread'->>'id' = ${threadId} order by id`,
        ),
      );
    const open = await api.expectOk<Thread>('POST', base, p.ngo, { ...anchor, body: 'Öppen fråga', visibility: 'all' });
    const internal = await api.expectOk<Thread>('POST', base, p.ngo, { ...anchor, body: 'INTERN anteckning', visibility: 'internal' });
    await api.expectOk('POST', `${base}/${open.id}/replies`, p.kommun, { body: 'Svar' });
    await api.expectOk('POST', `${base}/${open.id}/resolve`, p.kommun, { resolved: true });
    await api.expectOk('PATCH', `${base}/${internal.id}/comments/${internal.comments[0]!.id}`, p.ngo, { body: 'INTERN anteckning, ändrad' });
    await api.expectOk('DELETE', `${base}/${internal.id}/comments/${internal.comments[0]!.id}`, p.ngo);

    // Delivered by the dispatcher (the request waited for it), in order, with the party audience.
    expect(await outbox(open.id)).toEqual([
      { type: 'comment.created', party_id: null, delivered: true },
      { type: 'comment.updated', party_id: null, delivered: true },
      { type: 'comment.resolved', party_id: null, delivered: true },
    ]);
    expect(await outbox(internal.id)).toEqual([
      { type: 'comment.created', party_id: p.ngoOrgId, delivered: true },
      { type: 'comment.updated', party_id: p.ngoOrgId, delivered: true },
      { type: 'comment.deleted', party_id: p.ngoOrgId, delivered: true },
    ]);

    // Audited with ids only; entries about an internal thread only for its party.
    type Entry = { type: string; actor: { id: string } | null; data: Record<string, unknown> };
    const auditOf = async (who: typeof p.ngo) =>
      (await api.expectOk<{ entries: Entry[] }>('GET', `/api/agreements/${p.agreementId}/audit`, who)).entries.filter((e) => e.type.startsWith('comment.'));
    const ours = await auditOf(p.ngo);
    expect(ours.filter((e) => e.data['threadId'] === open.id).map((e) => e.type)).toEqual(['comment.created', 'comment.replied', 'comment.resolved']);
    expect(ours.filter((e) => e.data['threadId'] === internal.id).map((e) => e.type)).toEqual(['comment.created', 'comment.edited', 'comment.deleted']);
    expect(JSON.stringify(ours)).not.toContain('INTERN');
    const theirs = await auditOf(p.kommun);
    expect(theirs.filter((e) => e.data['threadId'] === open.id)).toHaveLength(3);
    expect(JSON.stringify(theirs)).not.toContain(internal.id);
  });

  it('comment → reply → resolve → reopen, live for the other party', async () => {
    const kommunStream = await openEventStream(server.url, p.agreementId, p.kommun);
    try {
      const created = await api.call<Thread>('POST', base, p.ngo, { ...anchor, body: 'Ska vi skriva "minst två gånger i veckan"?', visibility: 'all' });
      expect(created.status).toBe(201);
      const thread = created.json;
      const live = await kommunStream.waitFor((e) => e.event === 'comment.created' && (e.data as { thread: Thread }).thread.id === thread.id);
      expect((live.data as { thread: Thread }).thread.comments[0]!.body).toContain('minst två gånger');

      const replied = await api.call<Thread>('POST', `${base}/${thread.id}/replies`, p.kommun, { body: 'Ja, det låter bra.' });
      expect(replied.status).toBe(201);
      expect(replied.json.comments.map((c) => c.body)).toEqual(['Ska vi skriva "minst två gånger i veckan"?', 'Ja, det låter bra.']);

      const resolved = await api.call<Thread>('POST', `${base}/${thread.id}/resolve`, p.kommun, { resolved: true });
      expect(resolved.status).toBe(200);
      expect(resolved.json.resolvedBy?.id).toBe(p.kommun.userId);
      await kommunStream.waitFor((e) => e.event === 'comment.resolved' && (e.data as { thread: Thread }).thread.id === thread.id);

      const reopened = await api.call<Thread>('POST', `${base}/${thread.id}/resolve`, p.ngo, { resolved: false });
      expect(reopened.json.resolvedAt).toBeNull();

      const list = await api.call<{ threads: Thread[] }>('GET', base, p.kommun);
      const listed = list.json.threads.find((t) => t.id === thread.id)!;
      expect(listed.comments).toHaveLength(2);
      expect(listed.quote).toBe('läxhjälp');
    } finally {
      kommunStream.close();
    }
  });

  it('edit and delete only your own comments; the thread goes with its last comment', async () => {
    const { json: thread } = await api.call<Thread>('POST', base, p.ngo, { ...anchor, body: 'Första versionen', visibility: 'all' });
    const commentId = thread.comments[0]!.id;
    const other = await api.call('PATCH', `${base}/${thread.id}/comments/${commentId}`, p.kommun, { body: 'Kapat' });
    expect(other.status).toBe(403);
    const otherDelete = await api.call('DELETE', `${base}/${thread.id}/comments/${commentId}`, p.kommun);
    expect(otherDelete.status).toBe(403);

    const edited = await api.call<Thread>('PATCH', `${base}/${thread.id}/comments/${commentId}`, p.ngo, { body: 'Andra versionen' });
    expect(edited.status).toBe(200);
    expect(edited.json.comments[0]).toMatchObject({ body: 'Andra versionen' });
    expect(edited.json.comments[0]!.editedAt).not.toBeNull();

    const deleted = await api.call<{ thread: Thread | null }>('DELETE', `${base}/${thread.id}/comments/${commentId}`, p.ngo);
    expect(deleted.status).toBe(200);
    expect(deleted.json.thread).toBeNull();
    const list = await api.call<{ threads: Thread[] }>('GET', base, p.ngo);
    expect(list.json.threads.some((t) => t.id === thread.id)).toBe(false);
  });

  it('an internal comment never reaches the other party: not in their list, not on their event stream', async () => {
    const kommunStream = await openEventStream(server.url, p.agreementId, p.kommun);
    const colleagueStream = await openEventStream(server.url, p.agreementId, p.ngoCommenter);
    try {
      const secret = 'INTERNT: vi kan gå ner till 80 000 kr';
      const internal = await api.call<Thread>('POST', base, p.ngo, { ...anchor, body: secret, visibility: 'internal' });
      expect(internal.status).toBe(201);
      // The colleague in the same party gets it live …
      await colleagueStream.waitFor((e) => e.event === 'comment.created' && (e.data as { thread: Thread }).thread.id === internal.json.id);
      // … and a reply, resolve and delete on it, too.
      await api.call('POST', `${base}/${internal.json.id}/replies`, p.ngoCommenter, { body: 'INTERNT svar' });
      await api.call('POST', `${base}/${internal.json.id}/resolve`, p.ngo, { resolved: true });
      // Then a comment for everyone: once the other party has it, anything published before has been delivered too.
      const open = await api.call<Thread>('POST', base, p.ngo, { ...anchor, body: 'Öppen fråga till kommunen', visibility: 'all' });
      await kommunStream.waitFor((e) => e.event === 'comment.created' && (e.data as { thread: Thread }).thread.id === open.json.id);
      await colleagueStream.waitFor((e) => e.event === 'comment.created' && (e.data as { thread: Thread }).thread.id === open.json.id);

      expect(kommunStream.raw).not.toContain(internal.json.id);
      expect(kommunStream.raw).not.toContain('INTERNT');
      expect(colleagueStream.raw).toContain(internal.json.id);
      expect(colleagueStream.raw).toContain('INTERNT svar');

      const theirs = await api.call<{ threads: Thread[] }>('GET', base, p.kommun);
      expect(JSON.stringify(theirs.json)).not.toContain('INTERNT');
      expect(theirs.json.threads.some((t) => t.id === open.json.id)).toBe(true);
      const ours = await api.call<{ threads: Thread[] }>('GET', base, p.ngoCommenter);
      expect(ours.json.threads.some((t) => t.id === internal.json.id)).toBe(true);

      // The other party cannot reach it by id either (same 404 as a thread that does not exist).
      expect((await api.call('POST', `${base}/${internal.json.id}/replies`, p.kommun, { body: 'hej' })).status).toBe(404);
      expect((await api.call('POST', `${base}/${internal.json.id}/resolve`, p.kommun, { resolved: false })).status).toBe(404);
    } finally {
      kommunStream.close();
      colleagueStream.close();
    }
  });

  it('@mentions are parsed on the server and must be members (own party only when internal)', async () => {
    const ok = await api.call<Thread>('POST', base, p.ngo, { ...anchor, body: `Kan du titta, @[Kalle](user:${p.kommun.userId})?`, visibility: 'all' });
    expect(ok.status).toBe(201);
    expect(ok.json.comments[0]!.mentions).toEqual([{ id: p.kommun.userId, name: 'Kalle Kommun' }]);

    const stranger = await api.register('Utomstående');
    const notMember = await api.call('POST', base, p.ngo, { ...anchor, body: `@[X](user:${stranger.userId}) hej`, visibility: 'all' });
    expect(notMember.status).toBe(400);

    const internalToOther = await api.call('POST', base, p.ngo, { ...anchor, body: `@[Kalle](user:${p.kommun.userId}) hemligt`, visibility: 'internal' });
    expect(internalToOther.status).toBe(400);

    const mentionable = await api.call<{ members: Array<{ id: string }> }>('GET', `${base}/mentionable?visibility=internal`, p.ngo);
    expect(mentionable.json.members.map((m) => m.id).sort()).toEqual([p.ngo.userId, p.ngoCommenter.userId, p.ngoViewer.userId].sort());
  });

  it('commenters can comment, viewers cannot, non-members get 404', async () => {
    const byCommenter = await api.call('POST', base, p.ngoCommenter, { ...anchor, body: 'Från en kommentator', visibility: 'all' });
    expect(byCommenter.status).toBe(201);
    const byViewer = await api.call('POST', base, p.ngoViewer, { ...anchor, body: 'Från en läsare', visibility: 'all' });
    expect(byViewer.status).toBe(403);
    const viewerList = await api.call<{ threads: Thread[] }>('GET', base, p.ngoViewer);
    expect(viewerList.status).toBe(200);
    const stranger = await api.register('Främling');
    expect((await api.call('GET', base, stranger)).status).toBe(404);
    expect((await openEventStream(server.url, p.agreementId, stranger)).status).toBe(404);
    expect((await api.call('GET', base, null)).status).toBe(401);
  });

  it('a thread must name a section of this agreement and anchors inside it, else 400 with a code and what to do', async () => {
    type P = { status: number; code: string; type: string; detail: string; errors: Array<{ field: string; message: string }>; messages: { sv: string; en: string } };
    const post = (body: Record<string, unknown>) => api.call<P>('POST', base, p.ngo, { ...anchor, body: 'Kommentar', visibility: 'all', ...body });
    const cases: Array<[Record<string, unknown>, string, string]> = [
      [{ sectionId: 'no-such-section' }, 'comment-unknown-section', 'sectionId'],
      // Base64 that is not a relative position at all (0xff… is an unterminated varint).
      [{ anchorStart: '////' }, 'comment-invalid-anchor', 'anchorStart'],
      // A valid position followed by trailing bytes.
      [{ anchorEnd: Buffer.concat([Buffer.from(anchor.anchorEnd, 'base64'), Buffer.from([7, 7, 7])]).toString('base64') }, 'comment-invalid-anchor', 'anchorEnd'],
      // A root type, not a section body.
      [{ anchorStart: Buffer.from(Y.encodeRelativePosition(Y.createRelativePositionFromTypeIndex(new Y.Doc().getText('x'), 0))).toString('base64') }, 'comment-invalid-anchor', 'anchorStart'],
      // The old test placeholder: kind 1 (a root type name) with a truncated name.
      [{ anchorStart: 'AQID', anchorEnd: 'BAUG' }, 'comment-invalid-anchor', 'anchorStart'],
      // Well-formed, but pointing at an item this document does not have (client 2, clock 3).
      [{ anchorStart: Buffer.from([0, 2, 3, 0]).toString('base64') }, 'comment-anchor-unknown', 'anchorStart'],
      // A real position, but in another section.
      [{ anchorEnd: (await sectionAnchor(server, p.agreementId, 1)).anchorEnd }, 'comment-anchor-outside-section', 'anchorEnd'],
    ];
    for (const [input, code, field] of cases) {
      const res = await post(input);
      expect(res.status, JSON.stringify(input)).toBe(400);
      expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
      expect(res.json.code).toBe(code);
      expect(res.json.type).toBe(`/problems/${code}`);
      expect(res.json.errors[0]?.field).toBe(field);
      expect(res.json.detail.length).toBeGreaterThan(30);
      expect(res.json.messages.sv.length).toBeGreaterThan(30);
    }
    const list = await api.call<{ threads: Thread[] }>('GET', base, p.ngo);
    expect(list.json.threads.some((t) => t.comments.some((c) => c.body === 'Kommentar'))).toBe(false);
  });
});
