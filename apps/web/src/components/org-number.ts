/** The Swedish organisation number, checked as it is typed. */
import Organisationsnummer from 'organisationsnummer';

export type OrgNumberState = 'empty' | 'incomplete' | 'valid' | 'invalid';

/** As-you-type check with the `organisationsnummer` package (form and Luhn check digit). */
export function checkOrgNumber(raw: string): OrgNumberState {
  const digits = raw.replace(/\D/g, '');
  if (!digits) return 'empty';
  if (digits.length < 10) return /^[\d\s-]*$/.test(raw) ? 'incomplete' : 'invalid';
  try {
    return Organisationsnummer.valid(raw.trim()) ? 'valid' : 'invalid';
  } catch {
    return 'invalid';
  }
}
