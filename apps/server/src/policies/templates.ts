/**
 * Who may do what with templates. A template belongs to an organisation, not to an agreement, so its
 * rules look at the caller's role in that organisation ('admin' | 'member', or null = not a member).
 * The built-in standard template (organisation null) is everyone's to use and nobody's to change.
 * Table test: ./templates.test.ts.
 */
import type { OrganisationRole } from '../db/schema/index.ts';
import { DomainError } from '../domain/errors.ts';

export const TEMPLATE_ACTIONS = ['template.use', 'template.manage'] as const;
export type TemplateAction = (typeof TEMPLATE_ACTIONS)[number];

export interface TemplateSubject {
  /** The owning organisation; null for the built-in template. */
  organisationId: string | null;
}

type Rule = (role: OrganisationRole | null, t: TemplateSubject) => boolean;

const member = (role: OrganisationRole | null) => role === 'admin' || role === 'member';

export const TEMPLATE_RULES: Record<TemplateAction, Rule> = {
  // Read it and start agreements from it.
  'template.use': (role, t) => t.organisationId === null || member(role),
  // Store a new template, a new version, delete one: every member of the organisation writes its
  // agreements, so every member keeps its templates (there is no separate template editor role).
  'template.manage': (role, t) => t.organisationId !== null && member(role),
};

export function canOnTemplate(role: OrganisationRole | null, action: TemplateAction, t: TemplateSubject): boolean {
  return TEMPLATE_RULES[action](role, t);
}

/** Throws unless allowed: 404 for non-members (no existence leak), 403 for the built-in template. */
export function authorizeTemplate(role: OrganisationRole | null, action: TemplateAction, t: TemplateSubject): void {
  if (canOnTemplate(role, action, t)) return;
  if (t.organisationId === null) {
    throw new DomainError('forbidden', 'template-built-in', 'The standard IOP template is built in and cannot be changed: store your own template for your organisation instead (POST /api/organisations/:id/templates).');
  }
  throw new DomainError('not-found', 'not-found', 'No template with this id exists, or it belongs to an organisation you are not a member of.');
}
