/**
 * Extensions of the sync engine, in Hocuspocus' manner: an object with named hooks, run in
 * priority order (higher first; equal priorities in the order given). The hooks wired so far:
 *
 * - `onLoad`       a document was loaded (database + cluster stream) in this process
 * - `beforeUpdate` a client's update, validated, before it is relayed, stored or integrated; return
 *                  a refusal to drop it and close the socket with that code and reason (the first
 *                  refusal wins; suggest-only mode, issue #16, refuses here). Synchronous: it runs on
 *                  the hot path, in arrival order.
 * - `onChange`     a change entered the document in this process (client or server; peers' changes are
 *                  reported where they entered), with its typed origin
 * - `onUnload`     the document was unloaded from this process
 *
 * A hook that throws is logged and skipped (beforeUpdate: the update goes on); it never takes the
 * engine down.
 */
import type * as Y from 'yjs';
import type { Role } from '../connection.ts';
import type { Logger } from '../logger.ts';
import type { ClientOrigin, SyncOrigin } from '../origin.ts';

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
  /** true for a sync step 2 (a client's offline state), false for a live update message */
  isSyncStep2: boolean;
}

export interface Extension {
  readonly name: string;
  /** higher runs first; default 100 */
  readonly priority?: number;
  onLoad?(ctx: { agreementId: string; doc: Y.Doc }): void | Promise<void>;
  beforeUpdate?(ctx: BeforeUpdateContext): Refusal | void;
  onChange?(ctx: { agreementId: string; update: Uint8Array; origin: SyncOrigin }): void;
  onUnload?(ctx: { agreementId: string }): void | Promise<void>;
}

export class ExtensionChain {
  private readonly list: Extension[];
  private readonly refusers: Extension[];
  private readonly changers: Extension[];

  constructor(extensions: readonly Extension[], private readonly logger: Logger) {
    this.list = extensions
      .map((e, i) => ({ e, i }))
      .sort((a, b) => (b.e.priority ?? 100) - (a.e.priority ?? 100) || a.i - b.i)
      .map(({ e }) => e);
    this.refusers = this.list.filter((e) => e.beforeUpdate);
    this.changers = this.list.filter((e) => e.onChange);
  }

  get names(): string[] {
    return this.list.map((e) => e.name);
  }

  beforeUpdate(ctx: BeforeUpdateContext): Refusal | null {
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
