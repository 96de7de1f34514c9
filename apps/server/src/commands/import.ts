/**
 * The import command: write a (possibly edited) mapping of a Word file into the agreement. Sections
 * with a template key fill that section (after what is already written there), the others become
 * custom sections.
 *
 * authorize `import.apply` (editors, draft) → check the content (node and mark types, reserved keys:
 * 422) → change the live document through the sync hub (ordinary Yjs operations that every client and
 * the persistence see) → one transaction with the audit row `import`. The document is not a database
 * row and loading it may need a connection of its own, so its change cannot share the transaction;
 * there is no stream event either: the text reaches every client through sync.
 */
import { addSection, getSectionRichBody, isRichEmpty, listSections, setSectionBody, type RichNode } from '@overens/model';
import type { ContentProblem } from '@overens/export';
import { recordAudit } from '../audit/service.ts';
import { DomainError, invalidFieldError } from '../domain/errors.ts';
import { loadExportRenderers } from '../export-renderers.ts';
import { authorize } from '../policies/index.ts';
import { loadSubject } from '../policies/subject.ts';
import type { SyncHub } from '../sync/hub-contract.ts';
import { loadTemplate } from '../templates/service.ts';
import type { CommandDeps, CommandUser } from './members.ts';

export interface ImportCommandDeps extends Pick<CommandDeps, 'db' | 'outbox'> {
  sync: Pick<SyncHub, 'withDocument'>;
}

export interface ImportSectionInput {
  heading: string;
  key: string | null;
  title?: string;
  /** ProseMirror JSON from the client; checked here. */
  body: Record<string, unknown>;
}

export interface ImportInput {
  fileName?: string;
  sections: ImportSectionInput[];
}

/** Origin of the hub transaction that applies an import. */
export interface ImportOrigin {
  kind: 'import';
  userId: string;
}

/** 422 for content the import does not write: unknown node or mark types, prototype keys. */
function contentRefused(p: ContentProblem): DomainError {
  return new DomainError('unprocessable', `import-${p.code.replace(/_/g, '-')}`, `${p.field}: ${p.messages.en} / ${p.messages.sv}`, {
    field: p.field,
    fieldMessage: p.messages.sv,
    messages: p.messages,
    extensions: { code: p.code },
  });
}

/** Structural check of a rich-text document from the client: ProseMirror JSON, bounded depth and size. */
function checkRich(node: unknown, path: string, depth = 0): RichNode {
  const fail = (message: string): never => {
    throw invalidFieldError(path, message);
  };
  if (depth > 40) fail('is nested too deeply');
  if (!node || typeof node !== 'object' || Array.isArray(node)) fail('must be a rich-text node object');
  const n = node as Record<string, unknown>;
  if (typeof n['type'] !== 'string' || !/^[a-zA-Z]{1,40}$/.test(n['type'])) fail('type must be a node name such as "paragraph"');
  if (n['text'] !== undefined && typeof n['text'] !== 'string') fail('text must be a string');
  if (n['content'] !== undefined) {
    if (!Array.isArray(n['content'])) fail('content must be an array of nodes');
    (n['content'] as unknown[]).forEach((c, i) => checkRich(c, `${path}.content[${i}]`, depth + 1));
  }
  return n as unknown as RichNode;
}

export async function applyImport(deps: ImportCommandDeps, user: CommandUser, agreementId: string, input: ImportInput): Promise<{ filled: number; added: number }> {
  const { actor, agreement } = await loadSubject(deps.db, agreementId, user.id);
  authorize(actor, 'import.apply', agreement);
  const resolvedTemplate = await loadTemplate(deps.db, agreement!.templateId, agreement!.templateVersion);
  const templateSections = resolvedTemplate?.template.sections ?? [];
  const template = (key: string) => templateSections.find((s) => s.key === key);
  const sections = input.sections.map((s, i) => ({ ...s, body: checkRich(s.body, `sections[${i}].body`) }));
  const { contentProblem, sectionKeyProblem } = await loadExportRenderers();
  for (const [i, s] of sections.entries()) {
    const p = (s.key !== null && sectionKeyProblem(s.key, `sections[${i}].key`)) || contentProblem(s.body, `sections[${i}].body`);
    if (p) throw contentRefused(p);
  }

  // Several headings mapped to one key are joined, in file order.
  const byKey = new Map<string, RichNode[]>();
  const custom: Array<{ title: string; body: RichNode }> = [];
  for (const s of sections) {
    const content = s.body.content ?? [];
    if (s.key) byKey.set(s.key, [...(byKey.get(s.key) ?? []), ...content]);
    else custom.push({ title: (s.title || s.heading).trim() || 'Importerat avsnitt', body: { type: 'doc', content } });
  }
  let filled = 0;
  let added = 0;
  const origin: ImportOrigin = { kind: 'import', userId: user.id };
  await deps.sync.withDocument(
    agreementId,
    (doc) => {
      const existing = listSections(doc);
      for (const [key, content] of byKey) {
        const target = existing.find((x) => x.key === key);
        const body: RichNode = { type: 'doc', content: content.length ? content : [{ type: 'paragraph' }] };
        if (target) {
          // Keep what is already written in the section: imported text goes after it.
          const current = getSectionRichBody(doc, target.id);
          setSectionBody(doc, target.id, isRichEmpty(current) ? body : { type: 'doc', content: [...(current.content ?? []), ...(body.content ?? [])] });
          filled++;
        } else {
          const t = template(key);
          addSection(doc, { key, title: t?.title ?? key, required: t?.required ?? false, guidance: t?.guidance ?? null, body });
          added++;
        }
      }
      for (const s of custom) {
        addSection(doc, { key: null, title: s.title, body: s.body });
        added++;
      }
    },
    origin,
  );
  // The entry's `audit.appended` notice is the only event of an import (the text arrives through sync).
  const noticeId = await deps.db.transaction(async (tx) => {
    return recordAudit(tx, {
      agreementId,
      type: 'import',
      actor: { id: user.id, name: user.name },
      data: { fileName: input.fileName ?? null, sections: sections.length, matched: [...byKey.keys()], custom: custom.map((s) => s.title), filled, added },
    });
  });
  await deps.outbox.deliver([noticeId]);
  return { filled, added };
}
