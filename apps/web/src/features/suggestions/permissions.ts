/**
 * Who may do what with suggestions, from the server's policies (`AgreementDetail.policies`,
 * apps/server/src/policies): `document.edit` (edit directly), `document.suggest` (suggest: editors and
 * commenters, not when locked), `suggestion.decide` (accept / reject: editors). A cached description
 * from before a policy existed falls back to the role. The server decides in the end.
 */
import type { AgreementContextValue } from '../../shell/agreement-context.tsx';
import { allowedModes, type EditMode } from './mode.ts';

type Policies = Record<string, boolean | undefined>;

function policies(a: Pick<AgreementContextValue, 'agreement'>): Policies | undefined {
  return (a.agreement as { policies?: Policies }).policies;
}

export function maySuggest(a: Pick<AgreementContextValue, 'agreement' | 'readOnly'>): boolean {
  const p = policies(a)?.['document.suggest'];
  // Before the server knows suggest mode, only those who may edit suggest (their updates pass anyway).
  return p ?? !a.readOnly;
}

export function mayDecide(a: Pick<AgreementContextValue, 'agreement' | 'readOnly'>): boolean {
  const p = policies(a)?.['suggestion.decide'];
  return (p ?? a.agreement.role === 'editor') && a.agreement.status !== 'locked';
}

export function modesFor(a: Pick<AgreementContextValue, 'agreement' | 'readOnly'>): EditMode[] {
  return allowedModes(!a.readOnly, maySuggest(a));
}
