import { describe, expect, test } from 'vitest';
import * as Y from 'yjs';
import { addSection, getSectionBody, makeSuggestionId, paragraphsToRich, renameSection, setMeta } from '@overens/model';
import { checkSuggestModeUpdate, ShadowDocs } from './suggestions.ts';

const USER = 'u-commenter';

function server() {
  const doc = new Y.Doc();
  const sectionId = addSection(doc, { key: null, title: 'Ersättning', body: paragraphsToRich(['Föreningen får 100 000 kronor.']) });
  return { doc, sectionId };
}

/** A client with the server's state; `edit` runs on it and the update it produced is returned. */
function clientUpdate(serverDoc: Y.Doc, edit: (doc: Y.Doc) => void): Uint8Array {
  const c = new Y.Doc();
  Y.applyUpdate(c, Y.encodeStateAsUpdate(serverDoc));
  const before = Y.encodeStateVector(c);
  edit(c);
  return Y.encodeStateAsUpdate(c, before);
}

const text = (doc: Y.Doc, sectionId: string) => (getSectionBody(doc, sectionId).get(0) as Y.XmlElement).get(0) as Y.XmlText;

describe('suggest-mode check', () => {
  test('own suggestions pass; direct edits, other parts of the document and forged authors are refused', () => {
    const { doc, sectionId } = server();
    const ok = clientUpdate(doc, (c) => text(c, sectionId).insert(15, 'minst ', { insertion: { id: makeSuggestionId(USER) } }));
    expect(checkSuggestModeUpdate(doc, ok, USER)).toBeNull();
    const strike = clientUpdate(doc, (c) => text(c, sectionId).format(0, 10, { deletion: { id: makeSuggestionId(USER) } }));
    expect(checkSuggestModeUpdate(doc, strike, USER)).toBeNull();

    expect(checkSuggestModeUpdate(doc, clientUpdate(doc, (c) => text(c, sectionId).insert(0, 'X')), USER)?.reason).toMatch(/direct edits/);
    expect(checkSuggestModeUpdate(doc, clientUpdate(doc, (c) => text(c, sectionId).delete(0, 3)), USER)?.reason).toMatch(/direct edits/);
    expect(checkSuggestModeUpdate(doc, clientUpdate(doc, (c) => renameSection(c, sectionId, 'Annat')), USER)?.reason).toMatch(/only the text of sections/);
    expect(checkSuggestModeUpdate(doc, clientUpdate(doc, (c) => setMeta(c, { templateId: 'x', templateVersion: 9 })), USER)?.reason).toMatch(/only the text of sections/);
    expect(checkSuggestModeUpdate(doc, clientUpdate(doc, (c) => c.getMap('elsewhere').set('a', 1)), USER)?.reason).toMatch(/only the text of sections/);
    const forged = clientUpdate(doc, (c) => text(c, sectionId).insert(0, 'Enligt ', { insertion: { id: makeSuggestionId('u-editor') } }));
    expect(checkSuggestModeUpdate(doc, forged, USER)?.reason).toMatch(/must be your own/);
  });

  test("a sync step 2 repeating the client's whole delete set is judged by what is new", () => {
    const { doc, sectionId } = server();
    // An editor deleted a section title character long ago: it is in every client's delete set.
    renameSection(doc, sectionId, 'Ersättnin');
    const c = new Y.Doc();
    Y.applyUpdate(c, Y.encodeStateAsUpdate(doc));
    text(c, sectionId).insert(0, 'Nytt: ', { insertion: { id: makeSuggestionId(USER) } });
    const step2 = Y.encodeStateAsUpdate(c, Y.encodeStateVector(doc));
    expect(checkSuggestModeUpdate(doc, step2, USER)).toBeNull();
  });

  test('the copy is reused while it equals the document, caught up when it lags, made again after a refusal', () => {
    const { doc, sectionId } = server();
    const shadows = new ShadowDocs();
    const first = shadows.take('a', doc);
    const u = clientUpdate(doc, (c) => text(c, sectionId).insert(0, 'Ja ', { insertion: { id: makeSuggestionId(USER) } }));
    expect(checkSuggestModeUpdate(doc, u, USER, first)).toBeNull();
    Y.applyUpdate(doc, u); // the room applies what was accepted
    expect(shadows.take('a', doc)).toBe(first);
    text(doc, sectionId).insert(0, 'Redaktör: '); // an editor's change the copy has not seen
    const caughtUp = shadows.take('a', doc);
    expect(caughtUp).toBe(first);
    expect(Y.equalSnapshots(Y.snapshot(caughtUp), Y.snapshot(doc))).toBe(true);
    const bad = clientUpdate(doc, (c) => text(c, sectionId).insert(0, 'X'));
    expect(checkSuggestModeUpdate(doc, bad, USER, caughtUp)).not.toBeNull();
    // The copy now holds the refused update: it no longer equals the document and is made again.
    const again = shadows.take('a', doc);
    expect(again).not.toBe(first);
    expect(Y.equalSnapshots(Y.snapshot(again), Y.snapshot(doc))).toBe(true);
  });
});
