/**
 * Version history, registered as an agreement page feature: the "Versioner" tab (VersionsPanel.tsx),
 * loaded with the redline renderer only when the tab is opened.
 */
import { lazy } from 'react';
import { versionMessages } from '../../i18n/messages/versions.ts';
import { registerFeature } from '../../shell/registry.ts';
import './versions.css';

const VersionsPanel = lazy(() => import('./VersionsPanel.tsx').then((m) => ({ default: m.VersionsPanel })));

registerFeature({
  id: 'versions',
  sidePanelTabs: [{ id: 'versions', order: 30, label: (l) => versionMessages[l].tab, Panel: VersionsPanel }],
});
