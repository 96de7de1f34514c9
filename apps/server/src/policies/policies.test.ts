/**
 * The rules as a table: every action × role × agreement state × own/other party. Read this to
 * answer "may a <role> do <action> on a <draft|locked> agreement, for their own party or another?".
 * Columns: draft·own, draft·other, locked·own, locked·other ("own" = the target is the actor's party
 * and the actor's own thing; "other" = another party's member, another author). Y allowed, N refused.
 */
import { describe, expect, it } from 'vitest';
import { DomainError } from '../domain/errors.ts';
import { ACTIONS, abilities, authorize, can, type Action, type Actor } from './index.ts';

const ROWS = ['editor', 'commenter', 'viewer', 'signatory viewer'] as const;
type Row = (typeof ROWS)[number];

const TABLE: Record<Action, Record<Row, string>> = {
  //                       editor    commenter  viewer   signatory viewer
  'agreement.read':      { editor: 'YYYY', commenter: 'YYYY', viewer: 'YYYY', 'signatory viewer': 'YYYY' },
  'agreement.rename':    { editor: 'YYNN', commenter: 'NNNN', viewer: 'NNNN', 'signatory viewer': 'NNNN' },
  'agreement.archive':   { editor: 'YYYY', commenter: 'NNNN', viewer: 'NNNN', 'signatory viewer': 'NNNN' },
  'document.edit':       { editor: 'YYNN', commenter: 'NNNN', viewer: 'NNNN', 'signatory viewer': 'NNNN' },
  'document.suggest':    { editor: 'YYNN', commenter: 'YYNN', viewer: 'NNNN', 'signatory viewer': 'NNNN' },
  'suggestion.decide':   { editor: 'YYNN', commenter: 'NNNN', viewer: 'NNNN', 'signatory viewer': 'NNNN' },
  'section.markAgreed':  { editor: 'YYNN', commenter: 'NNNN', viewer: 'NNNN', 'signatory viewer': 'NNNN' },
  'comment.create':      { editor: 'YYYY', commenter: 'YYYY', viewer: 'NNNN', 'signatory viewer': 'NNNN' },
  'comment.resolve':     { editor: 'YYYY', commenter: 'YYYY', viewer: 'NNNN', 'signatory viewer': 'NNNN' },
  'comment.editOwn':     { editor: 'YNYN', commenter: 'YNYN', viewer: 'NNNN', 'signatory viewer': 'NNNN' },
  'comment.readInternal':{ editor: 'YNYN', commenter: 'YNYN', viewer: 'YNYN', 'signatory viewer': 'YNYN' },
  'member.manage':       { editor: 'YNYN', commenter: 'NNNN', viewer: 'NNNN', 'signatory viewer': 'NNNN' },
  'member.leave':        { editor: 'YNYN', commenter: 'YNYN', viewer: 'YNYN', 'signatory viewer': 'YNYN' },
  'party.remove':        { editor: 'YNNN', commenter: 'NNNN', viewer: 'NNNN', 'signatory viewer': 'NNNN' },
  'invitation.create':   { editor: 'YYNN', commenter: 'NNNN', viewer: 'NNNN', 'signatory viewer': 'NNNN' },
  'approval.give':       { editor: 'NNNN', commenter: 'NNNN', viewer: 'NNNN', 'signatory viewer': 'YYNN' },
  'agreement.unlock':    { editor: 'NNYY', commenter: 'NNNN', viewer: 'NNNN', 'signatory viewer': 'NNNN' },
  'import.apply':        { editor: 'YYNN', commenter: 'NNNN', viewer: 'NNNN', 'signatory viewer': 'NNNN' },
  'version.create':      { editor: 'YYYY', commenter: 'NNNN', viewer: 'NNNN', 'signatory viewer': 'NNNN' },
  'version.restore':     { editor: 'YYNN', commenter: 'NNNN', viewer: 'NNNN', 'signatory viewer': 'NNNN' },
  'signedCopy.upload':   { editor: 'NNYY', commenter: 'NNNN', viewer: 'NNNN', 'signatory viewer': 'NNYY' },
  'signedCopy.read':     { editor: 'YYYY', commenter: 'YYYY', viewer: 'YYYY', 'signatory viewer': 'YYYY' },
  'export.draft':        { editor: 'YYYY', commenter: 'YYYY', viewer: 'YYYY', 'signatory viewer': 'YYYY' },
  'export.signing':      { editor: 'NNYY', commenter: 'NNYY', viewer: 'NNYY', 'signatory viewer': 'NNYY' },
  'event.receive':       { editor: 'YNYN', commenter: 'YNYN', viewer: 'YNYN', 'signatory viewer': 'YNYN' },
  // Follow-up: the target party is the goal's responsible party (record) or the recorder's party (confirm).
  'followUp.read':       { editor: 'YYYY', commenter: 'YYYY', viewer: 'YYYY', 'signatory viewer': 'YYYY' },
  'measurement.record':  { editor: 'YNYN', commenter: 'NNNN', viewer: 'NNNN', 'signatory viewer': 'NNNN' },
  'measurement.confirm': { editor: 'NYNY', commenter: 'NNNN', viewer: 'NNNN', 'signatory viewer': 'NNNN' },
  'measurement.comment': { editor: 'YYYY', commenter: 'YYYY', viewer: 'NNNN', 'signatory viewer': 'NNNN' },
  'followUp.report':     { editor: 'YYYY', commenter: 'YYYY', viewer: 'YYYY', 'signatory viewer': 'YYYY' },
  'revision.start':      { editor: 'NNYY', commenter: 'NNNN', viewer: 'NNNN', 'signatory viewer': 'NNNN' },
  'revision.withdraw':   { editor: 'YYNN', commenter: 'NNNN', viewer: 'NNNN', 'signatory viewer': 'NNNN' },
};

