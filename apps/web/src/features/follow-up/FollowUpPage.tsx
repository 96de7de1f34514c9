/**
 * The follow-up view of a signed agreement (#/agreements/:id/follow-up, its own lazy chunk): per goal
 * the indicator, baseline, target, deadline, follow-up dates and status, a chart and a table of the
 * measurements, recording, confirming and commenting; the findings of the living agreement; the key
 * dates; the report; the calendar subscription. It reads the latest SIGNED final version (not the
 * draft of a revision in progress). Live through the page's one event stream.
 */
import { QueryClientProvider, useQuery, useQueryClient } from '@tanstack/react-query';
import { lazy, Suspense, useEffect, useId, useState } from 'react';
import { ApiError } from '../../api/client.ts';
import { Layout, Loading } from '../../components/Layout.tsx';
import { fmt, useFormat, useMessages } from '../../i18n/index.tsx';
import { coreMessages } from '../../i18n/messages/core.ts';
import { followUpMessages } from '../../i18n/messages/follow-up.ts';
import { useAgreementDetail } from '../../queries/agreement.ts';
import { queryClient } from '../../queries/client.ts';
import { Link, navigate } from '../../router.tsx';
import { AgreementEventsProvider, useAgreementEvents } from '../../shell/events.tsx';
import { CalendarSubscriptions } from '../calendar/CalendarSubscriptions.tsx';
import { followUpApi, followUpKey, type FollowUp } from './api.ts';
import { FindingsList } from './FindingsList.tsx';
import { GoalSection } from './GoalSection.tsx';
import { KeyDates } from './KeyDates.tsx';
import { revisionLabel } from './labels.ts';
import { ReportExport } from './ReportExport.tsx';
import './follow-up.css';

const RevisionDialog = lazy(() => import('./RevisionDialog.tsx').then((m) => ({ default: m.RevisionDialog })));

export function FollowUpPage({ agreementId }: { agreementId: string }) {
  return (
    <QueryClientProvider client={queryClient}>
      <AgreementEventsProvider agreementId={agreementId}>
        <FollowUpContent agreementId={agreementId} />
      </AgreementEventsProvider>
    </QueryClientProvider>
  );
}

function FollowUpContent({ agreementId }: { agreementId: string }) {
  const t = useMessages(followUpMessages);
  const tc = useMessages(coreMessages);
  const f = useFormat();
  const client = useQueryClient();
  const headingId = useId().replace(/:/g, '');
  const { detail, error: detailError } = useAgreementDetail(agreementId);
  const q = useQuery({
    queryKey: followUpKey(agreementId),
    queryFn: () => followUpApi.get(agreementId),
    // Events may have been missed while the page was closed.
    refetchOnMount: 'always',
    retry: (n, e) => !(e instanceof ApiError && e.status < 500) && n < 1,
  });
  const refresh = () => void client.invalidateQueries({ queryKey: followUpKey(agreementId) });

  useAgreementEvents((e) => {
    if (e.type.startsWith('measurement.') || e.type === 'revision.started' || e.type === 'agreement.locked' || e.type === 'agreement.unlocked') refresh();
    // Removed from the agreement: the refetch answers 403 and the page says so instead of showing stale data.
    if (e.type === 'access-revoked') void client.invalidateQueries({ queryKey: ['agreement', agreementId] });
  });

  const title = detail?.title ?? '';
  useEffect(() => {
    document.title = `${title ? fmt(t.pageTitle, { title }) : t.title} – ${tc.appName}`;
  }, [t, tc, title]);

  const notSigned = q.error instanceof ApiError && (q.error.code === 'not-signed' || q.error.status === 409);
  const noAccess = detailError === 'not_found' || (q.error instanceof ApiError && (q.error.status === 403 || q.error.status === 404));
  const data: FollowUp | undefined = q.data;
  const revision = detail?.revision ?? null;
  const partyName = (partyId: string | null | undefined) => detail?.parties.find((p) => p.id === partyId)?.name ?? '';
  const [revising, setRevising] = useState(false);
  const canRevise = detail?.status === 'locked' && detail.policies['revision.start'] && data?.signedVersion;

  return (
    <Layout wide>
      <div className="follow-up" data-testid="follow-up">
        <p className="follow-up__back">
          <Link to={`/agreements/${agreementId}`}>{t.back}</Link>
        </p>
        <h1 id={headingId}>
          {t.title}
          {title && <span className="follow-up__title">{title}</span>}
        </h1>
        {noAccess ? (
          <p className="notice notice--warning">{tc.notFoundBody}</p>
        ) : notSigned ? (
          <p className="notice" data-testid="follow-up-not-signed">
            {t.notSigned}
          </p>
        ) : q.isError && !data ? (
          <div className="notice notice--warning" role="alert">
            <p>{t.loadError}</p>
            <button type="button" className="button button--secondary" onClick={() => void q.refetch()}>
              {t.retry}
            </button>
          </div>
        ) : !data ? (
          <Loading />
        ) : (
          <>
            {data.signedVersion && (
              <p className="follow-up__based-on small">
                {fmt(t.basedOn, { number: data.signedVersion.number, date: f.dateTime(data.signedVersion.lockedAt), hash: data.signedVersion.hash.slice(0, 12) })}
              </p>
            )}
            {revision && detail?.status !== 'locked' && (
              <p className="notice notice--compact" data-testid="follow-up-revision">
                {fmt(t.revisionOpen, { label: revisionLabel(t, revision.kind, revision.number) })}
              </p>
            )}
            {canRevise && data.signedVersion && (
              <p>
                <button type="button" className="button button--secondary" onClick={() => setRevising(true)}>
                  {t.revise}
                </button>
              </p>
            )}
            {revising && data.signedVersion && detail && (
              <Suspense fallback={null}>
                <RevisionDialog
                  agreementId={agreementId}
                  signed={{ number: data.signedVersion.number, hash: data.signedVersion.hash }}
                  finalVersions={detail.finalVersions ?? []}
                  onClose={() => setRevising(false)}
                  onStarted={() => {
                    setRevising(false);
                    // The draft opens in the editor, where the redline against the signed version is one click away.
                    void client.invalidateQueries({ queryKey: ['agreement', agreementId] });
                    navigate(`/agreements/${agreementId}`);
                  }}
                />
              </Suspense>
            )}
            <FindingsList findings={data.findings} goals={data.goals} />
            <h2 className="follow-up__goals-heading">{t.goalsHeading}</h2>
            <p className="small muted">{t.statusRule}</p>
            {data.goals.length === 0 && <p>{t.noGoals}</p>}
            {data.goals.map((g) => (
              <GoalSection
                key={g.goalId}
                agreementId={agreementId}
                goal={g}
                canRecord={data.can.record.includes(g.goalId)}
                canConfirm={data.can.confirm}
                canComment={data.can.comment}
                myPartyId={detail?.me.partyId}
                partyName={partyName}
                onChanged={refresh}
              />
            ))}
            <KeyDates dates={data.keyDates} goals={data.goals} />
            <ReportExport agreementId={agreementId} />
            <div className="follow-up__section">
              <CalendarSubscriptions agreementId={agreementId} />
            </div>
          </>
        )}
      </div>
    </Layout>
  );
}
