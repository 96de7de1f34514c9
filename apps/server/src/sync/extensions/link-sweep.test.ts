import { describe, expect, test } from 'vitest';
import * as Y from 'yjs';
import { silentLogger } from '../logger.ts';
import { createSyncMetrics } from '../metrics.ts';
import type { SyncOrigin } from '../origin.ts';
import { Room } from '../room.ts';
import { LinkSweepExtension } from './link-sweep.ts';

function roomWithLinks(locked: boolean) {
  const changes: { update: Uint8Array; origin: SyncOrigin }[] = [];
  const room = new Room('a', 1 << 20, {
    onUpdate: (_r, update, origin) => void changes.push({ update, origin }),
    onLocalAwareness: () => {},
    saveState: () => 'saved',
    onIntegrationError: () => {},
  }, createSyncMetrics());
  const src = new Y.Doc();
  src.getText('text').insert(0, 'klicka', { link: { href: 'javascript:alert(1)' } });
  src.getText('text').insert(6, ' och ');
  src.getText('text').insert(11, 'kommunen', { link: { href: 'https://kommun.se' } });
  room.load([Y.encodeStateAsUpdate(src)], () => {});
  room.locked = locked;
  return { room, changes };
}

const links = (doc: Y.Doc) =>
  (doc.getText('text').toDelta() as Array<{ attributes?: { link?: { href: string } } }>).filter((op) => op.attributes?.link).map((op) => op.attributes!.link!.href);

describe('LinkSweepExtension', () => {
  test('a draft loses the links the link rule refuses, as one server change that is persisted and relayed', () => {
    const { room, changes } = roomWithLinks(false);
    new LinkSweepExtension(silentLogger).onLoad({ agreementId: 'a', document: room, doc: room.doc });
    expect(links(room.doc)).toEqual(['https://kommun.se']);
    expect(room.doc.getText('text').toString()).toBe('klicka och kommunen');
    expect(changes).toHaveLength(1);
    expect(changes[0]!.origin).toMatchObject({ kind: 'server', reason: 'reconcile' });
    room.destroy();
  });

  test('a locked final version is left as signed', () => {
    const { room, changes } = roomWithLinks(true);
    new LinkSweepExtension(silentLogger).onLoad({ agreementId: 'a', document: room, doc: room.doc });
    expect(links(room.doc)).toEqual(['javascript:alert(1)', 'https://kommun.se']);
    expect(changes).toHaveLength(0);
    room.destroy();
  });
});
