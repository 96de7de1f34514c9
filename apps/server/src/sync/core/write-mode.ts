/**
 * What a connection may do with the document, decided by the policy module (never here):
 * `document.edit` -> 'edit' (its updates are applied as they are), `document.suggest` -> 'suggest'
 * (its updates go through the extensions' beforeUpdate, which must check that they only add
 * suggestions, issue #16), anything else -> 'read' (its updates are dropped with a notice).
 */
import { can } from '../../policies/index.ts';
import type { Role } from '../connection.ts';

export type WriteMode = 'edit' | 'suggest' | 'read';

export interface WriteModeInput {
  userId: string;
  role: Role;
  partyId: string;
  locked: boolean;
  /** an extension's onAuthenticate made the socket read-only, whatever its role */
  forcedReadOnly?: boolean;
}

export function writeMode(i: WriteModeInput): WriteMode {
  if (i.forcedReadOnly) return 'read';
  const actor = { userId: i.userId, role: i.role, partyId: i.partyId, signatory: false };
  const agreement = { status: i.locked ? ('locked' as const) : ('draft' as const) };
  if (can(actor, 'document.edit', agreement)) return 'edit';
  if (can(actor, 'document.suggest', agreement)) return 'suggest';
  return 'read';
}
