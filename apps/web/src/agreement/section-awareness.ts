/**
 * One section editor's view of the agreement's shared awareness, for y-tiptap's caret plugin.
 *
 * Every section is its own ProseMirror editor, and each editor's caret plugin redraws on every
 * awareness 'change' of anyone anywhere (one transaction per editor: ~15 per caret move, each
 * reading the DOM selection, which forces a layout of the whole page). Here a section only hears
 * changes of people whose caret is or was in that section, and never its own user's changes (the
 * plugin does not draw the local caret). The cursor carries the section it is in (`sectionId`, set
 * with it in one awareness update), so a caret's section is known without resolving its position.
 *
 * The plugin also republishes the local cursor after every remote edit, unchanged: peers ignore an
 * unchanged state (no 'change'), so that message only cost every client a relay; it is not sent.
 */
import type { Awareness } from 'y-protocols/awareness';

type Listener = (...args: unknown[]) => void;
type State = Record<string, unknown>;
interface Change {
  added: number[];
  updated: number[];
  removed: number[];
}

/** Where each client's caret is, as last seen: shared by all sections of one awareness. */
const lastSection = new WeakMap<Awareness, Map<number, string | null | undefined>>();
/** Section listeners per awareness: the tracking ends with the last one (it is only kept current while heard). */
const listeners = new WeakMap<Awareness, number>();

/** Starts tracking with everyone's current section (a section mounted late knows where carets are). */
function trackSections(awareness: Awareness): Map<number, string | null | undefined> {
  let seen = lastSection.get(awareness);
  if (!seen) {
    seen = new Map();
    for (const [id, state] of awareness.getStates()) seen.set(id, sectionOf(state as State));
    lastSection.set(awareness, seen);
  }
  return seen;
}

function sectionOf(state: State | undefined): string | null | undefined {
  if (!state || state.cursor == null) return null; // no caret: drawn nowhere
  return typeof state.sectionId === 'string' ? state.sectionId : undefined; // undefined: unknown section
}

/** Which sections a change concerns: each client's section before and after (undefined: all). */
function touchedSections(awareness: Awareness, change: Change): Set<string | null | undefined> {
  const seen = trackSections(awareness);
  const out = new Set<string | null | undefined>();
  for (const list of [change.added, change.updated, change.removed]) {
    for (const id of list) {
      if (id === awareness.clientID) continue;
      const now = sectionOf(awareness.getStates().get(id) as State | undefined);
      // Not seen before (and not new): where it was is unknown, so every section looks.
      out.add(seen.has(id) ? seen.get(id) : list === change.added ? null : undefined);
      out.add(now);
      if (list === change.removed) seen.delete(id);
      else seen.set(id, now);
    }
  }
  return out;
}

/**
 * Computed once per change event and awareness, whichever section's listener runs first
 * (the listeners of one event run one after the other, before the next event).
 */
const changeMemo = new WeakMap<Awareness, { change: unknown; sections: Set<string | null | undefined> }>();

function sectionsOfChange(awareness: Awareness, change: Change): Set<string | null | undefined> {
  const memo = changeMemo.get(awareness);
  if (memo && memo.change === change) return memo.sections;
  const sections = touchedSections(awareness, change);
  changeMemo.set(awareness, { change, sections });
  return sections;
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/** An Awareness-shaped object for the caret plugin of the editor of `sectionId`. */
export function sectionAwareness(awareness: Awareness, sectionId: string): Awareness {
  const wrapped = new Map<Listener, Listener>();
  const view = {
    get clientID() {
      return awareness.clientID;
    },
    get doc() {
      return awareness.doc;
    },
    get states() {
      return awareness.states;
    },
    get meta() {
      return awareness.meta;
    },
    getStates: () => awareness.getStates(),
    getLocalState: () => awareness.getLocalState(),
    setLocalState: (state: State | null) => awareness.setLocalState(state),
    setLocalStateField(field: string, value: unknown) {
      const current = (awareness.getLocalState() ?? {}) as State;
      if (field !== 'cursor') {
        if (!sameJson(current[field], value)) awareness.setLocalStateField(field, value);
        return;
      }
      if (sameJson(current.cursor, value) && (value == null || current.sectionId === sectionId)) return;
      // The caret and the section it is in, in one update (peers learn both at once).
      awareness.setLocalState({ ...current, cursor: value, ...(value == null ? {} : { sectionId }) });
    },
    on(event: string, listener: Listener) {
      if (event !== 'change') return awareness.on(event, listener);
      const filtered: Listener = (change, origin) => {
        const sections = sectionsOfChange(awareness, change as Change);
        if (sections.has(sectionId) || sections.has(undefined)) listener(change, origin);
      };
      if (!listeners.get(awareness)) trackSections(awareness);
      listeners.set(awareness, (listeners.get(awareness) ?? 0) + 1);
      wrapped.set(listener, filtered);
      awareness.on('change', filtered);
    },
    off(event: string, listener: Listener) {
      if (event !== 'change') return awareness.off(event, listener);
      const filtered = wrapped.get(listener);
      if (!filtered) return;
      awareness.off('change', filtered);
      wrapped.delete(listener);
      const left = (listeners.get(awareness) ?? 1) - 1;
      listeners.set(awareness, left);
      if (left === 0) lastSection.delete(awareness);
    },
  };
  return view as unknown as Awareness;
}
