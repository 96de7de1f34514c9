import type * as Y from 'yjs';
import type { AgreementSnapshot } from '../types.ts';
import { listAttachments } from './attachments.ts';
import { getChecklist } from './checklist.ts';
import { listContributions } from './contributions.ts';
import { listGoals } from './goals.ts';
import { getMeta } from './meta.ts';
import { listParties } from './parties.ts';
import { getPeriod } from './period.ts';
import { snapshotSections } from './sections.ts';

/** Plain-data view of the whole agreement (what validation, hashing, export and diff read). */
export function snapshotAgreement(doc: Y.Doc, options: { title: string }): AgreementSnapshot {
  const meta = getMeta(doc);
  const parties = listParties(doc);
  return {
    title: options.title,
    templateId: meta.templateId,
    templateVersion: meta.templateVersion,
    sections: snapshotSections(
      doc,
      parties.map((p) => p.id),
    ),
    parties,
    goals: listGoals(doc),
    contributions: listContributions(doc),
    period: getPeriod(doc),
    checklist: getChecklist(doc),
    attachments: listAttachments(doc),
  };
}
