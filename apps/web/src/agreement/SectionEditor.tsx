import { Collaboration } from '@tiptap/extension-collaboration';
import { CollaborationCaret } from '@tiptap/extension-collaboration-caret';
import { TableKit } from '@tiptap/extension-table';
import { Placeholder } from '@tiptap/extensions';
import { Extension, isiOS, isMacOS, type AnyExtension, type Editor } from '@tiptap/core';
import { EditorContent, useEditor, useEditorState } from '@tiptap/react';
import { StarterKit } from '@tiptap/starter-kit';
import { useRovingToolbar } from '../components/roving.ts';
import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type * as Y from 'yjs';
import { useLocale, useMessages } from '../i18n/index.tsx';
import { agreementMessages } from '../i18n/messages/agreement.ts';
import { useAgreement } from '../shell/agreement-context.tsx';
import { getFeatures } from '../shell/registry.ts';
import {
  IconBulletList,
  IconColumnAdd,
  IconColumnDelete,
  IconLink,
  IconOrderedList,
  IconRowAdd,
  IconRowDelete,
  IconTable,
  IconTableDelete,
} from './icons.tsx';
import { isAllowedLinkHref } from '@overens/model';
import { LinkDialog } from './LinkDialog.tsx';
import { sectionAwareness } from './section-awareness.ts';
import { DirectTyping } from './direct-typing.ts';
import { EarlySync } from './early-sync.ts';
import { RemoteEdits } from './remote-edits.ts';
import { agreedEditGuard, agreedSignature, AgreedEditWarning, type HeldEdit } from './AgreedEditWarning.tsx';
import { getEditMode, useEditMode } from '../features/suggestions/mode.ts';
import { modesFor } from '../features/suggestions/permissions.ts';
import { suggestModeExtension } from '../features/suggestions/extension.ts';
import { useSuggestionLabel, useSuggestionRefused } from '../features/suggestions/labels.ts';
import { SuggestionCard } from '../features/suggestions/SuggestionCard.tsx';

/** Ctrl+K on Windows/Linux, Cmd+K on a Mac (for aria-keyshortcuts and the tooltip): Tiptap's own test for Mod-. */
const IS_MAC = isMacOS() || isiOS();

interface Props {
  sectionId: string;
  title: string;
  guidance: string | null;
  fragment: Y.XmlFragment;
  labelId: string;
  registerEditor: (sectionId: string, editor: Editor | null) => void;
}

/** Caret with the user's name on a label in their party's colour. */
function renderCaret(user: Record<string, unknown>): HTMLElement {
  const caret = document.createElement('span');
  caret.classList.add('collaboration-carets__caret');
  caret.style.borderColor = String(user.color ?? '#505a5f');
  caret.setAttribute('aria-hidden', 'true');
  const label = document.createElement('span');
  label.classList.add('collaboration-carets__label');
  label.style.backgroundColor = String(user.color ?? '#505a5f');
  label.textContent = String(user.name ?? '');
  caret.append(label);
  return caret;
}

