/**
 * Extensions of the sync engine, in Hocuspocus' manner: an object with named hooks, run in
 * priority order (higher first; equal priorities in the order given). The hooks:
 *
 * - `onAuthenticate` the upgrade of a member's socket, after the session and the membership are known:
 *                  return `{refuse}` (HTTP status before the upgrade; the first refusal wins) or
 *                  `{readOnly: true}` (the socket may read, its updates are dropped with a notice).
 *                  A hook that throws refuses (503): authority fails closed.
 * - `onLoad`       a document was loaded (database + cluster stream) in this process
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
 * - `onStore`      the batched flush committed this document's queued updates (`seq`: the flushed
 *                  position; after the transaction, so a hook never delays it)
 * - `onUnload`     the document was unloaded from this process
 *
 * A hook that throws is logged and skipped (beforeUpdate/onAwareness: the message goes on, except a
 * suggestion validator on a suggest-mode update: refused; onAuthenticate: refused); it never takes
 * the engine down.
 */
import type { IncomingMessage } from 'node:http';
import type * as Y from 'yjs';
import type { Role } from '../connection.ts';
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

export interface StoreContext {
  agreementId: string;
  /** the flushed position of this process's queue for the document (0: nothing of its own) */
  seq: number;
}

export interface Extension {
  readonly name: string;
  /** higher runs first; default 100 */
  readonly priority?: number;
  /**
   * This extension's beforeUpdate checks suggest-mode updates (that they only add or change
   * suggestions). Without one, suggest-mode updates are refused (fail closed).
   */
  readonly validatesSuggestMode?: boolean;
  onAuthenticate?(ctx: AuthenticateContext): AuthenticateResult | Promise<AuthenticateResult>;
  onLoad?(ctx: { agreementId: string; doc: Y.Doc }): void | Promise<void>;
  beforeUpdate?(ctx: BeforeUpdateContext): Refusal | void;
  onChange?(ctx: { agreementId: string; update: Uint8Array; origin: SyncOrigin }): void;
  onAwareness?(ctx: AwarenessContext): Refusal | void;
  onStore?(ctx: StoreContext): void;
  onUnload?(ctx: { agreementId: string }): void | Promise<void>;
}

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

  get hasAwareness(): boolean {
    return this.awareness.length > 0;
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

  onChange(ctx: { agreementId: string; update: Uint8Array; origin: SyncOrigin }): void {
    for (const e of this.changers) {
      try {
        e.onChange!(ctx);
      } catch (err) {
        this.logger.error({ extension: e.name, agreementId: ctx.agreementId, err: String(err) }, 'sync: extension onChange threw');
      }
    }
  }

  async onLoad(ctx: { agreementId: string; doc: Y.Doc }): Promise<void> {
    for (const e of this.list) if (e.onLoad) await this.guard(e, 'onLoad', ctx.agreementId, () => e.onLoad!(ctx));
  }

  async onUnload(ctx: { agreementId: string }): Promise<void> {
    for (const e of this.list) if (e.onUnload) await this.guard(e, 'onUnload', ctx.agreementId, () => e.onUnload!(ctx));
  }

  private async guard(e: Extension, hook: string, agreementId: string, fn: () => void | Promise<void>): Promise<void> {
    try {
      await fn();
    } catch (err) {
      this.logger.error({ extension: e.name, hook, agreementId, err: String(err) }, 'sync: extension hook threw');
    }
  }
}
