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

/**
 * One per awareness: a single 'change' listener that knows where each client's caret was and is, and
 * calls the listeners of the sections a change concerns. It lives while some section listens.
 */
class CaretSections {
  /** clientID → section of its caret (null: no caret; undefined: a caret in an unknown section). */
  private readonly seen = new Map<number, string | null | undefined>();
  private readonly bySection = new Map<string, Set<Listener>>();
  private listeners = 0;

  constructor(private readonly awareness: Awareness) {
    for (const [id, state] of awareness.getStates()) this.seen.set(id, sectionOf(state as State));
    awareness.on('change', this.onChange);
  }

  add(sectionId: string, listener: Listener): void {
    let set = this.bySection.get(sectionId);
    if (!set) this.bySection.set(sectionId, (set = new Set()));
    set.add(listener);
    this.listeners++;
  }

  /** Returns whether anyone still listens. */
  remove(sectionId: string, listener: Listener): boolean {
    if (this.bySection.get(sectionId)?.delete(listener)) this.listeners--;
    if (this.listeners > 0) return true;
    this.awareness.off('change', this.onChange);
    return false;
  }

  private readonly onChange = (change: Change, origin: unknown): void => {
    const touched = new Set<string | null | undefined>();
    for (const list of [change.added, change.updated, change.removed]) {
      for (const id of list) {
        if (id === this.awareness.clientID) continue; // the plugin does not draw the own caret
        const now = sectionOf(this.awareness.getStates().get(id) as State | undefined);
        // Not seen before (and not new): where it was is unknown, so every section looks.
        touched.add(this.seen.has(id) ? this.seen.get(id) : list === change.added ? null : undefined);
        touched.add(now);
        if (list === change.removed) this.seen.delete(id);
        else this.seen.set(id, now);
      }
    }
    const sections = touched.has(undefined) ? [...this.bySection.keys()] : [...touched].filter((x): x is string => typeof x === 'string');
    for (const sectionId of sections) for (const listener of [...(this.bySection.get(sectionId) ?? [])]) listener(change, origin);
  };
}

const trackers = new WeakMap<Awareness, CaretSections>();

function sectionOf(state: State | undefined): string | null | undefined {
  if (!state || state.cursor == null) return null; // no caret: drawn nowhere
  return typeof state.sectionId === 'string' ? state.sectionId : undefined; // undefined: unknown section
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/** An Awareness-shaped object for the caret plugin of the editor of `sectionId`. */
export function sectionAwareness(awareness: Awareness, sectionId: string): Awareness {
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
      let tracker = trackers.get(awareness);
      if (!tracker) trackers.set(awareness, (tracker = new CaretSections(awareness)));
      tracker.add(sectionId, listener);
    },
    off(event: string, listener: Listener) {
      if (event !== 'change') return awareness.off(event, listener);
      const tracker = trackers.get(awareness);
      if (tracker && !tracker.remove(sectionId, listener)) trackers.delete(awareness);
    },
  };
  return view as unknown as Awareness;
}
