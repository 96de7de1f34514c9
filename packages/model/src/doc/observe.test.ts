import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { STANDARD_TEMPLATE, STANDARD_TEMPLATE_ID } from '../templates/index.ts';
import { createInitialDocumentState } from './init.ts';
import { observeAgreement, onEachTransaction } from './observe.ts';

describe('onEachTransaction / observeAgreement', () => {
  it("run after the transaction's update was emitted (a listener never holds an edit back from the socket)", () => {
    const doc = new Y.Doc();
    const order: Array<[string, Y.Transaction]> = [];
    doc.on('update', (_u: Uint8Array, _o: unknown, _d: Y.Doc, tr: Y.Transaction) => order.push(['update', tr]));
    onEachTransaction(doc, (tr) => order.push(['listener', tr]));
    observeAgreement(doc, (change) => order.push(['agreement listener', change.transaction]));
    Y.applyUpdate(doc, createInitialDocumentState({ template: STANDARD_TEMPLATE, templateId: STANDARD_TEMPLATE_ID, templateVersion: 1, parties: [] }));
    const at = (kind: string, tr: Y.Transaction) => order.findIndex(([k, t]) => k === kind && t === tr);
    const updates = order.filter(([k]) => k === 'update').map(([, tr]) => tr);
    expect(updates.length).toBeGreaterThan(0);
    for (const tr of updates) {
      expect(at('listener', tr)).toBeGreaterThan(at('update', tr));
      expect(at('agreement listener', tr)).toBeGreaterThan(at('update', tr));
    }
  });

  it('see every transaction of a batch, nested ones included, each once', () => {
    const doc = new Y.Doc();
    const seen: unknown[] = [];
    onEachTransaction(doc, (tr) => seen.push(tr.origin));
    // A transaction made from an afterTransaction handler is cleaned up in the same batch.
    doc.on('afterTransaction', (tr: Y.Transaction) => {
      if (tr.origin === 'first') doc.transact(() => doc.getMap('m').set('b', 2), 'nested');
    });
    doc.transact(() => doc.getMap('m').set('a', 1), 'first');
    expect(seen).toEqual(['first', 'nested']);
  });
});
