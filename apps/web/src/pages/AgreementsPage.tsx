import { useEffect, useState } from 'react';
import { api, type AgreementSummary } from '../api/client.ts';
import { Layout, Loading } from '../components/Layout.tsx';
import { fmt, useFormat, useMessages } from '../i18n/index.tsx';
import { coreMessages } from '../i18n/messages/core.ts';
import { membersMessages } from '../i18n/messages/members.ts';
import { organisationsMessages } from '../i18n/messages/organisations.ts';
import { Link } from '../router.tsx';
import { CalendarSubscriptions } from '../features/calendar/CalendarSubscriptions.tsx';
import { UpcomingDates } from '../features/follow-up/UpcomingDates.tsx';
import { VersionChain } from '../features/follow-up/VersionChain.tsx';

export function roleLabel(t: typeof coreMessages.sv, role: string | undefined): string {
  return role === 'editor' ? t.roleEditor : role === 'commenter' ? t.roleCommenter : role === 'viewer' ? t.roleViewer : '';
}

export function AgreementsPage() {
  const t = useMessages(coreMessages);
  const f = useFormat();
  const [items, setItems] = useState<AgreementSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const tm = useMessages(membersMessages);
  const tv = useMessages(organisationsMessages);
  const [showArchived, setShowArchived] = useState(false);

  useEffect(() => {
    document.title = `${t.agreementsTitle} – ${t.appName}`;
  }, [t]);
  useEffect(() => {
    setItems(null);
    setError(null);
    api.agreements(showArchived ? 'all' : undefined).then(setItems, () => setError(t.networkError));
  }, [t.networkError, showArchived]);

  // Dates and calendar links exist once something is signed.
  const hasSigned = (items ?? []).some((a) => a.status === 'locked' || (a.finalVersions ?? []).length > 0);

  return (
    <Layout>
      <div className="page-head">
        <h1>{t.agreementsTitle}</h1>
        <Link to="/agreements/new" className="button">
          {t.newAgreement}
        </Link>
      </div>
      <label className="checkbox">
        <input type="checkbox" checked={showArchived} onChange={(e) => setShowArchived(e.target.checked)} />
        <span>{tm.showArchived}</span>
      </label>
      {error && <p className="field__error" role="alert">{error}</p>}
      {!items && !error && <Loading />}
      {items && items.length === 0 && (
        <div className="empty">
          <p>{t.agreementsEmpty}</p>
          <h2 className="h3">{t.startTitle}</h2>
          <ol className="steps">
            <li>
              <Link to="/organisations">{t.startStep1}</Link>
            </li>
            <li>
              <Link to="/agreements/new">{t.startStep2}</Link>
            </li>
            <li>{t.startStep3}</li>
          </ol>
        </div>
      )}
      {hasSigned && <UpcomingDates />}
      {items && items.length > 0 && (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">{t.colTitle}</th>
              <th scope="col">{t.colParties}</th>
              <th scope="col">{t.colStatus}</th>
              <th scope="col">{t.colRole}</th>
            </tr>
          </thead>
          <tbody>
            {items.filter((a) => showArchived || !a.archived).map((a) => (
              <tr key={a.id}>
                <td>
                  <Link to={`/agreements/${a.id}`}>{a.title}</Link>
                  {a.archived && <span className="tag tag--grey"> {tm.archivedTag}</span>}
                  {a.updatedAt && <div className="muted small">{fmt(t.updated, { date: f.dateTime(a.updatedAt) })}</div>}
                  <VersionChain agreement={a} />
                </td>
                <td>{f.list((a.parties ?? []).map((p) => (p.verified ? p.name : `${p.name} (${tv.notVerified})`)))}</td>
                <td>
                  <span className={`tag ${a.status === 'locked' ? 'tag--green' : 'tag--grey'}`}>
                    {a.status === 'locked' ? t.statusLocked : t.statusDraft}
                  </span>
                </td>
                <td>{roleLabel(t, a.role)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {hasSigned && <CalendarSubscriptions agreementId={null} />}
    </Layout>
  );
}
