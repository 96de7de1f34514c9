/**
 * y-websocket wire protocol (y-protocols sync + awareness + auth) — strict decoding and
 * encode-once helpers. Everything a client sends goes through decodeClientMessage, which either
 * returns a fully validated message or throws a ProtocolError carrying the close code and reason.
 *
 * Frame = varUint messageType, then:
 *   0 sync:      varUint syncType (0 step1: varUint8Array stateVector | 1 step2 / 2 update: varUint8Array update)
 *   1 awareness: varUint8Array awarenessUpdate (varUint n × [varUint clientID, varUint clock, varString JSON])
 *   2 auth:      server -> client only (permission denied: varUint 0, varString reason)
 *   3 query awareness: no payload
 */
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { isUnsafeLinkFormat, isUnsafeUrlAttribute } from '@overens/model';

export const MESSAGE_SYNC = 0;
export const MESSAGE_AWARENESS = 1;
export const MESSAGE_AUTH = 2;
export const MESSAGE_QUERY_AWARENESS = 3;

export const SYNC_STEP1 = 0;
export const SYNC_STEP2 = 1;
export const SYNC_UPDATE = 2;

/** Close codes. 4400-4499 are permanent for y-websocket 3 clients (no reconnect). */
export const CloseCode = {
  normal: 1000,
  goingAway: 1001,
  /** ws closes with this itself when a frame exceeds maxPayload. */
  messageTooBig: 1009,
  malformed: 4400,
  forbidden: 4403,
  unknownMessageType: 4405,
  documentTooLarge: 4413,
  badUpdate: 4422,
  tooManyConnections: 4429,
  /** Transient (client reconnects): the server could not load the document. */
  unavailable: 4503,
  /** Transient: the socket could not keep up with the document's traffic. */
  slowConsumer: 4508,
} as const;

export class ProtocolError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
  ) {
    super(reason);
    this.name = 'ProtocolError';
  }
}

export interface AwarenessEntry {
  clientID: number;
  clock: number;
  /** Parsed JSON state; null = removed. */
  state: unknown;
}

/**
 * An awareness entry as it arrived: its state still JSON bytes. Most entries clients send are echoes
 * of states the server already has (every client re-sends each awareness change it receives), so
 * the state is decoded only for entries that will be applied (parseAwarenessState).
 */
export interface RawAwarenessEntry {
  clientID: number;
  clock: number;
  stateJson: Uint8Array;
}

export type ClientMessage =
  | { type: 'sync-step1'; stateVector: Uint8Array }
  | { type: 'sync-step2'; update: Uint8Array }
  /** `message` = the whole validated frame, forwarded as-is to the other clients */
  | { type: 'update'; update: Uint8Array; message: Uint8Array; decoded: DecodedUpdate }
  | { type: 'awareness'; update: Uint8Array; entries: RawAwarenessEntry[] }
  | { type: 'query-awareness' };

