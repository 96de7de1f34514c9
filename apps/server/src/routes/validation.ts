import { createRoute, z } from '@hono/zod-openapi';
import { snapshotAgreement, validateAgreement } from '@overens/model';
import { getAgreementRow } from '../agreements/membership.ts';
import { authorizeOn } from '../policies/subject.ts';
import { cookieAuth, createRouter, jsonContent, problems, requireUser, uuidParam } from '../http/openapi.ts';
import { agreementNotFound } from '../http/problem.ts';
import { loadTemplate } from '../templates/service.ts';

const FindingSchema = z
  .object({
    ruleId: z.string(),
    severity: z.enum(['error', 'warning', 'info']),
    target: z.record(z.string(), z.unknown()),
    message: z.object({ sv: z.string(), en: z.string() }),
    signingOnly: z.boolean().optional(),
  })
  .openapi('Finding');

const ValidationSchema = z
  .object({
    findings: z.array(FindingSchema),
    summary: z.object({ readyToSign: z.boolean(), errors: z.number().int(), warnings: z.number().int(), infos: z.number().int() }),
  })
  .openapi('ValidationResult');

export const validationRoutes = createRouter().openapi(
  createRoute({
    method: 'get',
    path: '/api/agreements/{id}/validation',
    tags: ['agreements'],
    summary: 'What is still missing before signing: validation of the live document against its template',
    security: cookieAuth,
    request: { params: z.object({ id: uuidParam('id', 'an agreement') }) },
    responses: { 200: jsonContent(ValidationSchema, 'Findings and summary'), ...problems(400, 401, 404) },
  }),
  async (c) => {
    const user = requireUser(c);
    const { db, sync, config } = c.get('deps');
    const { id } = c.req.valid('param');
    await authorizeOn(db, id, user.id, 'agreement.read');
    const agreement = await getAgreementRow(db, id);
    if (!agreement) throw agreementNotFound();
    const template = await loadTemplate(db, agreement.templateId, agreement.templateVersion);
    if (!template) throw new Error(`template ${agreement.templateId} v${agreement.templateVersion} of agreement ${id} is missing`);
    const doc = await sync.getDocumentState(id);
    try {
      const snapshot = snapshotAgreement(doc, { title: agreement.title });
      const result = validateAgreement(snapshot, template.template, { publicMoneyThresholdSek: config.publicMoneyThresholdSek });
      return c.json(result as z.infer<typeof ValidationSchema>, 200);
    } finally {
      doc.destroy();
    }
  },
);
