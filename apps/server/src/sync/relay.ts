/**
 * The cluster channel: messages between server processes about one agreement (transport:
 * redis-stream.ts, one Redis Stream per agreement). Without REDIS_URL the NoRelay below is used:
 * one process, nothing to relay, nothing of the channel runs.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

export type RelayMessage =
  /** an update that entered the cluster at the sender (persisted by the agreement's lease holder) */
  | { type: 'update'; update: Uint8Array }
  | { type: 'awareness'; update: Uint8Array }
  | { type: 'membership'; userId: string }
  | { type: 'lock'; locked: boolean }
  /** the sender's whole state after it could not publish (Redis outage): applied, never persisted (the sender did) */
  | { type: 'state'; update: Uint8Array };

export interface RelayHandlers {
  processId: string;
  /** A message from another process (entries this process wrote itself are not handed back). */
  onMessage(agreementId: string, msg: RelayMessage & { from: string }): void;
  /**
   * An update this process must persist: it holds the agreement's persistence lease. `token` goes
   * back to `Relay.persisted` once the update is in the database (then the stream is trimmed).
   */
  onPersist(agreementId: string, update: Uint8Array, token: number): void;
  /** The channel is reachable again after an outage (messages may have been missed). */
  onReconnect(): void;
}

export interface Relay {
  /**
   * Follow the agreement's stream: catch up on what is in it now (handed to onMessage / onPersist
   * before this resolves), then read on from there. Never waits for an unreachable Redis: without it
   * the stream is read from its start once Redis returns.
   */
  open(agreementId: string): Promise<void>;
  /**
   * Stop following. If this process holds the lease, what is still in the stream after what it
   * read is handed to onPersist first (persist it, then call `release`).
   */
  close(agreementId: string): Promise<void>;
  /** Trim what was persisted and give the lease up (after close and the last flush). */
  release(agreementId: string): Promise<void>;
  /** Resolves once the message is in the stream; rejects when Redis did not take it. */
  publish(agreementId: string, msg: RelayMessage): Promise<void>;
  /** The updates handed to onPersist up to this token are in the database. */
  persisted(agreementId: string, token: number): void;
  /**
   * When the oldest of this process's own updates that the lease holder has not persisted yet
   * entered the channel (ms), or null when all are persisted: 'saved' means in the database,
   * whichever process writes it.
   */
  unsavedSince(agreementId: string): number | null;
  status(): 'up' | 'down' | 'disabled';
  shutdown(): Promise<void>;
}

export class NoRelay implements Relay {
  async open(): Promise<void> {}
  async close(): Promise<void> {}
  async release(): Promise<void> {}
  async publish(): Promise<void> {}
  persisted(): void {}
  unsavedSince(): null {
    return null;
  }
  status(): 'disabled' {
    return 'disabled';
  }
  async shutdown(): Promise<void> {}
}

const TYPES = ['update', 'awareness', 'membership', 'lock', 'state'] as const;

export function encodeRelayMessage(from: string, msg: RelayMessage): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, TYPES.indexOf(msg.type));
  encoding.writeVarString(e, from);
  switch (msg.type) {
    case 'update':
    case 'awareness':
    case 'state':
      encoding.writeVarUint8Array(e, msg.update);
      break;
    case 'membership':
      encoding.writeVarString(e, msg.userId);
      break;
    case 'lock':
      encoding.writeVarUint(e, msg.locked ? 1 : 0);
      break;
  }
  return encoding.toUint8Array(e);
}

export function decodeRelayMessage(buf: Uint8Array): RelayMessage & { from: string } {
  const d = decoding.createDecoder(buf);
  const type = TYPES[decoding.readVarUint(d)];
  const from = decoding.readVarString(d);
  switch (type) {
    case 'update':
    case 'awareness':
    case 'state':
      return { type, from, update: decoding.readVarUint8Array(d).slice() };
    case 'membership':
      return { type, from, userId: decoding.readVarString(d) };
    case 'lock':
      return { type, from, locked: decoding.readVarUint(d) === 1 };
    default:
      throw new Error('unknown relay message type');
  }
}
