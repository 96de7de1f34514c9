/**
 * The open suggestions of the agreement, per section in document order, read from the shared document
 * (the same `suggestionsInFragment` the server uses). Computed once for the page, at most once per
 * frame while anyone types, into a small store: a reader re-renders only when what it reads changed
 * (a section's list keeps its identity while its suggestions stay the same), so typing does not
 * re-render every section of the page.
 */
import { AgreementDoc, suggestionsInFragment, type SuggestionInfo } from '@overens/model';
import { createContext, useContext, useEffect, useMemo, useSyncExternalStore, type ReactNode } from 'react';
import type * as Y from 'yjs';
import { useAgreement } from '../../shell/agreement-context.tsx';

export interface SectionSuggestions {
  sectionId: string;
  title: string;
  number: number;
  suggestions: SuggestionInfo[];
}

const EMPTY: SuggestionInfo[] = [];
const NONE: SectionSuggestions[] = [];

class OpenStore {
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
  compute(): void {
    const adoc = new AgreementDoc(this.doc);
    let changed = false;
    const next = new Map<string, { sig: string; list: SuggestionInfo[] }>();
    const all = adoc.sections().map((s, i) => {
      const list = suggestionsInFragment(adoc.sectionBody(s.id));
      const sig = JSON.stringify(list);
      const prev = this.bySection.get(s.id);
      const keep = prev && prev.sig === sig ? prev : { sig, list };
      if (keep !== prev) changed = true;
      next.set(s.id, keep);
      return { sectionId: s.id, title: s.title, number: i + 1, suggestions: keep.list };
    });
    const prevAll = this.all;
    const same = prevAll.length === all.length && all.every((x, i) => x.sectionId === prevAll[i]!.sectionId && x.title === prevAll[i]!.title && x.suggestions === prevAll[i]!.suggestions);
    this.bySection = next;
    if (same && !changed) return;
    this.all = all;
    for (const l of this.listeners) l();
  }
}

const Store = createContext<OpenStore | null>(null);

export function OpenSuggestionsProvider({ children }: { children: ReactNode }) {
  const { doc } = useAgreement();
  const store = useMemo(() => new OpenStore(doc), [doc]);
  useEffect(() => {
    let frame = 0;
    const schedule = () => {
      if (!frame) frame = requestAnimationFrame(() => ((frame = 0), store.compute()));
    };
    store.compute();
    doc.on('afterTransaction', schedule);
    return () => {
      cancelAnimationFrame(frame);
      doc.off('afterTransaction', schedule);
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
