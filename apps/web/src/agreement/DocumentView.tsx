import { AgreementDoc, type SectionMark } from '@overens/model';
import type { Editor } from '@tiptap/core';
import { lazy, memo, Suspense, useEffect, useMemo, useState, type FormEvent, type ReactNode } from 'react';
import { fmt, useFormat, useMessages } from '../i18n/index.tsx';
import { agreementMessages } from '../i18n/messages/agreement.ts';
import { useAgreement } from '../shell/agreement-context.tsx';
import { getFeatures, loadEditorParts } from '../shell/registry.ts';
import { SectionPreview } from './SectionPreview.tsx';
import { ChecklistEditor } from './structured/Checklist.tsx';
import { ContributionsEditor } from './structured/Contributions.tsx';
import { GoalsGrid } from './structured/Goals.tsx';
import { PartiesEditor } from './structured/Parties.tsx';
import { PeriodEditor } from './structured/Period.tsx';
import { useSections, type SectionView } from './useSections.ts';
import { useSectionSuggestions } from '../features/suggestions/open.tsx';
import { suggestionMessages } from '../i18n/messages/suggestions.ts';

// The editor (Tiptap, ProseMirror and the features' editor parts) is its own chunk: the page shows the
// sections' text at once and becomes editable when it has loaded. The download starts as early as the
// page knows it will need it (`preloadSectionEditor`, called before the document has even synced).
type SectionEditorComponent = typeof import('./SectionEditor.tsx').SectionEditor;
let editorModule: Promise<{ default: SectionEditorComponent }> | null = null;
/** The editor component once its code has loaded: rendered directly, without suspending (see below). */
let LoadedSectionEditor: SectionEditorComponent | null = null;
export function preloadSectionEditor(): Promise<unknown> {
  editorModule ??= Promise.all([import('./SectionEditor.tsx'), loadEditorParts()]).then(([m]) => {
    LoadedSectionEditor = m.SectionEditor;
    return { default: m.SectionEditor };
  });
  return editorModule;
}
// Only for a section that is told to be editable before the code is in (useStagedCount waits for it,
// so normally never): React.lazy suspends once even for a loaded module, and React reveals a suspended
// boundary's content with a throttle (up to 300 ms), which held the first editor back after its code
// and the page were ready.
const LazySectionEditor = lazy(() => preloadSectionEditor() as Promise<{ default: SectionEditorComponent }>);

/**
 * Editors are made one section at a time, in document order, each in its own task: making all fifteen
 * in one render kept the page from painting (and the first section from taking input) until the last
 * was done. Until its turn, a section shows its text (SectionPreview). Returns how many may be mounted.
 */
function useStagedCount(total: number): number {
  const [ready, setReady] = useState(LoadedSectionEditor !== null);
  const [count, setCount] = useState(LoadedSectionEditor !== null ? 1 : 0);
  useEffect(() => {
    if (ready) return;
    let live = true;
    void preloadSectionEditor().then(() => {
      if (!live) return;
      setReady(true);
      setCount((n) => Math.max(n, 1));
    });
    return () => {
      live = false;
    };
  }, [ready]);
  useEffect(() => {
    if (!ready || count === 0 || count >= total) return;
    // After the browser has painted the previous editor: a frame, then a task.
    let timer = 0;
    const frame = requestAnimationFrame(() => {
      timer = window.setTimeout(() => setCount((n) => n + 1), 0);
    });
    return () => {
      cancelAnimationFrame(frame);
      window.clearTimeout(timer);
    };
  }, [ready, count, total]);
  return count;
}

/** Structured parts shown inside the section with this template key (or at the end when absent). */
const STRUCTURED: Array<{ key: string; render: () => ReactNode }> = [
  { key: 'parties', render: () => <PartiesEditor /> },
  { key: 'form_and_premises', render: () => <ChecklistEditor /> },
  { key: 'economy', render: () => <ContributionsEditor /> },
  { key: 'follow_up', render: () => <GoalsGrid /> },
  { key: 'period', render: () => <PeriodEditor /> },
];

export function DocumentView({ registerEditor }: { registerEditor: (id: string, ed: Editor | null) => void }) {
  const t = useMessages(agreementMessages);
  const { readOnly } = useAgreement();
  const sections = useSections();
  const keys = new Set(sections.map((s) => s.key));
  const orphans = STRUCTURED.filter((s) => !keys.has(s.key));
  const mounted = useStagedCount(sections.length);
  return (
    <div className="document" aria-labelledby="agreement-title">
      {sections.map((s, i) => (
        <SectionBlock
          key={s.id}
          section={s}
          index={i}
          count={sections.length}
          registerEditor={registerEditor}
          structured={STRUCTURED.find((x) => x.key === s.key)?.render}
          editable={i < mounted}
        />
      ))}
      {orphans.length > 0 && (
        <section className="doc-section" aria-labelledby="other-parts">
          <h2 id="other-parts" className="doc-section__title">{t.otherParts}</h2>
          {orphans.map((o) => (
            <div key={o.key}>{o.render()}</div>
          ))}
        </section>
      )}
      {!readOnly && <AddSection count={sections.length} />}
    </div>
  );
}

