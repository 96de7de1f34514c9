/**
 * Writes an outbox row inside the caller's transaction: the side effect commits with the change or
 * not at all. The dispatcher (./dispatcher.ts) delivers it.
 */
import type { AgreementStreamEvent } from '@overens/contracts';
import type { Tx } from '../db/client.ts';
import { outboxEvents, type SyncEffect } from '../db/schema/index.ts';

interface OutboxBase {
  agreementId: string;
  /** Only members of this party receive the stream event. */
  partyId?: string | null;
  effects?: SyncEffect[];
}

/** A typed stream event (its payload checked against @overens/contracts), or sync effects only. */
export type OutboxEntry = OutboxBase & (AgreementStreamEvent | { type: 'sync.effects'; data?: undefined });

export async function writeOutbox(tx: Tx, entry: OutboxEntry): Promise<number> {
  const [row] = await tx
    .insert(outboxEvents)
    .values({
      agreementId: entry.agreementId,
      type: entry.type,
      partyId: entry.partyId ?? null,
      data: entry.data === undefined ? null : entry.data,
      effects: entry.effects ?? [],
    })
    .returning({ id: outboxEvents.id });
  return row!.id;
}
