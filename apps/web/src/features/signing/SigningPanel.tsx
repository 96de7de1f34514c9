/**
 * The "Signering" tab: the content hash, each party's signatories (members with name and title; a party
 * without one shows its free-text firmatecknare as missing) and approval (who approved which hash, when),
 * "Godkänn för underskrift …" for signatories (a confirmation dialog: ApproveDialog.tsx), voided approvals with who changed what, the final version and "Lås upp" for
 * editors, downloads (PDF/DOCX of the draft, saved versions and final versions), the Word import and
 * the audit trail.
 */
import { useState } from 'react';
import { fmt, useFormat, useLocale, useMessages } from '../../i18n/index.tsx';
import { signingMessages } from '../../i18n/messages/signing.ts';
import { useAgreement } from '../../shell/agreement-context.tsx';
import { useValidation } from '../../agreement/useValidation.ts';
import { shortHash, type Approval } from './api.ts';
import { ApproveDialog } from './ApproveDialog.tsx';
import { AuditSection } from './AuditSection.tsx';
import { ExportSection } from './ExportSection.tsx';
import { ImportDialog } from './ImportDialog.tsx';
import { SignedCopySection } from './SignedCopySection.tsx';
import { useSigning } from './store.tsx';
import { UnlockDialog } from './UnlockDialog.tsx';

export function Hash({ value }: { value: string }) {
  const t = useMessages(signingMessages);
  return (
    <code className="hash" title={value} aria-label={fmt(t.hashAria, { hash: value.slice(0, 12).split('').join(' ') })}>
      {shortHash(value)}
    </code>
  );
}

export function SigningPanel() {
  const t = useMessages(signingMessages);
  const f = useFormat();
  const ctx = useAgreement();
  const { agreement, me, openPanel } = ctx;
  const { state, error } = useSigning();
  const validation = useValidation();
  const [approveOpen, setApproveOpen] = useState(false);
  const [unlockOpen, setUnlockOpen] = useState(false);
  const [importOpen, setImportOpen] = useState(false);

  if (!state) return <p className="muted">{error ? t.loadError : t.loading}</p>;

  const locked = state.status === 'locked';
  const myApproval = state.approvals.find((a) => a.userId === me.id);
  const iApprovedCurrent = myApproval?.hash === state.currentHash;
  const localErrors = validation?.summary.errors ?? 0;

  const approvalFor = (partyId: string): Approval | undefined =>
    [...state.approvals].reverse().find((a) => a.partyId === partyId && a.hash === state.currentHash) ??
    [...state.approvals].reverse().find((a) => a.partyId === partyId);

  return (
    <div className="signing" data-testid="signing-panel">
      <section className="signing__block" aria-labelledby="signing-status-h">
        <h3 id="signing-status-h" className="signing__h">
          {t.statusHeading}
        </h3>
        {locked && state.finalVersion ? (
          <p className="signing__state signing__state--locked" data-testid="signing-state">
            <strong>{fmt(t.finalVersion, { n: state.finalVersion.number })}</strong>
            <span className="small">{fmt(t.lockedAt, { date: f.dateTime(state.finalVersion.lockedAt) })}</span>
          </p>
        ) : (
          <p className="signing__state" data-testid="signing-state">
            <strong>{t.draft}</strong>
            <span className="small">{state.waitingFor.length ? fmt(t.waitingFor, { parties: f.list(state.waitingFor.map((p) => p.name)) }) : t.allApproved}</span>
          </p>
        )}
        <p className="small signing__hashline">
          {t.hashLabel} <Hash value={locked && state.finalVersion ? state.finalVersion.hash : state.currentHash} />
        </p>
        <p className="small muted">{t.hashHint}</p>
      </section>

      <section className="signing__block" aria-labelledby="signing-parties-h">
        <h3 id="signing-parties-h" className="signing__h">
          {t.approvalsHeading}
        </h3>
        <ul className="approvals">
          {agreement.parties.map((p) => {
            const a = approvalFor(p.id);
            const current = a && a.hash === state.currentHash;
            return (
              <li key={p.id} className={`approval ${current ? 'approval--yes' : 'approval--no'}`} data-party={p.id} data-approved={current ? 'true' : 'false'}>
                <span className="approval__party" style={{ borderColor: ctx.partyColor(p.id) }}>
                  {p.name}
                </span>
                <Signatories partyId={p.id} />
                {a && current ? (
                  <span className="approval__who">
                    <span className="tag tag--green">{t.approved}</span>{' '}
                    {fmt(t.approvedBy, { name: a.userName, date: f.dateTime(a.createdAt) })} · <Hash value={a.hash} />
                  </span>
                ) : a ? (
                  <span className="approval__who">
                    <span className="tag tag--yellow">{t.approvedOther}</span> {fmt(t.approvedBy, { name: a.userName, date: f.dateTime(a.createdAt) })} ·{' '}
                    <Hash value={a.hash} />
                  </span>
                ) : (
                  <span className="approval__who">
                    <span className="tag tag--grey">{t.notApproved}</span>
                  </span>
                )}
              </li>
            );
          })}
        </ul>

        {!locked && (
          <div className="signing__approve">
            {agreement.signatory ? (
              iApprovedCurrent ? (
                <p className="signing__done" data-testid="you-approved">
                  {t.youApproved}
                </p>
              ) : (
                <>
                  {localErrors > 0 && (
                    <p className="small signing__warn">
                      {fmt(t.errorsBeforeApproval, { n: localErrors })}{' '}
                      <button type="button" className="link-button" onClick={() => openPanel('validation')}>
                        {t.showValidation}
                      </button>
                    </p>
                  )}
                  <button type="button" className="button" onClick={() => setApproveOpen(true)} aria-describedby="approve-hint" aria-haspopup="dialog">
                    {t.approve}
                  </button>
                  <p id="approve-hint" className="small muted">
                    {fmt(t.approveHint, { hash: shortHash(state.currentHash) })}
                  </p>
                </>
              )
            ) : (
              <p className="small muted">{t.notSignatory}</p>
            )}
          </div>
        )}
      </section>

      {state.voided.length > 0 && (
        <section className="signing__block" aria-labelledby="signing-voided-h">
          <h3 id="signing-voided-h" className="signing__h">
            {t.voidedHeading}
          </h3>
          <ul className="voided-list" data-testid="voided-list">
            {state.voided.slice(0, 6).map((v) => (
              <VoidedItem key={v.id} approval={v} />
            ))}
          </ul>
        </section>
      )}

      {locked && agreement.role === 'editor' && (
        <section className="signing__block" aria-labelledby="signing-unlock-h">
          <h3 id="signing-unlock-h" className="signing__h">
            {t.unlockHeading}
          </h3>
          <p className="small">{t.unlockIntro}</p>
          <button type="button" className="button button--secondary" onClick={() => setUnlockOpen(true)}>
            {t.unlock}
          </button>
        </section>
      )}

      <ExportSection />

      <SignedCopySection locked={locked} />

      {agreement.role === 'editor' && !locked && (
        <section className="signing__block" aria-labelledby="signing-import-h">
          <h3 id="signing-import-h" className="signing__h">
            {t.importHeading}
          </h3>
          <p className="small">{t.importIntro}</p>
          <button type="button" className="button button--secondary" onClick={() => setImportOpen(true)}>
            {t.importOpen}
          </button>
        </section>
      )}

      <AuditSection />

      {approveOpen && <ApproveDialog onClose={() => setApproveOpen(false)} />}
      {unlockOpen && <UnlockDialog onClose={() => setUnlockOpen(false)} />}
      {importOpen && <ImportDialog onClose={() => setImportOpen(false)} />}
    </div>
  );
}

