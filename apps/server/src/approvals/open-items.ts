/**
 * What is still open before a signatory approves: sections not agreed by every party, open suggestions
 * (issue #16), unresolved shared comment threads, validation errors and warnings. The confirmation dialog
 * shows it (GET …/approvals, `open`); approve() refuses while any of the blocking ones (sections not
 * agreed, open suggestions, validation errors) is not empty.
 */
import { listSuggestions, type Finding } from '@overens/model';
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

/** A section with suggestions nobody has accepted or rejected yet. */
export interface OpenSuggestions {
  sectionId: string;
  title: string;
  count: number;
}

export interface OpenItems {
  sectionsNotAgreed: OpenSection[];
  openSuggestions: OpenSuggestions[];
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
  const openSuggestions: OpenSuggestions[] = [];
  for (const s of content.snapshot.sections) {
    const count = listSuggestions(s.body).length;
    if (count > 0) openSuggestions.push({ sectionId: s.id, title: s.title, count });
  }
  const threads = await db
    .select({ id: commentThreads.id, sectionId: commentThreads.sectionId, quote: commentThreads.quote })
    .from(commentThreads)
    .where(and(eq(commentThreads.agreementId, agreementId), eq(commentThreads.visibility, 'all'), isNull(commentThreads.resolvedAt)))
    .orderBy(asc(commentThreads.createdAt));
  const titles = new Map(content.snapshot.sections.map((s) => [s.id, s.title]));
  return {
    sectionsNotAgreed,
    openSuggestions,
    unresolvedThreads: threads.map((t) => ({ ...t, sectionTitle: titles.get(t.sectionId) ?? null })),
    errors: content.findings.filter((f) => f.severity === 'error'),
    warnings: content.findings.filter((f) => f.severity !== 'error'),
  };
}

/** Whether approval must be refused: what approve() checks and the dialog disables the button for. */
export function approvalIsBlocked(open: OpenItems): boolean {
  return open.sectionsNotAgreed.length > 0 || open.openSuggestions.length > 0 || open.errors.length > 0;
}
