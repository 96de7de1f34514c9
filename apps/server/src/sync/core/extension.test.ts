import { describe, expect, test } from 'vitest';
import * as Y from 'yjs';
import { silentLogger } from '../logger.ts';
import type { ClientOrigin } from '../origin.ts';
import { type Extension, ExtensionChain } from './extension.ts';

const origin: ClientOrigin = { kind: 'client', userId: 'u', connection: {} };
const ctx = { agreementId: 'a', update: new Uint8Array([1]), origin, role: 'editor' as const, mode: 'edit' as const, userId: 'u', partyId: 'p', doc: new Y.Doc(), isSyncStep2: false };

describe('ExtensionChain', () => {
  test('runs hooks by priority (higher first, ties in the order given); the first refusal wins; a throwing hook is skipped', async () => {
    const calls: string[] = [];
    const ext = (name: string, priority: number | undefined, refuse = false, throws = false): Extension => ({
      name,
      priority,
      onLoad: () => void calls.push(`${name}:load`),
      beforeUpdate: () => {
        calls.push(`${name}:before`);
        if (throws) throw new Error('boom');
        return refuse ? { code: 4403, reason: `${name} says no` } : undefined;
      },
      onChange: () => {
        calls.push(`${name}:change`);
        if (throws) throw new Error('boom');
      },
    });
    const chain = new ExtensionChain([ext('default', undefined), ext('low', 1), ext('thrower', 500, false, true), ext('high', 300, true), ext('alsoDefault', 100)], silentLogger);
    expect(chain.names).toEqual(['thrower', 'high', 'default', 'alsoDefault', 'low']);
    expect(chain.beforeUpdate(ctx)).toEqual({ code: 4403, reason: 'high says no' });
    expect(calls).toEqual(['thrower:before', 'high:before']);
    calls.length = 0;
    chain.onChange({ agreementId: 'a', update: ctx.update, origin });
    expect(calls).toEqual(['thrower:change', 'high:change', 'default:change', 'alsoDefault:change', 'low:change']);
    calls.length = 0;
    await chain.onLoad({ agreementId: 'a', doc: new Y.Doc() });
    expect(calls).toEqual(['thrower:load', 'high:load', 'default:load', 'alsoDefault:load', 'low:load']);
  });

  test('no extensions: nothing is refused', () => {
    expect(new ExtensionChain([], silentLogger).beforeUpdate(ctx)).toBeNull();
  });

  test('a suggest-mode update is refused unless an extension validates suggest mode (fail closed)', () => {
    const suggest = { ...ctx, mode: 'suggest' as const, role: 'commenter' as const };
    expect(new ExtensionChain([{ name: 'other', beforeUpdate: () => undefined }], silentLogger).beforeUpdate(suggest)).toMatchObject({ code: 4403 });
    expect(new ExtensionChain([{ name: 'checker', validatesSuggestMode: true, beforeUpdate: () => undefined }], silentLogger).beforeUpdate(suggest)).toBeNull();
  });

  test('onAuthenticate: the first refusal wins, read-only from any extension, a throwing hook refuses (fail closed); onAwareness refuses; onStore runs all', async () => {
    const actx = { agreementId: 'a', userId: 'u', name: 'n', role: 'editor' as const, partyId: 'p', request: {} as never };
    const stored: string[] = [];
    const reader: Extension = { name: 'reader', priority: 200, onAuthenticate: () => ({ readOnly: true }), onStore: () => void stored.push('reader') };
    const nobody: Extension = { name: 'nobody', onAuthenticate: async () => ({ refuse: { status: 403, detail: 'no' } }), onStore: () => void stored.push('nobody') };
    expect(await new ExtensionChain([reader], silentLogger).onAuthenticate(actx)).toEqual({ refuse: null, readOnly: true });
    expect(await new ExtensionChain([], silentLogger).onAuthenticate(actx)).toEqual({ refuse: null, readOnly: false });
    expect((await new ExtensionChain([reader, nobody], silentLogger).onAuthenticate(actx)).refuse).toEqual({ status: 403, detail: 'no' });
    const thrower: Extension = { name: 't', onAuthenticate: () => { throw new Error('db down'); }, onAwareness: () => { throw new Error('x'); } };
    expect((await new ExtensionChain([thrower], silentLogger).onAuthenticate(actx)).refuse?.status).toBe(503);
    const picky: Extension = { name: 'picky', onAwareness: ({ entries }) => (entries.length > 1 ? { code: 4403, reason: 'one at a time' } : undefined) };
    const chain = new ExtensionChain([thrower, picky], silentLogger);
    const entry = { clientID: 1, clock: 1, state: null };
    expect(chain.onAwareness({ agreementId: 'a', origin, entries: [entry] })).toBeNull();
    expect(chain.onAwareness({ agreementId: 'a', origin, entries: [entry, entry] })).toEqual({ code: 4403, reason: 'one at a time' });
    new ExtensionChain([nobody, reader], silentLogger).onStore({ agreementId: 'a', seq: 1 });
    expect(stored).toEqual(['reader', 'nobody']);
  });
});
