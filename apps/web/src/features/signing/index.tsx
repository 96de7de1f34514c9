/**
 * Approval, locking, export, Word import and the audit trail (issue 6), registered as an agreement
 * page feature: the "Signering" tab (with the audit trail, "Händelser", at its end) and a page provider that keeps the approval
 * state live (events stream) and shows the "Slutlig version N" banner across the page.
 */
import { signingMessages } from '../../i18n/messages/signing.ts';
import { registerFeature } from '../../shell/registry.ts';
import { LockIcon } from './LockIcon.tsx';
import { SigningPanel } from './SigningPanel.tsx';
import { SigningProvider, useSigning } from './store.tsx';
import './signing.css';

function SigningBadge() {
  const { state } = useSigning();
  if (!state) return null;
  if (state.status === 'locked')
    return (
      <span className="badge badge--ok tabs__badge" aria-hidden="true">
        <LockIcon size={14} />
      </span>
    );
  return null;
}

registerFeature({
  id: 'signing',
  PageProvider: SigningProvider,
  sidePanelTabs: [
    { id: 'signing', order: 40, label: (l) => signingMessages[l].tab, Panel: SigningPanel, Badge: SigningBadge },
  ],
});
