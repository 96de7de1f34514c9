/**
 * Server-side guard for "an edit to an agreed section resets it and shows who changed it".
 *
 * The web app resets agreements for its own edits (installAgreedSectionReset in @overens/model); this
 * guard makes it hold whatever the client does: for every document change that a connected editor
 * made in this process, it finds the sections whose body the update touched (inserted or deleted
 * items, resolved in the live document) and, when any of them carries an "agreed" mark, resets them
 * with the editor as `lastResetBy`. Changes relayed from other processes are guarded there.
 */
import { and, eq } from 'drizzle-orm';
import * as Y from 'yjs';
import { getSectionMarks, hasSection, listSections, resetSectionAgreementOnEdit, ROOT, type SectionMark } from '@overens/model';
import type { Db } from '../db/client.ts';
import { agreementMembers, users } from '../db/schema/index.ts';
import type { Logger } from '../logger.ts';
import type { SyncHub } from '../sync/hub-contract.ts';

export const AGREED_RESET_ORIGIN = { kind: 'agreed-reset' } as const;

type AnyType = Y.AbstractType<any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The section whose body contains this item, or null. */
function sectionOfItem(item: Y.Item, root: AnyType): string | null {
  let cur: Y.Item | null = item;
  let childKey: string | null = null;
  while (cur) {
    const parent = cur.parent as AnyType | null;
    if (!parent || !(parent instanceof Y.AbstractType)) return null;
    if (parent === root) return childKey === 'body' && typeof cur.parentSub === 'string' ? cur.parentSub : null;
    childKey = cur.parentSub;
    cur = parent._item;
  }
  return null;
}

/** Ids of the sections whose body an (already applied) update inserted into or deleted from. */
export function sectionsTouchedByUpdate(doc: Y.Doc, update: Uint8Array): string[] {
  const root = doc.getMap(ROOT.sections) as unknown as AnyType;
  const ids = new Set<string>();
  const visit = (client: number, clock: number) => {
    try {
      const struct = Y.getItem(doc.store, Y.createID(client, clock));
      if (struct instanceof Y.Item) {
        const id = sectionOfItem(struct, root);
        if (id) ids.add(id);
      }
    } catch {
      /* not in the store (garbage collected): nothing to attribute */
    }
  };
  const decoded = Y.decodeUpdate(update);
  for (const s of decoded.structs) if (s instanceof Y.Item) visit(s.id.client, s.id.clock);
  for (const [client, ranges] of decoded.ds.clients) for (const r of ranges) visit(client, r.clock);
  return [...ids];
}

export interface AgreedResetDeps {
  db: Db;
  sync: SyncHub;
  logger?: Logger;
}

/** Start the guard; returns a stop function. */
export function startAgreedResetGuard(deps: AgreedResetDeps): () => void {
  let stopped = false;
  const run = async (agreementId: string, update: Uint8Array, userId: string) => {
    let agreedTouched: string[] = [];
    await deps.sync.withDocument(agreementId, (doc) => {
      // Most edits happen while no section is agreed: skip decoding the update then (hot path).
      if (!listSections(doc).some((s) => Object.keys(getSectionMarks(doc, s.id).agreedBy).length > 0)) return;
      agreedTouched = sectionsTouchedByUpdate(doc, update).filter(
        (id) => hasSection(doc, id) && Object.keys(getSectionMarks(doc, id).agreedBy).length > 0,
      );
    }, AGREED_RESET_ORIGIN);
    if (agreedTouched.length === 0 || stopped) return;
    const [who] = await deps.db
      .select({ name: users.name, partyId: agreementMembers.partyId })
      .from(agreementMembers)
      .innerJoin(users, eq(users.id, agreementMembers.userId))
      .where(and(eq(agreementMembers.agreementId, agreementId), eq(agreementMembers.userId, userId)));
    const mark: SectionMark = { partyId: who?.partyId ?? '', userId, userName: who?.name ?? '', at: new Date().toISOString() };
    await deps.sync.withDocument(
      agreementId,
      (doc) => {
        for (const id of agreedTouched) resetSectionAgreementOnEdit(doc, id, mark);
      },
      AGREED_RESET_ORIGIN,
    );
  };
  const unsubscribe = deps.sync.onDocumentChanged((agreementId, update, origin) => {
    if (stopped) return;
    const o = origin as { kind?: unknown; userId?: unknown } | null;
    if (!o || o.kind !== 'client' || typeof o.userId !== 'string') return;
    run(agreementId, update, o.userId).catch((err) => deps.logger?.warn({ err, agreementId }, 'agreed-section reset check failed'));
  });
  return () => {
    stopped = true;
    unsubscribe();
  };
}
