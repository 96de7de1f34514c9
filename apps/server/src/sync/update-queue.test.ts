import { describe, expect, test } from 'vitest';
import * as Y from 'yjs';
import { FAN_IN, UpdateQueue } from './update-queue.ts';

function keystrokes(n: number): Uint8Array[] {
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => updates.push(u));
  const t = doc.getText('text');
  for (let i = 0; i < n; i++) t.insert(i % 3 === 0 ? 0 : t.length, String.fromCharCode(97 + (i % 26)));
  t.delete(5, 10);
  return updates;
}

const textOf = (rows: Uint8Array[]) => {
  const d = new Y.Doc();
  for (const r of rows) Y.applyUpdate(d, r);
  return d.getText('text').toString();
};

describe('UpdateQueue', () => {
  test('what it hands out equals every update applied; rows are few and bounded; counts are of the originals', () => {
    const updates = keystrokes(3 * FAN_IN * FAN_IN + 17);
    const q = new UpdateQueue();
    for (const u of updates) q.push(u);
    expect(q.count).toBe(updates.length);
    expect(q.bytes).toBe(updates.reduce((n, u) => n + u.byteLength, 0));
    const rows = q.take();
    expect(q.count).toBe(0);
    // three top-level merges of FAN_IN² updates each, plus one merge of the rest
    expect(rows.length).toBe(4);
    expect(textOf(rows)).toBe(textOf(updates));
  });

  test('rows put back after a failed flush are kept as they are, with the original counts', () => {
    const updates = keystrokes(200);
    const q = new UpdateQueue();
    for (const u of updates.slice(0, 100)) q.push(u);
    const count = q.count;
    const bytes = q.bytes;
    const rows = q.take();
    for (const u of updates.slice(100)) q.push(u);
    q.requeue(rows, bytes, count);
    expect(q.count).toBe(updates.length);
    expect(textOf(q.take())).toBe(textOf(updates));
  });
});
