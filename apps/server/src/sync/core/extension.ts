/**
 * Extensions of the sync engine, in Hocuspocus' manner: an object with named hooks, run in
 * priority order (higher first; equal priorities in the order given). The engine's own jobs are
 * extensions too (sync/extensions/: persistence, cluster channel, limits, link sweep); the app's
 * list is sync/extensions/index.ts. The hooks, in the life of a document:
 *
 * - `onConfigure`  once, when the engine is built: the engine's API (documents, rights, lock,
 *                  save-state push) for extensions that act on their own (timers, the channel)
 * - `onUpgrade`    a websocket upgrade before anything is looked up (IP throttle): return a
 *                  refusal (HTTP status). Synchronous.
 * - `onAuthenticate` the upgrade of a member's socket, after the session and the membership are known:
 *                  return `{refuse}` (HTTP status before the upgrade; the first refusal wins) or
 *                  `{readOnly: true}` (the socket may read, its updates are dropped with a notice).
 *                  A hook that throws refuses (503): authority fails closed.
 * - `onLoadDocument` fill a new document before anyone sees it (database, cluster stream); a hook
 *                  that throws fails the load (the upgrade gets 503, withDocument rejects)
 * - `onLoad`       a document was loaded in this process (it may change it: `change`)
 * - `onConnect` / `onDisconnect` a socket attached to / left a document
 * - `beforeUpdate` a client's update, validated, before it is relayed, stored or integrated; return
 *                  a refusal to drop it and close the socket with that code and reason (the first
 *                  refusal wins). Synchronous: it runs on the hot path, in arrival order. Runs for
 *                  connections in 'edit' and 'suggest' mode (core/write-mode.ts; 'read' drops before).
 *                  Suggest mode fails closed: unless an extension declares `validatesSuggestMode`
 *                  (and checks in beforeUpdate that the update only adds suggestions, issue #16),
 *                  every suggest-mode update that adds something is refused.
 * - `onChange`     a change entered the document in this process (client or server; peers' changes are
 *                  reported where they entered), with its typed origin
 * - `onAwareness`  a client's awareness entries, after the ownership check and the server's `user`
 *                  stamp (awareness-identity.ts), before they are applied and relayed; return a
 *                  refusal to close the socket (nothing of the message is applied). Synchronous.
 * - `onAwarenessChange` awareness applied from a local client (the encoded entries; the channel relays them)
 * - `onStore`      the batched flush committed this document's queued updates (`seq`: the flushed
 *                  position; after the transaction, so a hook never delays it)
 * - `saveState`    this extension's view of whether the document is persisted (the worst view wins)
 * - `shouldUnload` an idle document may go (false: it holds something not yet safe, keep it)
 * - `beforeUnload` make the document safe to drop (flush, stop following the stream); return false
 *                  to keep it loaded (the unload is retried later)
 * - `onUnload`     the document was unloaded from this process
 *
 * A hook that throws is logged and skipped (beforeUpdate/onAwareness: the message goes on, except a
 * suggestion validator on a suggest-mode update: refused; onAuthenticate: refused; beforeUnload:
 * the document stays); it never takes the engine down.
 */
import type { IncomingMessage } from 'node:http';
import type * as Y from 'yjs';
import type { Connection, Role } from '../connection.ts';
import type { SaveState } from '../hub-contract.ts';
import type { SyncMetrics } from '../metrics.ts';
import type { Room } from '../room.ts';
import type { WriteMode } from './write-mode.ts';
import type { Logger } from '../logger.ts';
import type { ClientOrigin, SyncOrigin } from '../origin.ts';
import type { AwarenessEntry } from '../protocol.ts';

export interface Refusal {
  /** websocket close code (4400–4499: the y-websocket provider does not reconnect) */
  code: number;
  reason: string;
}

export interface BeforeUpdateContext {
  agreementId: string;
  update: Uint8Array;
  origin: ClientOrigin;
  role: Role;
  /** 'edit' or 'suggest' (a 'read' connection's updates never get here) */
  mode: Exclude<WriteMode, 'read'>;
  userId: string;
  partyId: string;
  /**
   * The server's copy of the document BEFORE this update. Read-only by contract: a hook must not
   * change it. Reading it integrates what was accepted so far (the hot path stays cheap for hooks
   * that do not read it: it is a getter).
   */
  readonly doc: Y.Doc;
  /** true for a sync step 2 (a client's offline state), false for a live update message */
  isSyncStep2: boolean;
}

/** Refuse a websocket upgrade: the HTTP status and detail written on the raw socket. */
export interface UpgradeRefusal {
  status: number;
  detail: string;
  /** the `result` label of overens_sync_upgrades_total (default 'refused_by_extension') */
  result?: string;
}

