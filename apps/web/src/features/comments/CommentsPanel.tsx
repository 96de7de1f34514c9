/**
 * The "Kommentarer" tab: the composer for a new thread (after "Kommentera" on a selection), open
 * threads with replies, edit/delete own, resolve/reopen, and resolved threads folded away. Threads whose
 * commented text was deleted are shown as detached (the quote is kept).
 */
import { useEffect, useId, useMemo, useState } from 'react';
import { ApiError } from '../../api/client.ts';
import { fmt, useFormat, useMessages } from '../../i18n/index.tsx';
import { commentMessages } from '../../i18n/messages/comments.ts';
import { useAgreement, useDocVersion } from '../../shell/agreement-context.tsx';
import { useSections } from '../../agreement/useSections.ts';
import { resolveAnchor } from './anchors.ts';
import { MentionTextarea } from './MentionTextarea.tsx';
import { commentActions, commentUi, mayComment, splitMentions, useCommentUi, useThreads, type CommentItem, type Thread, type Visibility } from './store.ts';

type T = typeof commentMessages.sv;

function errorText(t: T, e: unknown): string {
  return fmt(t.errorGeneric, { error: e instanceof ApiError ? e.readable : e instanceof Error ? e.message : String(e) });
}

function Body({ body }: { body: string }) {
  return (
    <p className="comment__body">
      {splitMentions(body).map((part, i) =>
        part.mention ? (
          <span key={i} className="mention" data-user-id={part.mention}>
            {part.text}
          </span>
        ) : (
          <span key={i}>{part.text}</span>
        ),
      )}
    </p>
  );
}

