/**
 * Comments of the open agreement. The threads are server state in TanStack Query
 * (`agreementKeys.comments`): fetched once, refetched when the page's event stream says they changed
 * (`comment.*`, and everything after a reconnect), and patched with each write's answer. What is being
 * written (the draft) and which thread is open are UI state in `commentUi`. Both are reachable outside
 * React, for the editor plugin (highlights) and the selection action.
 */
import { useQuery } from '@tanstack/react-query';
import { useSyncExternalStore } from 'react';
import { http } from '../../api/client.ts';
import { queryClient } from '../../queries/client.ts';
import { agreementKeys } from '../../queries/keys.ts';
import type { AgreementContextValue } from '../../shell/agreement-context.tsx';

export function mayComment(a: Pick<AgreementContextValue, 'canComment' | 'agreement'>): boolean {
  const policies = (a.agreement as Partial<typeof a.agreement>).policies;
  return a.canComment && (policies ? policies['comment.create'] : a.agreement.role !== 'viewer');
}

export interface UserRef {
  id: string;
  name: string;
}

export interface CommentItem {
  id: string;
  author: UserRef | null;
  body: string;
  mentions: UserRef[];
  createdAt: string;
  editedAt: string | null;
}

export type Visibility = 'all' | 'internal';

export interface Thread {
  id: string;
  agreementId: string;
  sectionId: string;
  anchor: { start: string; end: string };
  quote: string;
  visibility: Visibility;
  partyId: string;
  createdBy: UserRef | null;
  createdAt: string;
  resolvedAt: string | null;
  resolvedBy: UserRef | null;
  comments: CommentItem[];
}

export interface Draft {
  sectionId: string;
  anchorStart: string;
  anchorEnd: string;
  quote: string;
}

const base = (agreementId: string) => `/api/agreements/${agreementId}/comments`;

export const commentsQuery = (agreementId: string) => ({
  queryKey: agreementKeys.comments(agreementId),
  queryFn: async () => (await http.get<{ threads: Thread[] }>(base(agreementId))).threads,
});

export interface ThreadsState {
  threads: Thread[];
  loaded: boolean;
  error: string | null;
}

const NO_THREADS: Thread[] = [];

/** The agreement's threads (all I may read: internal ones of my party only, filtered by the server). */
export function useThreads(agreementId: string): ThreadsState {
  const q = useQuery(commentsQuery(agreementId));
  return {
    threads: q.data ?? NO_THREADS,
    loaded: !q.isPending || q.isError,
    error: q.isError && !q.data ? (q.error instanceof Error ? q.error.message : String(q.error)) : null,
  };
}

/** The threads in the cache now (for the editor plugin). */
export function threadsNow(agreementId: string): Thread[] {
  return queryClient.getQueryData<Thread[]>(agreementKeys.comments(agreementId)) ?? NO_THREADS;
}

/** Calls `cb` when the cached threads change. */
export function subscribeThreads(agreementId: string, cb: () => void): () => void {
  const key = JSON.stringify(agreementKeys.comments(agreementId));
  return queryClient.getQueryCache().subscribe((e) => {
    if (e.type === 'updated' && JSON.stringify(e.query.queryKey) === key) cb();
  });
}

function upsert(agreementId: string, thread: Thread): void {
  queryClient.setQueryData<Thread[]>(agreementKeys.comments(agreementId), (old = []) => {
    const i = old.findIndex((t) => t.id === thread.id);
    if (i < 0) return [...old, thread];
    const next = [...old];
    next[i] = thread;
    return next;
  });
}

function removeThread(agreementId: string, threadId: string): void {
  queryClient.setQueryData<Thread[]>(agreementKeys.comments(agreementId), (old = []) => old.filter((t) => t.id !== threadId));
  const ui = commentUi(agreementId);
  if (ui.get().activeThreadId === threadId) ui.setActive(null);
}

/** Writes; each answer is put into the cache at once (the event that follows refetches the list). */
export function commentActions(agreementId: string) {
  const b = base(agreementId);
  return {
    async create(draft: Draft, body: string, visibility: Visibility): Promise<Thread> {
      const thread = await http.post<Thread>(b, { ...draft, body, visibility });
      upsert(agreementId, thread);
      return thread;
    },
    async reply(threadId: string, body: string): Promise<void> {
      upsert(agreementId, await http.post<Thread>(`${b}/${threadId}/replies`, { body }));
    },
    async edit(threadId: string, commentId: string, body: string): Promise<void> {
      upsert(agreementId, await http.patch<Thread>(`${b}/${threadId}/comments/${commentId}`, { body }));
    },
    async remove(threadId: string, commentId: string): Promise<void> {
      const { thread } = await http.del<{ thread: Thread | null }>(`${b}/${threadId}/comments/${commentId}`);
      if (thread) upsert(agreementId, thread);
      else removeThread(agreementId, threadId);
    },
    async setResolved(threadId: string, resolved: boolean): Promise<void> {
      upsert(agreementId, await http.post<Thread>(`${b}/${threadId}/resolve`, { resolved }));
    },
    async mentionable(visibility: Visibility): Promise<Array<UserRef & { partyId: string }>> {
      const { members } = await http.get<{ members: Array<UserRef & { partyId: string }> }>(`${b}/mentionable?visibility=${visibility}`);
      return members;
    },
  };
}

export interface CommentUiState {
  draft: Draft | null;
  activeThreadId: string | null;
}

/** UI state of the comments: the thread being written and the thread that is open. */
export class CommentUi {
  private state: CommentUiState = { draft: null, activeThreadId: null };
  private readonly listeners = new Set<() => void>();

  get = (): CommentUiState => this.state;
  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };
  private set(patch: Partial<CommentUiState>): void {
    this.state = { ...this.state, ...patch };
    for (const l of [...this.listeners]) l();
  }
  /** Forget everything (a new page visit, possibly by another signed-in user). */
  reset(): void {
    this.set({ draft: null, activeThreadId: null });
  }
  startDraft(draft: Draft): void {
    this.set({ draft, activeThreadId: null });
  }
  cancelDraft(): void {
    this.set({ draft: null });
  }
  /** The draft became this thread. */
  created(threadId: string): void {
    this.set({ draft: null, activeThreadId: threadId });
  }
  setActive(threadId: string | null): void {
    this.set({ activeThreadId: threadId });
  }
}

const uis = new Map<string, CommentUi>();

export function commentUi(agreementId: string): CommentUi {
  let s = uis.get(agreementId);
  if (!s) uis.set(agreementId, (s = new CommentUi()));
  return s;
}

export function useCommentUi(agreementId: string): CommentUiState {
  const ui = commentUi(agreementId);
  return useSyncExternalStore(ui.subscribe, ui.get, ui.get);
}

/** Mentions are stored as `@[Name](user:<uuid>)`; split a body into text and mention parts for display. */
export function splitMentions(body: string): Array<{ text: string; mention?: string }> {
  const out: Array<{ text: string; mention?: string }> = [];
  const re = /@\[([^\]\n]{1,200})\]\(user:([0-9a-fA-F-]{36})\)/g;
  let last = 0;
  for (const m of body.matchAll(re)) {
    if (m.index! > last) out.push({ text: body.slice(last, m.index) });
    out.push({ text: `@${m[1]}`, mention: m[2] });
    last = m.index! + m[0].length;
  }
  if (last < body.length) out.push({ text: body.slice(last) });
  return out;
}
