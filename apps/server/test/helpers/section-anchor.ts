/**
 * A real comment anchor for tests: the agreement's live document (as the server holds it), a section
 * of it, and relative positions around that section's body, base64-encoded as the web app sends them.
 */
import { getSectionBody, listSections } from '@overens/model';
import * as Y from 'yjs';
import type { AppDeps } from '../../src/deps.ts';

const b64 = (rpos: Y.RelativePosition) => Buffer.from(Y.encodeRelativePosition(rpos)).toString('base64');

export async function sectionAnchor(server: { deps: AppDeps }, agreementId: string, sectionIndex = 0, quote = 'läxhjälp') {
  const doc = await server.deps.sync.getDocumentState(agreementId);
  const section = listSections(doc)[sectionIndex];
  if (!section) throw new Error(`agreement ${agreementId} has no section ${sectionIndex}`);
  const body = getSectionBody(doc, section.id);
  return {
    sectionId: section.id,
    anchorStart: b64(Y.createRelativePositionFromTypeIndex(body, 0)),
    anchorEnd: b64(Y.createRelativePositionFromTypeIndex(body, body.length)),
    quote,
  };
}
