/**
 * The open-suggestions store: per section, from the shared document; a section whose body did not
 * change keeps its list (same object: its readers do not re-render), and only changed bodies are read.
 */
import { AgreementDoc, populateInitialDocument, richNodeToFragment, STANDARD_TEMPLATE, STANDARD_TEMPLATE_ID, type RichNode } from '@overens/model';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { OpenStore } from './open.tsx';

const ins = (text: string, id: string): RichNode => ({ type: 'text', text, marks: [{ type: 'insertion', attrs: { id } }] });

function setup() {
  const doc = new Y.Doc();
  populateInitialDocument(doc, { template: STANDARD_TEMPLATE, templateId: STANDARD_TEMPLATE_ID, templateVersion: 1, parties: [] });
  const adoc = new AgreementDoc(doc);
  const [first, second] = adoc.sections();
  const store = new OpenStore(doc);
  doc.on('afterTransaction', (tr: Y.Transaction) => store.noteChange(tr));
  return { doc, adoc, store, first: first!.id, second: second!.id };
}

describe('open suggestions store', () => {
  it('lists suggestions per section and keeps an unchanged section’s list', () => {
    const { doc, adoc, store, first, second } = setup();
    doc.transact(() => richNodeToFragment({ type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'A ' }, ins('ny', 'sg_u1_lz0abc_aaaaaa')] }] }, adoc.sectionBody(first)));
    store.compute();
    const before = store.section(first);
    expect(before.map((s) => [s.kind, s.text, s.authorUserId])).toEqual([['insertion', 'ny', 'u1']]);
    expect(store.section(second)).toEqual([]);

    let notified = 0;
    store.subscribe(() => notified++);
    // Typing in the other section: the first keeps its list object; nothing to tell.
    doc.transact(() => richNodeToFragment({ type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'B' }] }] }, adoc.sectionBody(second)));
    store.compute();
    expect(store.section(first)).toBe(before);
    expect(notified).toBe(0);

    // A suggestion in the second section: its list changes, the first stays the same object.
    doc.transact(() => richNodeToFragment({ type: 'doc', content: [{ type: 'paragraph', content: [ins('B', 'sg_u2_lz0abd_bbbbbb')] }] }, adoc.sectionBody(second)));
    store.compute();
    expect(store.section(second).map((s) => s.authorUserId)).toEqual(['u2']);
    expect(store.section(first)).toBe(before);
    expect(notified).toBe(1);
    expect(store.getAll().map((s) => s.suggestions.length)[1]).toBe(1);
  });
});
