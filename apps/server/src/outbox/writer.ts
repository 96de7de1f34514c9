/**
 * Writes an outbox row inside the caller's transaction: the side effect commits with the change or
 * not at all. The dispatcher (./dispatcher.ts) delivers it.
 */
import type { Tx } from '../db/client.ts';
import { outboxEvents, type SyncEffect } from '../db/schema/index.ts';

export interface OutboxEntry {
  agreementId: string;
  type: string;
  /** Only members of this party receive the stream event. */
  partyId?: string | null;
  /** Payload of the event-stream event; omit for sync effects only. */
  data?: unknown;
  effects?: SyncEffect[];
}

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
