/**
 * Transaction origins: who or what made a change to a document. One discriminated union; consumers
 * switch on `kind` (and a server change's `reason`), never on an object's shape.
 */

/** Why the server changed a document itself. */
export type ServerReason =
  /** a Word import replaced the content */
  | 'import'
  /** a version was restored */
  | 'restore'
  /** an edit inside an agreed section reset its agreement marks */
  | 'agreed-reset'
  /** the document was brought in line with the database (parties, links the link rule refuses) */
  | 'reconcile'
  /** an approval step wrote to the document */
  | 'approval'
  /** an editor accepted or rejected suggestions (issue #16) */
  | 'suggestion'
  /** any other change through SyncHub.withDocument */
  | 'change';

/** A change a client sent over its websocket. `connection` is the sync engine's own handle (do not use it outside sync/). */
export interface ClientOrigin {
  readonly kind: 'client';
  readonly userId: string;
  readonly connection: object;
}

/** A change another server process relayed over the cluster channel (or the stored state read back after an outage). */
export interface PeerOrigin {
  readonly kind: 'peer';
  readonly processId: string;
  /** a whole state (after an outage), not the peer's own fresh edits */
  readonly state: boolean;
}

/** A change the server made itself. */
export interface ServerOrigin {
  readonly kind: 'server';
  readonly reason: ServerReason;
  /** the user whose request caused it (import, restore, approval) */
  readonly userId?: string;
  readonly versionId?: string;
}

export type SyncOrigin = ClientOrigin | PeerOrigin | ServerOrigin;

const KINDS = new Set(['client', 'peer', 'server']);
const REASONS = new Set<string>(['import', 'restore', 'agreed-reset', 'reconcile', 'approval', 'suggestion', 'change']);

/** Type guard: whether a Yjs transaction origin is one of ours. */
export function isSyncOrigin(x: unknown): x is SyncOrigin {
  if (typeof x !== 'object' || x === null) return false;
  const kind = (x as { kind?: unknown }).kind;
  if (typeof kind !== 'string' || !KINDS.has(kind)) return false;
  if (kind === 'server') return REASONS.has((x as { reason?: unknown }).reason as string);
  return true;
}

export function serverOrigin(reason: ServerReason, who: { userId?: string; versionId?: string } = {}): ServerOrigin {
  return { kind: 'server', reason, ...who };
}

export function peerOrigin(processId: string, state = false): PeerOrigin {
  return { kind: 'peer', processId, state };
}

/** The user behind a change, if there is one (a client's user, or the user whose request made a server change). */
export function originUserId(o: SyncOrigin): string | null {
  if (o.kind === 'client') return o.userId;
  if (o.kind === 'server') return o.userId ?? null;
  return null;
}

/**
 * What callers of SyncHub.withDocument may pass: a SyncOrigin, or the older forms still produced
 * outside sync/ (`{ kind: 'import' | 'restore', userId, versionId? }`, the `server:…` strings, a
 * symbol). Converted once, at this boundary; anything else is a plain server change.
 */
export type OriginInput = SyncOrigin | { kind: 'import' | 'restore' | 'agreed-reset'; userId?: string; versionId?: string } | string | symbol | undefined;

export function toSyncOrigin(input: unknown): SyncOrigin {
  if (isSyncOrigin(input)) return input;
  if (typeof input === 'string') return serverOrigin(input.startsWith('server:reconcile') ? 'reconcile' : 'change');
  if (typeof input === 'object' && input !== null) {
    const { kind, userId, versionId } = input as { kind?: unknown; userId?: unknown; versionId?: unknown };
    if (typeof kind === 'string' && REASONS.has(kind)) {
      return serverOrigin(kind as ServerReason, {
        ...(typeof userId === 'string' ? { userId } : {}),
        ...(typeof versionId === 'string' ? { versionId } : {}),
      });
    }
  }
  return serverOrigin('change');
}
