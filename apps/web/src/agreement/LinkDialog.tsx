/**
 * "Länk": add, change or remove the link at the selection of a section editor (toolbar button or
 * Ctrl/Cmd+K). A modal dialog: focus starts in the address field, Enter applies, Escape closes, and
 * focus returns to the editor either way. The address is checked with normalizeLinkUrl (http, https,
 * mailto; bare domains become https://) and refused inline otherwise (javascript: and the like).
 * With nothing selected, an optional text is inserted as the link (the address when left empty).
 */
import type { Editor } from '@tiptap/core';
import { useRef, useState, type FormEvent } from 'react';
import { Dialog } from '../components/Dialog.tsx';
import { TextField } from '../components/forms.tsx';
import { useMessages } from '../i18n/index.tsx';
import { agreementMessages } from '../i18n/messages/agreement.ts';
import { normalizeLinkUrl, type LinkUrlError } from '@overens/model';

export function LinkDialog({ editor, onClose }: { editor: Editor; onClose: () => void }) {
  const t = useMessages(agreementMessages);
  const urlRef = useRef<HTMLInputElement>(null);
  // What the dialog acts on, as it was when it opened (the selection stays in the editor state meanwhile).
  const [at] = useState(() => {
    const inLink = editor.isActive('link');
    const href = inLink ? String(editor.getAttributes('link').href ?? '') : '';
    return { inLink, href, empty: editor.state.selection.empty };
  });
  const [url, setUrl] = useState(at.href);
  const [text, setText] = useState('');
  const [error, setError] = useState<LinkUrlError | null>(null);
  const inserted = useRef(false);
  const withText = at.empty && !at.inLink;

  const errorText = error === 'empty' ? t.linkErrorEmpty : error === 'scheme' ? t.linkErrorScheme : error ? t.linkErrorInvalid : null;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const result = normalizeLinkUrl(url);
    if (!result.ok) {
      setError(result.error);
      urlRef.current?.focus();
      return;
    }
    // No focus() in these chains: the editor is inert behind the modal dialog; it gets focus on close.
    let applied: boolean;
    if (withText) {
      const label = text.trim() || url.trim();
      applied = editor
        .chain()
        .insertContent({ type: 'text', text: label, marks: [{ type: 'link', attrs: { href: result.href } }] })
        .run();
      inserted.current = applied;
    } else {
      applied = editor.chain().extendMarkRange('link').setLink({ href: result.href }).run();
    }
    if (!applied) {
      setError('invalid');
      urlRef.current?.focus();
      return;
    }
    onClose();
  };

  const remove = () => {
    editor.chain().extendMarkRange('link').unsetLink().run();
    onClose();
  };

  // Back in the editor; after an inserted link, what is typed next is plain text, not more link.
  const returnFocus = () => {
    if (editor.isDestroyed) return;
    const chain = editor.chain().focus();
    if (inserted.current) chain.unsetMark('link');
    chain.run();
  };

  return (
    <Dialog title={t.linkDialogTitle} closeLabel={t.linkClose} onClose={onClose} initialFocus={urlRef} returnFocus={returnFocus} className="link-dialog">
      <form onSubmit={submit} noValidate>
        <TextField
          ref={urlRef}
          name="url"
          label={t.linkUrlLabel}
          hint={t.linkUrlHint}
          error={errorText ?? undefined}
          announceError
          type="text"
          inputMode="url"
          autoComplete="url"
          spellCheck={false}
          required
          aria-required="true"
          value={url}
          maxLength={2000}
          onChange={(e) => setUrl(e.target.value)}
        />
        {withText && (
          <TextField name="text" label={t.linkTextLabel} hint={t.linkTextHint} type="text" value={text} maxLength={500} onChange={(e) => setText(e.target.value)} />
        )}
        <div className="button-row">
          <button type="submit" className="button">
            {at.inLink ? t.linkUpdate : t.linkApply}
          </button>
          {at.inLink && (
            <button type="button" className="button button--warning" onClick={remove}>
              {t.linkRemove}
            </button>
          )}
          <button type="button" className="button button--secondary" onClick={onClose}>
            {t.linkCancel}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