/** Who signs for a party: its signatory members (name, title), or the free text marked as missing. */
function Signatories({ partyId }: { partyId: string }) {
  const t = useMessages(signingMessages);
  const { state } = useSigning();
  const entry = state?.signatories?.find((s) => s.partyId === partyId);
  if (!entry) return null;
  if (entry.people.length > 0) {
    return (
      <span className="approval__signatories small" data-testid="party-signatories">
        {t.signatoriesLabel}{' '}
        {entry.people.map((m, i) => (
          <span key={m.userId} data-user={m.userId}>
            {i > 0 ? '; ' : ''}
            {m.title ? fmt(t.signatoryWithTitle, { name: m.name, title: m.title }) : m.name}
          </span>
        ))}
      </span>
    );
  }
  return (
    <span className="approval__signatories small" data-testid="party-signatories" data-missing="true">
      <span className="tag tag--yellow">{t.signatoryMissing}</span>{' '}
      {entry.fallback.length > 0 ? fmt(t.signatoryFallback, { names: entry.fallback.join('; ') }) : t.signatoryMissingHint}
    </span>
  );
}

function VoidedItem({ approval: v }: { approval: Approval }) {
  const t = useMessages(signingMessages);
  const { locale } = useLocale();
  const f = useFormat();
  const voided = v.voided!;
  const who = voided.change?.changedBy?.length ? voided.change.changedBy.map((x) => x.name).join(', ') : voided.by?.name ?? t.someone;
  const changes = voided.change?.changes ?? [];
  return (
    <li className="voided" data-testid="voided-approval">
      <p className="voided__head">
        <span className="tag tag--red">{t.voided}</span>{' '}
        {fmt(t.voidedApproval, { name: v.userName, party: v.partyName, date: f.dateTime(v.createdAt) })}
      </p>
      {voided.reason === 'unlocked' ? (
        <p className="voided__why">{fmt(t.voidedByUnlock, { name: who, date: f.dateTime(voided.at), reason: voided.change?.reason ?? '' })}</p>
      ) : voided.change?.replacedBy ? (
        <p className="voided__why">{fmt(t.voidedReplaced, { date: f.dateTime(voided.at) })}</p>
      ) : (
        <>
          <p className="voided__why">{fmt(t.voidedByChange, { name: who, date: f.dateTime(voided.at) })}</p>
          {changes.length > 0 && (
            <ul className="voided__changes">
              {changes.map((c, i) => (
                <li key={i}>{c[locale]}</li>
              ))}
            </ul>
          )}
        </>
      )}
    </li>
  );
}
