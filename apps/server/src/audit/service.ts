/**
 * The append-only audit trail of an agreement. recordAudit() is the only writer (insert only; nothing
 * updates or deletes entries); listAudit() reads it for members. Call recordAudit inside the transaction
 * of the action it records, so the entry exists exactly when the action happened.
 */
import { asc, eq } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.ts';
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

export async function recordAudit(tx: DbOrTx, event: AuditEventInput): Promise<void> {
  await tx.insert(auditEvents).values({
    agreementId: event.agreementId,
    type: event.type,
    actorId: event.actor?.id ?? null,
    actorName: event.actor?.name ?? null,
    data: event.data ?? {},
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
