/**
 * validateUpdate: an update relayed to other clients before the server integrates it must be one
 * that Yjs can integrate, in any order with the rest of the document. Checked against real updates
 * of every kind and thousands of seeded mutations of them.
 */
import { describe, expect, test } from 'vitest';
import * as Y from 'yjs';
import { ProtocolError, validateUpdate } from './protocol.ts';

/** Real updates from three clients editing text (with formatting), maps, nested types, XML and arrays. */
function realUpdates(): { updates: Uint8Array[]; full: Uint8Array } {
  const docs = [1, 2, 3].map((id) => {
    const d = new Y.Doc();
    d.clientID = id;
    return d;
  });
  const updates: Uint8Array[] = [];
  for (const d of docs) d.on('update', (u: Uint8Array, origin: unknown) => origin !== 'sync' && updates.push(u));
  const sync = () => {
    for (const a of docs) for (const b of docs) if (a !== b) Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)), 'sync');
  };
  docs[0]!.getText('text').insert(0, 'hello world');
  docs[1]!.getMap('m').set('a', 1);
  sync();
  docs[2]!.getText('text').delete(2, 3);
  docs[1]!.getText('text').insert(4, 'XY', { bold: true });
  sync();
  docs[0]!.getText('text').format(0, 4, { italic: true });
  docs[2]!.getMap('m').set('n', new Y.Text('nested'));
  sync();
  docs[1]!.getXmlFragment('x').insert(0, [new Y.XmlElement('p')]);
  docs[0]!.getArray('arr').insert(0, [1, 'two', { three: 3 }]);
  sync();
  docs[2]!.getArray('arr').delete(0, 1);
  (docs[1]!.getMap('m').get('n') as Y.Text).insert(0, 'more ');
  sync();
  return { updates, full: Y.encodeStateAsUpdate(docs[0]!) };
}

describe('validateUpdate', () => {
  test('accepts every update real clients produce', () => {
    const { updates, full } = realUpdates();
    for (const u of [...updates, full]) expect(() => validateUpdate(u)).not.toThrow();
  });

  test('refuses garbage with 4422', () => {
    const err = (() => {
      try {
        validateUpdate(Uint8Array.of(1, 1, 200, 1, 0, 9, 9, 9));
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(ProtocolError);
    expect((err as ProtocolError).code).toBe(4422);
  });

  test('whatever it accepts, Yjs integrates in any order with the rest of the document', () => {
    const { updates, full } = realUpdates();
    let seed = 20261129;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    let accepted = 0;
    let refused = 0;
    for (let i = 0; i < 8_000; i++) {
      const m = Uint8Array.from(updates[Math.floor(rand() * updates.length)]!);
      for (let k = 1 + Math.floor(rand() * 3); k > 0; k--) m[Math.floor(rand() * m.length)] = Math.floor(rand() * 256);
      try {
        validateUpdate(m);
      } catch (e) {
        expect(e).toBeInstanceOf(ProtocolError);
        refused++;
        continue;
      }
      accepted++;
      const prefix = updates.slice(0, Math.floor(rand() * updates.length));
      for (const order of [[m, full], [full, m], [...prefix, m, full], [m, ...prefix]]) {
        const doc = new Y.Doc();
        expect(() => {
          for (const u of order) Y.applyUpdate(doc, u);
        }).not.toThrow();
        doc.destroy();
      }
    }
    // the mutations exercise both sides
    expect(accepted).toBeGreaterThan(500);
    expect(refused).toBeGreaterThan(500);
  });
});

describe('validateUpdate and the link rule', () => {
  /** The update a real client sends for `edit`, made on a document that already has a paragraph. */
  const updateOf = (edit: (text: Y.XmlText, frag: Y.XmlFragment) => void): Uint8Array => {
    const doc = new Y.Doc();
    const frag = doc.getXmlFragment('body');
    const p = new Y.XmlElement('paragraph');
    const text = new Y.XmlText();
    p.insert(0, [text]);
    frag.insert(0, [p]);
    text.insert(0, 'Läs mer här', {});
    text.format(4, 3, { link: { href: 'https://kommun.se' } });
    let update: Uint8Array | null = null;
    doc.on('update', (u: Uint8Array) => (update = u));
    edit(text, frag);
    if (!update) throw new Error('the edit changed nothing');
    return update;
  };
  const refusal = (u: Uint8Array) => {
    try {
      validateUpdate(u);
    } catch (e) {
      return e as ProtocolError;
    }
    return null;
  };

  test('refuses a link mark to javascript:, file:, data:, vbscript: or a network path with 4422', () => {
    for (const href of ['javascript:alert(1)', 'file:///C:/x', 'data:text/html,x', 'vbscript:x', '\\\\host\\share', '//host/share']) {
      for (const edit of [
        (t: Y.XmlText) => t.format(0, 4, { link: { href, target: '_blank' } }),
        (t: Y.XmlText) => t.insert(0, 'ny ', { link: { href } }),
        (t: Y.XmlText) => t.insert(0, 'ny ', { 'link--AbCd1234': { href } }),
      ]) {
        const err = refusal(updateOf(edit));
        expect(err, href).toBeInstanceOf(ProtocolError);
        expect(err!.code).toBe(4422);
        expect(err!.reason).toMatch(/^refused link: /);
        expect(Buffer.byteLength(err!.reason)).toBeLessThanOrEqual(123);
      }
    }
  });

  test('refuses an element attribute holding such an address', () => {
    const err = refusal(updateOf((_t, frag) => (frag.get(0) as Y.XmlElement).setAttribute('href', 'javascript:alert(1)')));
    expect(err?.code).toBe(4422);
  });

  test('accepts http(s) and mailto links, removing a link, and other marks', () => {
    for (const edit of [
      (t: Y.XmlText) => t.format(0, 4, { link: { href: 'https://kommun.se', target: '_blank', rel: 'noopener noreferrer nofollow' } }),
      (t: Y.XmlText) => t.insert(0, 'ny ', { link: { href: 'mailto:anna@kommun.se' } }),
      (t: Y.XmlText) => t.format(0, 8, { link: null }),
      (t: Y.XmlText) => t.format(0, 4, { bold: {} }),
      (t: Y.XmlText) => t.insert(2, 'x'),
    ]) {
      expect(refusal(updateOf(edit))).toBeNull();
    }
  });
});

