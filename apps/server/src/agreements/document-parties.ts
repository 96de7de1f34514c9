/**
 * Keeps the document's parties in line with the database's (agreement_parties).
 *
 * A new party is committed in the database first and added to the Y.Doc after the commit (the hub may
 * need the database connection to load the document). If that second step fails, the document lacks a
 * party the database has: it has no place in contributions, signatories, goals. So the server adds
 * missing parties again whenever a member opens the agreement (GET /api/agreements/:id), which also
 * repairs agreements that were affected before this existed.
 *
 * Only missing parties are added (`ensureParties`): a party already in the document keeps whatever the
 * users wrote there, and when nothing is missing the document is not changed at all.
 */
import { ensureParties } from '@overens/model';
import type { AppDeps } from '../deps.ts';
import { listParties } from './service.ts';

/** Origin of the changes this makes (a server change, not a user's edit). */
export const RECONCILE_PARTIES_ORIGIN = 'server:reconcile-parties';

type DbParty = Awaited<ReturnType<typeof listParties>>[number];

/**
 * Adds the database's parties that the live document lacks; returns the ids added. Never throws: a
 * failure (the document cannot be loaded right now) is logged and the next open tries again.
 * `parties`: the agreement's parties if the caller already read them (in position order).
 * `origin`: the transaction origin; a party added under the default origin is logged as a repair.
 */
export async function reconcileDocumentParties(
  deps: Pick<AppDeps, 'db' | 'sync' | 'logger'>,
  agreementId: string,
  parties?: readonly DbParty[],
  origin: unknown = RECONCILE_PARTIES_ORIGIN,
): Promise<string[]> {
  try {
    const wanted = parties ?? (await listParties(deps.db, agreementId));
    if (wanted.length === 0) return [];
    let added: string[] = [];
    await deps.sync.withDocument(
      agreementId,
      (doc) => {
        // nothing missing (the common case): ensureParties only reads the map, so there is no update
        added = ensureParties(
          doc,
          wanted.map((p) => ({ id: p.id, name: p.name, kind: p.kind, orgNumber: p.orgNumber, municipalityCode: p.municipalityCode })),
        );
      },
      origin,
    );
    if (added.length > 0 && origin === RECONCILE_PARTIES_ORIGIN) {
      deps.logger.warn({ agreementId, partyIds: added }, 'repaired the document: added parties it lacked');
    }
    return added;
  } catch (err) {
    deps.logger.error({ err, agreementId }, 'could not reconcile the parties of the document');
    return [];
  }
}