export interface UpgradeContext {
  request: IncomingMessage;
  /** the client's address (X-Forwarded-For only with OVERENS_TRUST_PROXY) */
  ip: string;
}

export interface DocumentContext {
  agreementId: string;
}

export interface LoadContext extends DocumentContext {
  /** the document being filled (onLoadDocument) or just loaded (onLoad) */
  document: Room;
  doc: Y.Doc;
}

export interface ConnectContext extends DocumentContext {
  connection: Connection;
}

/** A membership as the sync engine sees it. */
export interface Authorization {
  role: Role;
  partyId: string;
}

/** What the engine offers extensions that act on their own (onConfigure). */
export interface EngineApi {
  readonly processId: string;
  readonly logger: Logger;
  readonly metrics: SyncMetrics;
  /** the document if it is loaded in this process */
  document(agreementId: string): Room | undefined;
  documents(): Iterable<Room>;
  /** the membership now (database), null for a non-member */
  authorize(userId: string, agreementId: string): Promise<Authorization | null>;
  isLocked(agreementId: string): Promise<boolean>;
  /** apply a lock change to the live sockets of this process */
  applyLock(agreementId: string, locked: boolean): void;
  /** re-read one user's membership and apply it to their sockets here (close, demote) */
  recheckMembership(agreementId: string, userId: string): Promise<void>;
  /** apply known memberships to the sockets here (null: removed) */
  applyRights(agreementId: string, rights: ReadonlyMap<string, Authorization | null>): void;
  /** the save state may have changed: push it to the document's sockets if it did */
  saveStateChanged(agreementId: string): void;
  /** run the onStore hooks (the persistence extension after each flush) */
  stored(ctx: StoreContext): void;
}

export interface AuthenticateContext {
  agreementId: string;
  userId: string;
  name: string;
  /** the membership's role and party (the hub refused non-members with 404 already) */
  role: Role;
  partyId: string;
  request: IncomingMessage;
}

export type AuthenticateResult = { refuse: UpgradeRefusal } | { readOnly: true } | void;

/** What the chain decided for an upgrade. */
export interface AuthenticateDecision {
  refuse: UpgradeRefusal | null;
  readOnly: boolean;
}

export interface AwarenessContext {
  agreementId: string;
  origin: ClientOrigin;
  /** validated entries, `user` stamped by the server; `state: null` removes */
  entries: readonly AwarenessEntry[];
}

export interface ChangeContext {
  agreementId: string;
  update: Uint8Array;
  origin: SyncOrigin;
  /**
   * The document it entered (its `keyChanges` say whether map keys may have changed; see
   * core/document-fact.ts). Absent only when something outside the engine calls the hook (tests).
   */
  document?: Room;
}

export interface StoreContext {
  agreementId: string;
  /** the flushed position of this process's queue for the document (0: nothing of its own) */
  seq: number;
}

/** 'coarse' is what the sockets are shown ('saving' only after 2 s: see README), 'exact' the HTTP status. */
export type SaveStateView = 'exact' | 'coarse';

export interface Extension {
  readonly name: string;
  /** higher runs first; default 100 */
  readonly priority?: number;
  /**
   * This extension's beforeUpdate checks suggest-mode updates (that they only add or change
   * suggestions). Without one, suggest-mode updates are refused (fail closed).
   */
  readonly validatesSuggestMode?: boolean;
  onConfigure?(engine: EngineApi): void;
  onUpgrade?(ctx: UpgradeContext): UpgradeRefusal | void;
  onAuthenticate?(ctx: AuthenticateContext): AuthenticateResult | Promise<AuthenticateResult>;
  onLoadDocument?(ctx: LoadContext): void | Promise<void>;
  onLoad?(ctx: LoadContext): void | Promise<void>;
  onConnect?(ctx: ConnectContext): void;
  onDisconnect?(ctx: ConnectContext): void;
  beforeUpdate?(ctx: BeforeUpdateContext): Refusal | void;
  onChange?(ctx: ChangeContext): void;
  onAwareness?(ctx: AwarenessContext): Refusal | void;
  onAwarenessChange?(ctx: { agreementId: string; update: Uint8Array }): void;
  onStore?(ctx: StoreContext): void;
  saveState?(agreementId: string, view: SaveStateView): SaveState;
  shouldUnload?(ctx: DocumentContext): boolean;
  beforeUnload?(ctx: DocumentContext): boolean | void | Promise<boolean | void>;
  onUnload?(ctx: DocumentContext): void | Promise<void>;
  /** The engine closes (first thing in close(), while documents can still be read and changed): stop timers, finish work. */
  onDestroy?(): void | Promise<void>;
}

