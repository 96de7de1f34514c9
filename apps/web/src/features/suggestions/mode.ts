/**
 * The editing mode each person chooses for an agreement: edit (Redigera), suggest (Föreslå) or view
 * (Visa). Kept per agreement in this tab (and remembered in localStorage for the next visit); the
 * section editors and the mode switch read it through `useEditMode`. What a person may choose comes
 * from the server's policies (`allowedModes`): the server refuses anything else anyway.
 */
import { useSyncExternalStore } from 'react';

export type EditMode = 'edit' | 'suggest' | 'view';

const modes = new Map<string, EditMode>();
const listeners = new Map<string, Set<() => void>>();
const storageKey = (agreementId: string) => `overens.mode.${agreementId}`;

function stored(agreementId: string): EditMode | null {
  try {
    const v = localStorage.getItem(storageKey(agreementId));
    return v === 'edit' || v === 'suggest' || v === 'view' ? v : null;
  } catch {
    return null;
  }
}

/** The modes a person may choose: editors all three, commenters suggest and view, others view. */
export function allowedModes(mayEdit: boolean, maySuggest: boolean): EditMode[] {
  if (mayEdit) return ['edit', 'suggest', 'view'];
  if (maySuggest) return ['suggest', 'view'];
  return ['view'];
}

/** The chosen mode, clamped to what is allowed (a commenter's default is suggest, an editor's edit). */
export function getEditMode(agreementId: string, allowed: readonly EditMode[]): EditMode {
  const chosen = modes.get(agreementId) ?? stored(agreementId);
  if (chosen && allowed.includes(chosen)) return chosen;
  return allowed[0] ?? 'view';
}

export function setEditMode(agreementId: string, mode: EditMode): void {
  if (modes.get(agreementId) === mode) return;
  modes.set(agreementId, mode);
  try {
    localStorage.setItem(storageKey(agreementId), mode);
  } catch {
    /* storage unavailable: this tab only */
  }
  for (const l of listeners.get(agreementId) ?? []) l();
}

export function subscribeEditMode(agreementId: string, listener: () => void): () => void {
  let set = listeners.get(agreementId);
  if (!set) listeners.set(agreementId, (set = new Set()));
  set.add(listener);
  return () => set.delete(listener);
}

export function useEditMode(agreementId: string, allowed: readonly EditMode[]): EditMode {
  return useSyncExternalStore(
    (l) => subscribeEditMode(agreementId, l),
    () => getEditMode(agreementId, allowed),
  );
}
