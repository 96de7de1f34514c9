/**
 * Comment threads of the open agreement, outside React so that the editor plugin (highlights) and the
 * selection action can reach them. React reads it with `useCommentStore()`.
 */
import { useSyncExternalStore } from 'react';
import { http } from '../../api/client.ts';
import type { AgreementContextValue } from '../../shell/agreement-context.tsx';

/** Editors and commenters may comment; viewers read only (the server enforces the same). */
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

interface State {
  threads: Thread[];
  loaded: boolean;
  error: string | null;
  draft: Draft | null;
  activeThreadId: string | null;
}

export class CommentStore {
  private state: State = { threads: [], loaded: false, error: null, draft: null, activeThreadId: null };
  private readonly listeners = new Set<() => void>();
  constructor(readonly agreementId: string) {}

  get = (): State => this.state;
  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };
  private set(patch: Partial<State>): void {
    this.state = { ...this.state, ...patch };
    for (const l of [...this.listeners]) l();
  }

  private get base(): string {
    return `/api/agreements/${this.agreementId}/comments`;
  }

  /** Forget everything (a new page visit, possibly by another signed-in user). */
  reset(): void {
    this.set({ threads: [], loaded: false, error: null, draft: null, activeThreadId: null });
  }

  async load(): Promise<void> {
    try {
      const { threads } = await http.get<{ threads: Thread[] }>(this.base);
      this.set({ threads, loaded: true, error: null });
    } catch (e) {
      this.set({ loaded: true, error: e instanceof Error ? e.message : String(e) });
    }
  }

  upsert(thread: Thread): void {
    const i = this.state.threads.findIndex((t) => t.id === thread.id);
    const threads = [...this.state.threads];
    if (i >= 0) threads[i] = thread;
    else threads.push(thread);
    this.set({ threads });
  }

  removeThread(threadId: string): void {
    this.set({ threads: this.state.threads.filter((t) => t.id !== threadId), activeThreadId: this.state.activeThreadId === threadId ? null : this.state.activeThreadId });
  }

  startDraft(draft: Draft): void {
    this.set({ draft, activeThreadId: null });
  }
  cancelDraft(): void {
    this.set({ draft: null });
  }
  setActive(threadId: string | null): void {
    this.set({ activeThreadId: threadId });
  }

  async create(body: string, visibility: Visibility): Promise<Thread> {
    const draft = this.state.draft;
    if (!draft) throw new Error('no draft');
    const thread = await http.post<Thread>(this.base, { ...draft, body, visibility });
    this.upsert(thread);
    this.set({ draft: null, activeThreadId: thread.id });
    return thread;
  }
  async reply(threadId: string, body: string): Promise<void> {
    this.upsert(await http.post<Thread>(`${this.base}/${threadId}/replies`, { body }));
  }
  async edit(threadId: string, commentId: string, body: string): Promise<void> {
    this.upsert(await http.patch<Thread>(`${this.base}/${threadId}/comments/${commentId}`, { body }));
  }
  async remove(threadId: string, commentId: string): Promise<void> {
    const { thread } = await http.del<{ thread: Thread | null }>(`${this.base}/${threadId}/comments/${commentId}`);
    if (thread) this.upsert(thread);
    else this.removeThread(threadId);
  }
  async setResolved(threadId: string, resolved: boolean): Promise<void> {
    this.upsert(await http.post<Thread>(`${this.base}/${threadId}/resolve`, { resolved }));
  }
  async mentionable(visibility: Visibility): Promise<Array<UserRef & { partyId: string }>> {
    const { members } = await http.get<{ members: Array<UserRef & { partyId: string }> }>(`${this.base}/mentionable?visibility=${visibility}`);
    return members;
  }

  /** Apply a live event from the events stream. */
  onEvent(type: string, data: unknown): void {
    const d = data as { thread?: Thread | null; threadId?: string; threadDeleted?: boolean } | null;
    if (type === 'ready') {
      void this.load(); // (re)connected: catch up on anything missed
      return;
    }
    if (!type.startsWith('comment.') || !d) return;
    if (type === 'comment.deleted' && d.threadDeleted && d.threadId) this.removeThread(d.threadId);
    else if (d.thread && d.thread.agreementId === this.agreementId) this.upsert(d.thread);
  }
}

const stores = new Map<string, CommentStore>();

export function commentStore(agreementId: string): CommentStore {
  let s = stores.get(agreementId);
  if (!s) stores.set(agreementId, (s = new CommentStore(agreementId)));
  return s;
}

export function useCommentState(store: CommentStore): State {
  return useSyncExternalStore(store.subscribe, store.get, store.get);
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
