/** The operator's admin routes (OVERENS_ADMIN_EMAILS): every organisation, verifying organisations and their domains. */
import { createRoute, z } from '@hono/zod-openapi';
import { setDomainVerified, setOrganisationVerified, normaliseDomain } from '../commands/organisations.ts';
import { cookieAuth, createRouter, jsonBody, jsonContent, problems, requireUser, uuidParam, type AppContext } from '../http/openapi.ts';
import { invalidField } from '../http/problem.ts';
import { isMailEnabled } from '../mail/index.ts';
import { emailVerificationStatus } from '../organisations/email-verification.ts';
import { allOrganisations, organisationJson } from '../organisations/queries.ts';
import { authorizeOperator, isOperator } from '../policies/organisations.ts';

const Kind = z.enum(['ideburen', 'kommun', 'region']);
const AdminOrganisationSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    kind: Kind,
    orgNumber: z.string(),
    municipalityCode: z.string().nullable(),
    verified: z.boolean(),
    verifiedAt: z.string().nullable(),
    duplicateOf: z.uuid().nullable(),
    createdAt: z.string(),
    domains: z.array(z.object({ domain: z.string(), verified: z.boolean() })),
    members: z.array(z.object({ name: z.string(), email: z.string(), role: z.enum(['admin', 'member']) })),
  })
  .openapi('AdminOrganisation');

const Verification = jsonBody(z.object({ verified: z.boolean({ error: 'verified must be true (verify) or false (take it back)' }) }).openapi('VerificationRequest'));

async function operatorContext(c: AppContext) {
  const user = requireUser(c);
  const { db, config } = c.get('deps');
  const status = await emailVerificationStatus(db, user.id);
  const operator = { email: user.email, emailVerifiedAt: status?.verifiedAt ?? null };
  return { adminEmails: config.adminEmails, mailConfigured: isMailEnabled(), operator };
}

export const adminRoutes = createRouter()
  .openapi(
    createRoute({
      method: 'get',
      path: '/api/admin/status',
      tags: ['admin'],
      summary: 'Whether you are an operator of this installation (the web app shows the admin page then)',
      security: cookieAuth,
      responses: { 200: jsonContent(z.object({ operator: z.boolean() }).openapi('AdminStatus'), 'Your operator status'), ...problems(401) },
    }),
    async (c) => {
      const op = await operatorContext(c);
      return c.json({ operator: isOperator(op.adminEmails, op.operator, op.mailConfigured) }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/api/admin/organisations',
      tags: ['admin'],
      summary: 'Every organisation with its number, type, members, e-mail domains and verification state (operators only)',
      security: cookieAuth,
      responses: { 200: jsonContent(z.array(AdminOrganisationSchema), 'All organisations'), ...problems(401, 403) },
    }),
    async (c) => {
      const op = await operatorContext(c);
      authorizeOperator(op.adminEmails, op.operator, op.mailConfigured);
      return c.json(await allOrganisations(c.get('deps').db), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'put',
      path: '/api/admin/organisations/{id}/verification',
      tags: ['admin'],
      summary: 'Verify an organisation (you checked who it is) or take the verification back (operators only)',
      security: cookieAuth,
      request: { params: z.object({ id: uuidParam('id', 'an organisation') }), body: Verification },
      responses: { 200: jsonContent(z.object({ id: z.uuid(), verified: z.boolean(), verifiedAt: z.string().nullable() }), 'Changed'), ...problems(400, 401, 403, 404, 409) },
    }),
    async (c) => {
      const op = await operatorContext(c);
      authorizeOperator(op.adminEmails, op.operator, op.mailConfigured);
      const { id } = c.req.valid('param');
      const org = organisationJson(await setOrganisationVerified({ db: c.get('deps').db }, op, id, c.req.valid('json').verified));
      return c.json({ id: org.id, verified: org.verified, verifiedAt: org.verifiedAt }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'put',
      path: '/api/admin/organisations/{id}/domains/{domain}/verification',
      tags: ['admin'],
      summary: "Verify an organisation's e-mail domain (people with a verified address there join without a request) or take it back (operators only)",
      security: cookieAuth,
      request: { params: z.object({ id: uuidParam('id', 'an organisation'), domain: z.string().max(253) }), body: Verification },
      responses: { 204: { description: 'Changed' }, ...problems(400, 401, 403, 404, 409) },
    }),
    async (c) => {
      const op = await operatorContext(c);
      authorizeOperator(op.adminEmails, op.operator, op.mailConfigured);
      const { id, domain } = c.req.valid('param');
      const d = normaliseDomain(domain);
      if (!d) throw invalidField('domain', 'must be an e-mail domain like malmo.se');
      await setDomainVerified({ db: c.get('deps').db }, op, id, d, c.req.valid('json').verified);
      return c.body(null, 204);
    },
  );
