import { createRoute, z } from '@hono/zod-openapi';
import { fileSlug } from '../domain/file-name.ts';
import { eq } from 'drizzle-orm';
import type { ExportMeta } from '@overens/export';
import { snapshotAgreement, validateAgreement, type AgreementSnapshot, type Template } from '@overens/model';
import { getAgreementRow } from '../agreements/membership.ts';
import { authorizeOn } from '../policies/subject.ts';
import { contentHash } from '../approvals/hash.ts';
import { blockingErrors, currentContent, finalVersionById, finalVersionByVersionId, type FinalVersionDto } from '../approvals/service.ts';
import { recordAudit } from '../audit/service.ts';
import type { DbOrTx } from '../db/client.ts';
import { agreementMembers, users } from '../db/schema/index.ts';
import { loadExportRenderers } from '../export-renderers.ts';
import { cookieAuth, createRouter, problems, requireUser, uuidParam } from '../http/openapi.ts';
import { agreementNotFound, ApiError } from '../http/problem.ts';
import { loadTemplate } from '../templates/service.ts';
import { partiesWithVerification } from '../organisations/queries.ts';
import { authorizeSigningParties } from '../policies/organisations.ts';
import { docFromState, getVersion } from '../versions/service.ts';
import { amendmentOf } from '../commands/revisions.ts';

const QuerySchema = z.object({
  format: z.enum(['pdf', 'docx'], { error: 'format must be pdf or docx' }).default('pdf'),
  version: z
    .string()
    .default('current')
    .refine((v) => v === 'current' || /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v), {
      message: 'must be "current", a version id or a final version id (UUID)',
    }),
  // Omitted: the variant that matches the version's state (signing-ready for the locked final version, else draft).
  mode: z.enum(['draft', 'signing'], { error: 'mode must be draft or signing' }).optional(),
  diarienummer: z.string().trim().max(100, 'must be at most 100 characters').optional(),
  // Open suggestions in a draft: marked as Word shows them (default) or left out; signing-ready is always clean.
  suggestions: z.enum(['marked', 'clean'], { error: 'suggestions must be marked or clean' }).default('marked'),
});

const CONTENT_TYPES = {
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
};

function signingRefused(detail: string, errors?: Array<{ field: string; message: string }>, extensions?: Record<string, unknown>): ApiError {
  return new ApiError(409, 'not-signing-ready', 'Not ready for signing', detail, errors, undefined, extensions);
}

function fileName(title: string, label: string, format: 'pdf' | 'docx', draft: boolean): string {
  const slug = fileSlug(`${title} ${label}`, 80);
  // The file name says what the file is: a draft ends in "-utkast" (kept when a long title is cut).
  return `${slug || 'overenskommelse'}${draft ? '-utkast' : ''}.${format}`;
}

interface Resolved {
  snapshot: AgreementSnapshot;
  hash: string;
  label: string;
  number: number | null;
  date: string;
  final: FinalVersionDto | null;
  versionId: string | null;
}

const isoDate = (d: Date | string) => new Date(d).toISOString().slice(0, 10);

/** Members by user id (name and party): who wrote the suggestions a marked draft shows. */
async function suggestionAuthors(db: DbOrTx, agreementId: string): Promise<Record<string, { name: string; partyId: string | null }>> {
  const rows = await db
    .select({ userId: agreementMembers.userId, name: users.name, partyId: agreementMembers.partyId })
    .from(agreementMembers)
    .innerJoin(users, eq(users.id, agreementMembers.userId))
    .where(eq(agreementMembers.agreementId, agreementId));
  return Object.fromEntries(rows.map((r) => [r.userId, { name: r.name, partyId: r.partyId }]));
}

