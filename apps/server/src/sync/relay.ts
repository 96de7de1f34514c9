/**
 * Messages between server processes about one agreement (transport: redis-relay.ts).
 * Without REDIS_URL the NoRelay below is used: one process, nothing to relay.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

export type RelayMessage =
  /** an update that entered the cluster at the sender; the sender persists it */
  | { type: 'update'; seq: number; update: Uint8Array }
  | { type: 'awareness'; update: Uint8Array }
  | { type: 'membership'; userId: string }
  | { type: 'lock'; locked: boolean }
  /** "I just loaded this document; send me what I am missing" */
  | { type: 'state-request'; stateVector: Uint8Array }
  | { type: 'state-response'; update: Uint8Array }
  /** the sender persisted all its updates up to seq */
  | { type: 'persisted'; seq: number };

export interface RelayHandlers {
  processId: string;
  onMessage(agreementId: string, msg: RelayMessage & { from: string }): void;
  /** The transport reconnected after an outage (messages may have been lost). */
  onReconnect(): void;
}

export interface Relay {
  subscribe(agreementId: string): Promise<void>;
  unsubscribe(agreementId: string): Promise<void>;
  publish(agreementId: string, msg: RelayMessage): void;
  /** Publish and resolve once Redis took it; rejects when it could not (locks and membership: the outbox retries). */
  publishConfirmed?(agreementId: string, msg: RelayMessage): Promise<void>;
  status(): 'up' | 'down' | 'disabled';
  close(): Promise<void>;
}

export class NoRelay implements Relay {
  async subscribe(): Promise<void> {}
  async unsubscribe(): Promise<void> {}
  publish(): void {}
  status(): 'disabled' {
    return 'disabled';
  }
  async close(): Promise<void> {}
}

const TYPES = ['update', 'awareness', 'membership', 'lock', 'state-request', 'state-response', 'persisted'] as const;

export function encodeRelayMessage(from: string, msg: RelayMessage): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, TYPES.indexOf(msg.type));
  encoding.writeVarString(e, from);
  switch (msg.type) {
    case 'update':
      encoding.writeVarUint(e, msg.seq);
      encoding.writeVarUint8Array(e, msg.update);
      break;
    case 'awareness':
    case 'state-response':
      encoding.writeVarUint8Array(e, msg.update);
      break;
    case 'membership':
      encoding.writeVarString(e, msg.userId);
      break;
    case 'lock':
      encoding.writeVarUint(e, msg.locked ? 1 : 0);
      break;
    case 'state-request':
      encoding.writeVarUint8Array(e, msg.stateVector);
      break;
    case 'persisted':
      encoding.writeVarUint(e, msg.seq);
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
      return { type, from, seq: decoding.readVarUint(d), update: decoding.readVarUint8Array(d).slice() };
    case 'awareness':
    case 'state-response':
      return { type, from, update: decoding.readVarUint8Array(d).slice() };
    case 'membership':
      return { type, from, userId: decoding.readVarString(d) };
    case 'lock':
      return { type, from, locked: decoding.readVarUint(d) === 1 };
    case 'state-request':
      return { type, from, stateVector: decoding.readVarUint8Array(d).slice() };
    case 'persisted':
      return { type, from, seq: decoding.readVarUint(d) };
    default:
      throw new Error('unknown relay message type');
  }
}
