import type { Finding } from '../../types.ts';
import type { Rule } from '../types.ts';
import { partyLabel } from '../util.ts';

/** Every party has at least one named signatory; a signatory without a title is a warning. */
export const partySignatoriesRule: Rule = {
  id: 'party_signatory',
  description: 'Every party has at least one signatory with a name (title missing: warning).',
  run({ snapshot }) {
    const findings: Finding[] = [];
    for (const party of snapshot.parties) {
      const name = partyLabel(party);
      const named = party.signatories.filter((s) => s.name.trim() !== '');
      if (named.length === 0) {
        findings.push({
          ruleId: 'party_signatory_missing',
          severity: 'error',
          target: { kind: 'party', partyId: party.id, field: 'signatories' },
          message: {
            sv: `${name} har ingen firmatecknare. Ange vem som skriver under för ${name} under Parter.`,
            en: `${name} has no signatory. Name who signs for ${name} under Parties.`,
          },
        });
        continue;
      }
      for (const s of named) {
        if (s.title.trim() === '') {
          findings.push({
            ruleId: 'party_signatory_title',
            severity: 'warning',
            target: { kind: 'party', partyId: party.id, field: 'signatories' },
            message: {
              sv: `Firmatecknaren ${s.name.trim()} hos ${name} saknar titel. Titeln skrivs ut på underskriftssidan.`,
              en: `The signatory ${s.name.trim()} of ${name} has no title. The title is printed on the signature page.`,
            },
          });
        }
      }
    }
    return findings;
  },
};
