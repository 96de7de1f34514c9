/**
 * The changes of a revision in progress against the signed final version it amends, in the versions
 * feature's redline view (one click from the banner or from the agreements list).
 */
import type { AgreementRedline } from '@overens/model';
import { useEffect, useState } from 'react';
import { http } from '../../api/client.ts';
import { Dialog } from '../../components/Dialog.tsx';
import { Loading } from '../../components/Layout.tsx';
import { fmt, useMessages } from '../../i18n/index.tsx';
import { followUpMessages } from '../../i18n/messages/follow-up.ts';
import { signingApi } from '../signing/api.ts';
import { RedlineView } from '../versions/RedlineView.tsx';

export function RedlineDialog({ agreementId, signedNumber, onClose }: { agreementId: string; signedNumber: number; onClose: () => void }) {
  const t = useMessages(followUpMessages);
  const [redline, setRedline] = useState<AgreementRedline | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let live = true;
    void (async () => {
      try {
        const finals = await signingApi.finalVersions(agreementId);
        const signed = finals.find((v) => v.number === signedNumber) ?? finals.at(-1);
        if (!signed) throw new Error('no final version');
        const base = `/api/agreements/${encodeURIComponent(agreementId)}/versions/compare`;
        const data = await http.get<AgreementRedline>(`${base}?from=${encodeURIComponent(signed.versionId)}&to=current`);
        if (live) setRedline(data);
      } catch {
        if (live) setFailed(true);
      }
    })();
    return () => {
      live = false;
    };
  }, [agreementId, signedNumber]);
  return (
    <Dialog title={fmt(t.redlineTitle, { number: signedNumber })} closeLabel={t.close} onClose={onClose} className="redline-dialog" testId="revision-redline">
      {failed ? (
        <p className="field__error" role="alert">
          {t.redlineError}
        </p>
      ) : redline ? (
        <RedlineView redline={redline} />
      ) : (
        <Loading />
      )}
    </Dialog>
  );
}
