/**
 * "Ändringar drar tillbaka överenskommelsen": before the first local edit of a section that every
 * party marked agreed, the edit is held and a modal dialog says what it will do (the agreements are
 * withdrawn and the parties must agree again). "Ändra ändå" applies the held edit and lets the user
 * go on; "Avbryt" drops it. Remote edits (y-sync transactions) and sections not agreed by all never
 * ask. Once the user went on, that agreement does not ask again; a new agreement (new marks) does.
 *
 * Extension point: `registerAgreedEditChoice({ id, order, label, run })` (./agreed-edit-choices.ts, a
 * module without the editor, so a feature registers without loading Tiptap) adds a choice to the dialog
 * — suggestion mode (issue 16) registers "Föreslå ändringen i stället" here; without it the dialog
 * offers only the two choices above (no dead button). A choice may be `primary` (the default answer) and
 * add a `prompt` to the title ("… — föreslå ändringen i stället?").
 *
 * Undo and redo (Ctrl/Cmd+Z, Ctrl+Y, Shift+Ctrl/Cmd+Z) change the shared document directly, not
 * through a transaction this guard could hold: their keys ask first too, and run the command when
 * the user goes on.
 */
import { Extension, type Editor } from '@tiptap/core';
import { Plugin, PluginKey, type Transaction } from '@tiptap/pm/state';
import { ySyncPluginKey } from '@tiptap/y-tiptap';
import { deriveSectionStatus, getSectionMarks, hasSection } from '@overens/model';
import { useId, useRef, type RefObject } from 'react';
import type * as Y from 'yjs';
import { Dialog } from '../components/Dialog.tsx';
import { fmt, useLocale, useMessages } from '../i18n/index.tsx';
import { agreementMessages } from '../i18n/messages/agreement.ts';
import { agreedEditChoices } from './agreed-edit-choices.ts';

export { registerAgreedEditChoice, type AgreedEditChoice, type AgreedEditChoiceArgs } from './agreed-edit-choices.ts';

/** What the guard held: a transaction, or an undo/redo key press. */
export type HeldEdit = { tr: Transaction; command?: undefined } | { tr?: undefined; command: 'undo' | 'redo' };

export interface AgreedEditGuardOptions {
  /**
   * A signature of the section's agreement when every party agreed it (changes with new marks), or
   * null when it is not agreed by all.
   */
  agreement: () => string | null;
  /** Called with the held edit; the guard lets edits through again once `allow(signature)` is called. */
  onHeld: (held: HeldEdit, signature: string) => void;
}

export interface AgreedEditGuard {
  extension: Extension;
  /** Let this agreement's edits through from now on. */
  allow: (signature: string) => void;
  /** The dialog closed without going on: the next edit asks again. */
  release: () => void;
}

function hasFocus(editor: Editor): boolean {
  try {
    return editor.view.hasFocus();
  } catch {
    return false; // not mounted yet
  }
}

