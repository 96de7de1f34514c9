/**
 * The open suggestions of the agreement, per section in document order, read from the shared document
 * (the same `suggestionsInFragment` the server uses). Computed once for the page, at most once per
 * frame while anyone types, into a small store: a reader re-renders only when what it reads changed
 * (a section's list keeps its identity while its suggestions stay the same), so typing does not
 * re-render every section of the page. Only the sections whose body changed are read again.
 */
import { AgreementDoc, onEachTransaction, suggestionsInFragment, type SuggestionInfo } from '@overens/model';
import { createContext, useContext, useEffect, useMemo, useSyncExternalStore, type ReactNode } from 'react';
import * as Y from 'yjs';
import { useAgreement } from '../../shell/agreement-context.tsx';

export interface SectionSuggestions {
  sectionId: string;
  title: string;
  number: number;
  suggestions: SuggestionInfo[];
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyType = Y.AbstractType<any>;

const EMPTY: SuggestionInfo[] = [];
const NONE: SectionSuggestions[] = [];

export class OpenStore {
  private all: SectionSuggestions[] = [];
  private bySection = new Map<string, { sig: string; list: SuggestionInfo[] }>();
  private listeners = new Set<() => void>();
  constructor(private readonly doc: Y.Doc) {}
  subscribe = (l: () => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };
  getAll = () => this.all;
  section = (id: string) => this.bySection.get(id)?.list ?? EMPTY;
  /** Section bodies changed since the last compute (null: everything, e.g. sections added or moved). */
  private dirty: Set<AnyType> | null = null;
  private bodies = new Map<string, Y.XmlFragment>();
  noteChange(tr: Y.Transaction): void {
    if (this.dirty === null) return;
    let onlyBodies = true;
    for (const type of tr.changedParentTypes.keys()) {
      if (this.bodyIds.has(type)) this.dirty.add(type);
    }
    for (const type of tr.changed.keys()) {
      if (!isText(type)) onlyBodies = false;
    }
    if (!onlyBodies) this.dirty = null;
  }
  private bodyIds = new Map<AnyType, string>();
  compute(): void {
    const adoc = new AgreementDoc(this.doc);
    const dirty = this.dirty;
    this.dirty = new Set();
    let changed = false;
    const next = new Map<string, { sig: string; list: SuggestionInfo[] }>();
    const bodies = new Map<string, Y.XmlFragment>();
    const all = adoc.sections().map((s, i) => {
      const body = adoc.sectionBody(s.id);
      bodies.set(s.id, body);
      const prev = this.bySection.get(s.id);
      if (dirty && prev && this.bodies.get(s.id) === body && !dirty.has(body)) {
        next.set(s.id, prev);
        return { sectionId: s.id, title: s.title, number: i + 1, suggestions: prev.list };
      }
      const list = suggestionsInFragment(body);
      const sig = JSON.stringify(list);
      const keep = prev && prev.sig === sig ? prev : { sig, list };
      if (keep !== prev) changed = true;
      next.set(s.id, keep);
      return { sectionId: s.id, title: s.title, number: i + 1, suggestions: keep.list };
    });
    const prevAll = this.all;
    const same = prevAll.length === all.length && all.every((x, i) => x.sectionId === prevAll[i]!.sectionId && x.title === prevAll[i]!.title && x.suggestions === prevAll[i]!.suggestions);
    this.bySection = next;
    this.bodies = bodies;
    this.bodyIds = new Map([...bodies].map(([id, b]) => [b, id]));
    if (same && !changed) return;
    this.all = all;
    for (const l of this.listeners) l();
  }
}

function isText(type: AnyType): boolean {
  return type instanceof Y.XmlFragment || type instanceof Y.XmlElement || type instanceof Y.XmlText || type instanceof Y.Text;
}

const Store = createContext<OpenStore | null>(null);

export function OpenSuggestionsProvider({ children }: { children: ReactNode }) {
  const { doc } = useAgreement();
  const store = useMemo(() => new OpenStore(doc), [doc]);
  useEffect(() => {
    let frame = 0;
    const schedule = (tr: Y.Transaction) => {
      store.noteChange(tr);
      if (!frame) frame = requestAnimationFrame(() => ((frame = 0), store.compute()));
    };
    store.compute();
    const off = onEachTransaction(doc, schedule);
    return () => {
      cancelAnimationFrame(frame);
      off();
    };
  }, [doc, store]);
  return <Store.Provider value={store}>{children}</Store.Provider>;
}

const noop = () => () => {};

export function useOpenSuggestions(): SectionSuggestions[] {
  const store = useContext(Store);
  return useSyncExternalStore(store?.subscribe ?? noop, () => store?.getAll() ?? NONE);
}

export function useSectionSuggestions(sectionId: string): SuggestionInfo[] {
  const store = useContext(Store);
  return useSyncExternalStore(store?.subscribe ?? noop, () => store?.section(sectionId) ?? EMPTY);
}
