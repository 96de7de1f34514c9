/**
 * "Nothing to do here" remembered per document, for extensions whose work depends only on map-shaped
 * parts of the document (an "agreed" mark is a Y.Map entry): once a check found nothing (no section
 * agreed), the next keystrokes cannot change that unless one of them sets a map key, which the room
 * counts (`Room.keyChanges`). So a keystroke costs a WeakMap lookup instead of a scheduled check that
 * integrates the document. Keyed by the Room object: a reloaded document starts unknown.
 *
 *   const none = new DocumentFact();
 *   onChange(ctx)  { if (none.holds(ctx.document)) return; rooms.note(ctx); batcher.add(…) }
 *   in the check   { if (nothingAgreed(doc)) none.record(room) }   // room.owns(doc)
 */
import type * as Y from 'yjs';
import type { Room } from '../room.ts';

export class DocumentFact {
  private readonly at = new WeakMap<Room, number>();
  /** The room last seen per document (to tell which room a withDocument callback's Y.Doc is). */
  private readonly rooms = new Map<string, Room>();

  /** Whether the fact was recorded for this room and no change since may have set a map key. */
  holds(room: Room | undefined): boolean {
    return room !== undefined && this.at.get(room) === room.keyChanges;
  }

  /** Remember the room a change came from (call before scheduling the check). */
  note(room: Room | undefined): void {
    if (room && this.rooms.get(room.agreementId) !== room) this.rooms.set(room.agreementId, room);
  }

  /** The fact holds for `doc` as it is now (call from inside withDocument, where it is up to date). */
  record(agreementId: string, doc: Y.Doc): void {
    const room = this.rooms.get(agreementId);
    if (room?.owns(doc)) this.at.set(room, room.keyChanges);
  }

  /** The document left this process. */
  forget(agreementId: string): void {
    this.rooms.delete(agreementId);
  }
}