/** Bounds-checked reader over an exactly-sized copy of the frame. */
class Reader {
  pos = 0;
  constructor(readonly arr: Uint8Array) {}
  varUint(what: string): number {
    let num = 0;
    let mult = 1;
    const arr = this.arr;
    while (this.pos < arr.length) {
      const r = arr[this.pos++]!;
      num += (r & 0x7f) * mult;
      if (r < 0x80) return num;
      mult *= 128;
      if (num > Number.MAX_SAFE_INTEGER || mult > 2 ** 56) throw new ProtocolError(CloseCode.malformed, `${what}: varint out of range`);
    }
    throw new ProtocolError(CloseCode.malformed, `${what}: truncated varint`);
  }
  bytes(what: string): Uint8Array {
    const len = this.varUint(`${what} length`);
    if (len > this.arr.length - this.pos) throw new ProtocolError(CloseCode.malformed, `${what}: length ${len} exceeds frame`);
    const start = this.pos;
    this.pos += len;
    // an exactly-sized view of the frame's own copy (see decodeClientMessage): decoders further
    // down are bounded by the view's length and can never read past it
    return this.arr.subarray(start, start + len);
  }
  string(what: string): string {
    const b = this.bytes(what);
    try {
      return utf8.decode(b);
    } catch {
      throw new ProtocolError(CloseCode.malformed, `${what}: invalid UTF-8`);
    }
  }
  end(what: string): void {
    if (this.pos !== this.arr.length) throw new ProtocolError(CloseCode.malformed, `${what}: ${this.arr.length - this.pos} trailing bytes`);
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Max awareness entries in one message (a client announces itself; echoes carry all peers). */
const MAX_AWARENESS_ENTRIES = 10_000;

/**
 * Decode a Yjs (v1) update fully and check the invariants every update a real Yjs client produces
 * holds, which Yjs itself assumes when integrating: an item refers only to EARLIER items of its own
 * client (origin, right origin, parent), and no deleted range is empty. Updates breaking them decode
 * fine but make Yjs throw while integrating, possibly only later and on other peers; since updates
 * are relayed before the server integrates them, they are refused here. So are links that fail the
 * link rule (refuseUnsafeLink). Throws ProtocolError(4422).
 */
export type DecodedUpdate = ReturnType<typeof Y.decodeUpdate>;

export function validateUpdate(update: Uint8Array): DecodedUpdate {
  let decoded: DecodedUpdate;
  try {
    decoded = Y.decodeUpdate(update);
  } catch (err) {
    throw new ProtocolError(CloseCode.badUpdate, `undecodable update: ${(err as Error)?.message ?? String(err)}`.slice(0, 120));
  }
  for (const struct of decoded.structs) {
    if (!(struct instanceof Y.Item)) continue;
    const { client, clock } = struct.id;
    if (refersForward(struct.origin, client, clock) || refersForward(struct.rightOrigin, client, clock) || refersForward(struct.parent, client, clock)) {
      throw new ProtocolError(CloseCode.badUpdate, `inconsistent update: item ${client}:${clock} refers to a later item of its own client`);
    }
    refuseUnsafeLink(struct);
  }
  for (const [client, ranges] of decoded.ds.clients) {
    for (const r of ranges) if (!(r.len > 0)) throw new ProtocolError(CloseCode.badUpdate, `inconsistent update: empty deleted range of client ${client}`);
  }
  return decoded;
}

/**
 * The link rule (@overens/model) for content a client sends: a mark (text formatting) or an element
 * attribute carrying an address that fails it (javascript:, file:, data:, UNC paths …) refuses the
 * whole update, before it is relayed or stored. Only formatting items and `href`/`src` entries are
 * looked at; they are rare in keystrokes, so typing pays one instanceof and one string compare per item.
 */
function refuseUnsafeLink(item: Y.Item): void {
  const content = item.content;
  if (content instanceof Y.ContentFormat) {
    if (isUnsafeLinkFormat(content.key, content.value)) {
      // the key is the client's: only a short ASCII rendering goes into the (123-byte) close reason
      const mark = content.key.replace(/[^A-Za-z0-9-]/g, '?').slice(0, 24);
      throw new ProtocolError(CloseCode.badUpdate, `refused link: mark "${mark}" links to an address other than http(s) or mailto`);
    }
  } else if ((item.parentSub === 'href' || item.parentSub === 'src') && content instanceof Y.ContentAny) {
    for (const value of content.arr) {
      if (isUnsafeUrlAttribute(item.parentSub, value)) {
        throw new ProtocolError(CloseCode.badUpdate, `refused link: attribute "${item.parentSub}" holds an address other than http(s) or mailto`);
      }
    }
  }
}

function refersForward(ref: unknown, client: number, clock: number): boolean {
  if (ref === null || typeof ref !== 'object' || !('client' in ref) || !('clock' in ref)) return false;
  const id = ref as { client: number; clock: number };
  return id.client === client && id.clock >= clock;
}

/** Decode an awareness update fully (states parsed). */
export function decodeAwarenessUpdate(update: Uint8Array): AwarenessEntry[] {
  return decodeAwarenessEntries(update).map((e) => ({ clientID: e.clientID, clock: e.clock, state: parseAwarenessState(e) }));
}

/** Decode an awareness update's structure (counts, ids, clocks, lengths); states stay JSON bytes. */
export function decodeAwarenessEntries(update: Uint8Array): RawAwarenessEntry[] {
  const r = new Reader(update);
  const n = r.varUint('awareness count');
  if (n > MAX_AWARENESS_ENTRIES) throw new ProtocolError(CloseCode.malformed, `awareness: ${n} entries`);
  const entries: RawAwarenessEntry[] = [];
  for (let i = 0; i < n; i++) {
    const clientID = r.varUint('awareness clientID');
    const clock = r.varUint('awareness clock');
    if (clientID > 0xffffffff) throw new ProtocolError(CloseCode.malformed, 'awareness: clientID out of range');
    entries.push({ clientID, clock, stateJson: r.bytes('awareness state') });
  }
  r.end('awareness');
  return entries;
}

/** The entry's state; ProtocolError(4400) when it is not UTF-8 JSON. */
export function parseAwarenessState(entry: RawAwarenessEntry): unknown {
  let json: string;
  try {
    json = utf8.decode(entry.stateJson);
  } catch {
    throw new ProtocolError(CloseCode.malformed, 'awareness state: invalid UTF-8');
  }
  try {
    return JSON.parse(json);
  } catch {
    throw new ProtocolError(CloseCode.malformed, 'awareness: state is not JSON');
  }
}

const JSON_NULL = [0x6e, 0x75, 0x6c, 0x6c]; // "null"

/** Whether the entry removes its client (state `null`), without decoding it. */
export function isRemoval(entry: RawAwarenessEntry): boolean {
  const b = entry.stateJson;
  return b.length === 4 && b[0] === JSON_NULL[0] && b[1] === JSON_NULL[1] && b[2] === JSON_NULL[2] && b[3] === JSON_NULL[3];
}

/**
 * Decode one client frame. `frame` may be a view into a larger buffer (ws hands out slices of
 * socket chunks): it is copied first so that no decoder can read beyond it.
 */
export function decodeClientMessage(frame: Uint8Array): ClientMessage {
  const copy = new Uint8Array(frame.byteLength);
  copy.set(frame);
  const r = new Reader(copy);
  if (copy.length === 0) throw new ProtocolError(CloseCode.malformed, 'empty frame');
  const type = r.varUint('message type');
  switch (type) {
    case MESSAGE_SYNC: {
      const syncType = r.varUint('sync type');
      if (syncType === SYNC_STEP1) {
        const stateVector = r.bytes('state vector');
        r.end('sync step 1');
        try {
          Y.decodeStateVector(stateVector);
        } catch {
          throw new ProtocolError(CloseCode.malformed, 'sync step 1: undecodable state vector');
        }
        return { type: 'sync-step1', stateVector };
      }
      if (syncType === SYNC_STEP2 || syncType === SYNC_UPDATE) {
        const update = r.bytes('update');
        r.end('sync update');
        const decoded = validateUpdate(update);
        return syncType === SYNC_STEP2 ? { type: 'sync-step2', update } : { type: 'update', update, message: copy, decoded };
      }
      throw new ProtocolError(CloseCode.unknownMessageType, `unknown sync message type ${syncType}`);
    }
    case MESSAGE_AWARENESS: {
      const update = r.bytes('awareness update');
      r.end('awareness');
      return { type: 'awareness', update, entries: decodeAwarenessEntries(update) };
    }
    case MESSAGE_QUERY_AWARENESS:
      r.end('query awareness');
      return { type: 'query-awareness' };
    default:
      throw new ProtocolError(CloseCode.unknownMessageType, `unknown message type ${type}`);
  }
}

/* ----- encoders (each message is encoded once and the same buffer goes to every socket) ----- */

export function encodeSyncStep1(stateVector: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MESSAGE_SYNC);
  encoding.writeVarUint(e, SYNC_STEP1);
  encoding.writeVarUint8Array(e, stateVector);
  return encoding.toUint8Array(e);
}

export function encodeSyncStep2(update: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MESSAGE_SYNC);
  encoding.writeVarUint(e, SYNC_STEP2);
  encoding.writeVarUint8Array(e, update);
  return encoding.toUint8Array(e);
}

