import { createRoute, z } from '@hono/zod-openapi';
import { decideSuggestions, MAX_DECIDED_IDS } from '../commands/suggestions.ts';
import { cookieAuth, createRouter, jsonBody, jsonContent, problems, requireUser, uuidParam } from '../http/openapi.ts';

const DecisionRequestSchema = z
  .object({
    decision: z.enum(['accept', 'reject'], { error: 'decision is required: "accept" (the suggestion becomes the text) or "reject" (it is removed)' }),
    suggestionIds: z
      .array(z.string().min(1).max(200), { error: 'suggestionIds must be a list of suggestion ids' })
      .min(1, 'must name at least one suggestion')
      .max(MAX_DECIDED_IDS, `at most ${MAX_DECIDED_IDS} suggestions at a time`)
      .optional()
      .openapi({ description: 'The suggestions to decide (the `id` attribute of their marks)' }),
    sectionId: z.string().min(1).max(200).optional().openapi({ description: 'Decide every open suggestion in this section instead' }),
  })
  .strict()
  .refine((b) => (b.suggestionIds === undefined) !== (b.sectionId === undefined), {
    message: 'give either suggestionIds or sectionId, not both',
    path: ['suggestionIds'],
  })
  .openapi('SuggestionDecisionRequest');

const DecidedSchema = z
  .object({
    id: z.string(),
    authorUserId: z.string().nullable(),
    authorName: z.string(),
    kind: z.enum(['insertion', 'deletion', 'modification']),
    text: z.string(),
    sectionId: z.string(),
    sectionTitle: z.string(),
  })
  .openapi('DecidedSuggestion');

const DecisionResultSchema = z
  .object({
    decision: z.enum(['accept', 'reject']),
    decided: z.array(DecidedSchema),
    versionId: z.string().openapi({ description: 'The version recording the result in the history' }),
  })
  .openapi('SuggestionDecisionResult');

export const suggestionRoutes = createRouter().openapi(
  createRoute({
    method: 'post',
    path: '/api/agreements/{id}/suggestions/decisions',
    tags: ['suggestions'],
    summary:
      'Accept or reject suggestions (editors, draft): by id, or every open one in a section. Applied to the live document, recorded in the audit trail and as a version; 409 suggestion-not-found when none of them is open',
    security: cookieAuth,
    request: { params: z.object({ id: uuidParam('id', 'an agreement') }), body: jsonBody(DecisionRequestSchema) },
    responses: { 200: jsonContent(DecisionResultSchema, 'What was decided'), ...problems(400, 401, 403, 404, 409) },
  }),
  async (c) => {
    const { id } = c.req.valid('param');
    return c.json(await decideSuggestions(c.get('deps'), requireUser(c), id, c.req.valid('json')), 200);
  },
);
