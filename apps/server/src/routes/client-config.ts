import { createRoute, z } from '@hono/zod-openapi';
import { createRouter, jsonContent } from '../http/openapi.ts';

const ClientConfigSchema = z
  .object({
    mail: z.boolean().openapi({ description: 'The server sends e-mail (SMTP_URL): invitations can be mailed instead of copied' }),
  })
  .openapi('ClientConfig');

/** What the web app needs to know about this server's configuration (no secrets). */
export const clientConfigRoutes = createRouter().openapi(
  createRoute({
    method: 'get',
    path: '/api/config',
    tags: ['operations'],
    summary: "The server's features the web app adapts to (e-mail on or off)",
    responses: { 200: jsonContent(ClientConfigSchema, 'Features of this server') },
  }),
  (c) => c.json({ mail: Boolean(c.get('deps').config.smtpUrl) }, 200),
);
