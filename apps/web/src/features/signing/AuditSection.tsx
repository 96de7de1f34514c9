/**
 * "Händelser", at the end of the Signering tab: the append-only audit trail (GET /api/agreements/:id/audit), newest first,
 * with Swedish dates, who did it and what. Read-only: the API has no way to change it.
 */
import { listSections } from '@overens/model';
import { useQuery } from '@tanstack/react-query';
import { agreementKeys } from '../../queries/keys.ts';
import { useFormat, useLocale, useMessages } from '../../i18n/index.tsx';
import { signingMessages } from '../../i18n/messages/signing.ts';
import { useAgreement } from '../../shell/agreement-context.tsx';
import { signingApi } from './api.ts';
import { describeAuditEntry } from './audit-text.ts';

export function AuditSection() {
  const t = useMessages(signingMessages);
  const { locale } = useLocale();
  const f = useFormat();
  const { agreementId, agreement, partyName, doc } = useAgreement();
  const memberName = (id: string) => agreement.members.find((m) => m.userId === id)?.name || t.formerMember;
  // Section titles as the document has them now (read once per render, when an entry names a section;
  // a removed one is named so), not the whole section list again for every comment entry.
  let titles: Map<string, string> | null = null;
  const sectionTitle = (id: string) => {
    if (!id) return '';
    titles ??= new Map(listSections(doc).map((x) => [x.id, x.title]));
    return titles.get(id) ?? '';
  };
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
            <p className="audit__what">{describeAuditEntry(t, locale, e, (id) => partyName(id) || t.unknownParty, memberName, sectionTitle)}</p>
          </li>
        ))}
      </ol>
    </section>
  );
}
