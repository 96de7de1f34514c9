import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { detectRoots, restoreAsEdit } from './restore.ts';

/** A small agreement-shaped document built with raw Yjs (the layout of layout.ts). */
function paragraph(text: string, attrs?: Record<string, unknown>): Y.XmlElement {
  const p = new Y.XmlElement('paragraph');
  const t = new Y.XmlText();
  t.insert(0, text, attrs);
  p.insert(0, [t]);
  return p;
}

function addSection(doc: Y.Doc, id: string, title: string, order: string, paragraphs: string[]): void {
  const section = new Y.Map<unknown>();
  section.set('id', id);
  section.set('title', title);
  section.set('order', order);
  const body = new Y.XmlFragment();
  section.set('body', body);
  doc.getMap('sections').set(id, section);
  body.insert(0, paragraphs.map((p) => paragraph(p)));
}

function row(id: string, goal: string): Y.Map<unknown> {
  const m = new Y.Map<unknown>();
  m.set('id', id);
  m.set('goal', goal);
  m.set('followUpDates', ['2026-06-30']);
  return m;
}

function baseDoc(): Y.Doc {
  const doc = new Y.Doc();
  doc.transact(() => {
    doc.getMap('meta').set('title', 'IOP om läxhjälp');
    addSection(doc, 's1', 'Bakgrund', 'a', ['Första stycket om föreningen.', 'Andra stycket om kommunen.', 'Tredje stycket.']);
    addSection(doc, 's2', 'Syfte', 'b', ['Att fler elever klarar skolan.']);
    doc.getArray('goals').insert(0, [row('g1', 'Fler elever når godkänt'), row('g2', 'Minskad ensamhet'), row('g3', 'Fler volontärer')]);
    doc.getMap('period').set('start', '2026-01-01');
  });
  return doc;
}

const fork = (doc: Y.Doc): Y.Doc => {
  const copy = new Y.Doc();
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
  return copy;
};

/** A version as the server stores it: a doc decoded from encodeStateAsUpdate (roots untyped). */
const asStoredVersion = (doc: Y.Doc): Y.Doc => fork(doc);

const content = (doc: Y.Doc) => ({
  meta: doc.getMap('meta').toJSON(),
  sections: doc.getMap('sections').toJSON(),
  goals: doc.getArray('goals').toJSON(),
  period: doc.getMap('period').toJSON(),
  contributions: doc.getArray('contributions').toJSON(),
});

const body = (doc: Y.Doc, id: string) => ((doc.getMap('sections').get(id) as Y.Map<unknown>).get('body') as Y.XmlFragment);

