import { describe, expect, test } from 'vitest';
import { checkLiveness, type Live } from './heartbeat.ts';

function socket(): Live & { pings: number; terminated: boolean } {
  const c = {
    heard: false,
    pinged: false,
    pings: 0,
    terminated: false,
    ws: {
      ping: () => void c.pings++,
      terminate: () => void (c.terminated = true),
    },
  };
  return c;
}

describe('checkLiveness', () => {
  test('a socket heard from since the last check is not pinged', () => {
    const c = socket();
    for (let i = 0; i < 5; i++) {
      c.heard = true; // a message arrived
      checkLiveness(c);
    }
    expect(c.pings).toBe(0);
    expect(c.terminated).toBe(false);
  });

  test('a silent socket is pinged; an answer (pong) keeps it, silence terminates it at the next check', () => {
    const c = socket();
    checkLiveness(c);
    expect(c.pings).toBe(1);
    c.heard = true; // the pong
    checkLiveness(c);
    expect(c.terminated).toBe(false);
    checkLiveness(c); // silent again: pinged again
    expect(c.pings).toBe(2);
    checkLiveness(c); // no answer
    expect(c.terminated).toBe(true);
  });
});
