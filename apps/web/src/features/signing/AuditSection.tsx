/**
 * "Händelser", at the end of the Signering tab: the append-only audit trail (GET /api/agreements/:id/audit), newest first,
 * with Swedish dates, who did it and what. Read-only: the API has no way to change it.
 */
import { listSections } from '@overens/model';
import { useQuery } from '@tanstack/react-query';
import { agreementKeys } from '../../queries/keys.ts';
import { fmt, useFormat, useLocale, useMessages } from '../../i18n/index.tsx';
import { signingMessages } from '../../i18n/messages/signing.ts';
import { useAgreement } from '../../shell/agreement-context.tsx';
import { signingApi, shortHash, type AuditEntry } from './api.ts';

type T = (typeof signingMessages)['sv'];

const roleName = (t: T, r: unknown) => (r === 'editor' ? t.roleEditor : r === 'commenter' ? t.roleCommenter : r === 'viewer' ? t.roleViewer : String(r ?? ''));

function describe(
  t: T,
  locale: 'sv' | 'en',
  e: AuditEntry,
  partyName: (id: string) => string,
  memberName: (id: string) => string,
  sectionTitle: (id: string) => string,
): string {
  const d = e.data;
  const s = (v: unknown) => (typeof v === 'string' ? v : v === null || v === undefined ? '' : String(v));
  switch (e.type) {
    case 'invitation.created':
      return fmt(d.newParty ? t.auditInvitationNewParty : t.auditInvitation, { role: roleName(t, d.role) });
    case 'invitation.accepted':
      return fmt(d.newParty ? t.auditInvitationAcceptedParty : t.auditInvitationAccepted, {
        role: roleName(t, d.role),
        org: s(d.organisationName) || partyName(s(d.partyId)),
      });
    case 'member.role_changed': {
      const from = (d.from ?? {}) as { role?: string; signatory?: boolean };
      const to = (d.to ?? {}) as { role?: string; signatory?: boolean };
      const parts: string[] = [];
      if (from.role !== to.role) parts.push(fmt(t.auditRoleTo, { role: roleName(t, to.role) }));
      if (from.signatory !== to.signatory) parts.push(to.signatory ? t.auditSignatoryOn : t.auditSignatoryOff);
      return fmt(t.auditRoleChanged, { name: memberName(s(d.userId)), change: parts.join(', ') });
    }
    case 'member.removed':
      return fmt(d.left ? t.auditMemberLeft : t.auditMemberRemoved, { name: memberName(s(d.userId)) });
    case 'approval.given':
      return fmt(t.auditApproved, { party: partyName(s(d.partyId)), hash: shortHash(s(d.hash)) });
    case 'approval.voided': {
      if (d.reason === 'unlocked') return fmt(t.auditVoidedUnlock, { reason: s(d.unlockReason) });
      const changes = Array.isArray(d.changes) ? (d.changes as Array<{ sv: string; en: string }>).map((c) => c[locale]).join(' ') : '';
      return fmt(t.auditVoidedChange, { changes });
    }
    case 'agreement.locked':
      return fmt(t.auditLocked, { n: s(d.number), hash: shortHash(s(d.hash)) });
    case 'agreement.unlocked':
      return fmt(t.auditUnlocked, { n: s(d.number), reason: s(d.reason) });
    case 'export':
      return fmt(d.mode === 'signing' ? t.auditExportSigning : t.auditExport, {
        format: s(d.format).toUpperCase(),
        version: s(d.version),
        hash: shortHash(s(d.hash)),
      });
    case 'import':
      return fmt(t.auditImport, { file: s(d.fileName) || '–', n: s(d.sections) });
    case 'agreement.created':
      return fmt(t.auditCreated, { title: s(d.title) });
    case 'agreement.renamed':
      return fmt(t.auditRenamed, { from: s(d.from), to: s(d.to) });
    case 'agreement.archived':
      return t.auditArchived;
    case 'agreement.restored':
      return t.auditRestored;
    case 'party.removed':
      return fmt(t.auditPartyRemoved, { party: s(d.partyName) || partyName(s(d.partyId)) });
    case 'comment.created':
    case 'comment.replied':
    case 'comment.edited':
    case 'comment.deleted':
    case 'comment.resolved':
    case 'comment.reopened': {
      const text = {
        'comment.created': t.auditCommentCreated,
        'comment.replied': t.auditCommentReplied,
        'comment.edited': t.auditCommentEdited,
        'comment.deleted': t.auditCommentDeleted,
        'comment.resolved': t.auditCommentResolved,
        'comment.reopened': t.auditCommentReopened,
      }[e.type];
      const line = fmt(text, { section: sectionTitle(s(d.sectionId)) || t.auditRemovedSection });
      return d.visibility === 'internal' ? `${line} ${t.auditCommentInternal}` : line;
    }
    case 'version.saved':
      return fmt(t.auditVersionSaved, { name: s(d.name) });
    case 'version.restored':
      return fmt(t.auditVersionRestored, { name: s(d.name) });
    case 'signed-copy.uploaded':
      return fmt(t.auditSignedCopy, { file: s(d.fileName), n: s(d.finalVersionNumber) });
    case 'suggestion.accepted':
    case 'suggestion.rejected': {
      const items = Array.isArray(d.suggestions) ? (d.suggestions as Array<Record<string, unknown>>) : [];
      const clip = (x: string) => (x.length > 80 ? `${x.slice(0, 79)}…` : x);
      const list = items
        .slice(0, 5)
        .map((x) => fmt(t.auditSuggestionItem, { kind: s(x.kind), text: clip(s(x.text)), author: s(x.authorName) || t.auditFormerMember, section: s(x.sectionTitle) }))
        .join('; ');
      return fmt(e.type === 'suggestion.accepted' ? t.auditSuggestionsAccepted : t.auditSuggestionsRejected, { n: items.length, list: items.length > 5 ? `${list}; …` : list });
    }
    case 'measurement.recorded':
      return fmt(t.auditMeasurementRecorded, { value: typeof d.value === 'number' ? new Intl.NumberFormat(locale === 'sv' ? 'sv-SE' : 'en-GB').format(d.value) : s(d.value), date: s(d.measuredOn), party: partyName(s(d.partyId)) });
    case 'measurement.confirmed':
      return fmt(t.auditMeasurementConfirmed, { party: partyName(s(d.partyId)) });
    case 'measurement.commented':
      return t.auditMeasurementCommented;
    case 'follow-up-report.exported':
      return fmt(t.auditFollowUpReport, { date: s(d.asOf), format: s(d.format).toUpperCase(), n: s(d.finalVersionNumber) });
    case 'revision.started':
      return fmt(t.auditRevisionStarted, { kind: s(d.kind), n: s(d.number), base: s(d.basedOnVersion) });
    default:
      return e.type;
  }
}