const actorFor = (row: Row): Actor => ({
  userId: 'u-me',
  partyId: 'p-mine',
  role: row === 'signatory viewer' ? 'viewer' : row,
  signatory: row === 'signatory viewer',
});
const COLUMNS = [
  { status: 'draft', own: true },
  { status: 'draft', own: false },
  { status: 'locked', own: true },
  { status: 'locked', own: false },
] as const;

describe('policy table', () => {
  it('covers every action', () => {
    expect(Object.keys(TABLE).sort()).toEqual([...ACTIONS].sort());
  });

  for (const action of ACTIONS) {
    for (const row of ROWS) {
      it(`${action} · ${row}`, () => {
        const actor = actorFor(row);
        const got = COLUMNS.map(({ status, own }) =>
          can(actor, action, { status }, own ? { partyId: 'p-mine', userId: 'u-me' } : { partyId: 'p-other', userId: 'u-other' }) ? 'Y' : 'N',
        ).join('');
        expect(got).toBe(TABLE[action][row]);
      });
    }
  }

  it('non-members may do nothing, and are told "not found" (no existence leak)', () => {
    for (const action of ACTIONS) for (const status of ['draft', 'locked'] as const) expect(can(null, action, { status })).toBe(false);
    expect(() => authorize(null, 'agreement.read', { status: 'draft' })).toThrow(expect.objectContaining({ kind: 'not-found' }));
  });

  it('a refusal says whether the role or the lock is in the way', () => {
    const refusal = (fn: () => void) => {
      try {
        fn();
      } catch (err) {
        return err instanceof DomainError ? [err.kind, err.code] : ['other'];
      }
      return ['allowed'];
    };
    expect(refusal(() => authorize(actorFor('viewer'), 'document.edit', { status: 'draft' }))).toEqual(['forbidden', 'forbidden']);
    expect(refusal(() => authorize(actorFor('editor'), 'document.edit', { status: 'locked' }))).toEqual(['conflict', 'agreement-locked']);
    expect(refusal(() => authorize(actorFor('editor'), 'agreement.unlock', { status: 'draft' }))).toEqual(['conflict', 'agreement-not-locked']);
    expect(refusal(() => authorize(actorFor('editor'), 'member.manage', { status: 'draft' }, { partyId: 'p-other' }))).toEqual(['forbidden', 'forbidden']);
    expect(refusal(() => authorize(actorFor('editor'), 'measurement.record', { status: 'locked' }, { partyId: 'p-other' }))).toEqual(['forbidden', 'not-responsible-party']);
    expect(refusal(() => authorize(actorFor('editor'), 'measurement.confirm', { status: 'locked' }, { partyId: 'p-mine' }))).toEqual(['forbidden', 'own-measurement']);
  });

  it('abilities() answers every action for the actor’s own party (the API’s `policies`)', () => {
    const a = abilities(actorFor('editor'), { status: 'locked' });
    expect(Object.keys(a).sort()).toEqual([...ACTIONS].sort());
    expect(a['document.edit']).toBe(false);
    expect(a['agreement.unlock']).toBe(true);
    expect(a['member.manage']).toBe(true);
  });
});
