import { createRoute, z } from '@hono/zod-openapi';
import { createVersion, restoreVersion } from '../commands/versions.ts';
import { authorizeOn } from '../policies/subject.ts';
import { cookieAuth, createRouter, jsonBody, jsonContent, problems, requireUser, uuidParam } from '../http/openapi.ts';
import { compareVersions, listVersions, MAX_VERSION_NAME, versionSnapshot } from '../versions/service.ts';

export const VersionSchema = z
  .object({
    id: z.uuid(),
    agreementId: z.uuid(),
    name: z.string(),
    kind: z.enum(['named', 'auto', 'restore']),
    createdAt: z.string(),
    createdBy: z.object({ id: z.string(), name: z.string() }).nullable(),
    restoredFrom: z.string().nullable(),
  })
  .openapi('Version');

const SaveSchema = z
  .object({
    name: z
      .string({ error: 'name is required: what this version is, e.g. "Förslag till nämnden"' })
      .trim()
      .min(1, 'must not be empty: give the version a name')
      .max(MAX_VERSION_NAME, `must be at most ${MAX_VERSION_NAME} characters`),
  })
  .openapi('SaveVersionRequest');

const versionRef = (name: string) =>
  z
    .string({ error: `${name} is required: a version id or "current"` })
    .refine((v) => v === 'current' || /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v), {
      message: 'must be a version id (UUID) or "current"',
    });

const agreementParam = z.object({ id: uuidParam('id', 'an agreement') });
const versionParams = z.object({ id: uuidParam('id', 'an agreement'), versionId: uuidParam('versionId', 'a version') });

/** Loose schema for the redline and snapshot payloads (their types are @overens/model's). */
const RedlineSchema = z.record(z.string(), z.unknown()).openapi('Redline', { description: 'AgreementRedline from @overens/model' });
const SnapshotSchema = z.record(z.string(), z.unknown()).openapi('AgreementSnapshot', { description: 'AgreementSnapshot from @overens/model' });

export const versionRoutes = createRouter()
  .openapi(
    createRoute({
      method: 'get',
      path: '/api/agreements/{id}/versions',
      tags: ['versions'],
      summary: 'Saved versions and automatic checkpoints, newest first',
      security: cookieAuth,
      request: { params: agreementParam },
      responses: { 200: jsonContent(z.object({ versions: z.array(VersionSchema) }), 'Versions'), ...problems(401, 404) },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const { db } = c.get('deps');
      await authorizeOn(db, id, requireUser(c).id, 'agreement.read');
      return c.json({ versions: await listVersions(db, id) }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/api/agreements/{id}/versions',
      tags: ['versions'],
      summary: 'Save the current document as a named version (editors)',
      security: cookieAuth,
      request: { params: agreementParam, body: jsonBody(SaveSchema) },
      responses: { 201: jsonContent(VersionSchema, 'Saved'), ...problems(400, 401, 403, 404) },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const version = await createVersion(c.get('deps'), requireUser(c), id, c.req.valid('json').name);
      return c.json(version, 201);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/api/agreements/{id}/versions/compare',
      tags: ['versions'],
      summary: 'Redline from one version to another (either may be "current")',
      security: cookieAuth,
      request: { params: agreementParam, query: z.object({ from: versionRef('from'), to: versionRef('to').default('current') }) },
      responses: { 200: jsonContent(RedlineSchema, 'AgreementRedline'), ...problems(400, 401, 404) },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const { from, to } = c.req.valid('query');
      const d = c.get('deps');
      await authorizeOn(d.db, id, requireUser(c).id, 'agreement.read');
      return c.json((await compareVersions(d, id, from, to)) as unknown as Record<string, unknown>, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/api/agreements/{id}/versions/{versionId}',
      tags: ['versions'],
      summary: 'The agreement as it was in a version',
      security: cookieAuth,
      request: { params: versionParams },
      responses: { 200: jsonContent(z.object({ snapshot: SnapshotSchema }), 'Snapshot'), ...problems(401, 404) },
    }),
    async (c) => {
      const { id, versionId } = c.req.valid('param');
      const d = c.get('deps');
      await authorizeOn(d.db, id, requireUser(c).id, 'agreement.read');
      const snapshot = await versionSnapshot(d, id, versionId);
      return c.json({ snapshot: snapshot as unknown as Record<string, unknown> }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/api/agreements/{id}/versions/{versionId}/restore',
      tags: ['versions'],
      summary: 'Restore a version as a new edit (editors); recorded as a new version',
      security: cookieAuth,
      request: { params: versionParams },
      responses: { 201: jsonContent(VersionSchema, 'The version recording the restore'), ...problems(401, 403, 404, 409) },
    }),
    async (c) => {
      const { id, versionId } = c.req.valid('param');
      return c.json(await restoreVersion(c.get('deps'), requireUser(c), id, versionId), 201);
    },
  );
