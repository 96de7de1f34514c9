/**
 * Validation of a new thread's place: the section must exist in the agreement's live document, and
 * each anchor must be a Yjs relative position (base64) that points into that section's body. An
 * anchor whose text was since deleted and garbage-collected cannot be placed any more; it is accepted
 * and the thread shows as detached, as it would after the deletion.
 */
import { getSectionBody, hasSection } from '@overens/model';
import * as Y from 'yjs';
import { DomainError } from '../domain/errors.ts';

function invalidPlace(code: string, field: string, en: string, sv: string): DomainError {
  return new DomainError('invalid', code, en, { field, messages: { en, sv } });
}

/** Decodes base64 → RelativePosition, or null when the bytes are not exactly one encoded position. */
export function decodeAnchor(base64: string): Y.RelativePosition | null {
  const bytes = Buffer.from(base64, 'base64');
  if (bytes.length === 0 || bytes.toString('base64').replace(/=+$/, '') !== base64.replace(/=+$/, '')) return null;
  try {
    const rpos = Y.decodeRelativePosition(bytes);
    // Trailing or truncated bytes: the canonical encoding must be the input itself.
    return Buffer.from(Y.encodeRelativePosition(rpos)).equals(bytes) ? rpos : null;
  } catch {
    return null;
  }
}

/** Throws 400 unless `sectionId` is a section of `doc` and both anchors point into its body. */
export function checkThreadPlace(doc: Y.Doc, input: { sectionId: string; anchorStart: string; anchorEnd: string }): void {
  if (!hasSection(doc, input.sectionId)) {
    throw invalidPlace(
      'comment-unknown-section',
      'sectionId',
      `This agreement has no section "${input.sectionId}" (it may have been removed). Reload the agreement and select the text to comment on again.`,
      `Avtalet har inget avsnitt "${input.sectionId}" (det kan ha tagits bort). Ladda om avtalet och markera texten du vill kommentera igen.`,
    );
  }
  const body = getSectionBody(doc, input.sectionId);
  for (const field of ['anchorStart', 'anchorEnd'] as const) {
    const rpos = decodeAnchor(input[field]);
    const id = rpos?.item ?? rpos?.type ?? null;
    if (!rpos || rpos.tname !== null || id === null) {
      throw invalidPlace(
        'comment-invalid-anchor',
        field,
        `${field} is not a position in the document: send Y.encodeRelativePosition() of a position in the section body, base64-encoded.`,
        `${field} är ingen position i dokumentet. Markera texten du vill kommentera igen.`,
      );
    }
    if (Y.getState(doc.store, id.client) <= id.clock) {
      throw invalidPlace(
        'comment-anchor-unknown',
        field,
        `${field} points at text this agreement does not have. If you just typed it, wait until it is saved and try again; otherwise select the text again.`,
        `${field} pekar på text som avtalet inte innehåller. Om du nyss skrev den, vänta tills den är sparad och försök igen; annars markera texten igen.`,
      );
    }
    let type: Y.AbstractType<unknown> | null = null;
    try {
      type = Y.createAbsolutePositionFromRelativePosition(rpos, doc)?.type ?? null;
    } catch {
      type = null;
    }
    if (type !== null && type !== body && !Y.isParentOf(body, type._item)) {
      throw invalidPlace(
        'comment-anchor-outside-section',
        field,
        `${field} points outside section "${input.sectionId}". Comment on text within one section: select it again.`,
        `${field} pekar utanför avsnittet "${input.sectionId}". Kommentera text inom ett avsnitt: markera den igen.`,
      );
    }
  }
}