const SAVE_ORDER: Record<SaveState, number> = { saved: 0, saving: 1, unsaved: 2 };

/** Suggest-mode updates while no extension validates them (4403: the provider does not reconnect into the same refusal). */
export const SUGGEST_MODE_UNCHECKED: Refusal = { code: 4403, reason: 'suggestions cannot be checked on this server; not accepted' };

/** A suggestion validator threw on a suggest-mode update. */
export const SUGGESTION_CHECK_FAILED: Refusal = { code: 4422, reason: 'suggestion could not be checked; not accepted' };

export class ExtensionChain {
  private readonly list: Extension[];
  /** Whether some extension checks suggest-mode updates (else they are refused). */
  readonly validatesSuggestMode: boolean;
  private readonly refusers: Extension[];
  private readonly changers: Extension[];
  private readonly authenticators: Extension[];
  private readonly awareness: Extension[];
  private readonly storers: Extension[];

  constructor(extensions: readonly Extension[], private readonly logger: Logger) {
    this.list = extensions
      .map((e, i) => ({ e, i }))
      .sort((a, b) => (b.e.priority ?? 100) - (a.e.priority ?? 100) || a.i - b.i)
      .map(({ e }) => e);
    this.refusers = this.list.filter((e) => e.beforeUpdate);
    this.changers = this.list.filter((e) => e.onChange);
    this.authenticators = this.list.filter((e) => e.onAuthenticate);
    this.awareness = this.list.filter((e) => e.onAwareness);
    this.storers = this.list.filter((e) => e.onStore);
    this.validatesSuggestMode = this.list.some((e) => e.validatesSuggestMode === true && typeof e.beforeUpdate === 'function');
  }

  /** Whether some extension has a beforeUpdate hook. */
  get hasRefusers(): boolean {
    return this.refusers.length > 0;
  }

  get hasAwareness(): boolean {
    return this.awareness.length > 0;
  }

  /** The extensions in the order their hooks run. */
  get extensions(): readonly Extension[] {
    return this.list;
  }

  onConfigure(engine: EngineApi): void {
    for (const e of this.list) e.onConfigure?.(engine);
  }

  onUpgrade(ctx: UpgradeContext): UpgradeRefusal | null {
    for (const e of this.list) {
      if (!e.onUpgrade) continue;
      try {
        const r = e.onUpgrade(ctx);
        if (r) return r;
      } catch (err) {
        this.logger.error({ extension: e.name, err: String(err) }, 'sync: extension onUpgrade threw; upgrade refused');
        return { status: 503, detail: 'temporarily unavailable', result: 'refused_by_extension' };
      }
    }
    return null;
  }

  /** Fill a new document; throws what a hook throws (the load fails). */
  async onLoadDocument(ctx: LoadContext): Promise<void> {
    for (const e of this.list) if (e.onLoadDocument) await e.onLoadDocument(ctx);
  }

  onConnect(ctx: ConnectContext): void {
    for (const e of this.list) if (e.onConnect) this.guardSync(e, 'onConnect', ctx.agreementId, () => e.onConnect!(ctx));
  }

  onDisconnect(ctx: ConnectContext): void {
    for (const e of this.list) if (e.onDisconnect) this.guardSync(e, 'onDisconnect', ctx.agreementId, () => e.onDisconnect!(ctx));
  }

  onAwarenessChange(ctx: { agreementId: string; update: Uint8Array }): void {
    for (const e of this.list) if (e.onAwarenessChange) this.guardSync(e, 'onAwarenessChange', ctx.agreementId, () => e.onAwarenessChange!(ctx));
  }

  /** The worst of the extensions' views (an extension that throws counts as 'unsaved'). */
  saveState(agreementId: string, view: SaveStateView): SaveState {
    let worst: SaveState = 'saved';
    for (const e of this.list) {
      if (!e.saveState) continue;
      let s: SaveState;
      try {
        s = e.saveState(agreementId, view);
      } catch (err) {
        this.logger.error({ extension: e.name, agreementId, err: String(err) }, 'sync: extension saveState threw');
        s = 'unsaved';
      }
      if (SAVE_ORDER[s] > SAVE_ORDER[worst]) worst = s;
    }
    return worst;
  }

  /** Whether every extension lets the idle document go (one that throws keeps it). */
  shouldUnload(ctx: DocumentContext): boolean {
    for (const e of this.list) {
      if (!e.shouldUnload) continue;
      try {
        if (!e.shouldUnload(ctx)) return false;
      } catch (err) {
        this.logger.error({ extension: e.name, agreementId: ctx.agreementId, err: String(err) }, 'sync: extension shouldUnload threw; document kept');
        return false;
      }
    }
    return true;
  }

