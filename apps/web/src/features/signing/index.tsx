/**
 * Approval, locking, export, Word import and the audit trail (issue 6), registered as an agreement
 * page feature: the "Signering" tab (with the audit trail, "Händelser", at its end) and a page provider
 * that keeps the approval state live (events stream) and shows the "Slutlig version N" banner across
 * the page. No tab badge: four tabs only just fit the side panel on one line, and the banner says
 * "locked" already.
 */
import { lazy } from 'react';
import { signingMessages } from '../../i18n/messages/signing.ts';
import { registerFeature } from '../../shell/registry.ts';
import { SigningProvider } from './store.tsx';
import './signing.css';

// The panel (approval, export, import, audit trail) loads when its tab opens.
const SigningPanel = lazy(() => import('./SigningPanel.tsx').then((m) => ({ default: m.SigningPanel })));

registerFeature({
  id: 'signing',
  PageProvider: SigningProvider,
  sidePanelTabs: [{ id: 'signing', order: 40, label: (l) => signingMessages[l].tab, Panel: SigningPanel }],
});
