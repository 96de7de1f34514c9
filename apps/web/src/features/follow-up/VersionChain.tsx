/**
 * The chain of final versions of an agreement on the agreements list ("Version 1 signerad → Tillägg 1
 * pågår"), with the redline of a revision in progress against the signed version one click away.
 */
import { fmt, useMessages } from '../../i18n/index.tsx';
import { followUpMessages } from '../../i18n/messages/follow-up.ts';
import { Link } from '../../router.tsx';
import type { AgreementSummary } from '../../api/client.ts';
import { revisionLabel } from './labels.ts';

export function VersionChain({ agreement }: { agreement: AgreementSummary }) {
  const t = useMessages(followUpMessages);
  const { id: agreementId, status } = agreement;
  const finals = agreement.finalVersions ?? [];
  const revision = agreement.revision ?? null;
  const inProgress = revision && status !== 'locked' && !finals.some((v) => v.number > revision.basedOnVersion);
  if (finals.length === 0 && !inProgress) return null;
  return (
    <div className="version-chain-wrap">
      <ol className="version-chain" aria-label={t.chainLabel} data-testid="version-chain">
        {finals.map((v) => (
          <li key={v.number}>
            <span className="tag tag--green">{v.kind === 'original' ? fmt(t.chainSigned, { number: v.number }) : fmt(t.chainFinal, { label: v.label, number: v.number })}</span>
          </li>
        ))}
        {inProgress && revision && (
          <li>
            <span className="tag tag--yellow">{fmt(t.chainInProgress, { label: revisionLabel(t, revision.kind, revision.number) })}</span>{' '}
            <Link to={`/agreements/${agreementId}?redline=signed`}>{t.compareSigned}</Link>
          </li>
        )}
      </ol>
      {finals.length > 0 && (
        <Link to={`/agreements/${agreementId}/follow-up`} className="small" aria-label={fmt(t.pageTitle, { title: agreement.title })}>
          {t.openFollowUp}
        </Link>
      )}
    </div>
  );
}
