import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../http/openapi.ts';
import { adminRoutes } from './admin.ts';
import { agreementRoutes } from './agreements.ts';
import { approvalRoutes } from './approvals.ts';
import { auditRoutes } from './audit.ts';
import { authRoutes } from './auth.ts';
import { calendarRoutes } from './calendar.ts';
import { clientConfigRoutes } from './client-config.ts';
import { commentRoutes } from './comments.ts';
import { emailVerificationRoutes } from './email-verification.ts';
import { eventRoutes } from './events.ts';
import { exportRoutes } from './export.ts';
import { followUpRoutes } from './follow-up.ts';
import { healthRoutes } from './health.ts';
import { importRoutes } from './import.ts';
import { invitationRoutes } from './invitations.ts';
import { memberRoutes } from './members.ts';
import { organisationRoutes } from './organisations.ts';
import { referenceRoutes } from './reference.ts';
import { revisionRoutes } from './revisions.ts';
import { signedCopyRoutes } from './signed-copy.ts';
import { suggestionRoutes } from './suggestions.ts';
import { syncStatusRoutes } from './sync-status.ts';
import { templateRoutes } from './templates.ts';
import { validationRoutes } from './validation.ts';
import { versionRoutes } from './versions.ts';

/**
 * Every resource router, mounted at the root (routes carry their full /api/... path). Add yours here:
 * routers made with createRouter() contribute their createRoute() declarations to /api/openapi.json.
 */
export function mountRoutes(app: OpenAPIHono<AppEnv>): void {
  app.route('/', healthRoutes);
  app.route('/', clientConfigRoutes);
  app.route('/', authRoutes);
  app.route('/', organisationRoutes);
  app.route('/', adminRoutes);
  app.route('/', emailVerificationRoutes);
  app.route('/', referenceRoutes);
  app.route('/', templateRoutes);
  app.route('/', agreementRoutes);
  app.route('/', memberRoutes);
  app.route('/', invitationRoutes);
  app.route('/', validationRoutes);
  app.route('/', commentRoutes);
  app.route('/', versionRoutes);
  app.route('/', suggestionRoutes);
  app.route('/', eventRoutes);
  app.route('/', approvalRoutes);
  app.route('/', exportRoutes);
  app.route('/', signedCopyRoutes);
  app.route('/', followUpRoutes);
  app.route('/', calendarRoutes);
  app.route('/', revisionRoutes);
  app.route('/', importRoutes);
  app.route('/', auditRoutes);
  app.route('/', syncStatusRoutes);
}
