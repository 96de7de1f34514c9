/** E-mail verification of the signed-in user's address: status, send a link, confirm a link (POST: no GET writes). */
import { createRoute, z } from '@hono/zod-openapi';
import { cookieAuth, createRouter, jsonBody, jsonContent, problems, requireUser } from '../http/openapi.ts';
import { isMailEnabled } from '../mail/index.ts';
import { confirmEmailVerification, emailVerificationStatus, sendEmailVerification } from '../organisations/email-verification.ts';
import { emailVerificationLink, linkBase } from '../organisations/links.ts';
import { DomainError } from '../domain/errors.ts';

const StatusSchema = z
  .object({
    email: z.string(),
    verified: z.boolean(),
    verifiedAt: z.string().nullable(),
    mailEnabled: z.boolean().openapi({ description: 'Whether this installation sends mail (SMTP_URL); without it no address can be verified' }),
  })
  .openapi('EmailVerificationStatus');

export const emailVerificationRoutes = createRouter()
  .openapi(
    createRoute({
      method: 'get',
      path: '/api/email-verification',
      tags: ['auth'],
      summary: 'Whether your e-mail address is verified',
      security: cookieAuth,
      responses: { 200: jsonContent(StatusSchema, 'Your address'), ...problems(401) },
    }),
    async (c) => {
      const user = requireUser(c);
      const s = await emailVerificationStatus(c.get('deps').db, user.id);
      return c.json({ email: user.email, verified: !!s?.verifiedAt, verifiedAt: s?.verifiedAt?.toISOString() ?? null, mailEnabled: isMailEnabled() }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/api/email-verification',
      tags: ['auth'],
      summary: 'Send a verification link to your address (503 mail-disabled when this installation sends no mail)',
      security: cookieAuth,
      responses: { 202: jsonContent(z.object({ sent: z.boolean(), alreadyVerified: z.boolean() }), 'Sent (or already verified)'), ...problems(401, 503) },
    }),
    async (c) => {
      const user = requireUser(c);
      const { db, config } = c.get('deps');
      if (!isMailEnabled()) {
        throw new DomainError('unavailable', 'mail-disabled', 'This installation sends no e-mail (SMTP_URL is not set), so addresses cannot be verified; ask its operator.', {
          messages: {
            sv: 'Den här installationen skickar ingen e-post (SMTP_URL saknas), så adresser kan inte verifieras; fråga operatören.',
            en: 'This installation sends no e-mail (SMTP_URL is not set), so addresses cannot be verified; ask its operator.',
          },
        });
      }
      const base = linkBase(c);
      const sent = await sendEmailVerification(db, user, { linkFor: (t) => emailVerificationLink(base, t), ttlHours: config.emailVerificationTtlHours });
      return c.json({ sent, alreadyVerified: !sent }, 202);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/api/email-verification/confirm',
      tags: ['auth'],
      summary: 'Confirm the link from the verification mail (the token is the secret; no session needed)',
      request: { body: jsonBody(z.object({ token: z.string().min(20, 'token must be the one from the link').max(100) }).openapi('ConfirmEmailRequest')) },
      responses: { 200: jsonContent(z.object({ email: z.string(), verified: z.literal(true) }), 'Verified'), ...problems(400, 410) },
    }),
    async (c) => {
      const { token } = c.req.valid('json');
      const r = await confirmEmailVerification(c.get('deps').db, token);
      return c.json({ email: r.email, verified: true as const }, 200);
    },
  );
