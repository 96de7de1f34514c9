/**
 * The audit trail's entries in words (the "Händelser" list): what happened, whose, where, in Swedish or
 * English, from the entry's type and data. Pure, so each type's sentence is tested on its own.
 */
import { fmt } from '../../i18n/index.tsx';
import { signingMessages } from '../../i18n/messages/signing.ts';
import { shortHash, type AuditEntry } from './api.ts';

export type T = (typeof signingMessages)['sv'];

const roleName = (t: T, r: unknown) => (r === 'editor' ? t.roleEditor : r === 'commenter' ? t.roleCommenter : r === 'viewer' ? t.roleViewer : String(r ?? ''));

/** One audit entry as a sentence in the reader's language (the raw type for one this client does not know). */
export function describeAuditEntry(
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
    case 'revision.withdrawn':
      return fmt(t.auditRevisionWithdrawn, { kind: s(d.kind), n: s(d.number), base: s(d.basedOnVersion) });
    default:
      return e.type;
  }
}