export function encodeUpdate(update: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MESSAGE_SYNC);
  encoding.writeVarUint(e, SYNC_UPDATE);
  encoding.writeVarUint8Array(e, update);
  return encoding.toUint8Array(e);
}

export function encodeAwareness(awarenessUpdate: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MESSAGE_AWARENESS);
  encoding.writeVarUint8Array(e, awarenessUpdate);
  return encoding.toUint8Array(e);
}

export function encodeAwarenessEntries(entries: AwarenessEntry[]): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, entries.length);
  for (const entry of entries) {
    encoding.writeVarUint(e, entry.clientID);
    encoding.writeVarUint(e, entry.clock);
    encoding.writeVarString(e, JSON.stringify(entry.state ?? null));
  }
  return encoding.toUint8Array(e);
}

export function encodeQueryAwareness(): Uint8Array {
  return Uint8Array.of(MESSAGE_QUERY_AWARENESS);
}

/** Permission-denied auth message: the unmodified provider logs it with console.warn. */
export function encodePermissionDenied(reason: string): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MESSAGE_AUTH);
  encoding.writeVarUint(e, 0);
  encoding.writeVarString(e, reason);
  return encoding.toUint8Array(e);
}

/**
 * A complete unmasked binary websocket frame (server -> client) for `payload`, built once so that
 * fan-out writes the same bytes to every socket without re-framing.
 */
