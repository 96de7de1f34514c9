/**
 * Server-side guard for "an edit to an agreed section resets it and shows who changed it".
 *
 * The web app resets agreements for its own edits (installAgreedSectionReset in @overens/model); this
 * guard makes it hold whatever the client does: for the document changes that connected editors made
 * in this process, it finds the sections whose body the updates touched (inserted or deleted items,
 * resolved in the live document) and, when any of them carries an "agreed" mark, resets them with the
 * editor as `lastResetBy`. Changes relayed from other processes are guarded there.
 *
 * The scheduling is the sync extension `../sync/extensions/agreed-guard.ts`; this module holds what it
 * runs (resetEditedAgreedSections) and the pure parts.
 *
 * Cost: reading the live document (hub.withDocument) brings the server's Y.Doc up to date, which the
 * sync engine otherwise does lazily; doing it per keystroke would cost one Yjs apply per update. So the
 * client updates are collected per agreement and checked together, at most once per `intervalMs`
 * (default 2 s) after the first change of a quiet spell. The web app resets its own edits at once;
 * this guard is the safety net for other clients, so a reset that lands a moment later costs nothing
 * while each check integrates a whole batch of keystrokes in one transaction: one withDocument per agreement and
 * interval, in which "is any section agreed" is checked once and, only if so, each collected update is
 * decoded to find the sections it touched. A second withDocument applies the resets, only when there
 * is something to reset.
 */
import { and, eq, inArray } from 'drizzle-orm';
import * as Y from 'yjs';
import { getSectionMarks, hasSection, listSections, resetSectionAgreementOnEdit, ROOT, type SectionMark } from '@overens/model';
import type { Db } from '../db/client.ts';
import { agreementMembers, users } from '../db/schema/index.ts';
import type { Logger } from '../logger.ts';
import type { SyncHub } from '../sync/hub-contract.ts';
import { serverOrigin } from '../sync/origin.ts';

export const AGREED_RESET_ORIGIN = serverOrigin('agreed-reset');

type AnyType = Y.AbstractType<any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The section this item belongs to and the key under the section map it is in (body, agreedBy, …), or null. */
function sectionPartOfItem(item: Y.Item, root: AnyType): { sectionId: string; key: string | null } | null {
  let cur: Y.Item | null = item;
  let childKey: string | null = null;
  while (cur) {
    const parent = cur.parent as AnyType | null;
    if (!parent || !(parent instanceof Y.AbstractType)) return null;
    if (parent === root) return typeof cur.parentSub === 'string' ? { sectionId: cur.parentSub, key: childKey } : null;
    childKey = cur.parentSub;
    cur = parent._item;
  }
  return null;
}

/** What an (already applied) update changed in sections: bodies, and the "agreed" marks. */
export interface SectionChanges {
  /** Sections whose body the update inserted into or deleted from. */
  body: Set<string>;
  /** Sections whose agreedBy marks the update set or withdrew. */
  agreedBy: Set<string>;
}

/** Sections whose body or agreedBy marks an (already applied) update touched. */
export function sectionChangesOfUpdate(doc: Y.Doc, update: Uint8Array): SectionChanges {
  const root = doc.getMap(ROOT.sections) as unknown as AnyType;
  const changes: SectionChanges = { body: new Set(), agreedBy: new Set() };
  const visit = (client: number, clock: number) => {
    try {
      const struct = Y.getItem(doc.store, Y.createID(client, clock));
      if (struct instanceof Y.Item) {
        const part = sectionPartOfItem(struct, root);
        if (part?.key === 'body') changes.body.add(part.sectionId);
        else if (part?.key === 'agreedBy') changes.agreedBy.add(part.sectionId);
      }
    } catch {
      /* not in the store (garbage collected): nothing to attribute */
    }
  };
  const decoded = Y.decodeUpdate(update);
  for (const s of decoded.structs) if (s instanceof Y.Item) visit(s.id.client, s.id.clock);
  for (const [client, ranges] of decoded.ds.clients) for (const r of ranges) visit(client, r.clock);
  return changes;
}

/** Ids of the sections whose body an (already applied) update inserted into or deleted from. */
export function sectionsTouchedByUpdate(doc: Y.Doc, update: Uint8Array): string[] {
  return [...sectionChangesOfUpdate(doc, update).body];
}

function isAgreed(doc: Y.Doc, id: string): boolean {
  return Object.keys(getSectionMarks(doc, id).agreedBy).length > 0;
}

/**
 * The agreed sections that a run of client updates (in the order they were applied) edited, each with
 * the user whose update edited it last. An update that sets or withdraws a section's "agreed" marks
 * forgets the body edits before it: they were made before that agreement and do not withdraw it.
 */
export function agreedSectionsEdited(doc: Y.Doc, changes: ReadonlyArray<{ update: Uint8Array; userId: string }>): Map<string, string> {
  const editedBy = new Map<string, string>();
  for (const { update, userId } of changes) {
    const touched = sectionChangesOfUpdate(doc, update);
    for (const id of touched.agreedBy) editedBy.delete(id);
    for (const id of touched.body) editedBy.set(id, userId);
  }
  for (const id of [...editedBy.keys()]) if (!hasSection(doc, id) || !isAgreed(doc, id)) editedBy.delete(id);
  return editedBy;
}

export interface AgreedResetDeps {
  db: Db;
  sync: SyncHub;
  logger?: Logger;
}

export interface ClientChange {
  update: Uint8Array;
  userId: string;
}

export const DEFAULT_AGREED_RESET_INTERVAL_MS = 2000;

/**
 * Check one agreement's collected client changes and reset the agreed sections they edited: one
 * withDocument, plus one more only to apply resets. `cancelled` is asked between the steps (the
 * guard stopping: nothing more is written). `noneAgreed` is told, from inside withDocument, when no
 * section is agreed (nothing was decoded then).
 */
export async function resetEditedAgreedSections(
  deps: AgreedResetDeps,
  agreementId: string,
  changes: readonly ClientChange[],
  cancelled: () => boolean = () => false,
  noneAgreed: (doc: Y.Doc) => void = () => {},
): Promise<void> {
  let edited = new Map<string, string>();
  await deps.sync.withDocument(agreementId, (doc) => {
    // Most edits happen while no section is agreed: skip decoding the updates then (hot path).
    if (!listSections(doc).some((s) => isAgreed(doc, s.id))) {
      noneAgreed(doc);
      return;
    }
    edited = agreedSectionsEdited(doc, changes);
  }, AGREED_RESET_ORIGIN);
  if (edited.size === 0 || cancelled()) return;
  const userIds = [...new Set(edited.values())];
  const rows = await deps.db
    .select({ userId: agreementMembers.userId, name: users.name, partyId: agreementMembers.partyId })
    .from(agreementMembers)
    .innerJoin(users, eq(users.id, agreementMembers.userId))
    .where(and(eq(agreementMembers.agreementId, agreementId), inArray(agreementMembers.userId, userIds)));
  if (cancelled()) return;
  const who = new Map(rows.map((r) => [r.userId, r]));
  const at = new Date().toISOString();
  await deps.sync.withDocument(
    agreementId,
    (doc) => {
      for (const [id, userId] of edited) {
        const w = who.get(userId);
        const mark: SectionMark = { partyId: w?.partyId ?? '', userId, userName: w?.name ?? '', at };
        resetSectionAgreementOnEdit(doc, id, mark);
      }
    },
    AGREED_RESET_ORIGIN,
  );
}
