/**
 * The append-only audit trail of an agreement. recordAudit() is the only writer (insert only; nothing
 * updates or deletes entries); listAudit() reads it for members. Call recordAudit inside the transaction
 * of the action it records, so the entry exists exactly when the action happened. Each entry also
 * writes an `audit.appended` outbox row in that transaction: open audit lists refetch on that event
 * only (an entry with an `audience` is announced to that party only, as GET …/audit shows it).
 */
import { asc, eq } from 'drizzle-orm';
import type { DbOrTx, Tx } from '../db/client.ts';
import { writeOutbox } from '../outbox/writer.ts';
import { auditEvents } from '../db/schema/index.ts';

export type AuditEventType =
  | 'invitation.created'
  | 'invitation.accepted'
  | 'member.role_changed'
  | 'member.removed'
  | 'approval.given'
  | 'approval.voided'
  | 'agreement.locked'
  | 'agreement.unlocked'
  | 'export'
  | 'import'
  | 'agreement.created'
  | 'agreement.renamed'
  | 'agreement.archived'
  | 'agreement.restored'
  | 'party.removed'
  | 'comment.created'
  | 'comment.replied'
  | 'comment.edited'
  | 'comment.deleted'
  | 'comment.resolved'
  | 'comment.reopened'
  | 'version.saved'
  | 'version.restored'
  | 'signed-copy.uploaded'
  | 'suggestion.accepted'
  | 'suggestion.rejected'
  | 'measurement.recorded'
  | 'measurement.confirmed'
  | 'measurement.commented'
  | 'follow-up-report.exported'
  | 'revision.started'
  | 'revision.withdrawn';

export interface AuditActor {
  id: string;
  name: string;
}

export interface AuditEventInput {
  agreementId: string;
  type: AuditEventType;
  /** Who did it; null for the system (e.g. a server-side change). */
  actor: AuditActor | null;
  /** What exactly: e.g. { role, signatory } for an invitation, { versionNumber, hash, format, mode } for an export. */
  data?: Record<string, unknown>;
}

export interface AuditEntry {
  id: number;
  type: string;
  at: string;
  actor: AuditActor | null;
  data: Record<string, unknown>;
}

/** Appends the entry and its `audit.appended` notice; returns the notice's outbox id (to deliver it at once). */
export async function recordAudit(tx: Tx, event: AuditEventInput): Promise<number> {
  const data = event.data ?? {};
  const [row] = await tx
    .insert(auditEvents)
    .values({
      agreementId: event.agreementId,
      type: event.type,
      actorId: event.actor?.id ?? null,
      actorName: event.actor?.name ?? null,
      data,
    })
    .returning({ id: auditEvents.id });
  const audience = data['audience'];
  return writeOutbox(tx, {
    agreementId: event.agreementId,
    type: 'audit.appended',
    partyId: typeof audience === 'string' ? audience : null,
    data: { entryId: row!.id, type: event.type },
  });
}

/** Every entry of one agreement, oldest first. */
export async function listAudit(db: DbOrTx, agreementId: string): Promise<AuditEntry[]> {
  const rows = await db.select().from(auditEvents).where(eq(auditEvents.agreementId, agreementId)).orderBy(asc(auditEvents.id));
  return rows.map((r) => ({
    id: r.id,
    type: r.type,
    at: r.createdAt.toISOString(),
    actor: r.actorId ? { id: r.actorId, name: r.actorName ?? '' } : null,
    data: r.data,
  }));
}
