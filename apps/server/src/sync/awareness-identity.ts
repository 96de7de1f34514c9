/**
 * Presence that cannot be forged.
 *
 * - A connection owns the awareness client ids it introduced: the first awareness state for an id
 *   that no other connection owns (and no peer process shows) claims it, until the connection closes.
 *   The id stays bound to that user for the room's lifetime: y-websocket keeps a doc's clientID across
 *   reconnects, so another member must not squat on it while its owner's socket is away.
 * - A state for an id that another user's connection owns (or a peer shows for another user) closes
 *   the sender with 4403 "awareness for another client". The same user's other tab may write it
 *   (y-websocket relays between a browser's tabs), without taking it over.
 * - A removal (state null) from a non-owner is ignored, not punished: clients remove states they
 *   have not heard of for 30 s and echo that removal, which is not forgery.
 * - The `user` field of every relayed state is stamped by the server: id, name and party come from the
 *   session and the membership; of the client's own field only a plain colour is kept (the web app
 *   colours carets by party). The web app reads `user.{name,color,userId,partyId}`.
 */
import { CloseCode, ProtocolError } from './protocol.ts';

export const FORGED_AWARENESS_REASON = 'awareness for another client';

export interface PresenceIdentity {
  userId: string;
  name: string;
  partyId: string;
}

/** What a connection looks like to ownership: its user and the ids it owns. */
export interface AwarenessOwner {
  readonly userId: string;
  readonly awarenessIds: Set<number>;
}

const COLOR = /^#[0-9a-fA-F]{3,8}$/;

/** The state to relay for a client's awareness entry: its own fields, `user` replaced by the server's. */
export function stampUser(state: unknown, who: PresenceIdentity): unknown {
  if (state === null || typeof state !== 'object' || Array.isArray(state)) return state;
  const claimed = (state as { user?: unknown }).user;
  const color = claimed && typeof claimed === 'object' ? (claimed as { color?: unknown }).color : undefined;
  const user: Record<string, string> = { name: who.name, userId: who.userId, partyId: who.partyId };
  if (typeof color === 'string' && COLOR.test(color)) user.color = color;
  return { ...state, user };
}

export class AwarenessOwnership<C extends AwarenessOwner> {
  private readonly owners = new Map<number, C>();
  /** clientID → the user who first claimed it; survives the connection (reconnects reclaim it). */
  private readonly boundTo = new Map<number, string>();

  /**
   * May `conn` set `clientID`'s state? Claims a free id. `peerUserId` is the user a peer process
   * stamped on the state it shows for the id (undefined: none). Throws 4403 for another user's id.
   */
  authorizeState(conn: C, clientID: number, peerUserId: string | undefined): void {
    const owner = this.owners.get(clientID);
    if (owner === conn) return;
    if (owner) {
      if (owner.userId === conn.userId) return;
      throw new ProtocolError(CloseCode.forbidden, FORGED_AWARENESS_REASON);
    }
    if (peerUserId !== undefined && peerUserId !== conn.userId) throw new ProtocolError(CloseCode.forbidden, FORGED_AWARENESS_REASON);
    const bound = this.boundTo.get(clientID);
    if (bound !== undefined && bound !== conn.userId) throw new ProtocolError(CloseCode.forbidden, FORGED_AWARENESS_REASON);
    this.boundTo.set(clientID, conn.userId);
    this.owners.set(clientID, conn);
    conn.awarenessIds.add(clientID);
  }

  /** May `conn` remove `clientID`'s state? Only its owner (anyone else's removal is skipped). */
  mayRemove(conn: C, clientID: number): boolean {
    const owner = this.owners.get(clientID);
    return owner === undefined ? false : owner === conn || owner.userId === conn.userId;
  }

  /** The connection closed: the ids it owned are free for the same user again; returns them (their states go). */
  release(conn: C): number[] {
    const ids: number[] = [];
    for (const id of conn.awarenessIds) {
      if (this.owners.get(id) === conn) {
        this.owners.delete(id);
        ids.push(id);
      }
    }
    conn.awarenessIds.clear();
    return ids;
  }
}

/** The user id a peer process stamped on a state (see stampUser). */
export function stampedUserId(state: unknown): string | undefined {
  const user = state && typeof state === 'object' ? (state as { user?: unknown }).user : undefined;
  const id = user && typeof user === 'object' ? (user as { userId?: unknown }).userId : undefined;
  return typeof id === 'string' ? id : undefined;
}