export function frameBinary(payload: Uint8Array): Buffer {
  const len = payload.length;
  let header: Buffer;
  if (len < 126) {
    header = Buffer.allocUnsafe(2);
    header[1] = len;
  } else if (len < 65536) {
    header = Buffer.allocUnsafe(4);
    header[1] = 126;
    header.writeUInt16BE(len, 2);
  } else {
    header = Buffer.allocUnsafe(10);
    header[1] = 127;
    header.writeUInt32BE(0, 2);
    header.writeUInt32BE(len, 6);
  }
  header[0] = 0x82; // FIN + binary
  const frame = Buffer.allocUnsafe(header.length + len);
  header.copy(frame, 0);
  frame.set(payload, header.length);
  return frame;
}

/* ----- read-only check ----- */

/**
 * True when applying `update` to `doc` would change nothing: every struct is already covered by
 * the doc's state vector and every deleted range is already deleted. Used to accept a read-only
 * client's sync step 2 only when it adds nothing new.
 */
export function updateAddsNothing(doc: Y.Doc, update: Uint8Array): boolean {
  const decoded = Y.decodeUpdate(update);
  for (const struct of decoded.structs) {
    if (struct instanceof Y.Skip) continue;
    const have = Y.getState(doc.store, struct.id.client);
    if (struct.id.clock + struct.length > have) return false;
  }
  if (decoded.ds.clients.size === 0) return true;
  const ds = Y.createDeleteSetFromStructStore(doc.store);
  for (const [client, items] of decoded.ds.clients) {
    const have = ds.clients.get(client);
    for (const item of items) {
      if (item.len === 0) continue;
      if (!have || !rangeCovered(have, item.clock, item.len)) return false;
    }
  }
  return true;
}

function rangeCovered(items: { clock: number; len: number }[], clock: number, len: number): boolean {
  // items are sorted and merged by createDeleteSetFromStructStore
  let lo = 0;
  let hi = items.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const it = items[mid]!;
    if (clock < it.clock) hi = mid - 1;
    else if (clock >= it.clock + it.len) lo = mid + 1;
    else return clock + len <= it.clock + it.len;
  }
  return false;
}