function AddSection({ count }: { count: number }) {
  const t = useMessages(agreementMessages);
  const { doc } = useAgreement();
  const [title, setTitle] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!title.trim()) {
      setError(t.sectionTitleRequired);
      return;
    }
    const id = new AgreementDoc(doc).addSection({ title: title.trim(), key: null, required: false, index: count });
    setTitle('');
    setError(null);
    window.setTimeout(() => document.getElementById(`section-${id}`)?.scrollIntoView({ block: 'center' }), 50);
  };
  return (
    <form className="add-section" onSubmit={submit} noValidate>
      <h2 className="h3">{t.addSection}</h2>
      <div className={`field inline-field${error ? ' field--error' : ''}`}>
        <label htmlFor="new-section-title" className="field__label">{t.newSectionTitle}</label>
        {error && <p className="field__error" id="new-section-error">{error}</p>}
        <div className="inline-field__row">
          <input id="new-section-title" className="input" value={title} onChange={(e) => setTitle(e.target.value)}
            aria-invalid={error ? true : undefined} aria-describedby={error ? 'new-section-error' : undefined} />
          <button type="submit" className="button button--secondary">{t.addSectionButton}</button>
        </div>
      </div>
    </form>
  );
}

export function statusTag(t: typeof agreementMessages.sv, status: string) {
  return status === 'agreed' ? (
    <span className="tag tag--green">{t.statusAgreed}</span>
  ) : status === 'ready_for_review' ? (
    <span className="tag tag--blue">{t.statusReady}</span>
  ) : (
    <span className="tag tag--grey">{t.statusDraft}</span>
  );
}

