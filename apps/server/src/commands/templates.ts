/**
 * Template commands: store an organisation's template (version 1), store a new version, delete one
 * that no agreement uses. authorize (policies/templates.ts, on the caller's role in the owning
 * organisation, read inside the transaction) → one transaction → the template's id and version.
 *
 * Templates belong to an organisation, not to an agreement: there is no agreement audit trail or
 * event stream to write to. Their history is the version rows themselves (who stored which version
 * when); agreements keep the (templateId, version) they started from, so a new version changes none.
 */
import { eq, sql } from 'drizzle-orm';
import { STANDARD_TEMPLATE_ID, type Template } from '@overens/model';
import type { Db, Tx } from '../db/client.ts';
import { agreements, templates, templateVersions } from '../db/schema/index.ts';
import { DomainError } from '../domain/errors.ts';
import { getOrganisationRole } from '../organisations/service.ts';
import { authorizeTemplate } from '../policies/templates.ts';
import { isUuid } from '../templates/service.ts';
import type { CommandUser } from './members.ts';

export interface TemplateCommandDeps {
  db: Db;
}

const templateNotFound = () =>
  new DomainError('not-found', 'not-found', 'No template with this id exists, or it belongs to an organisation you are not a member of.');

/** The template row, locked for the rest of the transaction, after `template.manage`. */
async function manageable(tx: Tx, templateId: string, userId: string) {
  if (!isUuid(templateId)) throw templateNotFound();
  const [row] = await tx.select().from(templates).where(eq(templates.id, templateId)).for('update');
  if (!row) throw templateNotFound();
  authorizeTemplate(await getOrganisationRole(tx, row.organisationId, userId), 'template.manage', { organisationId: row.organisationId });
  return row;
}

/** Store a template for an organisation the caller is a member of (version 1). */
export async function createTemplate(deps: TemplateCommandDeps, user: CommandUser, organisationId: string, template: Template): Promise<{ id: string; version: number }> {
  return deps.db.transaction(async (tx) => {
    const role = await getOrganisationRole(tx, organisationId, user.id);
    if (!role) throw new DomainError('not-found', 'not-found', 'No organisation with this id exists, or you are not a member of it.');
    authorizeTemplate(role, 'template.manage', { organisationId });
    const [t] = await tx.insert(templates).values({ organisationId, latestVersion: 1, createdBy: user.id }).returning({ id: templates.id });
    if (!t) throw new Error('insert returned no row');
    await tx.insert(templateVersions).values({ templateId: t.id, version: 1, name: template.name, content: template, createdBy: user.id });
    return { id: t.id, version: 1 };
  });
}

/** A new version of a template (agreements keep the version they started from). */
export async function saveTemplateVersion(deps: TemplateCommandDeps, user: CommandUser, templateId: string, template: Template): Promise<{ id: string; version: number }> {
  if (templateId === STANDARD_TEMPLATE_ID || !isUuid(templateId)) {
    // The built-in template: answered by the policy (403, what to do instead) rather than "not found".
    if (templateId === STANDARD_TEMPLATE_ID) authorizeTemplate(null, 'template.manage', { organisationId: null });
    throw templateNotFound();
  }
  return deps.db.transaction(async (tx) => {
    await manageable(tx, templateId, user.id);
    const [row] = await tx
      .update(templates)
      .set({ latestVersion: sql`${templates.latestVersion} + 1` })
      .where(eq(templates.id, templateId))
      .returning({ version: templates.latestVersion });
    if (!row) throw templateNotFound();
    await tx.insert(templateVersions).values({ templateId, version: row.version, name: template.name, content: template, createdBy: user.id });
    return { id: templateId, version: row.version };
  });
}

/** Delete a template (all its versions) that no agreement started from; 409 template-in-use otherwise. */
export async function deleteTemplate(deps: TemplateCommandDeps, user: CommandUser, templateId: string): Promise<void> {
  if (templateId === STANDARD_TEMPLATE_ID) authorizeTemplate(null, 'template.manage', { organisationId: null });
  await deps.db.transaction(async (tx) => {
    await manageable(tx, templateId, user.id);
    const used = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(agreements)
      .where(eq(agreements.templateId, templateId));
    const n = used[0]?.n ?? 0;
    if (n > 0) {
      const en = `${n} agreement${n === 1 ? '' : 's'} started from this template and still refer to it (an import maps onto its sections), so it cannot be deleted. Store a new version instead, or leave it.`;
      const sv = `${n} ${n === 1 ? 'överenskommelse' : 'överenskommelser'} har startats från mallen och hänvisar fortfarande till den (en import följer dess avsnitt), så den kan inte tas bort. Spara en ny version i stället, eller låt den vara.`;
      throw new DomainError('conflict', 'template-in-use', en, { messages: { sv, en }, extensions: { agreements: n } });
    }
    await tx.delete(templates).where(eq(templates.id, templateId));
  });
}
