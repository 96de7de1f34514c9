/**
 * A section editor's caret plugin hears only the carets of its own section (issue 15 item 7: every caret
 * move redrew all ~15 editors of the page), and an unchanged cursor is not sent again.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { sectionAwareness } from './section-awareness.ts';

const made: Awareness[] = [];
function awareness(): Awareness {
  const a = new Awareness(new Y.Doc());
  made.push(a);
  return a;
}
afterEach(() => made.splice(0).forEach((a) => a.destroy()));

/** Copies `from`'s local state to `to`, as the provider does over the wire. */
function relay(from: Awareness, to: Awareness): void {
  applyAwarenessUpdate(to, encodeAwarenessUpdate(from, [from.clientID]), 'remote');
}

function listen(view: Awareness): { calls: number } {
  const heard = { calls: 0 };
  view.on('change', () => heard.calls++);
  return heard;
}

const cursor = (n: number) => ({ anchor: { type: null, tname: null, item: { client: 1, clock: n }, assoc: 0 }, head: { type: null, tname: null, item: { client: 1, clock: n }, assoc: 0 } });

describe('sectionAwareness', () => {
  it('tells a section about carets in it, entering it and leaving it, and nothing else', () => {
    const mine = awareness();
    const peer = awareness();
    const a = listen(sectionAwareness(mine, 'A'));
    const b = listen(sectionAwareness(mine, 'B'));
    const peerInA = sectionAwareness(peer, 'A');
    const peerInB = sectionAwareness(peer, 'B');

    peerInA.setLocalStateField('cursor', cursor(1));
    relay(peer, mine);
    expect([a.calls, b.calls]).toEqual([1, 0]);

    peerInA.setLocalStateField('cursor', cursor(2)); // moves within A
    relay(peer, mine);
    expect([a.calls, b.calls]).toEqual([2, 0]);

    peerInB.setLocalStateField('cursor', cursor(3)); // to B: A removes the caret, B draws it
    relay(peer, mine);
    expect([a.calls, b.calls]).toEqual([3, 1]);

    peer.setLocalState(null); // leaves: B removes the caret
    relay(peer, mine);
    expect([a.calls, b.calls]).toEqual([3, 2]);
  });

  it('never redraws a section for the local user (the plugin does not draw the own caret)', () => {
    const mine = awareness();
    const a = listen(sectionAwareness(mine, 'A'));
    const inA = sectionAwareness(mine, 'A');
    inA.setLocalStateField('cursor', cursor(1));
    inA.setLocalStateField('cursor', cursor(2));
    expect(a.calls).toBe(0);
    expect(mine.getLocalState()).toMatchObject({ cursor: cursor(2), sectionId: 'A' });
  });

  it('asks every section when a caret comes without its section (another client)', () => {
    const mine = awareness();
    const peer = awareness();
    const a = listen(sectionAwareness(mine, 'A'));
    const b = listen(sectionAwareness(mine, 'B'));
    peer.setLocalStateField('cursor', cursor(1));
    relay(peer, mine);
    expect([a.calls, b.calls]).toEqual([1, 1]);
  });

  it('knows where carets already are when a section is mounted after them', () => {
    const mine = awareness();
    const peer = awareness();
    sectionAwareness(peer, 'A').setLocalStateField('cursor', cursor(1));
    relay(peer, mine);
    const a = listen(sectionAwareness(mine, 'A'));
    const b = listen(sectionAwareness(mine, 'B'));
    sectionAwareness(peer, 'B').setLocalStateField('cursor', cursor(2));
    relay(peer, mine);
    expect([a.calls, b.calls]).toEqual([1, 1]);
  });

  it('does not send an unchanged cursor or user again', () => {
    const mine = awareness();
    let sent = 0;
    mine.on('update', () => sent++);
    const inA = sectionAwareness(mine, 'A');
    inA.setLocalStateField('user', { name: 'Ada' });
    inA.setLocalStateField('cursor', cursor(1));
    expect(sent).toBe(2);
    inA.setLocalStateField('user', { name: 'Ada' });
    inA.setLocalStateField('cursor', cursor(1));
    expect(sent).toBe(2);
    inA.setLocalStateField('cursor', null);
    expect(sent).toBe(3);
  });
});