export const exportRoutes = createRouter().openapi(
  createRoute({
    // POST: every export is recorded in the audit trail (a GET never writes).
    method: 'post',
    path: '/api/agreements/{id}/export',
    tags: ['export'],
    summary:
      'The agreement as PDF or DOCX: the current draft, a saved version or a final version. Without mode, the locked final version comes signing-ready and everything else as a draft; mode=signing only from the locked final version without validation errors (409 otherwise). A draft\'s file name ends in -utkast. Open suggestions in a draft: suggestions=marked (default; underlined/struck through in the party colour, with a legend) or clean',
    security: cookieAuth,
    request: { params: z.object({ id: uuidParam('id', 'an agreement') }), query: QuerySchema },
    responses: {
      200: {
        description: 'The document',
        content: { [CONTENT_TYPES.pdf]: { schema: z.string().openapi({ format: 'binary' }) }, [CONTENT_TYPES.docx]: { schema: z.string().openapi({ format: 'binary' }) } },
      },
      ...problems(400, 401, 404, 409),
    },
  }),
  async (c) => {
    const { id } = c.req.valid('param');
    const q = c.req.valid('query');
    const d = c.get('deps');
    const user = requireUser(c);
    await authorizeOn(d.db, id, user.id, 'export.draft');
    const agreement = await getAgreementRow(d.db, id);
    if (!agreement) throw agreementNotFound();
    const resolved = await loadTemplate(d.db, agreement.templateId, agreement.templateVersion);
    if (!resolved) throw new Error(`template of agreement ${id} is missing`);
    const template: Template = resolved.template;

    const fromState = (state: Uint8Array): { snapshot: AgreementSnapshot; hash: string } => {
      const doc = docFromState(state);
      try {
        const snapshot = snapshotAgreement(doc, { title: agreement.title });
        return { snapshot, hash: contentHash(snapshot).hash };
      } finally {
        doc.destroy();
      }
    };

    let r: Resolved;
    // The locked agreement's "current" is its final version.
    const versionRef = q.version === 'current' && agreement.status === 'locked' && agreement.finalVersionId ? agreement.finalVersionId : q.version;
    if (versionRef === 'current') {
      const content = await currentContent(d, id);
      r = { snapshot: content.snapshot, hash: content.hash, label: `Arbetsversion ${isoDate(new Date())}`, number: null, date: isoDate(new Date()), final: null, versionId: null };
    } else {
      const final = (await finalVersionById(d.db, id, versionRef)) ?? (await finalVersionByVersionId(d.db, id, versionRef));
      const version = await getVersion(d.db, id, final ? final.versionId : versionRef);
      const { snapshot, hash } = fromState(version.state);
      r = final
        ? { snapshot, hash, label: `Slutlig version ${final.number}`, number: final.number, date: isoDate(final.lockedAt), final, versionId: version.id }
        : { snapshot, hash, label: version.name, number: null, date: isoDate(version.createdAt), final: null, versionId: version.id };
    }

    const parties = await partiesWithVerification(d.db, id);
    // The locked, current final version is the one to sign: by default it comes without draft marks.
    // A final version never unlocked is signed: the locked one, or one an amendment or renewal (a later final
    // version, or one being drafted) amends — it stays in force and exports as signed (issue 17).
    const isLockedFinal = !!r.final && !r.final.unlocked;
    const mode: 'draft' | 'signing' = q.mode ?? (isLockedFinal ? 'signing' : 'draft');
    if (mode === 'signing') {
      if (!r.final) {
        throw signingRefused(
          agreement.status === 'locked'
            ? 'A signing-ready document comes only from the locked final version; export version=current or the final version.'
            : 'The agreement is not locked: a signing-ready document comes only from a final version that every party has approved. Export mode=draft, or have every signatory approve first.',
          [{ field: 'mode', message: 'Underskriftsversion kan bara skapas från den låsta slutliga versionen.' }],
        );
      }
      if (r.final.unlocked) {
        throw signingRefused(`Final version ${r.final.number} was reopened${r.final.unlocked ? ` (${r.final.unlocked.reason})` : ''}; it is no longer the version to sign.`, [
          { field: 'version', message: `Slutlig version ${r.final.number} är upplåst och gäller inte längre för underskrift.` },
        ]);
      }
      if (r.hash !== r.final.hash) {
        throw signingRefused('The stored final version does not match the approved content hash; it cannot be signed.', [
          { field: 'version', message: 'Den sparade versionen stämmer inte med den godkända kontrollsumman.' },
        ]);
      }
      // A kommun or region named in the agreement must be verified by an operator (OVERENS_REQUIRE_VERIFIED_PUBLIC_PARTIES).
      authorizeSigningParties(parties, { required: d.config.requireVerifiedPublicParties, operators: d.config.adminEmails });
      const errors = blockingErrors(validateAgreement(r.snapshot, template).findings);
      if (errors.length > 0) {
        throw signingRefused(
          `The final version has ${errors.length} validation error(s): ${errors.map((f) => f.message.en).join(' ')}`,
          errors.map((f) => ({ field: f.ruleId, message: f.message.sv })),
          { findings: errors },
        );
      }
    }

    // An amendment or renewal names itself ("Tillägg 1") and what it amends (title, version, hash).
    const amendment = r.final || !r.versionId ? await amendmentOf(d.db, agreement, r.final?.number ?? null) : { label: null, amends: null };
    if (amendment.label) r.label = `${amendment.label} (slutlig version ${r.number})`;
    const meta: ExportMeta = {
      amends: amendment.amends,
      versionLabel: r.label,
      versionNumber: r.number,
      hash: r.hash,
      mode,
      date: r.date,
      diarienummer: q.diarienummer || null,
      unverifiedPartyIds: parties.filter((p) => !p.verified).map((p) => p.id),
      suggestions: mode === 'signing' ? 'clean' : q.suggestions,
      suggestionAuthors: mode === 'draft' && q.suggestions === 'marked' ? await suggestionAuthors(d.db, id) : undefined,
    };
    const { renderPdf, renderDocx } = await loadExportRenderers();
    const body = q.format === 'pdf' ? await renderPdf(r.snapshot, meta) : await renderDocx(r.snapshot, meta);
    const noticeId = await d.db.transaction((tx) =>
      recordAudit(tx, {
        agreementId: id,
        type: 'export',
        actor: { id: user.id, name: user.name },
        data: { format: q.format, mode, version: r.label, versionId: r.versionId, versionNumber: r.number, hash: r.hash, ...(mode === 'draft' ? { suggestions: q.suggestions } : {}) },
      }),
    );
    await d.outbox.deliver([noticeId]);
    const name = fileName(agreement.title, r.label, q.format, mode === 'draft');
    return c.body(new Uint8Array(body), 200, {
      'content-type': CONTENT_TYPES[q.format],
      'content-disposition': `attachment; filename="${name}"; filename*=UTF-8''${encodeURIComponent(name)}`,
      'x-content-sha256': r.hash,
      'x-export-mode': mode,
      'cache-control': 'private, no-store',
    });
  },
);
