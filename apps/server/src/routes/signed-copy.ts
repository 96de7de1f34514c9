import { createRoute, z } from '@hono/zod-openapi';
import { and, eq } from 'drizzle-orm';
import { listSignedCopies, uploadSignedCopy } from '../commands/signed-copy.ts';
import { signedCopies } from '../db/schema/index.ts';
import { loadExportRenderers } from '../export-renderers.ts';
import { cookieAuth, createRouter, jsonContent, problems, requireUser, uuidParam } from '../http/openapi.ts';
import { ApiError, invalid } from '../http/problem.ts';
import { authorizeOn } from '../policies/subject.ts';

const params = z.object({ id: uuidParam('id', 'an agreement') });
const copyParams = z.object({ id: uuidParam('id', 'an agreement'), copyId: uuidParam('copyId', 'a signed copy') });

const SignedCopySchema = z
  .object({
    id: z.uuid(),
    finalVersionId: z.uuid(),
    finalVersionNumber: z.number().int(),
    fileName: z.string(),
    sizeBytes: z.number().int(),
    sha256: z.string(),
    match: z.enum(['matched', 'not-matched']).openapi({ description: "'matched': the PDF's text carries the final version's hash text" }),
    pages: z.number().int(),
    uploadedBy: z.object({ id: z.string(), name: z.string() }),
    uploadedAt: z.string(),
  })
  .openapi('SignedCopy');

const Loose = z.object({}).passthrough();

/** Signed-copy files are capped below the general upload limit (a scanned agreement of normal length fits). */
const MAX_SIGNED_COPY_BYTES = 15 * 1024 * 1024;

const MESSAGES: Record<string, { sv: string; en: string }> = {
  'not-a-pdf': { sv: 'Filen är inte en PDF. Ladda upp den undertecknade överenskommelsen som PDF (skanna den till PDF, eller hämta PDF:en från e-signeringstjänsten).', en: 'The file is not a PDF. Upload the signed agreement as a PDF (scan it to PDF, or download the PDF from your e-signature service).' },
  'pdf-unreadable': { sv: 'Filen ser ut som en PDF men går inte att läsa. Skanna eller exportera den igen och ladda upp den nya filen.', en: 'The file looks like a PDF but cannot be read. Scan or export it again and upload the new file.' },
  'pdf-too-many-pages': { sv: 'PDF:en har för många sidor (högst 500).', en: 'The PDF has too many pages (at most 500).' },
  'pdf-too-complex': { sv: 'PDF:en tog för lång tid att läsa. Ladda upp en enklare PDF, till exempel skannad med lägre upplösning.', en: 'The PDF took too long to read. Upload a simpler PDF, e.g. scanned at a lower resolution.' },
  'file-too-large': { sv: 'Filen är för stor (högst 15 MB).', en: 'The file is too large (at most 15 MB).' },
  busy: { sv: 'Många filer läses just nu. Försök igen om en minut.', en: 'Many files are being read right now. Try again in a minute.' },
};

export const signedCopyRoutes = createRouter()
  .openapi(
    createRoute({
      method: 'get',
      path: '/api/agreements/{id}/signed-copies',
      tags: ['signing'],
      summary: 'The signed copies uploaded for the final versions, newest first (members)',
      security: cookieAuth,
      request: { params },
      responses: { 200: jsonContent(z.object({ signedCopies: z.array(SignedCopySchema) }).openapi('SignedCopyList'), 'Signed copies'), ...problems(401, 404) },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const d = c.get('deps');
      const user = requireUser(c);
      await authorizeOn(d.db, id, user.id, 'signedCopy.read');
      return c.json({ signedCopies: await listSignedCopies(d.db, id) }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/api/agreements/{id}/signed-copies',
      tags: ['signing'],
      summary:
        'Upload the signed agreement (PDF; multipart field "file", or the raw PDF as the body) for the locked final version (editors and signatories). Kept with its SHA-256; `match` says whether it carries the final version\'s hash text',
      security: cookieAuth,
      request: { params },
      responses: {
        201: jsonContent(SignedCopySchema, 'Stored'),
        ...problems(400, 401, 403, 404, 409, 413, 415),
        422: { description: 'A damaged PDF, too many pages, or too complex to read in time (`code`)', content: { 'application/problem+json': { schema: Loose } } },
        503: { description: 'Too many files being read (`code` busy); retry later', content: { 'application/problem+json': { schema: Loose } } },
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const d = c.get('deps');
      const user = requireUser(c);
      let bytes: Uint8Array;
      let fileName = 'undertecknad.pdf';
      if (/^multipart\/form-data/i.test(c.req.header('content-type') ?? '')) {
        const form = await c.req.parseBody();
        const file = form['file'];
        if (!(file instanceof File)) throw invalid([{ field: 'file', message: 'send the signed PDF as the multipart field "file"' }]);
        fileName = file.name || fileName;
        bytes = new Uint8Array(await file.arrayBuffer());
      } else {
        bytes = new Uint8Array(await c.req.arrayBuffer());
        const name = c.req.header('x-file-name');
        if (name) fileName = decodeURIComponent(name);
      }
      const { SignedCopyError } = await loadExportRenderers();
      try {
        const copy = await uploadSignedCopy(d, user, id, { fileName, bytes }, {
          maxBytes: Math.min(MAX_SIGNED_COPY_BYTES, d.config.maxUploadBytes),
          timeoutMs: d.config.importTimeoutMs,
          memoryMb: d.config.importMemoryMb,
        });
        return c.json(copy, 201);
      } catch (e) {
        if (e instanceof SignedCopyError) {
          const messages = MESSAGES[e.code] ?? { sv: e.message, en: e.message };
          throw new ApiError(e.status, e.code, 'The file cannot be stored as the signed copy', `${e.message}`, [{ field: 'file', message: e.message }], e.code === 'busy' ? { 'retry-after': '30' } : undefined, {
            code: e.code,
            messages,
          });
        }
        throw e;
      }
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/api/agreements/{id}/signed-copies/{copyId}/file',
      tags: ['signing'],
      summary: 'Download a signed copy as uploaded (members)',
      security: cookieAuth,
      request: { params: copyParams },
      responses: { 200: { description: 'The PDF', content: { 'application/pdf': { schema: z.string().openapi({ format: 'binary' }) } } }, ...problems(401, 404) },
    }),
    async (c) => {
      const { id, copyId } = c.req.valid('param');
      const d = c.get('deps');
      const user = requireUser(c);
      await authorizeOn(d.db, id, user.id, 'signedCopy.read');
      const [row] = await d.db
        .select({ content: signedCopies.content, fileName: signedCopies.fileName, sha256: signedCopies.sha256 })
        .from(signedCopies)
        .where(and(eq(signedCopies.id, copyId), eq(signedCopies.agreementId, id)));
      if (!row) throw new ApiError(404, 'not-found', 'Not Found', 'No signed copy with this id belongs to the agreement.', undefined, undefined, { code: 'not-found' });
      const ascii = row.fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
      return new Response(row.content as Uint8Array<ArrayBuffer>, {
        status: 200,
        headers: {
          'content-type': 'application/pdf',
          'content-disposition': `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(row.fileName)}`,
          'x-content-sha256': row.sha256,
          'cache-control': 'private, no-store',
        },
      }) as never;
    },
  );
