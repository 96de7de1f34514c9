/**
 * "Bilagor": the agreement's attachments (title + description), labelled Bilaga A, B, … by position,
 * shown under the last section of the document. Live for everyone through the shared Y.Doc (model
 * accessors only); editors add, edit, remove (after a confirm step) and reorder them.
 */
import { AgreementDoc, attachmentLetter } from '@overens/model';
import { useId, useMemo, useState } from 'react';
import { fmt, useMessages } from '../../i18n/index.tsx';
import { attachmentsMessages } from '../../i18n/messages/attachments.ts';
import { useAgreement, useDocVersion } from '../../shell/agreement-context.tsx';
import { registerFeature } from '../../shell/registry.ts';
import { useSections } from '../../agreement/useSections.ts';
import './attachments.css';

function AttachmentsSection() {
  const t = useMessages(attachmentsMessages);
  const { doc, readOnly } = useAgreement();
  const version = useDocVersion(doc);
  const adoc = useMemo(() => new AgreementDoc(doc), [doc]);
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const items = useMemo(() => adoc.attachments(), [adoc, version]);
  const [confirming, setConfirming] = useState<string | null>(null);
  const [status, setStatus] = useState('');
  const id = useId();

  const add = () => {
    const newId = adoc.addAttachment({ title: '', description: '' });
    const index = adoc.attachments().findIndex((a) => a.id === newId);
    setStatus(fmt(t.added, { letter: attachmentLetter(index) }));
    requestAnimationFrame(() => document.getElementById(`${id}-title-${newId}`)?.focus());
  };
  const move = (attId: string, to: number, dir: 'up' | 'down') => {
    adoc.moveAttachment(attId, to);
    setStatus(fmt(t.moved, { letter: attachmentLetter(to) }));
    requestAnimationFrame(() => document.getElementById(`${id}-${dir}-${attId}`)?.focus());
  };

  return (
    <section className="attachments" aria-labelledby={`${id}-heading`} data-attachments>
      <h3 id={`${id}-heading`}>{t.heading}</h3>
      {items.length === 0 && <p className="muted">{t.none}</p>}
      <ol className="attachments__list">
        {items.map((a, i) => {
          const letter = attachmentLetter(i);
          return (
            <li key={a.id} className="attachments__item" data-attachment={letter}>
              <h4 className="attachments__label">{fmt(t.label, { letter })}</h4>
              {readOnly ? (
                <>
                  <p className="attachments__title">{a.title || t.untitled}</p>
                  {a.description && <p className="attachments__desc">{a.description}</p>}
                </>
              ) : (
                <>
                  <div className="field">
                    <label className="field__label" htmlFor={`${id}-title-${a.id}`}>
                      {fmt(t.titleLabel, { letter })}
                    </label>
                    <input
                      id={`${id}-title-${a.id}`}
                      className="input"
                      value={a.title}
                      maxLength={300}
                      onChange={(e) => adoc.updateAttachment(a.id, { title: e.target.value })}
                    />
                  </div>
                  <div className="field">
                    <label className="field__label" htmlFor={`${id}-desc-${a.id}`}>
                      {fmt(t.descriptionLabel, { letter })}
                    </label>
                    <textarea
                      id={`${id}-desc-${a.id}`}
                      className="textarea"
                      rows={2}
                      value={a.description}
                      maxLength={2000}
                      onChange={(e) => adoc.updateAttachment(a.id, { description: e.target.value })}
                    />
                  </div>
                  <div className="button-row">
                    <button
                      id={`${id}-up-${a.id}`}
                      type="button"
                      className="button button--secondary button--small"
                      disabled={i === 0}
                      onClick={() => move(a.id, i - 1, 'up')}
                    >
                      {fmt(t.moveUp, { letter })}
                    </button>
                    <button
                      id={`${id}-down-${a.id}`}
                      type="button"
                      className="button button--secondary button--small"
                      disabled={i === items.length - 1}
                      onClick={() => move(a.id, i + 1, 'down')}
                    >
                      {fmt(t.moveDown, { letter })}
                    </button>
                    {confirming === a.id ? (
                      <span role="group" aria-label={fmt(t.confirmRemove, { letter })} className="button-row">
                        <span className="small">{fmt(t.confirmRemove, { letter })}</span>
                        <button
                          type="button"
                          className="button button--warning button--small"
                          onClick={() => {
                            adoc.removeAttachment(a.id);
                            setConfirming(null);
                            setStatus(t.removedDone);
                            document.getElementById(`${id}-add`)?.focus();
                          }}
                        >
                          {t.confirmYes}
                        </button>
                        <button type="button" className="button button--secondary button--small" onClick={() => setConfirming(null)}>
                          {t.cancel}
                        </button>
                      </span>
                    ) : (
                      <button type="button" className="button button--secondary button--small" onClick={() => setConfirming(a.id)}>
                        {fmt(t.remove, { letter })}
                      </button>
                    )}
                  </div>
                </>
              )}
            </li>
          );
        })}
      </ol>
      {!readOnly && (
        <button id={`${id}-add`} type="button" className="button button--secondary" onClick={add}>
          {t.add}
        </button>
      )}
      <p role="status" className="visually-hidden">
        {status}
      </p>
    </section>
  );
}

/** Rendered under the last section only. */
function AttachmentsFooter({ sectionId }: { sectionId: string }) {
  const sections = useSections();
  if (sections[sections.length - 1]?.id !== sectionId) return null;
  return <AttachmentsSection />;
}

registerFeature({ id: 'attachments', SectionFooter: AttachmentsFooter });
