/**
 * Suggestion mode on the sync engine (issue #16).
 *
 * beforeUpdate (suggest-mode sockets: commenters, and editors the policy narrows to suggesting): the
 * update is applied to a copy of the document and allowed only when
 *   - everything it inserts or deletes lies inside section bodies (no titles, marks, parties, tables …), and
 *   - in each body it touches, `changesOnlySuggestions` holds: the standing text is unchanged, new
 *     suggestions carry the sender's own id, nobody else's suggestion gained text.
 * Otherwise the socket is closed with 4403 and a reason; the update reaches nobody and is not stored.
 * The copy is kept per agreement and reused while it equals the document (`ShadowDocs`), so an update
 * costs a snapshot comparison and its own apply, not a copy of the document; edit-mode sockets pay
 * nothing (the hook returns before reading the document).
 *
 * onChange: an "agreed" mark on a section with open suggestions is withdrawn (the text the party agreed
 * to is not settled while suggestions wait). Client changes are collected per agreement and checked in
 * batches (the shared PerDocumentBatcher), at most once per interval; only when some agreed section has
 * open suggestions are the collected updates decoded to find which marks they set.
 */
import * as Y from 'yjs';
import {
  changesOnlySuggestions,
  fragmentToRichNode,
  getSectionBody,
  getSectionMarks,
  getSectionRichBody,
  hasOpenSuggestions,
  hasSection,
  listSections,
  ROOT,
  setSectionAgreed,
} from '@overens/model';
import type { Logger } from '../logger.ts';
import type { OriginInput } from '../origin.ts';
import { serverOrigin } from '../origin.ts';
import { sectionChangesOfUpdate } from '../../sections/agreed-reset.ts';
import { PerDocumentBatcher } from '../core/debounce.ts';
import { DocumentFact } from '../core/document-fact.ts';
import type { BeforeUpdateContext, Extension, Refusal } from '../core/extension.ts';

type AnyType = Y.AbstractType<any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Close code for a refused suggest-mode update: permanent for the y-websocket provider (4400–4499). */
export const SUGGEST_MODE_REFUSED = 4403;

export const SUGGESTION_WITHDRAW_ORIGIN = serverOrigin('suggestion');

const refuse = (reason: string): Refusal => ({ code: SUGGEST_MODE_REFUSED, reason });

/** The section whose body holds this item, or null when it lies anywhere else. */
function bodyOfItem(item: Y.Item, sectionsRoot: AnyType): string | null {
  let cur: Y.Item | null = item;
  let childKey: string | null = null;
  while (cur) {
    const parent = cur.parent as AnyType | null;
    if (!parent || !(parent instanceof Y.AbstractType)) return null;
    if (parent === sectionsRoot) return typeof cur.parentSub === 'string' && childKey === 'body' ? cur.parentSub : null;
    childKey = cur.parentSub;
    cur = parent._item;
  }
  return null;
}

function findItem(doc: Y.Doc, client: number, clock: number): Y.Item | null {
  if (clock >= Y.getState(doc.store, client)) return null;
  try {
    const s = Y.getItem(doc.store, Y.createID(client, clock));
    return s instanceof Y.Item ? s : null;
  } catch {
    return null;
  }
}

/**
 * Copies of documents for the suggest-mode check, one per agreement, reused while they equal the live
 * document (comparing Yjs snapshots, state vector + delete set, costs well under a millisecond where a
 * fresh copy of a large agreement costs tens). A copy that lags behind catches up with the difference; one
 * that holds anything the document does not (a refused update) is thrown away and made again.
 */
export class ShadowDocs {
  private readonly docs = new Map<string, Y.Doc>();

