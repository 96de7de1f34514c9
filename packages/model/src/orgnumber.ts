import Organisationsnummer from 'organisationsnummer';
import type { PartyKind } from './types.ts';

/**
 * Swedish organisation numbers (organisationsnummer): NNNNNN-NNNN, Luhn check digit, third digit >= 2
 * (which tells them apart from personal identity numbers), optionally written with a `16` prefix.
 * The first digit is the legal-form group: 2 = state, regions, municipalities, parishes; 5 = limited
 * companies; 7 = economic associations; 8 = non-profit associations and foundations; 9 = partnerships.
 */
export interface OrgNumberCheck {
  valid: boolean;
  /** `NNNNNN-NNNN` when valid. */
  normalized: string | null;
  /** Legal-form group digit when valid. */
  group: number | null;
  /** Why it is invalid: 'empty' | 'format' | 'checksum' | 'personal_number'. */
  reason?: 'empty' | 'format' | 'checksum' | 'personal_number';
}

export function checkOrgNumber(input: string): OrgNumberCheck {
  const raw = input.trim();
  if (raw === '') return { valid: false, normalized: null, group: null, reason: 'empty' };
  const compact = raw.replace(/[\s-]/g, '');
  if (!/^(16)?\d{10}$/.test(compact)) return { valid: false, normalized: null, group: null, reason: 'format' };
  const ten = compact.length === 12 ? compact.slice(2) : compact;
  if (Number(ten[2]) < 2) return { valid: false, normalized: null, group: null, reason: 'personal_number' };
  if (!Organisationsnummer.valid(ten)) return { valid: false, normalized: null, group: null, reason: 'checksum' };
  return { valid: true, normalized: `${ten.slice(0, 6)}-${ten.slice(6)}`, group: Number(ten[0]) };
}

/** True when the number's legal-form group is plausible for the party kind. */
export function orgNumberFitsKind(group: number, kind: PartyKind): boolean {
  if (kind === 'kommun' || kind === 'region') return group === 2;
  // idéburna: non-profit associations/foundations (8), economic associations (7), faith communities (2)
  return group === 8 || group === 7 || group === 2;
}
