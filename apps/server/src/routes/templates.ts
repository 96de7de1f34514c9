import { createRoute, z } from '@hono/zod-openapi';
import { parseTemplate, type Template } from '@overens/model';
import { createTemplate, deleteTemplate, saveTemplateVersion } from '../commands/templates.ts';
import { cookieAuth, createRouter, jsonContent, problems, requireUser, uuidParam } from '../http/openapi.ts';
import { invalid, notFound } from '../http/problem.ts';
import {
  canUseTemplate,
  listTemplatesFor,
  loadTemplate,
  standardTemplate,
  type ResolvedTemplate,
} from '../templates/service.ts';

const TemplateSectionSchema = z.object({
  key: z.string().openapi({ example: 'background' }),
  title: z.string(),
  guidance: z.string().optional(),
  required: z.boolean(),
});

const TemplateBodySchema = z
  .object({ name: z.string(), sections: z.array(TemplateSectionSchema) })
  .openapi('TemplateInput', {
    description: 'Template JSON: {name, sections: [{key, title, guidance?, required}]}; keys unique lower-case snake_case, at least one section.',
  });

const TemplateSchema = z
  .object({
    id: z.string().openapi({ description: '`standard-iop` for the built-in template, otherwise a UUID' }),
    version: z.number().int(),
    organisationId: z.uuid().nullable(),
    builtIn: z.boolean(),
    name: z.string(),
    sections: z.array(TemplateSectionSchema),
    createdAt: z.string().nullable(),
  })
  .openapi('Template');

function templateJson(t: ResolvedTemplate) {
  return {
    id: t.id,
    version: t.version,
    organisationId: t.organisationId,
    builtIn: t.organisationId === null,
    name: t.template.name,
    sections: t.template.sections,
    createdAt: t.createdAt,
  };
}

/** The body must be template JSON; parseTemplate names the bad field (and normalises). */
async function readTemplateBody(c: { req: { json(): Promise<unknown> } }): Promise<Template> {
  let raw: unknown;
  try {
    raw = await c.req.json();
  } catch {
    throw invalid([{ field: 'body', message: 'must be template JSON: {"name": …, "sections": [{"key", "title", "guidance"?, "required"}]}' }]);
  }
  const parsed = parseTemplate(raw);
  if (!parsed.ok) throw invalid(parsed.errors.map((e) => ({ field: e.field || 'body', message: e.message })));
  return parsed.value;
}

const templateBody = {
  required: true,
  content: { 'application/json': { schema: TemplateBodySchema } },
} as const;

export const templateRoutes = createRouter();

templateRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/api/templates',
    tags: ['templates'],
    summary: 'The standard IOP template and the templates of your organisations (latest versions)',
    security: cookieAuth,
    responses: { 200: jsonContent(z.array(TemplateSchema), 'Templates, standard first'), ...problems(401) },
  }),
  async (c) => {
    const user = requireUser(c);
    const { db } = c.get('deps');
    const own = await listTemplatesFor(db, user.id);
    return c.json([standardTemplate(), ...own].map(templateJson), 200);
  },
);

templateRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/api/templates/{id}',
    tags: ['templates'],
    summary: 'One template (latest version, or ?version=N)',
    security: cookieAuth,
    request: {
      params: z.object({ id: z.string().max(100).openapi({ param: { name: 'id', in: 'path' } }) }),
      query: z.object({
        version: z.coerce
          .number({ error: 'must be a version number (1, 2, …)' })
          .int('must be a whole version number')
          .min(1, 'must be 1 or more')
          .optional(),
      }),
    },
    responses: { 200: jsonContent(TemplateSchema, 'The template'), ...problems(400, 401, 404) },
  }),
  async (c) => {
    const user = requireUser(c);
    const { db } = c.get('deps');
    const { id } = c.req.valid('param');
    const { version } = c.req.valid('query');
    const t = await loadTemplate(db, id, version);
    if (!t || !(await canUseTemplate(db, t, user.id))) {
      throw notFound('No template with this id (and version) exists, or it belongs to an organisation you are not a member of.');
    }
    return c.json(templateJson(t), 200);
  },
);

// Body validated by parseTemplate (not by the route schema) so the messages are the model's.
templateRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/api/organisations/{id}/templates',
    tags: ['templates'],
    summary: "Store a template for your organisation (version 1)",
    security: cookieAuth,
    request: { params: z.object({ id: uuidParam('id', 'an organisation') }), body: { ...templateBody, required: false } },
    responses: {
      201: jsonContent(z.object({ id: z.uuid(), version: z.number().int() }).openapi('TemplateCreated'), 'Created'),
      ...problems(400, 401, 404, 413),
    },
  }),
  async (c) => {
    const user = requireUser(c);
    const { id: organisationId } = c.req.valid('param');
    const template = await readTemplateBody(c);
    return c.json(await createTemplate(c.get('deps'), user, organisationId, template), 201);
  },
);

templateRoutes.openapi(
  createRoute({
    method: 'put',
    path: '/api/templates/{id}',
    tags: ['templates'],
    summary: "A new version of your organisation's template (agreements keep the version they started from)",
    security: cookieAuth,
    request: { params: z.object({ id: uuidParam('id', 'a template') }), body: { ...templateBody, required: false } },
    responses: {
      200: jsonContent(z.object({ id: z.uuid(), version: z.number().int() }).openapi('TemplateVersionCreated'), 'New version stored'),
      ...problems(400, 401, 404, 413),
    },
  }),
  async (c) => {
    const user = requireUser(c);
    const { id } = c.req.valid('param');
    const template = await readTemplateBody(c);
    return c.json(await saveTemplateVersion(c.get('deps'), user, id, template), 200);
  },
);

templateRoutes.openapi(
  createRoute({
    method: 'delete',
    path: '/api/templates/{id}',
    tags: ['templates'],
    summary: "Delete your organisation's template with all its versions; refused (409 template-in-use) once an agreement started from it",
    security: cookieAuth,
    request: { params: z.object({ id: uuidParam('id', 'a template') }) },
    responses: { 204: { description: 'Deleted' }, ...problems(401, 404, 409) },
  }),
  async (c) => {
    const user = requireUser(c);
    const { id } = c.req.valid('param');
    await deleteTemplate(c.get('deps'), user, id);
    return c.body(null, 204);
  },
);
