import type * as Y from 'yjs';
import { LAYOUT_VERSION, metaMap, readNumber, readString, transact } from './layout.ts';

/** The `meta` root map: templateId, templateVersion, layoutVersion. The title lives in the database. */
export interface AgreementMeta {
  templateId: string;
  templateVersion: number;
  layoutVersion: number;
}

export function getMeta(doc: Y.Doc): AgreementMeta {
  const m = metaMap(doc);
  return {
    templateId: readString(m, 'templateId'),
    templateVersion: readNumber(m, 'templateVersion') ?? 0,
    layoutVersion: readNumber(m, 'layoutVersion') ?? 0,
  };
}

export function setMeta(doc: Y.Doc, meta: { templateId: string; templateVersion: number }): void {
  transact(doc, () => {
    const m = metaMap(doc);
    m.set('templateId', meta.templateId);
    m.set('templateVersion', meta.templateVersion);
    m.set('layoutVersion', LAYOUT_VERSION);
  });
}

/** True once createInitialDocumentState's update has been applied. */
export function isInitialised(doc: Y.Doc): boolean {
  return metaMap(doc).has('layoutVersion');
}
