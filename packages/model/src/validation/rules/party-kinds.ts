import type { Finding } from '../../types.ts';
import { PUBLIC_PARTY_KINDS } from '../../types.ts';
import type { Rule } from '../types.ts';

/** At least one public party (kommun or region) and at least one idéburen party. */
export const partyKindsRule: Rule = {
  id: 'party_kinds',
  description: 'At least one public party (kommun/region) and one idéburen party.',
  run({ snapshot }) {
    const findings: Finding[] = [];
    if (!snapshot.parties.some((p) => PUBLIC_PARTY_KINDS.includes(p.kind))) {
      findings.push({
        ruleId: 'party_public_missing',
        severity: 'error',
        target: { kind: 'agreement', field: 'parties' },
        message: {
          sv: 'Överenskommelsen saknar en offentlig part. Bjud in en kommun eller region som part.',
          en: 'The agreement has no public party. Invite a municipality (kommun) or region as a party.',
        },
      });
    }
    if (!snapshot.parties.some((p) => p.kind === 'ideburen')) {
      findings.push({
        ruleId: 'party_ideburen_missing',
        severity: 'error',
        target: { kind: 'agreement', field: 'parties' },
        message: {
          sv: 'Överenskommelsen saknar en idéburen part. Bjud in den idéburna organisationen som part.',
          en: 'The agreement has no idea-driven (idéburen) party. Invite the idea-driven organisation as a party.',
        },
      });
    }
    return findings;
  },
};