describe('restoreAsEdit', () => {
  it('makes the live document equal to the version, in one transaction of ordinary operations', () => {
    const live = baseDoc();
    const version = asStoredVersion(live);
    const before = content(live);

    // Edits after the version: text changed, section added and removed, rows removed/reordered/added, fields.
    live.transact(() => {
      const b = body(live, 's1');
      ((b.get(1) as Y.XmlElement).get(0) as Y.XmlText).insert(0, 'Ändrat: ');
      b.insert(3, [paragraph('Ett nytt fjärde stycke.')]);
      addSection(live, 's3', 'Ny rubrik', 'c', ['Ny text']);
      live.getMap('sections').delete('s2');
      const goals = live.getArray<Y.Map<unknown>>('goals');
      (goals.get(0)).set('goal', 'Ändrat mål');
      goals.delete(1, 1); // g2 gone
      goals.insert(0, [row('g4', 'Nytt mål')]);
      live.getMap('period').set('start', '2027-01-01');
      live.getMap('period').set('end', '2030-12-31');
      live.getMap('meta').set('title', 'Annan titel');
    });
    expect(content(live)).not.toEqual(before);

    // Another replica that only sees the restore as an update, like a connected browser.
    const peer = fork(live);
    const updates: Uint8Array[] = [];
    live.on('update', (u: Uint8Array) => updates.push(u));
    let transactions = 0;
    live.on('afterTransaction', () => transactions++);

    restoreAsEdit(live, version);

    expect(content(live)).toEqual(before);
    expect(transactions).toBe(1);
    expect(updates).toHaveLength(1);
    Y.applyUpdate(peer, updates[0]!);
    expect(content(peer)).toEqual(before);
  });

  it('does not rewrite history: the edited state can still be rebuilt after the restore', () => {
    const live = new Y.Doc({ gc: false });
    Y.applyUpdate(live, Y.encodeStateAsUpdate(baseDoc()));
    const version = asStoredVersion(live);
    ((body(live, 's2').get(0) as Y.XmlElement).get(0) as Y.XmlText).insert(0, 'Redigerat. ');
    const editedSnapshot = Y.snapshot(live);
    const editedContent = content(live);
    const svBefore = Y.decodeStateVector(Y.encodeStateVector(live));

    restoreAsEdit(live, version);

    expect(content(live)).toEqual(content(version));
    // Every clock only grew: the restore was appended, nothing replaced.
    const svAfter = Y.decodeStateVector(Y.encodeStateVector(live));
    for (const [client, clock] of svBefore) expect(svAfter.get(client)).toBeGreaterThanOrEqual(clock);
    const rebuilt = Y.createDocFromSnapshot(live, editedSnapshot);
    expect(content(rebuilt)).toEqual(editedContent);
  });

  it('keeps untouched paragraphs and patches changed text in place, so anchors there survive', () => {
    const live = baseDoc();
    const version = asStoredVersion(live);
    const b = body(live, 's1');
    const first = (b.get(0) as Y.XmlElement).get(0) as Y.XmlText;
    const second = (b.get(1) as Y.XmlElement).get(0) as Y.XmlText;
    // Anchors: "föreningen" in the untouched first paragraph, "kommunen" in the edited second one.
    const a1 = Y.createRelativePositionFromTypeIndex(first, 'Första stycket om '.length);
    const a2 = Y.createRelativePositionFromTypeIndex(second, 'Andra stycket om '.length);
    second.insert(0, 'Inskjutet: ');
    b.delete(2, 1);

    restoreAsEdit(live, version);

    expect(content(live)).toEqual(content(version));
    const r1 = Y.createAbsolutePositionFromRelativePosition(a1, live)!;
    const r2 = Y.createAbsolutePositionFromRelativePosition(a2, live)!;
    expect(r1.type).toBe(first);
    expect(first.toString().slice(r1.index)).toBe('föreningen.');
    expect(r2.type).toBe(second);
    expect(second.toString().slice(r2.index)).toBe('kommunen.');
  });

  it('restores formatting exactly (marks are text attributes)', () => {
    const live = new Y.Doc();
    addSection(live, 's1', 'Bakgrund', 'a', []);
    const frag = body(live, 's1');
    const p = new Y.XmlElement('paragraph');
    frag.insert(0, [p]);
    const t = new Y.XmlText();
    p.insert(0, [t]);
    t.insert(0, 'vanlig ');
    t.insert(7, 'fet', { bold: {} });
    t.insert(10, ' slut', {});
    const version = asStoredVersion(live);
    t.format(0, 7, { italic: {} });
    t.delete(7, 3);
    t.insert(7, 'ny', { link: { href: 'https://example.org' } });

    restoreAsEdit(live, version);

    const restored = (((body(live, 's1').get(0) as Y.XmlElement).get(0)) as Y.XmlText).toDelta();
    expect(restored).toEqual([{ insert: 'vanlig ' }, { insert: 'fet', attributes: { bold: {} } }, { insert: ' slut' }]);
  });

  it('merges with a concurrent edit made by another client', () => {
    const live = baseDoc();
    const version = asStoredVersion(live);
    (live.getArray<Y.Map<unknown>>('goals').get(0)).set('goal', 'Ändrat');
    const other = fork(live);
    ((body(other, 's2').get(0) as Y.XmlElement).get(0) as Y.XmlText).insert(0, 'Samtidigt. ');
    restoreAsEdit(live, version);
    Y.applyUpdate(live, Y.encodeStateAsUpdate(other));
    Y.applyUpdate(other, Y.encodeStateAsUpdate(live));
    expect(content(live)).toEqual(content(other));
    expect(live.getArray<Y.Map<unknown>>('goals').get(0).get('goal')).toBe('Fler elever når godkänt');
    expect(body(live, 's2').toString()).toContain('Samtidigt. Att fler elever');
  });

  it('restoring the current state changes nothing', () => {
    const live = baseDoc();
    const version = asStoredVersion(live);
    const updates: Uint8Array[] = [];
    live.on('update', (u: Uint8Array) => updates.push(u));
    restoreAsEdit(live, version);
    expect(updates).toHaveLength(0);
  });

  it('with commonKeysOnly, keeps entries added after the version and restores the common ones', () => {
    const live = baseDoc();
    const p1 = new Y.Map<unknown>();
    p1.set('name', 'Föreningen');
    live.getMap('parties').set('p1', p1);
    const version = asStoredVersion(live);
    const p2 = new Y.Map<unknown>();
    p2.set('name', 'Kommunen');
    live.transact(() => {
      live.getMap('parties').set('p2', p2);
      (live.getMap('parties').get('p1') as Y.Map<unknown>).set('name', 'Föreningen Ny');
    });
    restoreAsEdit(live, version, { commonKeysOnly: ['parties'] });
    expect(live.getMap('parties').toJSON()).toEqual({ p1: { name: 'Föreningen' }, p2: { name: 'Kommunen' } });
    restoreAsEdit(live, version);
    expect(live.getMap('parties').toJSON()).toEqual({ p1: { name: 'Föreningen' } });
  });

  it('detects the kinds of untyped roots of a decoded document', () => {
    const doc = baseDoc();
    doc.getText('notes').insert(0, 'x');
    doc.getXmlFragment('xml').insert(0, [paragraph('y')]);
    const decoded = asStoredVersion(doc);
    expect(detectRoots(decoded)).toMatchObject({ meta: 'map', sections: 'map', goals: 'array', period: 'map', notes: 'text', xml: 'xml' });
  });
});