/** The Tiptap extension that holds the first local edit of an agreed section. */
export function agreedEditGuard(options: AgreedEditGuardOptions): AgreedEditGuard {
  let allowed: string | null = null;
  let holding = false;
  const key = new PluginKey('agreedEditGuard');
  // Undo/redo: asked before the command runs (Collaboration's keys have a lower priority).
  const holdCommand = (editor: Editor, command: 'undo' | 'redo'): boolean => {
    if (!editor.isEditable || editor.isDestroyed) return false;
    const signature = options.agreement();
    if (signature === null || signature === allowed) return false;
    if (!holding) {
      holding = true;
      queueMicrotask(() => options.onHeld({ command }, signature));
    }
    return true;
  };
  const extension = Extension.create({
    name: 'agreedEditGuard',
    priority: 1000,
    addKeyboardShortcuts() {
      return {
        'Mod-z': ({ editor }) => holdCommand(editor, 'undo'),
        'Mod-y': ({ editor }) => holdCommand(editor, 'redo'),
        'Shift-Mod-z': ({ editor }) => holdCommand(editor, 'redo'),
      };
    },
    addProseMirrorPlugins() {
      const editor = this.editor;
      return [
        new Plugin({
          key,
          filterTransaction(tr) {
            if (!tr.docChanged) return true;
            // Remote edits and the document arriving from the shared doc are not the user's.
            const sync = tr.getMeta(ySyncPluginKey) as { isChangeOrigin?: boolean } | undefined;
            if (sync?.isChangeOrigin) return true;
            // Only the user's own edits ask: never on a read-only (e.g. locked) editor, never for a
            // plugin's normalisation of another transaction, never while the editor is not focused
            // (typing, pasting and toolbar commands all focus it first).
            if (tr.getMeta('appendedTransaction')) return true;
            if (!editor.isEditable || editor.isDestroyed) return true;
            if (!hasFocus(editor)) return true;
            const signature = options.agreement();
            if (signature === null || signature === allowed) return true;
            // Typing on while the question is open: those keystrokes are dropped, the first one is held.
            if (!holding) {
              holding = true;
              queueMicrotask(() => options.onHeld({ tr }, signature));
            }
            return false;
          },
        }),
      ];
    },
  });
  return {
    extension,
    allow: (signature) => {
      allowed = signature;
      holding = false;
    },
    release: () => {
      holding = false;
    },
  };
}

export function AgreedEditWarning({
  editor,
  sectionId,
  sectionTitle,
  transaction,
  onProceed,
  onCancel,
}: {
  editor: Editor;
  sectionId: string;
  sectionTitle: string;
  transaction: Transaction | null;
  onProceed: () => void;
  onCancel: () => void;
}) {
  const t = useMessages(agreementMessages);
  const { locale } = useLocale();
  const choices = agreedEditChoices();
  const prompt = choices.find((c) => c.prompt)?.prompt?.(locale);
  // Focus on the text, not a button: keystrokes typed on after the dialog opened must not answer it.
  const bodyRef = useRef<HTMLParagraphElement>(null);
  const bodyId = `${useId()}-body`;
  // Back in the editor whatever the choice.
  const returnFocus = () => {
    if (!editor.isDestroyed) editor.commands.focus();
  };
  return (
    <Dialog
      title={prompt ? `${t.agreedWarningTitle} — ${prompt}` : t.agreedWarningTitle}
      closeLabel={t.agreedWarningClose}
      onClose={onCancel}
      initialFocus={bodyRef as RefObject<HTMLElement | null>}
      returnFocus={returnFocus}
      describedBy={bodyId}
      testId="agreed-edit-warning"
    >
      <p id={bodyId} ref={bodyRef} tabIndex={-1} className="dialog__text">
        {fmt(t.agreedWarningBody, { title: sectionTitle })}
      </p>
      <div className="button-row">
        {choices.map((c) => (
          <button key={c.id} type="button" className={c.primary ? 'button' : 'button button--secondary'} onClick={() => c.run({ editor, sectionId, transaction, close: onCancel })}>
            {c.label(locale)}
          </button>
        ))}
        <button type="button" className="button button--warning" onClick={onProceed}>
          {t.agreedWarningProceed}
        </button>
        <button type="button" className="button button--secondary" onClick={onCancel}>
          {t.agreedWarningCancel}
        </button>
      </div>
    </Dialog>
  );
}

/**
 * The signature of a section's agreement when every party agreed it (their marks' times), else null.
 * Cheap: a few map reads, run for local edits only.
 */
export function agreedSignature(doc: Y.Doc, sectionId: string, partyIds: readonly string[]): string | null {
  if (!hasSection(doc, sectionId)) return null;
  const marks = getSectionMarks(doc, sectionId);
  if (deriveSectionStatus(marks, [...partyIds]) !== 'agreed') return null;
  return partyIds.map((p) => `${p}:${marks.agreedBy[p]?.at ?? ''}`).join('|');
}
