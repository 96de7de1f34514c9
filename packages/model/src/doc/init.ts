import * as Y from 'yjs';
import type { Template } from '../types.ts';
import { initChecklist } from './checklist.ts';
import { spreadOrderKeys } from './fractional.ts';
import { newId, sectionsMap } from './layout.ts';
import { setMeta } from './meta.ts';
import { addParty, type PartyInput } from './parties.ts';
import { setPeriod } from './period.ts';
import { richNodeToFragment } from './rich.ts';

export interface InitialDocumentInput {
  template: Template;
  templateId: string;
  templateVersion: number;
  parties: PartyInput[];
  /** Optional section ids by template key (tests, imports); default: random UUIDs. */
  sectionIds?: Record<string, string>;
}

/**
 * Builds the first state of an agreement: meta, one section per template section (empty paragraph
 * bodies, so concurrent first binds by several editors never create duplicate paragraphs), the parties,
 * the six checklist items and an empty period. Returns a Yjs update; the server stores it once, when the
 * agreement is created. Every client then applies it before anything else.
 */
export function createInitialDocumentState(input: InitialDocumentInput): Uint8Array {
  const doc = new Y.Doc();
  populateInitialDocument(doc, input);
  const update = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return update;
}

/** Same as createInitialDocumentState but writes into an existing (empty) doc. */
export function populateInitialDocument(doc: Y.Doc, input: InitialDocumentInput): void {
  doc.transact(() => {
    setMeta(doc, { templateId: input.templateId, templateVersion: input.templateVersion });
    const orders = spreadOrderKeys(input.template.sections.length);
    const sections = sectionsMap(doc);
    input.template.sections.forEach((ts, i) => {
      const id = input.sectionIds?.[ts.key] ?? newId();
      const m = new Y.Map<unknown>();
      m.set('id', id);
      m.set('key', ts.key);
      m.set('title', ts.title);
      m.set('required', ts.required);
      m.set('guidance', ts.guidance ?? null);
      m.set('order', orders[i]!);
      m.set('body', new Y.XmlFragment());
      m.set('readyForReview', null);
      m.set('agreedBy', new Y.Map<unknown>());
      m.set('lastResetBy', null);
      sections.set(id, m);
      richNodeToFragment({ type: 'doc', content: [{ type: 'paragraph' }] }, m.get('body') as Y.XmlFragment);
    });
    for (const party of input.parties) addParty(doc, party);
    initChecklist(doc);
    setPeriod(doc, { start: null, end: null, noticeMonths: null, renegotiationBy: null });
  });
}
