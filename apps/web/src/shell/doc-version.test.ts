/**
 * useDocVersion's filter (issue 15 item 7): typing in a section body (local or remote) is not a change
 * React components re-render for; everything else in the agreement is.
 */
import { AgreementDoc, populateInitialDocument, STANDARD_TEMPLATE, STANDARD_TEMPLATE_ID } from '@overens/model';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { onlyTextChanged } from './agreement-context.tsx';

function recordTransactions(doc: Y.Doc): boolean[] {
  const seen: boolean[] = [];
  doc.on('afterTransaction', (tr: Y.Transaction) => seen.push(onlyTextChanged(tr)));
  return seen;
}

describe('onlyTextChanged', () => {
  it('is true for typing in a section body, also when it arrives as a remote update', () => {
    const doc = new Y.Doc();
    populateInitialDocument(doc, { template: STANDARD_TEMPLATE, templateId: STANDARD_TEMPLATE_ID, templateVersion: 1, parties: [] });
    const adoc = new AgreementDoc(doc);
    const section = adoc.sections()[0]!;
    const body = adoc.sectionBody(section.id);
    const seen = recordTransactions(doc);
    doc.transact(() => {
      const p = new Y.XmlElement('paragraph');
      p.insert(0, [new Y.XmlText('Hej')]);
      body.insert(body.length, [p]);
    });
    ((body.get(body.length - 1) as Y.XmlElement).get(0) as Y.XmlText).insert(3, ' då');
    const remote = new Y.Doc();
    Y.applyUpdate(remote, Y.encodeStateAsUpdate(doc));
    const remoteSeen = recordTransactions(remote);
    const before = Y.encodeStateVector(remote);
    ((body.get(body.length - 1) as Y.XmlElement).get(0) as Y.XmlText).insert(0, '!');
    Y.applyUpdate(remote, Y.encodeStateAsUpdate(doc, before), 'remote');
    // (the insert into `doc` after `remote` was made is seen by `doc` too)
    expect(seen).toEqual([true, true, true]);
    expect(remoteSeen).toEqual([true]);
  });

  it('is false for section titles, marks, order and the structured parts', () => {
    const doc = new Y.Doc();
    populateInitialDocument(doc, { template: STANDARD_TEMPLATE, templateId: STANDARD_TEMPLATE_ID, templateVersion: 1, parties: [] });
    const adoc = new AgreementDoc(doc);
    const [a, b] = adoc.sections();
    const seen = recordTransactions(doc);
    const extra = adoc.addSection({ title: 'Extra', key: null, required: false, index: 0 });
    adoc.renameSection(extra, 'Ny rubrik');
    adoc.moveSection(b!.id, 0);
    adoc.setSectionReadyForReview(a!.id, { partyId: 'p', userId: 'u', userName: 'U', at: new Date().toISOString() });
    adoc.addGoal({});
    expect(seen.length).toBeGreaterThanOrEqual(5);
    expect(seen.every((x) => x === false)).toBe(true);
  });
});
