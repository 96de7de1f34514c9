/**
 * Delivers outbox rows: the stream event (through the event bus, across processes) and the sync
 * effects (lock, membership, parties). At least once, in id order per agreement, until done:
 *
 * - `deliver(ids)` right after a command commits (the fast path: the request sees its effects), with
 *   the audit notices (`audit.appended`) of the same agreements;
 * - a poll every `pollMs` picks up what failed (backoff) or what a crashed process left behind.
 *
 * A row is claimed by moving `next_attempt_at` forward (a lease, FOR UPDATE SKIP LOCKED), so several
 * processes share the table without delivering a row at the same time; a crash mid-delivery makes the
 * row due again when the lease ends. Effects re-read the database, so delivering twice is harmless.
 */
import { and, asc, eq, inArray, isNull, lt, lte, or, sql } from 'drizzle-orm';
import { ensureParties, hasParty, removeParty } from '@overens/model';
import { listParties } from '../agreements/service.ts';
import type { Db } from '../db/client.ts';
import { agreementParties, agreements, outboxEvents, type SyncEffect } from '../db/schema/index.ts';
import type { EventBus } from '../events/bus.ts';
import type { Logger } from '../logger.ts';
import type { SyncHub } from '../sync/hub-contract.ts';

/** Origin of the outbox's party changes to a document: a reconciliation with the database. */
export const PARTIES_ORIGIN = 'server:reconcile-outbox-parties';

export interface OutboxDeps {
  db: Db;
  events: EventBus;
  sync: SyncHub;
  logger: Logger;
}

export interface OutboxOptions {
  /** How often due rows are looked for (default 1000 ms; OVERENS_OUTBOX_POLL_MS). */
  pollMs?: number;
  /** How long a claimed row is left to its dispatcher before another may take it (default 30 s). */
  leaseMs?: number;
}

export interface OutboxDispatcher {
  /** Deliver these rows now (after their transaction committed). Never throws: failures are retried. */
  deliver(ids: readonly number[]): Promise<void>;
  start(): void;
  /** Deliver everything due (tests, shutdown). */
  drain(): Promise<void>;
  close(): Promise<void>;
}

type Row = typeof outboxEvents.$inferSelect;

const backoffMs = (attempts: number) => Math.min(500 * 2 ** Math.max(0, attempts - 1), 30_000);

