/**
 * "Länk": add, change or remove the link at the selection of a section editor (toolbar button or
 * Ctrl/Cmd+K). A modal dialog: focus starts in the address field, Enter applies, Escape closes, and
 * focus returns to the editor either way. The address is checked with normalizeLinkUrl (http, https,
 * mailto; bare domains become https://) and refused inline otherwise (javascript: and the like).
 * With nothing selected, an optional text is inserted as the link (the address when left empty).
 */
import type { Editor } from '@tiptap/core';
import { useEffect, useRef, useState } from 'react';
import { z } from 'zod';
import { Dialog } from '../components/Dialog.tsx';
import { Form, TextField, useZodForm } from '../components/forms.tsx';
import { useMessages } from '../i18n/index.tsx';
import { agreementMessages } from '../i18n/messages/agreement.ts';
import { normalizeLinkUrl } from '@overens/model';

/** The address must pass the one link rule; the output carries the normalised href. */
const linkSchema = z
  .object({ url: z.string(), text: z.string().max(500) })
  .transform((v, ctx) => {
    const result = normalizeLinkUrl(v.url);
    if (result.ok) return { href: result.href, text: v.text.trim() || v.url.trim() };
    ctx.addIssue({ code: 'custom', path: ['url'], params: { code: `link_${result.error}` }, message: `link ${result.error}` });
    return z.NEVER;
  });

export function LinkDialog({ editor, onClose }: { editor: Editor; onClose: () => void }) {
  const t = useMessages(agreementMessages);
  // What the dialog acts on, as it was when it opened (the selection stays in the editor state meanwhile).
  const [at] = useState(() => {
    const inLink = editor.isActive('link');
    const href = inLink ? String(editor.getAttributes('link').href ?? '') : '';
    return { inLink, href, empty: editor.state.selection.empty };
  });
  const inserted = useRef(false);
  const withText = at.empty && !at.inLink;

  const f = useZodForm({
    schema: linkSchema,
    defaultValues: { url: at.href, text: '' },
    wording: { url: { link_empty: t.linkErrorEmpty, link_scheme: t.linkErrorScheme, link_invalid: t.linkErrorInvalid } },
    focusField: true,
    onSubmit: ({ href, text }) => {
      // No focus() in these chains: the editor is inert behind the modal dialog; it gets focus on close.
      let applied: boolean;
      if (withText) {
        applied = editor
          .chain()
          .insertContent({ type: 'text', text, marks: [{ type: 'link', attrs: { href } }] })
          .run();
        inserted.current = applied;
      } else {
        applied = editor.chain().extendMarkRange('link').setLink({ href }).run();
      }
      if (!applied) {
        f.form.setError('url', { type: 'link_invalid', message: t.linkErrorInvalid }, { shouldFocus: true });
        return;
      }
      onClose();
    },
  });
  const { setFocus } = f.form;
  // After the dialog opened (its effect runs first): focus starts in the address.
  useEffect(() => {
    setFocus('url');
  }, [setFocus]);

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
    <Dialog title={t.linkDialogTitle} closeLabel={t.linkClose} onClose={onClose} returnFocus={returnFocus} className="link-dialog">
      <Form form={f} summary={false}>
        <TextField
          label={t.linkUrlLabel}
          hint={t.linkUrlHint}
          announceError
          type="text"
          inputMode="url"
          autoComplete="url"
          spellCheck={false}
          required
          aria-required="true"
          maxLength={2000}
          {...f.field('url')}
        />
        {withText && <TextField label={t.linkTextLabel} hint={t.linkTextHint} type="text" maxLength={500} {...f.field('text')} />}
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
      </Form>
    </Dialog>
  );
}