  /** A copy equal to `doc`, to apply a client's update to. */
  take(agreementId: string, doc: Y.Doc): Y.Doc {
    let shadow = this.docs.get(agreementId);
    if (shadow && !Y.equalSnapshots(Y.snapshot(shadow), Y.snapshot(doc))) {
      try {
        Y.applyUpdate(shadow, Y.encodeStateAsUpdate(doc, Y.encodeStateVector(shadow)));
      } catch {
        /* made again below */
      }
      if (!Y.equalSnapshots(Y.snapshot(shadow), Y.snapshot(doc))) {
        this.drop(agreementId);
        shadow = undefined;
      }
    }
    if (!shadow) {
      shadow = new Y.Doc();
      Y.applyUpdate(shadow, Y.encodeStateAsUpdate(doc));
      this.docs.set(agreementId, shadow);
    }
    return shadow;
  }

  drop(agreementId: string): void {
    this.docs.get(agreementId)?.destroy();
    this.docs.delete(agreementId);
  }

  clear(): void {
    for (const id of [...this.docs.keys()]) this.drop(id);
  }

  get size(): number {
    return this.docs.size;
  }
}

/**
 * Whether a suggest-mode update changes only suggestions (null) or why not. `before` is not modified;
 * `after` must equal `before` and receives the update (a fresh copy when not given).
 */
export function checkSuggestModeUpdate(before: Y.Doc, update: Uint8Array, userId: string, after?: Y.Doc): Refusal | null {
  const own = !after;
  const target = after ?? new Y.Doc();
  try {
    if (own) Y.applyUpdate(target, Y.encodeStateAsUpdate(before));
    Y.applyUpdate(target, update);
    if (target.store.pendingStructs || target.store.pendingDs) return refuse('suggest mode: the update depends on changes the server does not have');
    const rootAfter = target.getMap(ROOT.sections) as unknown as AnyType;
    const rootBefore = before.getMap(ROOT.sections) as unknown as AnyType;
    const touched = new Set<string>();
    const inside = (item: Y.Item, root: AnyType): boolean => {
      const id = bodyOfItem(item, root);
      if (id === null) return false;
      touched.add(id);
      return true;
    };
    const outside = refuse('suggest mode: only the text of sections can change, as suggestions');
    const decoded = Y.decodeUpdate(update);
    for (const s of decoded.structs) {
      if (!(s instanceof Y.Item)) continue;
      // Parts the server already had (a sync step 2 repeats them) change nothing.
      const known = Y.getState(before.store, s.id.client);
      if (s.id.clock + s.length <= known) continue;
      // Inserted and deleted at once (garbage collected): nothing to see.
      const item = findItem(target, s.id.client, Math.max(s.id.clock, known));
      if (item && !inside(item, rootAfter)) return outside;
    }
    // A sync step 2 carries the client's whole delete set: only what is newly deleted counts, located
    // where it stood before.
    for (const [client, ranges] of decoded.ds.clients) {
      for (const r of ranges) {
        for (let clock = r.clock; clock < r.clock + r.len; ) {
          const was = findItem(before, client, clock);
          if (!was) break;
          if (!was.deleted && !inside(was, rootBefore)) return outside;
          clock = was.id.clock + was.length;
        }
      }
    }
    for (const sectionId of touched) {
      if (!hasSection(before, sectionId)) return outside;
      const check = changesOnlySuggestions(getSectionRichBody(before, sectionId), fragmentToRichNode(getSectionBody(target, sectionId)), userId);
      if (!check.ok) {
        return refuse(
          check.reason === 'text_changed'
            ? 'suggest mode: direct edits are not allowed; suggest the change instead'
            : "suggest mode: a suggestion must be your own; others' suggestions cannot be changed",
        );
      }
    }
    return null;
  } finally {
    if (own) target.destroy();
  }
}

export interface SuggestionsExtensionDeps {
  withDocument(agreementId: string, fn: (doc: Y.Doc) => void, origin?: OriginInput): Promise<void>;
  logger?: Logger;
}

export interface SuggestionsExtensionOptions {
  /** Client changes are checked for agreed marks at most once per this interval (default 1 s). */
  intervalMs?: number;
}

