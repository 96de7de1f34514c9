import type { Finding } from '../../types.ts';
import type { Rule } from '../types.ts';
import { partyLabel } from '../util.ts';

/** Every party names a contact person (with a way to reach them). */
export const partyContactsRule: Rule = {
  id: 'party_contact',
  description: 'Every party has a contact person with a name; a contact without e-mail or phone is a warning.',
  run({ snapshot }) {
    const findings: Finding[] = [];
    for (const party of snapshot.parties) {
      const name = partyLabel(party);
      const named = party.contacts.filter((c) => c.name.trim() !== '');
      if (named.length === 0) {
        findings.push({
          ruleId: 'party_contact_missing',
          severity: 'error',
          target: { kind: 'party', partyId: party.id, field: 'contacts' },
          message: {
            sv: `${name} har ingen kontaktperson. Lägg till en kontaktperson med namn under Parter.`,
            en: `${name} has no contact person. Add a named contact person under Parties.`,
          },
        });
        continue;
      }
      for (const c of named) {
        if (c.email.trim() === '' && c.phone.trim() === '') {
          findings.push({
            ruleId: 'party_contact_unreachable',
            severity: 'warning',
            target: { kind: 'party', partyId: party.id, field: 'contacts' },
            message: {
              sv: `Kontaktpersonen ${c.name.trim()} hos ${name} saknar både e-post och telefon. Fyll i minst ett av dem.`,
              en: `The contact person ${c.name.trim()} of ${name} has neither e-mail nor phone. Add at least one.`,
            },
          });
        }
      }
    }
    return findings;
  },
};