export function CommentsPanel() {
  const t = useMessages(commentMessages);
  const agreement = useAgreement();
  const { threads, loaded, error } = useThreads(agreement.agreementId);
  const { draft } = useCommentUi(agreement.agreementId);
  const state = { threads, loaded, error, draft };
  const sections = useSections();
  const docVersion = useDocVersion(agreement.doc, { text: true });
  const [showResolved, setShowResolved] = useState(false);

  const sectionOrder = useMemo(() => new Map(sections.map((s, i) => [s.id, i])), [sections]);
  const sectionTitle = (id: string) => {
    const s = sections.find((x) => x.id === id);
    return s ? `${s.number}. ${s.title}` : '';
  };

  // Detached = the anchor no longer resolves to any text (needs the section's editor to be mounted).
  const detached = useMemo(() => {
    const out = new Set<string>();
    for (const th of state.threads) {
      const editor = agreement.getEditor(th.sectionId);
      if (!editor) {
        if (!sectionOrder.has(th.sectionId)) out.add(th.id);
        continue;
      }
      if (!resolveAnchor(editor.state, th.anchor)) out.add(th.id);
    }
    return out;
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [state.threads, docVersion, sectionOrder]);

  const sorted = [...state.threads].sort(
    (a, b) => (sectionOrder.get(a.sectionId) ?? 1e9) - (sectionOrder.get(b.sectionId) ?? 1e9) || a.createdAt.localeCompare(b.createdAt),
  );
  const open = sorted.filter((th) => !th.resolvedAt);
  const resolved = sorted.filter((th) => th.resolvedAt);

  return (
    <div className="comments" data-testid="comments-panel">
      {state.draft && <Composer key={`${state.draft.anchorStart}-${state.draft.anchorEnd}`} sectionTitle={sectionTitle(state.draft.sectionId)} />}
      {!mayComment(agreement) && <p className="muted small">{t.noReadOnly}</p>}
      {!state.loaded && <p className="muted">{t.loading}</p>}
      {state.error && (
        <p className="field__error" role="alert">
          {fmt(t.loadFailed, { error: state.error })}
        </p>
      )}
      {state.loaded && state.threads.length === 0 && !state.draft && <p className="muted">{t.empty}</p>}
      {open.length > 0 && (
        <section aria-label={t.openThreads}>
          <h3 className="visually-hidden">{t.openThreads}</h3>
          <ul className="thread-list">
            {open.map((th) => (
              <ThreadView key={th.id} thread={th} detached={detached.has(th.id)} sectionTitle={sectionTitle(th.sectionId)} />
            ))}
          </ul>
        </section>
      )}
      {resolved.length > 0 && (
        <section className="comments__resolved">
          <button type="button" className="button button--secondary button--small" aria-expanded={showResolved} onClick={() => setShowResolved((v) => !v)}>
            {showResolved ? t.hideResolved : fmt(t.showResolved, { count: resolved.length })}
          </button>
          {showResolved && (
            <>
              <h3 className="visually-hidden">{fmt(t.resolvedThreads, { count: resolved.length })}</h3>
              <ul className="thread-list">
                {resolved.map((th) => (
                  <ThreadView key={th.id} thread={th} detached={detached.has(th.id)} sectionTitle={sectionTitle(th.sectionId)} />
                ))}
              </ul>
            </>
          )}
        </section>
      )}
    </div>
  );
}

function Composer({ sectionTitle }: { sectionTitle: string }) {
  const t = useMessages(commentMessages);
  const agreement = useAgreement();
  const actions = commentActions(agreement.agreementId);
  const ui = commentUi(agreement.agreementId);
  const { draft } = useCommentUi(agreement.agreementId);
  const [body, setBody] = useState('');
  const [visibility, setVisibility] = useState<Visibility>('all');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const bodyId = useId();
  const headingId = useId();
  if (!draft) return null;
  const submit = async () => {
    if (busy || body.trim() === '') return;
    setBusy(true);
    setError(null);
    try {
      const thread = await actions.create(draft, body, visibility);
      ui.created(thread.id);
    } catch (e) {
      setError(errorText(t, e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form
      className="composer"
      aria-labelledby={headingId}
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
      onKeyDown={(e) => {
        if (e.key === 'Escape') ui.cancelDraft();
      }}
    >
      <h3 className="h4" id={headingId}>
        {t.newComment}
      </h3>
      {sectionTitle && <p className="small muted">{fmt(t.inSection, { section: sectionTitle })}</p>}
      <blockquote className="thread__quote" aria-label={t.quoted}>
        {draft.quote}
      </blockquote>
      <MentionTextarea
        id={bodyId}
        label={t.bodyLabel}
        hint={t.bodyHint}
        value={body}
        onChange={setBody}
        loadMembers={() => actions.mentionable(visibility)}
        listLabel={t.mentionsListLabel}
        autoFocus
        onSubmit={() => void submit()}
      />
      <fieldset className="fieldset">
        <legend className="fieldset__legend">{t.visibilityLegend}</legend>
        <label className="radio">
          <input type="radio" name="visibility" value="all" checked={visibility === 'all'} onChange={() => setVisibility('all')} />
          <span>{t.visibilityAll}</span>
        </label>
        <label className="radio">
          <input type="radio" name="visibility" value="internal" checked={visibility === 'internal'} onChange={() => setVisibility('internal')} />
          <span>{t.visibilityInternal}</span>
        </label>
      </fieldset>
      {error && (
        <p className="field__error" role="alert">
          {error}
        </p>
      )}
      <div className="button-row">
        <button type="submit" className="button button--small" disabled={busy || body.trim() === ''}>
          {t.submit}
        </button>
        <button type="button" className="button button--secondary button--small" onClick={() => ui.cancelDraft()}>
          {t.cancel}
        </button>
      </div>
    </form>
  );
}

function ThreadView({ thread, detached, sectionTitle }: { thread: Thread; detached: boolean; sectionTitle: string }) {
  const t = useMessages(commentMessages);
  const f = useFormat();
  const agreement = useAgreement();
  const actions = commentActions(agreement.agreementId);
  const { activeThreadId } = useCommentUi(agreement.agreementId);
  const [replying, setReplying] = useState(false);
  const [reply, setReply] = useState('');
  const [error, setError] = useState<string | null>(null);
  const replyId = useId();
  const active = activeThreadId === thread.id;
  const author = thread.createdBy?.name || t.unknownUser;

  useEffect(() => {
    if (active) document.getElementById(`thread-${thread.id}`)?.scrollIntoView?.({ block: 'nearest' });
  }, [active, thread.id]);

  const run = async (fn: () => Promise<void>) => {
    setError(null);
    try {
      await fn();
    } catch (e) {
      setError(errorText(t, e));
    }
  };

  const goToText = () => {
    commentUi(agreement.agreementId).setActive(thread.id);
    const editor = agreement.getEditor(thread.sectionId);
    const range = editor ? resolveAnchor(editor.state, thread.anchor) : null;
    if (editor && range) {
      editor.chain().focus().setTextSelection(range).scrollIntoView().run();
    } else {
      agreement.focusTarget({ kind: 'section', sectionId: thread.sectionId });
    }
  };

  return (
    <li
      id={`thread-${thread.id}`}
      className={`thread${active ? ' is-active' : ''}${thread.resolvedAt ? ' thread--resolved' : ''}`}
      aria-label={fmt(t.threadLabel, { name: author })}
      data-thread-id={thread.id}
      data-visibility={thread.visibility}
      data-detached={detached}
    >
      <div className="thread__meta small">
        {sectionTitle && <span className="thread__section">{sectionTitle}</span>}
        {thread.visibility === 'internal' && (
          <span className="badge badge--internal" title={fmt(t.internalExplain, { party: agreement.partyName(thread.partyId) })}>
            {t.internalBadge}
          </span>
        )}
      </div>
      {detached ? (
        <p className="thread__detached small" role="note">
          <strong>{t.detached}</strong>
          <span className="thread__quote thread__quote--detached">{thread.quote}</span>
        </p>
      ) : (
        <blockquote className="thread__quote" aria-label={t.quoted}>
          {thread.quote}
        </blockquote>
      )}
      {!detached && (
        <button type="button" className="link-button small" onClick={goToText}>
          {t.goToText}
        </button>
      )}
      <ol className="comment-list">
        {thread.comments.map((c) => (
          <CommentView key={c.id} thread={thread} comment={c} onError={setError} />
        ))}
      </ol>
      {thread.resolvedAt && (
        <p className="small muted">{fmt(t.resolvedBy, { name: thread.resolvedBy?.name || t.unknownUser, time: f.dateTime(thread.resolvedAt) })}</p>
      )}
      {error && (
        <p className="field__error" role="alert">
          {error}
        </p>
      )}
      {mayComment(agreement) && (
        <div className="thread__actions">
          {replying ? (
            <form
              onSubmit={(e) => {
                e.preventDefault();
                if (reply.trim() === '') return;
                void run(async () => {
                  await actions.reply(thread.id, reply);
                  setReply('');
                  setReplying(false);
                });
              }}
            >
              <MentionTextarea
                id={replyId}
                label={t.replyLabel}
                value={reply}
                onChange={setReply}
                loadMembers={() => actions.mentionable(thread.visibility)}
                listLabel={t.mentionsListLabel}
                autoFocus
              />
              <div className="button-row">
                <button type="submit" className="button button--small" disabled={reply.trim() === ''}>
                  {t.sendReply}
                </button>
                <button type="button" className="button button--secondary button--small" onClick={() => setReplying(false)}>
                  {t.cancel}
                </button>
              </div>
            </form>
          ) : (
            <div className="button-row">
              {!thread.resolvedAt && (
                <button type="button" className="button button--secondary button--small" onClick={() => setReplying(true)}>
                  {t.reply}
                </button>
              )}
              <button type="button" className="button button--secondary button--small" onClick={() => void run(() => actions.setResolved(thread.id, !thread.resolvedAt))}>
                {thread.resolvedAt ? t.reopen : t.resolve}
              </button>
            </div>
          )}
        </div>
      )}
    </li>
  );
}

function CommentView({ thread, comment, onError }: { thread: Thread; comment: CommentItem; onError: (e: string | null) => void }) {
  const t = useMessages(commentMessages);
  const f = useFormat();
  const agreement = useAgreement();
  const actions = commentActions(agreement.agreementId);
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState(comment.body);
  const editId = useId();
  const mine = comment.author?.id === agreement.me.id && mayComment(agreement);
  const run = async (fn: () => Promise<void>) => {
    onError(null);
    try {
      await fn();
    } catch (e) {
      onError(errorText(t, e));
    }
  };
  return (
    <li className="comment" data-comment-id={comment.id}>
      <div className="comment__head small">
        <strong>{comment.author?.name || t.unknownUser}</strong>{' '}
        <time dateTime={comment.createdAt} className="muted">
          {f.dateTime(comment.createdAt)}
        </time>
        {comment.editedAt && <span className="muted"> {t.edited}</span>}
      </div>
      {editing ? (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void run(async () => {
              await actions.edit(thread.id, comment.id, text);
              setEditing(false);
            });
          }}
        >
          <MentionTextarea id={editId} label={t.editLabel} value={text} onChange={setText} loadMembers={() => actions.mentionable(thread.visibility)} listLabel={t.mentionsListLabel} autoFocus />
          <div className="button-row">
            <button type="submit" className="button button--small" disabled={text.trim() === ''}>
              {t.save}
            </button>
            <button type="button" className="button button--secondary button--small" onClick={() => setEditing(false)}>
              {t.cancel}
            </button>
          </div>
        </form>
      ) : (
        <Body body={comment.body} />
      )}
      {mine && !editing && (
        <div className="comment__own button-row">
          <button
            type="button"
            className="link-button small"
            onClick={() => {
              setText(comment.body);
              setEditing(true);
            }}
          >
            {t.edit}
          </button>
          <button
            type="button"
            className="link-button link-button--danger small"
            onClick={() => {
              if (window.confirm(t.confirmDelete)) void run(() => actions.remove(thread.id, comment.id));
            }}
          >
            {t.delete}
          </button>
        </div>
      )}
    </li>
  );
}
