/**
 * Life after signing (issue 17) on the agreement page: "Uppföljning" (a link to the follow-up view,
 * #/agreements/:id/follow-up) and "Ändra eller förläng" in the title bar of a signed agreement, and a
 * banner while an amendment or renewal is in progress with the redline against the signed version one
 * click away (`?redline=signed` opens it directly, the agreements list links there) and a way back to the
 * signed version while the text is unchanged. Dialogs load when opened.
 */
import { useQueryClient } from '@tanstack/react-query';
import { lazy, Suspense, useState } from 'react';
import { useErrorState } from '../../components/forms.tsx';
import { fmt, useMessages } from '../../i18n/index.tsx';
import { followUpMessages } from '../../i18n/messages/follow-up.ts';
import { agreementKeys } from '../../queries/keys.ts';
import { Link, navigate, queryParam, usePath } from '../../router.tsx';
import { useAgreement } from '../../shell/agreement-context.tsx';
import { useAgreementEvents } from '../../shell/events.tsx';
import { registerFeature } from '../../shell/registry.ts';
import { followUpApi } from './api.ts';
import { revisionLabel } from './labels.ts';
import './follow-up.css';

const RevisionDialog = lazy(() => import('./RevisionDialog.tsx').then((m) => ({ default: m.RevisionDialog })));
const RedlineDialog = lazy(() => import('./RedlineDialog.tsx').then((m) => ({ default: m.RedlineDialog })));

function useRevisionInfo() {
  const { agreement } = useAgreement();
  const finalVersions = agreement.finalVersions ?? [];
  const signedNumber = agreement.status === 'locked' ? agreement.finalVersion : (finalVersions.at(-1)?.number ?? null);
  return {
    revision: agreement.revision ?? null,
    finalVersions,
    signedNumber,
    canRevise: agreement.status === 'locked' && agreement.policies['revision.start'],
    hasSigned: agreement.status === 'locked' || finalVersions.length > 0,
  };
}

function FollowUpActions() {
  const t = useMessages(followUpMessages);
  const { agreement, agreementId, refreshAgreement } = useAgreement();
  const queryClient = useQueryClient();
  const { finalVersions, canRevise, hasSigned, signedNumber } = useRevisionInfo();
  const [open, setOpen] = useState(false);
  const [status, setStatus] = useState('');
  // A revision started in another window reopens the document for editing here too.
  useAgreementEvents((e) => {
    if (e.type === 'revision.started') void queryClient.invalidateQueries({ queryKey: agreementKeys.all(agreementId) });
  });
  if (!hasSigned) return null;
  const finalHash = finalVersions.find((v) => v.number === signedNumber)?.hash ?? '';
  return (
    <>
      <Link to={`/agreements/${agreementId}/follow-up`} className="button button--secondary button--small" data-testid="open-follow-up">
        {t.openFollowUp}
      </Link>
      {canRevise && signedNumber !== null && (
        <button type="button" className="button button--secondary button--small" onClick={() => setOpen(true)}>
          {t.revise}
        </button>
      )}
      <span role="status" className="small">
        {status}
      </span>
      {open && signedNumber !== null && (
        <Suspense fallback={null}>
          <RevisionDialog
            agreementId={agreementId}
            signed={{ number: signedNumber, hash: finalHash || (agreement.finalVersionId ?? '') }}
            finalVersions={finalVersions}
            onClose={() => setOpen(false)}
            onStarted={(_revision, label) => {
              setOpen(false);
              setStatus(fmt(t.revisionStarted, { label }));
              void queryClient.invalidateQueries({ queryKey: agreementKeys.all(agreementId) });
              void refreshAgreement();
            }}
          />
        </Suspense>
      )}
    </>
  );
}

function RevisionBanner() {
  const t = useMessages(followUpMessages);
  const { agreement, agreementId, refreshAgreement } = useAgreement();
  const queryClient = useQueryClient();
  const path = usePath();
  const { revision } = useRevisionInfo();
  const fromLink = queryParam(path, 'redline') === 'signed';
  const [open, setOpen] = useState(fromLink);
  const [withdrawing, setWithdrawing] = useState(false);
  const errors = useErrorState();
  if (!revision || agreement.status === 'locked') return null;
  const label = revisionLabel(t, revision.kind, revision.number);
  // A revision started by mistake: back to the signed version while its text is unchanged.
  const withdraw = async () => {
    errors.clear();
    setWithdrawing(true);
    try {
      await followUpApi.withdrawRevision(agreementId);
      void queryClient.invalidateQueries({ queryKey: agreementKeys.all(agreementId) });
      await refreshAgreement();
    } catch (e) {
      errors.fail(e);
    } finally {
      setWithdrawing(false);
    }
  };
  return (
    <div className="notice notice--compact revision-banner" role="note" data-testid="revision-banner">
      <p>{fmt(t.revisionBanner, { label, number: revision.basedOnVersion })}</p>
      <button type="button" className="button button--secondary button--small" onClick={() => setOpen(true)}>
        {t.showRedline}
      </button>
      {agreement.policies['revision.withdraw'] && (
        <button type="button" className="button button--secondary button--small" disabled={withdrawing} onClick={() => void withdraw()}>
          {withdrawing ? t.withdrawBusy : fmt(t.withdrawRevision, { label })}
        </button>
      )}
      {errors.message && (
        <p className="field__error" role="alert">
          {errors.message}
        </p>
      )}
      {open && (
        <Suspense fallback={null}>
          <RedlineDialog
            agreementId={agreementId}
            signedNumber={revision.basedOnVersion}
            onClose={() => {
              setOpen(false);
              if (fromLink) navigate(`/agreements/${agreementId}`, { replace: true });
            }}
          />
        </Suspense>
      )}
    </div>
  );
}

registerFeature({ id: 'follow-up', HeaderActions: FollowUpActions, Banner: RevisionBanner });
