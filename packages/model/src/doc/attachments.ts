import * as Y from 'yjs';
import type { Attachment } from '../types.ts';
import {
  AgreementModelError,
  attachmentsArray,
  findRow,
  indexOfRow,
  newId,
  readString,
  transact,
  writeField,
} from './layout.ts';

/** The list of attachments (bilagor): `attachments` root Y.Array of maps {id, title, description}. */
export function addAttachment(doc: Y.Doc, input: Partial<Attachment> = {}, index?: number): string {
  return transact(doc, () => {
    const arr = attachmentsArray(doc);
    const m = new Y.Map<unknown>();
    const id = input.id ?? newId();
    m.set('id', id);
    m.set('title', input.title ?? '');
    m.set('description', input.description ?? '');
    arr.insert(Math.max(0, Math.min(index ?? arr.length, arr.length)), [m]);
    return id;
  });
}

export function updateAttachment(doc: Y.Doc, id: string, patch: Partial<Omit<Attachment, 'id'>>): void {
  transact(doc, () => {
    const m = findRow(attachmentsArray(doc), id, 'attachment');
    if ('title' in patch) writeField(m, 'title', patch.title ?? '');
    if ('description' in patch) writeField(m, 'description', patch.description ?? '');
  });
}

export function removeAttachment(doc: Y.Doc, id: string): void {
  transact(doc, () => {
    const arr = attachmentsArray(doc);
    const i = indexOfRow(arr, id);
    if (i < 0) throw new AgreementModelError('not_found', `attachment ${id} not found`);
    arr.delete(i, 1);
  });
}

/** Moves an attachment (its letter follows its position). Re-creates the row at the new place. */
export function moveAttachment(doc: Y.Doc, id: string, toIndex: number): void {
  transact(doc, () => {
    const arr = attachmentsArray(doc);
    const i = indexOfRow(arr, id);
    if (i < 0) throw new AgreementModelError('not_found', `attachment ${id} not found`);
    const current = arr.get(i);
    const copy = { id, title: readString(current, 'title'), description: readString(current, 'description') };
    arr.delete(i, 1);
    addAttachment(doc, copy, toIndex);
  });
}

export function listAttachments(doc: Y.Doc): Attachment[] {
  return attachmentsArray(doc)
    .toArray()
    .map((m) => ({ id: readString(m, 'id'), title: readString(m, 'title'), description: readString(m, 'description') }));
}

/** Bilaga letter for a position: 0 -> A, 25 -> Z, 26 -> AA. */
export function attachmentLetter(index: number): string {
  let n = index;
  let out = '';
  do {
    out = String.fromCharCode(65 + (n % 26)) + out;
    n = Math.floor(n / 26) - 1;
  } while (n >= 0);
  return out;
}
