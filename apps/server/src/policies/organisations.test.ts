/** The organisation rules as a table: every action × role (admin, member, non-member) × kept duplicate or not. */
import { describe, expect, it } from 'vitest';
import { DomainError } from '../domain/errors.ts';
import {
  authorizeOperator,
  authorizeOrganisation,
  authorizeSigningParties,
  canOnOrganisation,
  isOperator,
  ORGANISATION_ACTIONS,
  unverifiedPublicParties,
  type OrganisationAction,
} from './organisations.ts';

type Row = [OrganisationAction, 'admin' | 'member' | null, boolean, boolean];
const TABLE: Row[] = [
  // action, role, duplicate, allowed
  ['organisation.read', 'admin', false, true],
  ['organisation.read', 'member', false, true],
  ['organisation.read', null, false, false],
  ['organisation.manageMembers', 'admin', false, true],
  ['organisation.manageMembers', 'admin', true, true],
  ['organisation.manageMembers', 'member', false, false],
  ['organisation.manageMembers', null, false, false],
  ['organisation.decideJoin', 'admin', false, true],
  ['organisation.decideJoin', 'admin', true, false],
  ['organisation.decideJoin', 'member', false, false],
  ['organisation.decideJoin', null, false, false],
  ['organisation.manageDomains', 'admin', false, true],
  ['organisation.manageDomains', 'admin', true, false],
  ['organisation.manageDomains', 'member', false, false],
  ['organisation.requestJoin', null, false, true],
  ['organisation.requestJoin', null, true, false],
  ['organisation.requestJoin', 'member', false, false],
  ['organisation.requestJoin', 'admin', false, false],
  ['organisation.invite', 'admin', false, true],
  ['organisation.invite', 'admin', true, false],
  ['organisation.invite', 'member', false, false],
  ['organisation.invite', null, false, false],
  ['organisation.acceptInvitation', null, false, true],
  ['organisation.acceptInvitation', null, true, false],
  ['organisation.acceptInvitation', 'member', false, false],
  ['organisation.acceptInvitation', 'admin', false, false],
];

describe('organisation rules', () => {
  it('the table covers every action', () => {
    expect(new Set(TABLE.map((r) => r[0]))).toEqual(new Set(ORGANISATION_ACTIONS));
  });
  it.each(TABLE)('%s by %s (duplicate: %s) → %s', (action, role, duplicate, allowed) => {
    const actor = { userId: 'u', role };
    expect(canOnOrganisation(actor, action, { duplicate })).toBe(allowed);
    if (allowed) expect(() => authorizeOrganisation(actor, action, { duplicate })).not.toThrow();
    else expect(() => authorizeOrganisation(actor, action, { duplicate })).toThrow(DomainError);
  });
  it('non-members get 404, not a hint that the organisation exists', () => {
    try {
      authorizeOrganisation({ userId: 'u', role: null }, 'organisation.decideJoin', { duplicate: false });
    } catch (e) {
      expect((e as DomainError).kind).toBe('not-found');
    }
  });
});

describe('organisation invitations', () => {
  it('a member opening an invitation gets 409 already-member; a non-member inviting gets 404', () => {
    expect(() => authorizeOrganisation({ userId: 'u', role: 'member' }, 'organisation.acceptInvitation', { duplicate: false })).toThrow(
      expect.objectContaining({ kind: 'conflict', code: 'already-member' }),
    );
    expect(() => authorizeOrganisation({ userId: 'u', role: 'member' }, 'organisation.invite', { duplicate: false })).toThrow(expect.objectContaining({ kind: 'forbidden' }));
    expect(() => authorizeOrganisation({ userId: 'u', role: null }, 'organisation.invite', { duplicate: false })).toThrow(expect.objectContaining({ kind: 'not-found' }));
  });
});

describe('operators', () => {
  const listed = ['olga@drift.example'];
  it.each([
    ['listed, verified, mail on', 'Olga@Drift.example', new Date(), true, true],
    ['listed, unverified, mail on', 'olga@drift.example', null, true, false],
    ['listed, unverified, no mail', 'olga@drift.example', null, false, true],
    ['not listed', 'maja@exempel.se', new Date(), true, false],
  ] as const)('%s', (_l, email, emailVerifiedAt, mail, expected) => {
    expect(isOperator(listed, { email, emailVerifiedAt }, mail)).toBe(expected);
    if (!expected) expect(() => authorizeOperator(listed, { email, emailVerifiedAt }, mail)).toThrow(/operator/);
  });
});

describe('the signing gate', () => {
  const parties = [
    { id: 'n', name: 'Föreningen', kind: 'ideburen' as const, verified: false },
    { id: 'k', name: 'Malmö stad', kind: 'kommun' as const, verified: false },
    { id: 'r', name: 'Region Skåne', kind: 'region' as const, verified: true },
  ];
  it('only unverified kommuner and regioner block', () => {
    expect(unverifiedPublicParties(parties).map((p) => p.id)).toEqual(['k']);
  });
  it('refuses with what to do and who verifies; passes when off or verified', () => {
    expect(() => authorizeSigningParties(parties, { required: true, operators: ['olga@drift.example'] })).toThrow(/Malmö stad is not verified.*olga@drift\.example/);
    expect(() => authorizeSigningParties(parties, { required: false, operators: [] })).not.toThrow();
    expect(() => authorizeSigningParties(parties.map((p) => ({ ...p, verified: true })), { required: true, operators: [] })).not.toThrow();
    try {
      authorizeSigningParties(parties, { required: true, operators: [] });
    } catch (e) {
      const d = e as DomainError;
      expect(d.code).toBe('unverified-public-party');
      expect(d.options.messages?.sv).toContain('OVERENS_ADMIN_EMAILS');
    }
  });
});
