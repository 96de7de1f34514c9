import { describe, expect, test } from 'vitest';
import type { Connection } from '../connection.ts';
import { LimitsExtension } from './limits.ts';

const conn = (userId: string) => ({ userId }) as unknown as Connection;
const auth = (agreementId: string, userId: string) => ({ agreementId, userId, name: userId, role: 'editor' as const, partyId: 'p', request: {} as never });

describe('LimitsExtension', () => {
  test('throttles upgrade attempts per IP (token bucket) before anything is looked up', () => {
    const limits = new LimitsExtension({ ipBurst: 2, ipPerSecond: 0.0001, maxConnectionsPerAgreement: 10, maxConnectionsPerUser: 10 });
    const ctx = { request: {} as never, ip: '10.0.0.1' };
    expect(limits.onUpgrade(ctx)).toBeUndefined();
    expect(limits.onUpgrade(ctx)).toBeUndefined();
    expect(limits.onUpgrade(ctx)).toEqual({ status: 429, detail: 'too many connection attempts', result: 'throttled' });
    expect(limits.onUpgrade({ ...ctx, ip: '10.0.0.2' })).toBeUndefined();
  });

  test('caps live sockets per agreement and per user; a closed socket frees its place', () => {
    const limits = new LimitsExtension({ ipBurst: 100, ipPerSecond: 100, maxConnectionsPerAgreement: 2, maxConnectionsPerUser: 1 });
    limits.onConnect({ agreementId: 'a', connection: conn('u1') });
    expect(limits.onAuthenticate(auth('a', 'u1'))).toEqual({ refuse: { status: 429, detail: 'too many connections for this user', result: 'limit_user' } });
    expect(limits.onAuthenticate(auth('a', 'u2'))).toBeUndefined();
    limits.onConnect({ agreementId: 'a', connection: conn('u2') });
    expect(limits.onAuthenticate(auth('a', 'u3'))).toEqual({ refuse: { status: 429, detail: 'too many connections to this agreement', result: 'limit_agreement' } });
    expect(limits.onAuthenticate(auth('b', 'u3'))).toBeUndefined();
    limits.onDisconnect({ agreementId: 'a', connection: conn('u1') });
    expect(limits.onAuthenticate(auth('a', 'u1'))).toBeUndefined();
  });
});
