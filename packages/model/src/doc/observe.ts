/* eslint-disable @typescript-eslint/no-explicit-any */
import * as Y from 'yjs';
import type { SectionMark } from '../types.ts';
import { ROOT } from './layout.ts';
import { resetSectionAgreementOnEdit, sectionIdsWithBodyEdits } from './sections.ts';

export type AgreementPart = keyof typeof ROOT;

export interface AgreementChange {
  /** Which parts of the agreement changed in this transaction. */
  parts: AgreementPart[];
  /** Sections whose body changed. */
  sectionBodies: string[];
  transaction: Y.Transaction;
}

/**
 * Calls `cb` for each transaction once the whole batch is done — after Yjs emitted its `update`s, so a
 * listener's work never holds an edit back from the socket (an `afterTransaction` listener runs
 * before the update leaves). Returns an unsubscribe function.
 */
export function onEachTransaction(doc: Y.Doc, cb: (transaction: Y.Transaction) => void): () => void {
  const handler = (_doc: Y.Doc, transactions: Y.Transaction[]) => {
    for (const tr of transactions) cb(tr);
  };
  doc.on('afterAllTransactions', handler);
  return () => doc.off('afterAllTransactions', handler);
}

/**
 * Calls `cb` once per transaction that changed the agreement (any part), after its update was emitted
 * (onEachTransaction). Returns an unsubscribe function.
 * Cheap: it only inspects which root types changed; call snapshotAgreement in the callback if needed.
 */
export function observeAgreement(doc: Y.Doc, cb: (change: AgreementChange) => void): () => void {
  const roots = new Map<Y.AbstractType<any>, AgreementPart>();
  for (const part of Object.keys(ROOT) as AgreementPart[]) {
    const name = ROOT[part];
    const type = part === 'goals' || part === 'contributions' || part === 'attachments' ? doc.getArray(name) : doc.getMap(name);
    roots.set(type as Y.AbstractType<any>, part);
  }
  const handler = (tr: Y.Transaction) => {
    const parts = new Set<AgreementPart>();
    for (const type of tr.changedParentTypes.keys()) {
      const part = roots.get(type as Y.AbstractType<any>);
      if (part) parts.add(part);
    }
    for (const type of tr.changed.keys()) {
      const part = roots.get(type as Y.AbstractType<any>);
      if (part) parts.add(part);
    }
    if (parts.size === 0) return;
    const sectionBodies = parts.has('sections') ? sectionIdsWithBodyEdits(doc, tr) : [];
    cb({ parts: [...parts], sectionBodies, transaction: tr });
  };
  return onEachTransaction(doc, handler);
}

/**
 * Implements "an edit to an agreed section resets it and records who": after every transaction that edits
 * a section body, `resolveMark(transaction)` decides who made it (return null to ignore, e.g. remote
 * transactions on a client, or server-internal ones); agreed sections are then reset. Returns an unsubscribe.
 */
export function installAgreedSectionReset(
  doc: Y.Doc,
  resolveMark: (transaction: Y.Transaction) => SectionMark | null,
): () => void {
  return observeAgreement(doc, (change) => {
    if (change.sectionBodies.length === 0) return;
    const mark = resolveMark(change.transaction);
    if (!mark) return;
    doc.transact(() => {
      for (const id of change.sectionBodies) resetSectionAgreementOnEdit(doc, id, mark);
    }, change.transaction.origin);
  });
}
