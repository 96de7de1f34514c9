import { describe, expect, it } from 'vitest';
import { completeFixtureSnapshot } from '../../fixtures/index.ts';
import { STANDARD_TEMPLATE } from '../../templates/standard.ts';
import { runRule } from '../context.ts';
import { partyContactsRule } from './party-contacts.ts';

describe('party contacts', () => {
  it('passes when every party has a reachable contact person', () => {
    expect(runRule(partyContactsRule, completeFixtureSnapshot(), STANDARD_TEMPLATE)).toEqual([]);
  });

  it('reports a party without a named contact, and warns about an unreachable one', () => {
    const s = completeFixtureSnapshot();
    s.parties[0]!.contacts = [{ id: 'c', name: '  ', title: '', email: 'x@example.se', phone: '' }];
    s.parties[1]!.contacts[0]!.email = '';
    s.parties[1]!.contacts[0]!.phone = '';
    const f = runRule(partyContactsRule, s, STANDARD_TEMPLATE);
    expect(f.map((x) => [x.ruleId, x.severity, x.target])).toEqual([
      ['party_contact_missing', 'error', { kind: 'party', partyId: s.parties[0]!.id, field: 'contacts' }],
      ['party_contact_unreachable', 'warning', { kind: 'party', partyId: s.parties[1]!.id, field: 'contacts' }],
    ]);
    expect(f[0]?.message.sv).toContain('Föreningen Läxhjälp Malmö har ingen kontaktperson');
  });
});
