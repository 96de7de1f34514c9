import { describe, expect, it } from 'vitest';
import { AwarenessOwnership, FORGED_AWARENESS_REASON, stampUser, type AwarenessOwner } from './awareness-identity.ts';

const conn = (userId: string): AwarenessOwner => ({ userId, awarenessIds: new Set<number>() });

describe('awareness ownership', () => {
  it('refuses another user writing an id a connection owns', () => {
    const o = new AwarenessOwnership<AwarenessOwner>();
    const editor = conn('editor');
    o.authorizeState(editor, 7, undefined);
    expect(() => o.authorizeState(conn('viewer'), 7, undefined)).toThrow(FORGED_AWARENESS_REASON);
    // The same user's other tab may write it.
    expect(() => o.authorizeState(conn('editor'), 7, undefined)).not.toThrow();
  });

  it("keeps an id bound to its user while the user's socket is away, so a reconnect reclaims it", () => {
    const o = new AwarenessOwnership<AwarenessOwner>();
    const before = conn('editor');
    o.authorizeState(before, 7, undefined);
    expect(o.release(before)).toEqual([7]);
    // A network blip: another member tries to take the id before the editor is back…
    expect(() => o.authorizeState(conn('viewer'), 7, undefined)).toThrow(FORGED_AWARENESS_REASON);
    // …and the editor's reconnect (same doc, same clientID) is accepted.
    const after = conn('editor');
    expect(() => o.authorizeState(after, 7, undefined)).not.toThrow();
    expect(after.awarenessIds.has(7)).toBe(true);
  });

  it('stamps the server-known user over whatever the client claimed', () => {
    const stamped = stampUser({ user: { name: 'Kommunchefen', color: '#ff0000', userId: 'x' }, cursor: 1 }, { userId: 'u1', name: 'Anna', partyId: 'p1' });
    expect(stamped).toEqual({ cursor: 1, user: { name: 'Anna', userId: 'u1', partyId: 'p1', color: '#ff0000' } });
  });
});
