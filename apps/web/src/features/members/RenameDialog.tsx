/** "Byt namn": rename the agreement (editors). A modal dialog with a labelled input. */
import { useEffect } from 'react';
import { renameAgreementSchema } from '@overens/model/requests';
import { api } from '../../api/client.ts';
import { Dialog } from '../../components/Dialog.tsx';
import { Form, SubmitButton, TextField, useZodForm } from '../../components/forms.tsx';
import { useMessages } from '../../i18n/index.tsx';
import { membersMessages } from '../../i18n/messages/members.ts';
import { useAgreement } from '../../shell/agreement-context.tsx';

export function RenameDialog({ onClose }: { onClose: () => void }) {
  const t = useMessages(membersMessages);
  const { agreement, agreementId, refreshAgreement } = useAgreement();
  const f = useZodForm({
    schema: renameAgreementSchema,
    defaultValues: { title: agreement.title },
    wording: { title: { required: t.titleRequired } },
    focusField: true,
    onSubmit: async ({ title }) => {
      await api.updateAgreement(agreementId, { title });
      await refreshAgreement();
      onClose();
    },
  });
  const { setFocus } = f.form;

  // After the dialog opened (its effect runs first): the name, selected, ready to be typed over.
  useEffect(() => {
    setFocus('title', { shouldSelect: true });
  }, [setFocus]);

  return (
    <Dialog title={t.renameTitle} closeLabel={t.close} onClose={onClose}>
      <Form form={f} summary={false}>
        <TextField label={t.titleLabel} announceError required aria-required="true" maxLength={200} {...f.field('title')} />
        <div className="button-row">
          <SubmitButton form={f} busyLabel={t.saving}>
            {t.save}
          </SubmitButton>
          <button type="button" className="button button--secondary" onClick={onClose}>
            {t.cancel}
          </button>
        </div>
      </Form>
    </Dialog>
  );
}