export function createOutboxDispatcher(deps: OutboxDeps, options: OutboxOptions = {}): OutboxDispatcher {
  const pollMs = options.pollMs ?? 1000;
  const leaseMs = options.leaseMs ?? 30_000;
  let timer: NodeJS.Timeout | null = null;
  let closed = false;
  let running: Promise<void> = Promise.resolve();
  let lastSweep = 0;

  /**
   * These rows, plus the committed `audit.appended` notices of their agreements: recordAudit writes a
   * notice beside a command's own row, and the command delivers only its own ids.
   */
  const wanted = (ids: readonly number[]) => {
    const agreementsOf = deps.db.select({ agreementId: outboxEvents.agreementId }).from(outboxEvents).where(inArray(outboxEvents.id, [...ids]));
    return or(inArray(outboxEvents.id, [...ids]), and(eq(outboxEvents.type, 'audit.appended'), inArray(outboxEvents.agreementId, agreementsOf)));
  };

  const claim = async (ids?: readonly number[]): Promise<Row[]> => {
    const due = deps.db
      .select({ id: outboxEvents.id })
      .from(outboxEvents)
      .where(and(isNull(outboxEvents.deliveredAt), lte(outboxEvents.nextAttemptAt, sql`now()`), ids ? wanted(ids) : undefined))
      .orderBy(asc(outboxEvents.id))
      .limit(100)
      .for('update', { skipLocked: true });
    const rows = await deps.db
      .update(outboxEvents)
      .set({ nextAttemptAt: sql`now() + ${`${leaseMs} milliseconds`}::interval`, attempts: sql`${outboxEvents.attempts} + 1` })
      .where(inArray(outboxEvents.id, due))
      .returning();
    return rows.sort((a, b) => a.id - b.id);
  };

  const applyEffect = async (row: Row, effect: SyncEffect) => {
    if (effect.kind === 'membership') return deps.sync.membershipChanged(row.agreementId, effect.userId);
    const [agreement] = await deps.db.select({ status: agreements.status }).from(agreements).where(eq(agreements.id, row.agreementId));
    if (!agreement) return; // deleted meanwhile: nothing to apply
    if (effect.kind === 'lock') return deps.sync.setLocked(row.agreementId, agreement.status === 'locked');
    if (agreement.status === 'locked') return; // a locked text is final: no repair
    if (effect.kind === 'remove-party') return removeDocumentParty(row.agreementId, effect.partyId);
    const parties = await listParties(deps.db, row.agreementId);
    let added: string[] = [];
    await deps.sync.withDocument(
      row.agreementId,
      (doc) => {
        added = ensureParties(doc, parties.map((p) => ({ id: p.id, name: p.name, kind: p.kind, orgNumber: p.orgNumber, municipalityCode: p.municipalityCode })));
      },
      PARTIES_ORIGIN,
    );
    if (added.length > 0) deps.logger.info({ agreementId: row.agreementId, partyIds: added }, 'outbox: added parties to the document');
  };

  /** Take the party out of the document, unless the database has it (again): idempotent. */
  const removeDocumentParty = async (agreementId: string, partyId: string) => {
    const [still] = await deps.db
      .select({ id: agreementParties.organisationId })
      .from(agreementParties)
      .where(and(eq(agreementParties.agreementId, agreementId), eq(agreementParties.organisationId, partyId)));
    if (still) return;
    let removed = false;
    await deps.sync.withDocument(
      agreementId,
      (doc) => {
        if (!hasParty(doc, partyId)) return;
        removeParty(doc, partyId);
        removed = true;
      },
      PARTIES_ORIGIN,
    );
    if (removed) deps.logger.info({ agreementId, partyId }, 'outbox: removed a party from the document');
  };

  const deliverRow = async (row: Row) => {
    // Sync effects first: a revoked member's sockets close before anyone hears of the removal.
    for (const effect of row.effects) await applyEffect(row, effect);
    if (row.data !== null && row.data !== undefined) {
      await deps.events.deliver({ type: row.type, agreementId: row.agreementId, ...(row.partyId ? { partyId: row.partyId } : {}), data: row.data });
    }
  };

  const run = async (ids?: readonly number[]) => {
    const rows = await claim(ids);
    const failedAgreements = new Set<string>();
    for (const row of rows) {
      if (failedAgreements.has(row.agreementId)) {
        // keep the order within an agreement: wait for the failed row before it
        await deps.db.update(outboxEvents).set({ nextAttemptAt: sql`now()` }).where(eq(outboxEvents.id, row.id));
        continue;
      }
      try {
        await deliverRow(row);
        await deps.db.update(outboxEvents).set({ deliveredAt: sql`now()`, lastError: null }).where(eq(outboxEvents.id, row.id));
      } catch (err) {
        failedAgreements.add(row.agreementId);
        deps.logger.warn({ err: String(err), outboxId: row.id, type: row.type, attempts: row.attempts }, 'outbox: delivery failed; will retry');
        await deps.db
          .update(outboxEvents)
          .set({ nextAttemptAt: sql`now() + ${`${backoffMs(row.attempts)} milliseconds`}::interval`, lastError: String(err).slice(0, 500) })
          .where(eq(outboxEvents.id, row.id))
          .catch(() => undefined); // database down: the lease runs out and the row is due again
      }
    }
    if (!ids && Date.now() - lastSweep > 60_000) {
      lastSweep = Date.now();
      await deps.db.delete(outboxEvents).where(lt(outboxEvents.deliveredAt, sql`now() - interval '1 day'`));
    }
  };

  // One run at a time per process (keeps id order); callers queue behind it.
  const serial = (ids?: readonly number[]) => {
    const next = running.then(() => run(ids)).catch((err) => deps.logger.debug?.({ err: String(err) }, 'outbox: run failed'));
    running = next;
    return next;
  };

  const schedule = () => {
    if (closed) return;
    timer = setTimeout(() => {
      void serial().finally(schedule);
    }, pollMs);
    timer.unref?.();
  };

  return {
    deliver: async (ids) => {
      if (ids.length > 0) await serial(ids);
    },
    start: () => {
      if (!timer && !closed) schedule();
    },
    drain: () => serial(),
    close: async () => {
      closed = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
