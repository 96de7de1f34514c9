import {
  STANDARD_TEMPLATE,
  STANDARD_TEMPLATE_ID,
  snapshotAgreement,
  validateAgreement,
  type Finding,
  type Template,
  type ValidationResult,
} from '@overens/model';
import { onEachTransaction } from '@overens/model';
import { useEffect, useSyncExternalStore } from 'react';
import type * as Y from 'yjs';
import { http } from '../api/client.ts';
import { useAgreement } from '../shell/agreement-context.tsx';

export interface LiveValidation extends ValidationResult {
  /** Findings per section id ('' for findings not tied to a section). */
  bySection: Map<string, Finding[]>;
}


const DEBOUNCE_MS = 250;
const MAX_WAIT_MS = 1500;

type IdleWindow = Window & {
  requestIdleCallback?: (cb: () => void, opts?: { timeout: number }) => number;
  cancelIdleCallback?: (id: number) => void;
};
/** requestIdleCallback where the browser has it (not Safari), else the next task. */
function whenIdle(cb: () => void): number {
  const w = window as IdleWindow;
  return w.requestIdleCallback ? w.requestIdleCallback(cb, { timeout: 500 }) : window.setTimeout(cb, 0);
}
function cancelIdle(id: number): void {
  const w = window as IdleWindow;
  if (w.cancelIdleCallback) w.cancelIdleCallback(id);
  else window.clearTimeout(id);
}

interface Store {
  result: LiveValidation | null;
  template: Template;
  title: string;
  listeners: Set<() => void>;
  timer: number | undefined;
  run: () => void;
  refs: number;
  off: () => void;
}

const stores = new WeakMap<Y.Doc, Store>();

function getStore(doc: Y.Doc): Store {
  let s = stores.get(doc);
  if (s) return s;
  const store: Store = {
    result: null,
    template: STANDARD_TEMPLATE,
    title: '',
    listeners: new Set(),
    timer: undefined,
    refs: 0,
    off: () => {},
    run: () => {
      // The shared validator from @overens/model: the same function as the server and the export gate.
      const snapshot = snapshotAgreement(doc, { title: store.title });
      const r: ValidationResult = validateAgreement(snapshot, store.template);
      const bySection = new Map<string, Finding[]>();
      // Findings on structured parts belong to the section that shows them.
      const keyToId = new Map(snapshot.sections.map((x) => [x.key, x.id]));
      const sectionOf = (f: Finding): string => {
        const tg = f.target;
        if (tg.kind === 'section') return tg.sectionId ?? '';
        if (tg.kind === 'party' || (tg.kind === 'agreement' && tg.field === 'parties')) return keyToId.get('parties') ?? '';
        if (tg.kind === 'goal' || (tg.kind === 'agreement' && tg.field === 'goals')) return keyToId.get('follow_up') ?? '';
        if (tg.kind === 'contribution') return keyToId.get('economy') ?? '';
        if (tg.kind === 'period') return keyToId.get('period') ?? '';
        if (tg.kind === 'checklist') return keyToId.get('form_and_premises') ?? '';
        return '';
      };
      for (const f of r.findings) {
        const k = sectionOf(f);
        const list = bySection.get(k) ?? [];
        list.push(f);
        bySection.set(k, list);
      }
      store.result = { ...r, bySection };
      for (const l of store.listeners) l();
    },
  };
  // Live, but not per keystroke: a snapshot of the whole agreement and the validator run once the
  // changes pause (DEBOUNCE_MS) or at least every MAX_WAIT_MS while someone keeps typing, and then only
  // when the browser is idle (after it has painted what arrived), never inside the transaction itself.
  let firstPending = 0;
  let idle = 0;
  const runWhenIdle = () => {
    window.clearTimeout(store.timer);
    store.timer = undefined;
    firstPending = 0;
    idle = whenIdle(() => {
      idle = 0;
      store.run();
    });
  };
  const schedule = (tr: Y.Transaction) => {
    if (tr.changed.size === 0) return;
    const now = performance.now();
    if (!firstPending) firstPending = now;
    window.clearTimeout(store.timer);
    const wait = Math.max(0, Math.min(DEBOUNCE_MS, firstPending + MAX_WAIT_MS - now));
    store.timer = window.setTimeout(runWhenIdle, wait);
  };
  const unsubscribe = onEachTransaction(doc, schedule);
  store.off = () => {
    unsubscribe();
    window.clearTimeout(store.timer);
    cancelIdle(idle);
  };
  stores.set(doc, store);
  store.run();
  return store;
}

/** Live validation of the agreement, recomputed shortly after every change (local or remote). */
export function useValidation(): LiveValidation | null {
  const { doc, agreement } = useAgreement();
  const store = getStore(doc);
  useEffect(() => {
    store.title = agreement.title;
    const id = agreement.templateId;
    if (id && id !== STANDARD_TEMPLATE_ID) {
      http.get<{ template?: Template } & Partial<Template>>(`/api/templates/${encodeURIComponent(id)}`).then(
        (res) => {
          const tpl = (res.template ?? (res.sections ? (res as Template) : null)) as Template | null;
          if (tpl) {
            store.template = tpl;
            store.run();
          }
        },
        () => {},
      );
    } else store.run();
  }, [store, agreement.templateId, agreement.title]);
  return useSyncExternalStore(
    (cb) => {
      store.listeners.add(cb);
      return () => store.listeners.delete(cb);
    },
    () => store.result,
  );
}