  /** Prepare the unload, in order; the first false (or throw) keeps the document and stops the chain. */
  async beforeUnload(ctx: DocumentContext): Promise<boolean> {
    for (const e of this.list) {
      if (!e.beforeUnload) continue;
      try {
        if ((await e.beforeUnload(ctx)) === false) return false;
      } catch (err) {
        this.logger.error({ extension: e.name, agreementId: ctx.agreementId, err: String(err) }, 'sync: extension beforeUnload threw; document kept');
        return false;
      }
    }
    return true;
  }

  async onAuthenticate(ctx: AuthenticateContext): Promise<AuthenticateDecision> {
    let readOnly = false;
    for (const e of this.authenticators) {
      let r: AuthenticateResult;
      try {
        r = await e.onAuthenticate!(ctx);
      } catch (err) {
        this.logger.error({ extension: e.name, agreementId: ctx.agreementId, err: String(err) }, 'sync: extension onAuthenticate threw; upgrade refused');
        return { refuse: { status: 503, detail: 'authorization temporarily unavailable' }, readOnly: true };
      }
      if (!r) continue;
      if ('refuse' in r) return { refuse: r.refuse, readOnly: true };
      if (r.readOnly) readOnly = true;
    }
    return { refuse: null, readOnly };
  }

  onAwareness(ctx: AwarenessContext): Refusal | null {
    for (const e of this.awareness) {
      try {
        const r = e.onAwareness!(ctx);
        if (r) return r;
      } catch (err) {
        this.logger.error({ extension: e.name, agreementId: ctx.agreementId, err: String(err) }, 'sync: extension onAwareness threw; ignored');
      }
    }
    return null;
  }

  onStore(ctx: StoreContext): void {
    for (const e of this.storers) {
      try {
        e.onStore!(ctx);
      } catch (err) {
        this.logger.error({ extension: e.name, agreementId: ctx.agreementId, err: String(err) }, 'sync: extension onStore threw');
      }
    }
  }

  get names(): string[] {
    return this.list.map((e) => e.name);
  }

  beforeUpdate(ctx: BeforeUpdateContext): Refusal | null {
    if (ctx.mode === 'suggest' && !this.validatesSuggestMode) return SUGGEST_MODE_UNCHECKED;
    for (const e of this.refusers) {
      try {
        const r = e.beforeUpdate!(ctx);
        if (r) return r;
      } catch (err) {
        // a suggestion validator that cannot decide refuses: suggest mode fails closed
        const closed = ctx.mode === 'suggest' && e.validatesSuggestMode === true;
        this.logger.error({ extension: e.name, agreementId: ctx.agreementId, err: String(err) }, closed ? 'sync: suggestion check threw; update refused' : 'sync: extension beforeUpdate threw; ignored');
        if (closed) return SUGGESTION_CHECK_FAILED;
      }
    }
    return null;
  }

  onChange(ctx: ChangeContext): void {
    for (const e of this.changers) {
      try {
        e.onChange!(ctx);
      } catch (err) {
        this.logger.error({ extension: e.name, agreementId: ctx.agreementId, err: String(err) }, 'sync: extension onChange threw');
      }
    }
  }

  async onLoad(ctx: LoadContext): Promise<void> {
    for (const e of this.list) if (e.onLoad) await this.guard(e, 'onLoad', ctx.agreementId, () => e.onLoad!(ctx));
  }

  async onUnload(ctx: { agreementId: string }): Promise<void> {
    for (const e of this.list) if (e.onUnload) await this.guard(e, 'onUnload', ctx.agreementId, () => e.onUnload!(ctx));
  }

  /** Every extension's onDestroy, in order; one that throws is logged and the rest still run. */
  async onDestroy(): Promise<void> {
    for (const e of this.list) {
      if (!e.onDestroy) continue;
      try {
        await e.onDestroy();
      } catch (err) {
        this.logger.error({ extension: e.name, err: String(err) }, 'sync: extension onDestroy threw');
      }
    }
  }

  private guardSync(e: Extension, hook: string, agreementId: string, fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.logger.error({ extension: e.name, hook, agreementId, err: String(err) }, 'sync: extension hook threw');
    }
  }

  private async guard(e: Extension, hook: string, agreementId: string, fn: () => void | Promise<void>): Promise<void> {
    try {
      await fn();
    } catch (err) {
      this.logger.error({ extension: e.name, hook, agreementId, err: String(err) }, 'sync: extension hook threw');
    }
  }
}
