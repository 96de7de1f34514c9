/**
 * Extension points of the agreement page, for features that live in `src/features/<name>/`.
 *
 * A feature module `src/features/<name>/index.ts(x)` is loaded automatically (see ./features.ts) and
 * calls `registerFeature({...})` once. Nothing in the shell imports a feature by name, so features can
 * be added without touching shell files.
 *
 * - `sidePanelTabs`: tabs in the right-hand side panel (Validering / Kommentarer / Versioner …).
 *   `Panel` renders inside the tab panel; read everything from `useAgreement()`.
 * - `editorExtensions(ctx)`: extra Tiptap extensions/marks for every section editor (e.g. a comment mark).
 * - `selectionActions`: buttons in each section's toolbar that act on the current selection
 *   (e.g. "Kommentera"). They stay available in read-only editors unless `needsEdit` is set.
 * - `SectionOutlineBadge`: a small element next to a section in the outline (e.g. a comment count).
 * - `SectionFooter`: rendered under each section editor.
 * - `PageProvider`: wraps the whole agreement page (e.g. a store fed by the events stream).
 * - `HeaderActions`: buttons in the agreement's title bar, next to "Bjud in" (e.g. approve, export).
 * - `Banner`: a notice above the document (e.g. "approvals were voided by …", "locked as version 3").
 */
import type { AnyExtension, Editor } from '@tiptap/core';
import type { ComponentType, ReactNode } from 'react';
import type { Locale } from '../i18n/index.tsx';
import type { AgreementContextValue } from './agreement-context.tsx';

export interface SidePanelTab {
  /** Stable id, also used by `openPanel(id)`: 'validation' | 'comments' | 'versions' | … */
  id: string;
  /** Sort order left → right (validation 10, comments 20, versions 30). */
  order: number;
  label: (locale: Locale) => string;
  Panel: ComponentType;
  /** Optional count or marker shown in the tab (e.g. open comments). */
  Badge?: ComponentType;
}

export interface EditorExtensionContext {
  sectionId: string;
  agreement: AgreementContextValue;
}

export interface SelectionActionArgs {
  editor: Editor;
  sectionId: string;
  from: number;
  to: number;
  /** The selected text. */
  text: string;
  agreement: AgreementContextValue;
}

export interface SelectionAction {
  id: string;
  label: (locale: Locale) => string;
  /** Keyboard shortcut in Tiptap notation, shown as a hint (binding it is the feature's job). */
  shortcut?: string;
  /** Hide the action from users who cannot edit the document. Default false (commenters can comment). */
  needsEdit?: boolean;
  run: (args: SelectionActionArgs) => void;
}

export interface AgreementFeature {
  id: string;
  sidePanelTabs?: SidePanelTab[];
  editorExtensions?: (ctx: EditorExtensionContext) => AnyExtension[];
  /** Loads what `editorExtensions` and `selectionActions` need (editor code is its own chunk); awaited before any editor is made. */
  loadEditorParts?: () => Promise<unknown>;
  selectionActions?: SelectionAction[];
  SectionOutlineBadge?: ComponentType<{ sectionId: string }>;
  SectionFooter?: ComponentType<{ sectionId: string }>;
  PageProvider?: ComponentType<{ children: ReactNode }>;
  HeaderActions?: ComponentType;
  Banner?: ComponentType;
}

const features: AgreementFeature[] = [];

export function registerFeature(feature: AgreementFeature): void {
  const i = features.findIndex((f) => f.id === feature.id);
  if (i >= 0) features[i] = feature; // hot reload
  else features.push(feature);
}

export function getFeatures(): readonly AgreementFeature[] {
  return features;
}

/** Resolves when every feature's editor parts are loaded. */
export function loadEditorParts(): Promise<unknown> {
  return Promise.all(features.map((f) => f.loadEditorParts?.()));
}

export function getSidePanelTabs(): SidePanelTab[] {
  return features.flatMap((f) => f.sidePanelTabs ?? []).sort((a, b) => a.order - b.order);
}
