import { and, desc, eq, inArray } from 'drizzle-orm';
import { STANDARD_TEMPLATE, STANDARD_TEMPLATE_ID, STANDARD_TEMPLATE_VERSION, type Template } from '@overens/model';
import type { DbOrTx } from '../db/client.ts';
import { organisationMembers, templates, templateVersions } from '../db/schema/index.ts';

export interface ResolvedTemplate {
  id: string;
  version: number;
  organisationId: string | null;
  template: Template;
  createdAt: string | null;
}

export const isUuid = (s: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s);

export function standardTemplate(): ResolvedTemplate {
  return {
    id: STANDARD_TEMPLATE_ID,
    version: STANDARD_TEMPLATE_VERSION,
    organisationId: null,
    template: STANDARD_TEMPLATE,
    createdAt: null,
  };
}

const selection = {
  id: templates.id,
  organisationId: templates.organisationId,
  version: templateVersions.version,
  content: templateVersions.content,
  createdAt: templateVersions.createdAt,
};

type Row = { id: string; organisationId: string; version: number; content: Template; createdAt: Date };
const toResolved = (row: Row): ResolvedTemplate => ({
  id: row.id,
  version: row.version,
  organisationId: row.organisationId,
  template: row.content,
  createdAt: row.createdAt.toISOString(),
});

/** A template version by id (latest when `version` is omitted), without access checks. Null when unknown. */
export async function loadTemplate(db: DbOrTx, id: string, version?: number): Promise<ResolvedTemplate | null> {
  if (id === STANDARD_TEMPLATE_ID) {
    return version === undefined || version === STANDARD_TEMPLATE_VERSION ? standardTemplate() : null;
  }
  if (!isUuid(id)) return null;
  const rows = await db
    .select(selection)
    .from(templates)
    .innerJoin(templateVersions, eq(templateVersions.templateId, templates.id))
    .where(
      version === undefined
        ? and(eq(templates.id, id), eq(templateVersions.version, templates.latestVersion))
        : and(eq(templates.id, id), eq(templateVersions.version, version)),
    )
    .limit(1);
  return rows[0] ? toResolved(rows[0]) : null;
}

/** Whether the user may use/see a template: the standard one, or one of an organisation they belong to. */
export async function canUseTemplate(db: DbOrTx, t: ResolvedTemplate, userId: string): Promise<boolean> {
  if (t.organisationId === null) return true;
  const [row] = await db
    .select({ userId: organisationMembers.userId })
    .from(organisationMembers)
    .where(and(eq(organisationMembers.organisationId, t.organisationId), eq(organisationMembers.userId, userId)))
    .limit(1);
  return Boolean(row);
}

/** Latest versions of the templates of the user's organisations, newest first. */
export async function listTemplatesFor(db: DbOrTx, userId: string): Promise<ResolvedTemplate[]> {
  const orgIds = (
    await db
      .select({ id: organisationMembers.organisationId })
      .from(organisationMembers)
      .where(eq(organisationMembers.userId, userId))
  ).map((r) => r.id);
  if (orgIds.length === 0) return [];
  const rows = await db
    .select(selection)
    .from(templates)
    .innerJoin(
      templateVersions,
      and(eq(templateVersions.templateId, templates.id), eq(templateVersions.version, templates.latestVersion)),
    )
    .where(inArray(templates.organisationId, orgIds))
    .orderBy(desc(templates.createdAt));
  return rows.map(toResolved);
}