/** One rich-text section body bound to its Y.XmlFragment in the shared agreement doc. */
export function SectionEditor({ sectionId, title, guidance, fragment, labelId, registerEditor }: Props) {
  const t = useMessages(agreementMessages);
  const agreement = useAgreement();
  const { provider, me, partyColor, agreement: detail, agreementId } = agreement;
  // Edit, suggest or view (features/suggestions/mode.ts): what the person chose among what they may.
  const allowed = modesFor(agreement);
  const mode = useEditMode(agreementId, allowed);
  const allowedRef = useRef(allowed);
  allowedRef.current = allowed;
  const suggesting = () => getEditMode(agreementId, allowedRef.current) === 'suggest';
  const readOnly = mode === 'view';
  const label = useSuggestionLabel();
  // Suggesting: the editor is edged in the person's party colour (as their suggestions are).
  const ownIndex = detail.parties.findIndex((p) => p.id === detail.partyId);
  const ownColour = ownIndex >= 0 ? `suggestion--party-${ownIndex % 8}` : 'suggestion--party-none';
  const refused = useSuggestionRefused();
  const [linkOpen, setLinkOpen] = useState(false);
  const openLink = useRef(() => setLinkOpen(true));
  // Before the first local edit of a section every party agreed: ask (AgreedEditWarning.tsx).
  const partyIds = useRef<string[]>([]);
  partyIds.current = detail.parties.map((p) => p.id);
  const [held, setHeld] = useState<{ edit: HeldEdit; signature: string } | null>(null);
  const guard = useMemo(
    () =>
      agreedEditGuard({
        // A suggestion leaves the agreed text as it is: only direct edits ask.
        agreement: () => (suggesting() ? null : agreedSignature(agreement.doc, sectionId, partyIds.current)),
        onHeld: (edit, signature) => setHeld({ edit, signature }),
      }),
    // One guard per editor (the editor is created once per section and fragment).
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [fragment, sectionId],
  );

  const extensions = useMemo(() => {
    const list: AnyExtension[] = [
      StarterKit.configure({
        undoRedo: false, // Collaboration brings its own (per-user) undo.
        heading: { levels: [3, 4] },
        codeBlock: false,
        // Only http(s) and mailto links, typed, pasted or loaded (no javascript: links in an agreement).
        link: { openOnClick: false, autolink: true, defaultProtocol: 'https', isAllowedUri: (url) => isAllowedLinkHref(url) },
      }),
      // Mod-k opens the link dialog (only where the user may edit).
      Extension.create({
        name: 'linkDialogShortcut',
        addKeyboardShortcuts() {
          return {
            'Mod-k': () => {
              if (!this.editor.isEditable) return false;
              openLink.current();
              return true;
            },
          };
        },
      }),
      TableKit.configure({ table: { resizable: false } }),
      DirectTyping,
      Placeholder.configure({ placeholder: guidance || t.bodyPlaceholder }),
      Collaboration.configure({ fragment }),
      EarlySync,
      RemoteEdits,
      guard.extension,
      suggestModeExtension({
        agreementId,
        isSuggesting: suggesting,
        userId: me.id,
        label: (id, kind) => label.current(id, kind),
        onRefused: () => refused.current(),
      }),
      CollaborationCaret.configure({
        // This section's view of the awareness: it redraws only for carets in this section (section-awareness.ts).
        provider: { awareness: sectionAwareness(provider.awareness, sectionId) },
        user: { name: me.name, color: partyColor(detail.partyId), userId: me.id, partyId: detail.partyId },
        render: renderCaret,
      }),
    ];
    for (const f of getFeatures()) if (f.editorExtensions) list.push(...f.editorExtensions({ sectionId, agreement }));
    return list;
    // The editor is created once per section and fragment.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [fragment, sectionId]);

  const editor = useEditor(
    {
      extensions,
      editable: !readOnly,
      immediatelyRender: true,
      shouldRerenderOnTransaction: false,
      // No injected <style> element (the CSP refuses inline style): tiptap-base.css carries those rules.
      injectCSS: false,
      editorProps: {
        attributes: {
          class: 'prose',
          role: 'textbox',
          'aria-multiline': 'true',
          'aria-labelledby': labelId,
          ...(readOnly ? { 'aria-readonly': 'true' } : {}),
          'data-section-editor': sectionId,
        },
      },
      onFocus: () => provider.awareness.setLocalStateField('sectionId', sectionId),
    },
    [extensions],
  );

  useEffect(() => {
    if (!editor) return;
    if (editor.isEditable === readOnly) editor.setEditable(!readOnly);
    editor.setOptions({
      editorProps: {
        attributes: {
          class: 'prose',
          role: 'textbox',
          'aria-multiline': 'true',
          'aria-labelledby': labelId,
          'aria-readonly': readOnly ? 'true' : 'false',
          'data-section-editor': sectionId,
        },
      },
    });
  }, [editor, readOnly, labelId, sectionId]);

  useEffect(() => {
    registerEditor(sectionId, editor);
    return () => registerEditor(sectionId, null);
  }, [editor, sectionId, registerEditor]);

  return (
    <div className={`section-editor section-editor--${mode}${mode === 'suggest' ? ` ${ownColour}` : ''}`}>
      {editor && <Toolbar editor={editor} sectionId={sectionId} title={title} formatting={mode === 'edit' ? 'all' : mode === 'suggest' ? 'inline' : 'none'} onLink={() => setLinkOpen(true)} />}
      <EditorContent editor={editor} className="section-editor__content" />
      {editor && <SuggestionCard editor={editor} sectionId={sectionId} />}
      {editor && linkOpen && !readOnly && <LinkDialog editor={editor} onClose={() => setLinkOpen(false)} />}
      {editor && held && (
        <AgreedEditWarning
          editor={editor}
          sectionId={sectionId}
          sectionTitle={title}
          transaction={held.edit.tr ?? null}
          onProceed={() => {
            guard.allow(held.signature);
            const { tr, command } = held.edit;
            // The held edit, when nothing changed meanwhile (else the user types it again).
            if (tr && !editor.isDestroyed && editor.state.doc.eq(tr.before)) editor.view.dispatch(tr);
            if (command === 'undo' && !editor.isDestroyed) editor.commands.undo();
            if (command === 'redo' && !editor.isDestroyed) editor.commands.redo();
            setHeld(null);
          }}
          onCancel={() => {
            guard.release();
            setHeld(null);
          }}
        />
      )}
    </div>
  );
}

/**
 * `formatting`: which formatting buttons. Suggesting offers bold and italic (suggested as the words
 * replaced by their formatted copy); headings, lists, links and tables change the structure, which a
 * suggestion cannot carry in our document.
 */
function Toolbar({ editor, sectionId, title, formatting, onLink }: { editor: Editor; sectionId: string; title: string; formatting: 'all' | 'inline' | 'none'; onLink: () => void }) {
  const t = useMessages(agreementMessages);
  const { locale } = useLocale();
  const agreement = useAgreement();
  const s = useEditorState({
    editor,
    selector: ({ editor: e }) => ({
      bold: e.isActive('bold'),
      italic: e.isActive('italic'),
      h3: e.isActive('heading', { level: 3 }),
      bullet: e.isActive('bulletList'),
      ordered: e.isActive('orderedList'),
      link: e.isActive('link'),
      table: e.isActive('table'),
      empty: e.state.selection.empty,
      focused: e.isFocused,
    }),
  });
  const actions = getFeatures().flatMap((f) => f.selectionActions ?? []).filter((a) => !a.needsEdit || !agreement.readOnly);
  const ro = formatting === 'none';
  const inlineOnly = formatting === 'inline';
  const btn = (
    label: string,
    pressed: boolean | undefined,
    onClick: () => void,
    text: ReactNode,
    disabled = false,
    extra: { shortcut?: { aria: string; hint: string }; popup?: 'dialog' } = {},
  ) => (
    <button
      type="button"
      className={`tool${pressed ? ' is-active' : ''}`}
      aria-label={label}
      title={extra.shortcut ? `${label} (${extra.shortcut.hint})` : label}
      aria-pressed={pressed}
      aria-keyshortcuts={extra.shortcut?.aria}
      aria-haspopup={extra.popup}
      disabled={disabled}
      onMouseDown={(e) => e.preventDefault()}
      onClick={onClick}
    >
      {typeof text === 'string' ? <span aria-hidden="true">{text}</span> : text}
    </button>
  );
  const roving = useRovingToolbar();
  const linkShortcut = IS_MAC ? { aria: 'Meta+K', hint: '⌘K' } : { aria: 'Control+K', hint: 'Ctrl+K' };
  return (
    <div className="toolbar" role="toolbar" aria-label={`${t.toolbarLabel}: ${title}`} ref={roving.ref} onKeyDown={roving.onKeyDown} onFocus={roving.onFocus}>
      {!ro && (
        <>
          {btn(t.toolBold, s?.bold, () => editor.chain().focus().toggleBold().run(), 'B')}
          {btn(t.toolItalic, s?.italic, () => editor.chain().focus().toggleItalic().run(), 'I')}
        </>
      )}
      {!ro && !inlineOnly && (
        <>
          {btn(t.toolHeading, s?.h3, () => editor.chain().focus().toggleHeading({ level: 3 }).run(), 'H')}
          {btn(t.toolBulletList, s?.bullet, () => editor.chain().focus().toggleBulletList().run(), <IconBulletList />)}
          {btn(t.toolOrderedList, s?.ordered, () => editor.chain().focus().toggleOrderedList().run(), <IconOrderedList />)}
          {btn(t.toolLink, s?.link, onLink, <IconLink />, false, { shortcut: linkShortcut, popup: 'dialog' })}
          {btn(t.toolTable, undefined, () => editor.chain().focus().insertTable({ rows: 3, cols: 3, withHeaderRow: true }).run(), <IconTable />, s?.table)}
          {s?.table && (
            <>
              {btn(t.toolAddRow, undefined, () => editor.chain().focus().addRowAfter().run(), <IconRowAdd />)}
              {btn(t.toolAddColumn, undefined, () => editor.chain().focus().addColumnAfter().run(), <IconColumnAdd />)}
              {btn(t.toolDeleteRow, undefined, () => editor.chain().focus().deleteRow().run(), <IconRowDelete />)}
              {btn(t.toolDeleteColumn, undefined, () => editor.chain().focus().deleteColumn().run(), <IconColumnDelete />)}
              {btn(t.toolDeleteTable, undefined, () => editor.chain().focus().deleteTable().run(), <IconTableDelete />)}
            </>
          )}
        </>
      )}
      {actions.length > 0 && !ro && <span className="toolbar__sep" aria-hidden="true" />}
      {actions.map((a) => (
        <button
          key={a.id}
          type="button"
          className="tool tool--text"
          disabled={s?.empty ?? true}
          onMouseDown={(e) => e.preventDefault()}
          onClick={() => {
            const { from, to } = editor.state.selection;
            a.run({ editor, sectionId, from, to, text: editor.state.doc.textBetween(from, to, ' '), agreement });
          }}
        >
          {a.label(locale)}
        </button>
      ))}
    </div>
  );
}
