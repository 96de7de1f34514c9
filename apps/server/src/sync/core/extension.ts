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
 *                  refusal wins). Synchronous: it runs on the hot path, in arrival order. Updates
 *                  of a suggest-mode socket are refused unless an extension with
 *                  `validatesSuggestMode` checks them (extensions/suggestions.ts, issue #16).
 * - `onChange`     a change entered the document in this process (client or server; peers' changes are
 *                  reported where they entered), with its typed origin
 * - `onAwareness`  a client's awareness entries, after the ownership check and the server's `user`
 *                  stamp (awareness-identity.ts), before they are applied and relayed; return a
 *                  refusal to close the socket (nothing of the message is applied). Synchronous.
 * - `onStore`      the batched flush committed this document's queued updates (`seq`: the flushed
 *                  position; after the transaction, so a hook never delays it)
 * - `onUnload`     the document was unloaded from this process
 *
 * A hook that throws is logged and skipped (beforeUpdate/onAwareness: the message goes on;
 * onAuthenticate: refused); it never takes the engine down.
 */
import type { IncomingMessage } from 'node:http';
import type * as Y from 'yjs';
import type { ConnectionMode, Role } from '../connection.ts';
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
  /** the socket's mode: 'suggest' updates are refused unless an extension validates them */
  mode: ConnectionMode;
  userId: string;
  partyId: string;
  /** the document before the update (reading it integrates what the room holds back: only when needed) */
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
  /** This extension's beforeUpdate checks suggest-mode updates (issue #16); without one they are refused. */
  readonly validatesSuggestMode?: boolean;
  /** higher runs first; default 100 */
  readonly priority?: number;
  onAuthenticate?(ctx: AuthenticateContext): AuthenticateResult | Promise<AuthenticateResult>;
  onLoad?(ctx: { agreementId: string; doc: Y.Doc }): void | Promise<void>;
  beforeUpdate?(ctx: BeforeUpdateContext): Refusal | void;
  onChange?(ctx: { agreementId: string; update: Uint8Array; origin: SyncOrigin }): void;
  onAwareness?(ctx: AwarenessContext): Refusal | void;
  onStore?(ctx: StoreContext): void;
  onUnload?(ctx: { agreementId: string }): void | Promise<void>;
}

export class ExtensionChain {
  private readonly list: Extension[];
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
  }

  private get validatesSuggestMode(): boolean {
    return this.refusers.some((e) => e.validatesSuggestMode);
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
    // Fail closed: nothing would check that a suggest-only socket changes only suggestions.
    if (ctx.mode === 'suggest' && !this.validatesSuggestMode) return { code: 4403, reason: 'suggestions are not accepted on this server' };
    for (const e of this.refusers) {
      try {
        const r = e.beforeUpdate!(ctx);
        if (r) return r;
      } catch (err) {
        this.logger.error({ extension: e.name, agreementId: ctx.agreementId, err: String(err) }, 'sync: extension beforeUpdate threw; ignored');
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
