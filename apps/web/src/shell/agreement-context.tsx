import type { Editor } from '@tiptap/core';
import { onEachTransaction, type FindingTarget } from '@overens/model';
import { createContext, useContext, useEffect, useReducer, useState } from 'react';
import type { Awareness } from 'y-protocols/awareness';
import type { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import type { AgreementDetail, AgreementParty, Me } from '../api/client.ts';

export interface AgreementContextValue {
  agreementId: string;
  /** The agreement as the API describes it: title, parties, members, my role. */
  agreement: AgreementDetail;
  me: Me;
  doc: Y.Doc;
  provider: WebsocketProvider;
  awareness: Awareness;
  /** The document is read-only for me (viewer, commenter, or the agreement is locked). */
  readOnly: boolean;
  /** I may comment (every member role may; the server decides). */
  canComment: boolean;
  myParty: AgreementParty | undefined;
  /** Colour of a party (AA contrast with white text). */
  partyColor: (partyId: string | null | undefined) => string;
  partyName: (partyId: string | null | undefined) => string;
  /** The Tiptap editor of a section, when it is mounted. */
  getEditor: (sectionId: string) => Editor | null;
  /** Scroll to and focus a place in the agreement (a validation finding's target, a section). */
  focusTarget: (target: FindingTarget) => void;
  /** Show a side panel tab by id ('validation', 'comments', 'versions'). */
  openPanel: (tabId: string) => void;
  /** Reload the agreement from the API (after membership or status changes). */
  refreshAgreement: () => Promise<void>;
}

export const AgreementContext = createContext<AgreementContextValue | null>(null);

export function useAgreement(): AgreementContextValue {
  const v = useContext(AgreementContext);
  if (!v) throw new Error('useAgreement() outside the agreement page');
  return v;
}

/** True when a transaction changed only rich text (section bodies): typing, remote or local. */
export function onlyTextChanged(tr: Y.Transaction): boolean {
  if (tr.changed.size === 0) return true;
  for (const type of tr.changed.keys()) {
    if (!(type instanceof Y.XmlFragment || type instanceof Y.XmlElement || type instanceof Y.XmlText || type instanceof Y.Text)) return false;
  }
  return true;
}

/**
 * Re-renders the caller after changes to the doc; returns a counter to use in memo dependencies.
 *
 * By default only changes outside the section texts count (sections, marks, parties, goals, …): typing
 * in a section body is drawn by that section's ProseMirror view and re-renders no React component.
 * `{ text: true }` counts text changes too, at most once per animation frame (coalesced: a burst of
 * remote keystrokes is one render), for the few readers that depend on the text (comment anchors).
 */
export function useDocVersion(doc: Y.Doc, opts: { text?: boolean; filter?: (tr: Y.Transaction) => boolean } = {}): number {
  const [version, bump] = useReducer((n: number) => n + 1, 0);
  const { text = false, filter } = opts;
  useEffect(() => {
    let frame = 0;
    const later = () => {
      if (frame) return;
      frame = requestAnimationFrame(() => {
        frame = 0;
        bump();
      });
    };
    const on = (tr: Y.Transaction) => {
      if (filter && !filter(tr)) return;
      if (!onlyTextChanged(tr)) bump();
      else if (text) later();
    };
    // after the batch's updates left for the socket (a re-render is never on a keystroke's way out)
    const off = onEachTransaction(doc, on);
    // A transaction between the render and this subscription (typically the first sync arriving right
    // after the offline cache rendered the page) would otherwise leave the caller stale until the next
    // change: re-read once now that we listen.
    bump();
    return () => {
      cancelAnimationFrame(frame);
      off();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [doc, text]);
  return version;
}

export interface PresentUser {
  clientId: number;
  name: string;
  color: string;
  userId?: string;
  partyId?: string;
  /** Section the user is in, when known. */
  sectionId?: string | null;
  self: boolean;
}

export function useAwarenessUsers(awareness: Awareness): PresentUser[] {
  const [users, setUsers] = useState<PresentUser[]>([]);
  useEffect(() => {
    const read = () => {
      const out: PresentUser[] = [];
      awareness.getStates().forEach((state, clientId) => {
        const u = (state as { user?: Record<string, unknown> }).user;
        if (!u || typeof u.name !== 'string') return;
        out.push({
          clientId,
          name: u.name,
          color: typeof u.color === 'string' ? u.color : '#505a5f',
          userId: typeof u.userId === 'string' ? u.userId : undefined,
          partyId: typeof u.partyId === 'string' ? u.partyId : undefined,
          sectionId: typeof (state as { sectionId?: unknown }).sectionId === 'string' ? ((state as { sectionId: string }).sectionId) : null,
          self: clientId === awareness.clientID,
        });
      });
      // Awareness changes with every caret move of every user; re-render only when who is where changed.
      const key = JSON.stringify(out);
      if (key === last) return;
      last = key;
      setUsers(out);
    };
    let last = '';
    read();
    awareness.on('change', read);
    return () => awareness.off('change', read);
  }, [awareness]);
  return users;
}

/** DOM id for a finding target; the element (or its first focusable child) receives focus. */
export function targetDomId(target: FindingTarget): string {
  switch (target.kind) {
    case 'section':
      return target.sectionId ? `section-${target.sectionId}` : `section-key-${target.templateKey ?? 'missing'}`;
    case 'goal':
      return target.column ? `goal-${target.rowId}-${String(target.column)}` : `goal-${target.rowId}`;
    case 'contribution':
      return target.column ? `contribution-${target.rowId}-${String(target.column)}` : `contribution-${target.rowId}`;
    case 'party':
      return target.field ? `party-${target.partyId}-${target.field}` : `party-${target.partyId}`;
    case 'period':
      return target.field ? `period-${target.field}` : 'period';
    case 'checklist':
      return target.field ? `checklist-${target.key}-${target.field}` : `checklist-${target.key}`;
    case 'agreement':
      return target.field ? `agreement-${target.field}` : 'agreement-parties';
  }
}
