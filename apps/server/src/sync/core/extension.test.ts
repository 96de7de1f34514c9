import { describe, expect, test } from 'vitest';
import * as Y from 'yjs';
import { silentLogger } from '../logger.ts';
import type { ClientOrigin } from '../origin.ts';
import { type Extension, ExtensionChain } from './extension.ts';

const origin: ClientOrigin = { kind: 'client', userId: 'u', connection: {} };
const ctx = { agreementId: 'a', update: new Uint8Array([1]), origin, role: 'editor' as const, isSyncStep2: false };

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
});
