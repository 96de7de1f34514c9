import { createRoute, z } from '@hono/zod-openapi';
import type { ContentProblem, ImportError, ImportPool, IsolatedImportLimits } from '@overens/export';
import { addSection, getSectionRichBody, isRichEmpty, listSections, setSectionBody, type RichNode } from '@overens/model';
import { getAgreementRow, requireAgreementRole } from '../agreements/membership.ts';
import { recordAudit } from '../audit/service.ts';
import type { AppDeps } from '../deps.ts';
import { loadExportRenderers } from '../export-renderers.ts';
import { cookieAuth, createRouter, jsonBody, jsonContent, problems, requireUser, uuidParam } from '../http/openapi.ts';
import { agreementNotFound, ApiError, invalid } from '../http/problem.ts';
import { loadTemplate } from '../templates/service.ts';

const Loose = z.record(z.string(), z.unknown());
const params = z.object({ id: uuidParam('id', 'an agreement') });

function importProblem(e: ImportError): ApiError {
  return new ApiError(e.status, `import-${e.code.replace(/_/g, '-')}`, 'The file cannot be imported', `${e.messages.en} / ${e.messages.sv}`, [
    { field: 'file', message: e.messages.sv },
  ], e.code === 'busy' ? { 'retry-after': '5' } : undefined, { code: e.code, messages: e.messages });
}

/** 422 for content the import does not write: unknown node or mark types, prototype keys. */
function contentRefused(p: ContentProblem): ApiError {
  return new ApiError(422, `import-${p.code.replace(/_/g, '-')}`, 'The content cannot be imported', `${p.field}: ${p.messages.en} / ${p.messages.sv}`, [
    { field: p.field, message: p.messages.sv },
  ], undefined, { code: p.code, messages: p.messages });
}

/** One pool of import workers per server. */
const pools = new WeakMap<AppDeps, ImportPool>();
async function poolOf(d: AppDeps): Promise<ImportPool> {
  const { createImportPool } = await loadExportRenderers();
  let pool = pools.get(d);
  if (!pool) pools.set(d, (pool = createImportPool(d.config.importWorkers)));
  return pool;
}

function importLimits(config: AppDeps['config']): IsolatedImportLimits {
  return {
    maxBytes: Math.min(config.importMaxBytes, config.maxUploadBytes),
    maxInflatedBytes: config.importMaxInflatedBytes,
    maxParts: 1000,
    maxParagraphs: config.importMaxParagraphs,
    maxHeadings: config.importMaxHeadings,
    maxTables: config.importMaxTables,
    timeoutMs: config.importTimeoutMs,
    memoryMb: config.importMemoryMb,
  };
}

/** Structural check of a rich-text document from the client: ProseMirror JSON, bounded depth and size. */
function checkRich(node: unknown, path: string, depth = 0): RichNode {
  const fail = (message: string): never => {
    throw invalid([{ field: path, message }]);
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

const SectionInput = z.object({
  heading: z.string().max(500),
  key: z.string().max(100).nullable(),
  title: z.string().trim().max(300).optional(),
  body: Loose,
});
const ApplySchema = z
  .object({
    fileName: z.string().max(300).optional(),
    sections: z.array(SectionInput).min(1, 'send at least one section').max(300, 'at most 300 sections'),
  })
  .openapi('ImportApplyRequest');

export const importRoutes = createRouter()
  .openapi(
    createRoute({
      method: 'post',
      path: '/api/agreements/{id}/import/proposal',
      tags: ['import'],
      summary:
        'Upload a .docx (multipart field "file", or the raw file as the body): proposes how its headings map onto the template sections. Creates nothing (editors)',
      security: cookieAuth,
      request: { params },
      responses: {
        200: jsonContent(Loose.openapi('ImportProposal'), 'Proposed mapping: {title, sections:[{heading, matchedKey, confidence, body}], missingKeys, warnings}'),
        ...problems(400, 401, 403, 404, 409, 413, 415),
        422: {
          description: 'Empty, encrypted, damaged or text-less file, or over a cap (paragraphs, headings, tables, time, memory); `code` names it',
          content: { 'application/problem+json': { schema: Loose } },
        },
        503: { description: 'Too many imports in progress (`code` busy); retry later', content: { 'application/problem+json': { schema: Loose } } },
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const d = c.get('deps');
      const user = requireUser(c);
      await requireAgreementRole(d.db, id, user.id, 'editor', 'import a document');
      const agreement = await getAgreementRow(d.db, id);
      if (!agreement) throw agreementNotFound();
      const template = await loadTemplate(d.db, agreement.templateId, agreement.templateVersion);
      if (!template) throw new Error(`template of agreement ${id} is missing`);
      let buf: Buffer;
      let fileName: string | null = null;
      if (/^multipart\/form-data/i.test(c.req.header('content-type') ?? '')) {
        const form = await c.req.parseBody();
        const file = form['file'];
        if (!(file instanceof File)) throw invalid([{ field: 'file', message: 'send the .docx as the multipart field "file"' }]);
        fileName = file.name;
        buf = Buffer.from(await file.arrayBuffer());
      } else {
        buf = Buffer.from(await c.req.arrayBuffer());
      }
      const pool = await poolOf(d);
      const { ImportError } = await loadExportRenderers();
      try {
        // Parsing and matching run in a worker with time and memory limits: the event loop stays free.
        const json = await pool.proposeJson(buf, template.template, importLimits(d.config));
        // The worker's JSON goes out as it is (a large proposal is not parsed and re-serialised here).
        // (typed as the documented JSON response, which it is)
        return c.body(`{"fileName":${JSON.stringify(fileName)},${json.slice(1)}`, 200, { 'content-type': 'application/json' }) as never;
      } catch (e) {
        if (e instanceof ImportError) throw importProblem(e);
        throw e;
      }
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/api/agreements/{id}/import',
      tags: ['import'],
      summary:
        'Create the agreement content from a (possibly edited) mapping: sections with a template key fill that section, the others become custom sections (editors, unlocked agreements)',
      security: cookieAuth,
      request: { params, body: jsonBody(ApplySchema) },
      responses: {
        200: jsonContent(z.object({ filled: z.number().int(), added: z.number().int() }), 'Imported'),
        ...problems(400, 401, 403, 404, 409),
        422: { description: 'Unknown node or mark types, or a reserved key (`__proto__`, `constructor`, `prototype`)', content: { 'application/problem+json': { schema: Loose } } },
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const d = c.get('deps');
      const user = requireUser(c);
      await requireAgreementRole(d.db, id, user.id, 'editor', 'import a document');
      const agreement = await getAgreementRow(d.db, id);
      if (!agreement) throw agreementNotFound();
      if (agreement.status === 'locked') {
        throw new ApiError(409, 'agreement-locked', 'Agreement locked', 'The agreement is locked as a final version; unlock it before importing.');
      }
      const resolvedTemplate = await loadTemplate(d.db, agreement.templateId, agreement.templateVersion);
      const templateSections = resolvedTemplate?.template.sections ?? [];
      const template = (key: string) => templateSections.find((s) => s.key === key);
      const input = c.req.valid('json');
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
      await d.sync.withDocument(
        id,
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
        { kind: 'import', userId: user.id },
      );
      await recordAudit(d.db, {
        agreementId: id,
        type: 'import',
        actor: { id: user.id, name: user.name },
        data: { fileName: input.fileName ?? null, sections: sections.length, matched: [...byKey.keys()], custom: custom.map((s) => s.title) },
      });
      return c.json({ filled, added }, 200);
    },
  );
