import { createRoute, z } from '@hono/zod-openapi';
import type { ImportError, ImportPool, IsolatedImportLimits } from '@overens/export';
import { applyImport } from '../commands/import.ts';
import type { AppDeps } from '../deps.ts';
import { loadExportRenderers } from '../export-renderers.ts';
import { cookieAuth, createRouter, jsonBody, jsonContent, problems, requireUser, uuidParam } from '../http/openapi.ts';
import { ApiError, invalid } from '../http/problem.ts';
import { authorizeOn } from '../policies/subject.ts';
import { loadTemplate } from '../templates/service.ts';

const Loose = z.record(z.string(), z.unknown());
const params = z.object({ id: uuidParam('id', 'an agreement') });

function importProblem(e: ImportError): ApiError {
  return new ApiError(e.status, `import-${e.code.replace(/_/g, '-')}`, 'The file cannot be imported', `${e.messages.en} / ${e.messages.sv}`, [
    { field: 'file', message: e.messages.sv },
  ], e.code === 'busy' ? { 'retry-after': '5' } : undefined, { code: e.code, messages: e.messages });
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
      // Proposing creates nothing, but only for someone who could apply it (editors, draft).
      const { agreement } = await authorizeOn(d.db, id, user.id, 'import.apply');
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
      const { filled, added } = await applyImport(d, user, id, c.req.valid('json'));
      return c.json({ filled, added }, 200);
    },
  );
