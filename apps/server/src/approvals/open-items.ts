/**
 * What is still open before a signatory approves: sections not agreed by every party, unresolved shared
 * comment threads, validation errors and warnings. The confirmation dialog shows it (GET …/approvals,
 * `open`); approve() refuses while `blocking` (sections not agreed, validation errors) is not empty.
 */
import type { Finding } from '@overens/model';
import { and, asc, eq, isNull } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.ts';
import { commentThreads } from '../db/schema/index.ts';
import type { CurrentContent } from './content.ts';

export interface OpenSection {
  id: string;
  key: string | null;
  title: string;
  /** The parties that have not marked it agreed. */
  missing: Array<{ partyId: string; name: string }>;
}

export interface OpenThread {
  id: string;
  sectionId: string;
  sectionTitle: string | null;
  quote: string;
}

export interface OpenItems {
  sectionsNotAgreed: OpenSection[];
  unresolvedThreads: OpenThread[];
  errors: Finding[];
  warnings: Finding[];
}

/** `parties`: the agreement's parties (database order); a section is agreed when every one of them marked it. */
export async function openItems(
  db: DbOrTx,
  agreementId: string,
  content: Pick<CurrentContent, 'snapshot' | 'findings'>,
  parties: ReadonlyArray<{ partyId: string; name: string }>,
): Promise<OpenItems> {
  const sectionsNotAgreed: OpenSection[] = [];
  for (const s of content.snapshot.sections) {
    const missing = parties.filter((p) => !s.agreedBy[p.partyId]).map((p) => ({ partyId: p.partyId, name: p.name }));
    if (missing.length > 0) sectionsNotAgreed.push({ id: s.id, key: s.key, title: s.title, missing });
  }
  const threads = await db
    .select({ id: commentThreads.id, sectionId: commentThreads.sectionId, quote: commentThreads.quote })
    .from(commentThreads)
    .where(and(eq(commentThreads.agreementId, agreementId), eq(commentThreads.visibility, 'all'), isNull(commentThreads.resolvedAt)))
    .orderBy(asc(commentThreads.createdAt));
  const titles = new Map(content.snapshot.sections.map((s) => [s.id, s.title]));
  return {
    sectionsNotAgreed,
    unresolvedThreads: threads.map((t) => ({ ...t, sectionTitle: titles.get(t.sectionId) ?? null })),
    errors: content.findings.filter((f) => f.severity === 'error'),
    warnings: content.findings.filter((f) => f.severity !== 'error'),
  };
}
