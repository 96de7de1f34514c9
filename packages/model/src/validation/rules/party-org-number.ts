import type { Finding } from '../../types.ts';
import { checkOrgNumber, orgNumberFitsKind } from '../../orgnumber.ts';
import type { Rule } from '../types.ts';
import { partyLabel } from '../util.ts';

const REASON = {
  empty: { sv: 'saknas', en: 'is missing' },
  format: { sv: 'har fel form (ska vara tio siffror, NNNNNN-NNNN)', en: 'has the wrong form (ten digits, NNNNNN-NNNN)' },
  checksum: { sv: 'är ogiltigt (kontrollsiffran stämmer inte)', en: 'is invalid (the check digit does not match)' },
  personal_number: {
    sv: 'är ett personnummer, inte ett organisationsnummer',
    en: 'is a personal identity number, not an organisation number',
  },
} as const;

const KIND_SV = { kommun: 'en kommun', region: 'en region', ideburen: 'en idéburen organisation' } as const;
const KIND_EN = { kommun: 'a municipality', region: 'a region', ideburen: 'an idea-driven organisation' } as const;

/** Every party has a valid Swedish organisation number that fits its kind. */
export const partyOrgNumberRule: Rule = {
  id: 'party_org_number',
  description: 'Every party has a valid organisation number (Luhn and form); its legal-form group fits the party kind (warning).',
  run({ snapshot }) {
    const findings: Finding[] = [];
    for (const party of snapshot.parties) {
      const check = checkOrgNumber(party.orgNumber);
      const name = partyLabel(party);
      if (!check.valid) {
        const reason = REASON[check.reason ?? 'format'];
        findings.push({
          ruleId: 'party_org_number',
          severity: 'error',
          target: { kind: 'party', partyId: party.id, field: 'orgNumber' },
          message: {
            sv: `Organisationsnumret för ${name}${party.orgNumber ? ` (${party.orgNumber})` : ''} ${reason.sv}. Rätta det under Parter.`,
            en: `The organisation number of ${name}${party.orgNumber ? ` (${party.orgNumber})` : ''} ${reason.en}. Correct it under Parties.`,
          },
        });
      } else if (!orgNumberFitsKind(check.group!, party.kind)) {
        findings.push({
          ruleId: 'party_org_number_form',
          severity: 'warning',
          target: { kind: 'party', partyId: party.id, field: 'orgNumber' },
          message: {
            sv: `Organisationsnumret ${check.normalized} för ${name} ser inte ut att tillhöra ${KIND_SV[party.kind]}. Kontrollera numret och partens typ.`,
            en: `The organisation number ${check.normalized} of ${name} does not look like that of ${KIND_EN[party.kind]}. Check the number and the party type.`,
          },
        });
      }
    }
    return findings;
  },
};
