import { createRoute, z } from '@hono/zod-openapi';
import { requiredText } from '../http/validate.ts';
import { desc, eq } from 'drizzle-orm';
import { organisationMembers, organisations } from '../db/schema/index.ts';
import { cookieAuth, createRouter, jsonBody, jsonContent, problems, requireUser } from '../http/openapi.ts';
import { invalid, type FieldError } from '../http/problem.ts';
import { checkMunicipalityCode, normaliseOrgNumber } from '../organisations/service.ts';
import { loadReferenceData } from '../reference.ts';

export const OrganisationSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    kind: z.enum(['ideburen', 'kommun', 'region']),
    orgNumber: z.string().openapi({ example: '802002-4280' }),
    municipalityCode: z.string().nullable(),
    role: z.enum(['admin', 'member']).openapi({ description: 'Your role in the organisation' }),
    createdAt: z.string(),
  })
  .openapi('Organisation');

const CreateOrganisationSchema = z
  .object({
    name: z
      .string(requiredText("name is required: the organisation's registered name"))
      .trim()
      .min(1, 'must not be empty: enter the organisation\'s registered name')
      .max(200, 'must be at most 200 characters'),
    kind: z.enum(['ideburen', 'kommun', 'region'], {
      error: 'must be one of ideburen, kommun or region',
    }),
    orgNumber: z
      .string(requiredText('orgNumber is required: the organisation number, e.g. 802002-4280'))
      .max(20, 'must be an organisation number like 802002-4280'),
    municipalityCode: z
      .string({ error: 'must be a string of digits, e.g. "0180"' })
      .trim()
      .optional()
      .openapi({ description: 'SCB code: 4 digits for a kommun, 2 for a region; omit for ideburen' }),
  })
  .openapi('CreateOrganisationRequest');

type OrgRow = typeof organisations.$inferSelect;
export function toOrganisationJson(org: OrgRow, role: 'admin' | 'member') {
  return {
    id: org.id,
    name: org.name,
    kind: org.kind,
    orgNumber: org.orgNumber,
    municipalityCode: org.municipalityCode,
    role,
    createdAt: org.createdAt.toISOString(),
  };
}

export const organisationRoutes = createRouter()
  .openapi(
    createRoute({
      method: 'post',
      path: '/api/organisations',
      tags: ['organisations'],
      summary: 'Create an organisation; you become its admin',
      security: cookieAuth,
      request: { body: jsonBody(CreateOrganisationSchema) },
      responses: { 201: jsonContent(OrganisationSchema, 'Created'), ...problems(400, 401, 403, 413, 415) },
    }),
    async (c) => {
      const user = requireUser(c);
      const { db, config } = c.get('deps');
      const body = c.req.valid('json');
      const errors: FieldError[] = [];
      const orgNumber = normaliseOrgNumber(body.orgNumber);
      if (!orgNumber) {
        errors.push({
          field: 'orgNumber',
          message: 'is not a valid Swedish organisation number (10 digits, NNNNNN-NNNN, with a correct check digit); copy it from the registration certificate',
        });
      }
      const municipalityCode = body.municipalityCode || null;
      const codeError = checkMunicipalityCode(body.kind, municipalityCode, loadReferenceData(config.referenceDir));
      if (codeError) errors.push({ field: 'municipalityCode', message: codeError });
      if (errors.length > 0 || !orgNumber) throw invalid(errors);
      const org = await db.transaction(async (tx) => {
        const [created] = await tx
          .insert(organisations)
          .values({ name: body.name, kind: body.kind, orgNumber, municipalityCode, createdBy: user.id })
          .returning();
        if (!created) throw new Error('insert returned no row');
        await tx.insert(organisationMembers).values({ organisationId: created.id, userId: user.id, role: 'admin' });
        return created;
      });
      return c.json(toOrganisationJson(org, 'admin'), 201);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/api/organisations',
      tags: ['organisations'],
      summary: 'Organisations you are a member of',
      security: cookieAuth,
      responses: { 200: jsonContent(z.array(OrganisationSchema), 'Your organisations'), ...problems(401) },
    }),
    async (c) => {
      const user = requireUser(c);
      const { db } = c.get('deps');
      const rows = await db
        .select({ org: organisations, role: organisationMembers.role })
        .from(organisationMembers)
        .innerJoin(organisations, eq(organisations.id, organisationMembers.organisationId))
        .where(eq(organisationMembers.userId, user.id))
        .orderBy(desc(organisations.createdAt));
      return c.json(
        rows.map((r) => toOrganisationJson(r.org, r.role)),
        200,
      );
    },
  );
