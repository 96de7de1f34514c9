/**
 * "Ändra eller förläng": choose amendment or renewal, read what happens, confirm. The server reopens the
 * agreement as a draft that begins as the signed text; the signed final version stays as it is.
 */
import { useId, useRef, useState } from 'react';
import { Dialog } from '../../components/Dialog.tsx';
import { useErrorState } from '../../components/forms.tsx';
import { fmt, useMessages } from '../../i18n/index.tsx';
import { followUpMessages } from '../../i18n/messages/follow-up.ts';
import { followUpApi, type FinalVersionLink, type Revision, type RevisionKind } from './api.ts';
import { revisionLabel } from './labels.ts';

export interface RevisionDialogProps {
  agreementId: string;
  /** The signed final version the revision starts from. */
  signed: { number: number; hash: string };
  finalVersions: FinalVersionLink[];
  onClose: () => void;
  onStarted: (revision: Revision, label: string) => void;
}

/** The label the next revision of this kind will get: one more than the final versions of that kind so far. */
export function nextLabel(t: Parameters<typeof revisionLabel>[0], kind: RevisionKind, finalVersions: FinalVersionLink[]): string {
  return revisionLabel(t, kind, finalVersions.filter((v) => v.kind === kind).length + 1);
}

export function RevisionDialog({ agreementId, signed, finalVersions, onClose, onStarted }: RevisionDialogProps) {
  const t = useMessages(followUpMessages);
  const id = useId().replace(/:/g, '');
  const [kind, setKind] = useState<RevisionKind>('amendment');
  const [busy, setBusy] = useState(false);
  const errors = useErrorState();
  const firstRef = useRef<HTMLInputElement>(null);
  const label = nextLabel(t, kind, finalVersions);
  const next = Math.max(signed.number, ...finalVersions.map((v) => v.number)) + 1;

  const start = async () => {
    errors.clear();
    setBusy(true);
    try {
      const revision = await followUpApi.startRevision(agreementId, kind);
      onStarted(revision, revisionLabel(t, revision.kind, revision.number));
    } catch (e) {
      errors.fail(e);
      setBusy(false);
    }
  };

  return (
    <Dialog title={t.reviseTitle} closeLabel={t.close} onClose={onClose} initialFocus={firstRef} describedBy={`${id}-intro`} testId="revision-dialog">
      <p id={`${id}-intro`}>{fmt(t.reviseIntro, { number: signed.number, hash: signed.hash.slice(0, 12) })}</p>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void start();
        }}
      >
        <fieldset className="fieldset">
          <legend className="fieldset__legend">{t.reviseKind}</legend>
          <div className="radios">
            <label className="radio radio--card">
              <input ref={firstRef} type="radio" name={`${id}-kind`} value="amendment" checked={kind === 'amendment'} onChange={() => setKind('amendment')} aria-describedby={`${id}-amendment-hint`} />
              <span>
                {t.kindAmendment}
                <span id={`${id}-amendment-hint`} className="field__hint">
                  {t.kindAmendmentHint}
                </span>
              </span>
            </label>
            <label className="radio radio--card">
              <input type="radio" name={`${id}-kind`} value="renewal" checked={kind === 'renewal'} onChange={() => setKind('renewal')} aria-describedby={`${id}-renewal-hint`} />
              <span>
                {t.kindRenewal}
                <span id={`${id}-renewal-hint`} className="field__hint">
                  {t.kindRenewalHint}
                </span>
              </span>
            </label>
          </div>
        </fieldset>
        <p className="fieldset__legend">{t.reviseWhat}</p>
        <ol className="revision-steps">
          <li>{t.reviseStep1}</li>
          <li>{t.reviseStep2}</li>
          <li>{fmt(t.reviseStep3, { next, label })}</li>
          <li>{t.reviseStep4}</li>
        </ol>
        {errors.message && (
          <p className="field__error" role="alert">
            {errors.message}
          </p>
        )}
        <div className="button-row">
          <button type="submit" className="button" disabled={busy}>
            {busy ? t.reviseBusy : fmt(t.reviseConfirm, { label })}
          </button>
          <button type="button" className="button button--secondary" onClick={onClose}>
            {t.cancel}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
