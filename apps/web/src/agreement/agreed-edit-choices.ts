/**
 * The extra choices of the agreed-section warning (AgreedEditWarning.tsx), kept apart from the dialog
 * and the guard so that a feature can register one at load time without pulling the editor (Tiptap,
 * ProseMirror) into the page's first chunk: only types come from there.
 */
import type { Editor } from '@tiptap/core';
import type { Transaction } from '@tiptap/pm/state';
import type { Locale } from '../i18n/index.tsx';

export interface AgreedEditChoiceArgs {
  editor: Editor;
  sectionId: string;
  /** The held edit (not applied); null when an undo or redo was held. */
  transaction: Transaction | null;
  /** Close the dialog (the held edit is dropped unless the choice applied something itself). */
  close: () => void;
}

export interface AgreedEditChoice {
  id: string;
  /** Position among the extra choices (shown before "Ändra ändå"). */
  order: number;
  label: (locale: Locale) => string;
  /** Shown as the main button (the suggested answer). */
  primary?: boolean;
  /** Added to the dialog's title as the question, e.g. "föreslå ändringen i stället?". */
  prompt?: (locale: Locale) => string;
  run: (args: AgreedEditChoiceArgs) => void;
}

const choices: AgreedEditChoice[] = [];

/** Add a choice to the agreed-section warning (e.g. suggest the change instead). */
export function registerAgreedEditChoice(choice: AgreedEditChoice): void {
  if (choices.some((c) => c.id === choice.id)) return;
  choices.push(choice);
  choices.sort((a, b) => a.order - b.order);
}

/** The registered choices, in order. */
export function agreedEditChoices(): readonly AgreedEditChoice[] {
  return choices;
}