export interface SuggestionsExtension extends Extension {
  /** Resolves when no collected change waits for the agreed-mark check (tests). */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

interface ClientChange {
  update: Uint8Array;
  userId: string;
}

/** Sections that carry an "agreed" mark and have open suggestions. */
export function agreedWithOpenSuggestions(doc: Y.Doc): Set<string> {
  return new Set(
    listSections(doc)
      .filter((s) => Object.keys(getSectionMarks(doc, s.id).agreedBy).length > 0 && hasOpenSuggestions(getSectionRichBody(doc, s.id)))
      .map((s) => s.id),
  );
}

/** Withdraw the agreed marks that `changes` set on sections that have open suggestions now. */
export function withdrawAgreedWithOpenSuggestions(doc: Y.Doc, changes: readonly ClientChange[], candidates = agreedWithOpenSuggestions(doc)): number {
  // Most of the time no agreed section has open suggestions: then nothing is decoded.
  if (candidates.size === 0) return 0;
  let withdrawn = 0;
  for (const { update, userId } of changes) {
    for (const id of sectionChangesOfUpdate(doc, update).agreedBy) {
      if (!candidates.has(id)) continue;
      for (const [partyId, mark] of Object.entries(getSectionMarks(doc, id).agreedBy)) {
        if (mark.userId !== userId) continue;
        setSectionAgreed(doc, id, partyId, null);
        withdrawn++;
      }
    }
  }
  return withdrawn;
}

export function createSuggestionsExtension(deps: SuggestionsExtensionDeps, options: SuggestionsExtensionOptions = {}): SuggestionsExtension {
  const shadows = new ShadowDocs();
  const intervalMs = Math.max(0, options.intervalMs ?? 1000);
  // "no agreed section has open suggestions": a mark is withdrawn only when a change sets it, and
  // setting one sets a map key; until a change may have, keystrokes need no check (core/document-fact.ts)
  const noCandidates = new DocumentFact();
  const batcher = new PerDocumentBatcher<ClientChange>({
    delayMs: intervalMs,
    minIntervalMs: intervalMs,
    run: (agreementId, changes) =>
      deps.withDocument(
        agreementId,
        (doc) => {
          const candidates = agreedWithOpenSuggestions(doc);
          if (candidates.size === 0) noCandidates.record(agreementId, doc);
          const n = withdrawAgreedWithOpenSuggestions(doc, changes, candidates);
          if (n > 0) deps.logger?.info({ agreementId, withdrawn: n }, 'suggestions: withdrew agreed marks on sections with open suggestions');
        },
        SUGGESTION_WITHDRAW_ORIGIN,
      ),
    onError: (agreementId, err) => deps.logger?.warn({ agreementId, err: String(err) }, 'suggestions: agreed-mark check failed'),
  });
  const stop = async () => {
    await batcher.stop();
    shadows.clear();
  };
  return {
    name: 'suggestions',
    // Before other beforeUpdate hooks: a refused update should not reach them.
    priority: 500,
    validatesSuggestMode: true,
    beforeUpdate(ctx: BeforeUpdateContext): Refusal | void {
      if (ctx.mode !== 'suggest') return;
      let refusal: Refusal | null;
      try {
        refusal = checkSuggestModeUpdate(ctx.doc, ctx.update, ctx.userId, shadows.take(ctx.agreementId, ctx.doc));
      } catch (err) {
        shadows.drop(ctx.agreementId);
        throw err;
      }
      // The copy now holds an update the document will not: make it again next time.
      if (refusal) shadows.drop(ctx.agreementId);
      return refusal ?? undefined;
    },
    onUnload({ agreementId }) {
      shadows.drop(agreementId);
      noCandidates.forget(agreementId);
    },
    onChange({ agreementId, update, origin, document }) {
      if (origin.kind !== 'client' || noCandidates.holds(document)) return;
      noCandidates.note(document);
      batcher.add(agreementId, { update, userId: origin.userId });
    },
    idle: () => batcher.idle(),
    onDestroy: stop,
    stop,
  };
}