export function AuditSection() {
  const t = useMessages(signingMessages);
  const { locale } = useLocale();
  const f = useFormat();
  const { agreementId, agreement, partyName, doc } = useAgreement();
  const memberName = (id: string) => agreement.members.find((m) => m.userId === id)?.name || t.formerMember;
  // Section titles as the document has them now (read when the list renders; a removed one is named so).
  const sectionTitle = (id: string) => (id ? (listSections(doc).find((x) => x.id === id)?.title ?? '') : '');
  const audit = useQuery({ queryKey: agreementKeys.audit(agreementId), queryFn: () => signingApi.audit(agreementId) });
  // Refetched only when the server announces a new entry (`audit.appended`, src/queries/keys.ts).
  const entries = audit.data ?? null;
  const error = audit.isError;

  return (
    <section className="signing__block audit" aria-labelledby="signing-audit-h">
      <h3 id="signing-audit-h" className="signing__h">
        {t.auditTab}
      </h3>
      <p className="small muted">{t.auditIntro}</p>
      {!entries && <p className="muted">{error ? t.loadError : t.loading}</p>}
      {entries?.length === 0 && <p className="muted">{t.auditEmpty}</p>}
      <ol className="audit__list" data-testid="audit-list">
        {[...(entries ?? [])].reverse().map((e) => (
          <li key={e.id} className="audit__item" data-type={e.type}>
            <p className="audit__meta small">
              <time dateTime={e.at}>{f.dateTime(e.at)}</time> · {e.actor?.name ?? t.system}
            </p>
            <p className="audit__what">{describe(t, locale, e, (id) => partyName(id) || t.unknownParty, memberName, sectionTitle)}</p>
          </li>
        ))}
      </ol>
    </section>
  );
}