const SectionBlock = memo(function SectionBlock({
  section,
  index,
  count,
  registerEditor,
  structured,
  editable,
}: {
  section: SectionView;
  index: number;
  count: number;
  registerEditor: (id: string, ed: Editor | null) => void;
  structured?: () => ReactNode;
  /** The section's editor may be made now (see useStagedCount); until then its text is shown. */
  editable: boolean;
}) {
  const t = useMessages(agreementMessages);
  const f = useFormat();
  const { doc, readOnly, agreement, me, partyName } = useAgreement();
  const adoc = useMemo(() => new AgreementDoc(doc), [doc]);
  const fragment = useMemo(() => adoc.sectionBody(section.id), [adoc, section.id]);
  const [renaming, setRenaming] = useState(false);
  const [newTitle, setNewTitle] = useState(section.title);
  const labelId = `section-title-${section.id}`;
  const canEdit = !readOnly;
  const myMark = (): SectionMark => ({ partyId: agreement.partyId, userId: me.id, userName: me.name, at: new Date().toISOString() });
  const iAgreed = Boolean(section.marks.agreedBy[agreement.partyId]);
  // Open suggestions must be accepted or rejected before a party agrees (the server refuses too).
  const openSuggestions = useSectionSuggestions(section.id).length;
  const ts = useMessages(suggestionMessages);
  const agreeBlocked = !iAgreed && openSuggestions > 0;
  const footers = getFeatures().flatMap((x) => (x.SectionFooter ? [x.SectionFooter] : []));

  return (
    <section id={`section-${section.id}`} className={`doc-section doc-section--${section.status}`} aria-labelledby={labelId} data-section-key={section.key ?? ''}>
      <header className="doc-section__head">
        {renaming ? (
          <form
            className="rename-form"
            onSubmit={(e) => {
              e.preventDefault();
              if (newTitle.trim()) adoc.renameSection(section.id, newTitle.trim());
              setRenaming(false);
            }}
          >
            <label htmlFor={`rename-${section.id}`} className="visually-hidden">{t.sectionTitle}</label>
            <input id={`rename-${section.id}`} className="input" value={newTitle} autoFocus onChange={(e) => setNewTitle(e.target.value)}
              onKeyDown={(e) => { if (e.key === 'Escape') setRenaming(false); }} />
            <button type="submit" className="button button--small">{t.save}</button>
            <button type="button" className="button button--secondary button--small" onClick={() => setRenaming(false)}>{t.cancel}</button>
          </form>
        ) : (
          <h2 id={labelId} className="doc-section__title">
            <span className="doc-section__num">{section.number}.</span> {section.title}
            {section.required && <span className="visually-hidden"> ({t.requiredSection})</span>}
          </h2>
        )}
        <div className="doc-section__status">
          {statusTag(t, section.status)}
          {section.required && <span className="tag tag--grey" title={t.requiredLockedHint}>{t.requiredShort}</span>}
        </div>
        {canEdit && !renaming && (
          <div className="doc-section__tools" role="group" aria-label={fmt(t.sectionToolsLabel, { title: section.title })}>
            {!section.required && (
              <button type="button" className="icon-button" onClick={() => { setNewTitle(section.title); setRenaming(true); }}>
                {t.rename}<span className="visually-hidden"> {section.title}</span>
              </button>
            )}
            <button type="button" className="icon-button" disabled={index === 0} onClick={() => adoc.moveSection(section.id, index - 1)}
              aria-label={fmt(t.moveUp, { title: section.title })} title={fmt(t.moveUp, { title: section.title })}>
              ↑
            </button>
            <button type="button" className="icon-button" disabled={index === count - 1} onClick={() => adoc.moveSection(section.id, index + 1)}
              aria-label={fmt(t.moveDown, { title: section.title })} title={fmt(t.moveDown, { title: section.title })}>
              ↓
            </button>
            {!section.required && (
              <button type="button" className="icon-button icon-button--danger"
                onClick={() => { if (window.confirm(fmt(t.removeConfirm, { title: section.title }))) adoc.removeSection(section.id); }}>
                {t.remove}<span className="visually-hidden"> {section.title}</span>
              </button>
            )}
          </div>
        )}
      </header>
      {editable && LoadedSectionEditor ? (
        <LoadedSectionEditor sectionId={section.id} title={section.title} guidance={section.guidance} fragment={fragment} labelId={labelId} registerEditor={registerEditor} />
      ) : editable ? (
        <Suspense fallback={<SectionPreview fragment={fragment} />}>
          <LazySectionEditor sectionId={section.id} title={section.title} guidance={section.guidance} fragment={fragment} labelId={labelId} registerEditor={registerEditor} />
        </Suspense>
      ) : (
        <SectionPreview fragment={fragment} />
      )}
      {structured && <div className="structured">{structured()}</div>}
      <div className="doc-section__foot">
        <div className="agreed-list small">
          {agreement.parties.map((p) => (
            <span key={p.id} className={`agreed-chip${section.marks.agreedBy[p.id] ? ' is-agreed' : ''}`}>
              {section.marks.agreedBy[p.id] ? '✓' : '○'} {p.name}
              <span className="visually-hidden">: {section.marks.agreedBy[p.id] ? t.partyAgreed : t.partyNotAgreed}</span>
            </span>
          ))}
          {section.marks.readyForReview && section.status !== 'agreed' && (
            <span className="muted">{fmt(t.markedReadyBy, { name: section.marks.readyForReview.userName, party: partyName(section.marks.readyForReview.partyId) })}</span>
          )}
          {section.marks.lastResetBy && section.status !== 'agreed' && (
            <span className="reset-note">
              {fmt(t.resetBy, { name: section.marks.lastResetBy.userName, party: partyName(section.marks.lastResetBy.partyId), date: f.dateTime(section.marks.lastResetBy.at) })}
            </span>
          )}
        </div>
        {canEdit && (
          <div className="button-row">
            <button type="button" className={`button button--secondary button--small${section.marks.readyForReview ? ' button--pressed-secondary' : ''}`} aria-pressed={Boolean(section.marks.readyForReview)}
              onClick={() => adoc.setSectionReadyForReview(section.id, section.marks.readyForReview ? null : myMark())}>
              {section.marks.readyForReview && <span aria-hidden="true">✓ </span>}
              {t.markReady}<span className="visually-hidden"> – {section.title}</span>
            </button>
            <button type="button" className={`button button--small${iAgreed ? ' button--pressed' : ''}`} aria-pressed={iAgreed}
              disabled={agreeBlocked} aria-describedby={agreeBlocked ? `agree-blocked-${section.id}` : undefined}
              onClick={() => adoc.setSectionAgreed(section.id, agreement.partyId, iAgreed ? null : myMark())}>
              {iAgreed && <span aria-hidden="true">✓ </span>}
              {t.markAgreed}<span className="visually-hidden"> – {section.title}</span>
            </button>
          </div>
        )}
        {canEdit && agreeBlocked && (
          <p id={`agree-blocked-${section.id}`} className="small muted" data-testid={`agree-blocked-${section.id}`}>{ts.agreeBlocked}</p>
        )}
        {footers.map((F, i) => (
          <F key={i} sectionId={section.id} />
        ))}
      </div>
    </section>
  );
}, (a, b) =>
  a.section.id === b.section.id &&
  a.section.title === b.section.title &&
  a.section.status === b.section.status &&
  a.section.number === b.section.number &&
  a.section.guidance === b.section.guidance &&
  JSON.stringify(a.section.marks) === JSON.stringify(b.section.marks) &&
  a.index === b.index &&
  a.count === b.count &&
  a.structured === b.structured &&
  a.editable === b.editable,
);
