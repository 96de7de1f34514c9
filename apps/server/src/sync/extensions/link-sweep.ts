/**
 * Documents written before the link rule may hold links it refuses (javascript:, file:, UNC …). Left in
 * place, the editor re-sends them with any edit that touches the link and the sync check refuses that
 * update, so the user could never save there again. A draft is cleaned as a server change on load
 * (persisted and relayed like any other); a locked final version is left as signed (its hash covers it;
 * the exporters never write such a link).
 */
import { removeUnsafeLinks } from '@overens/model';
import type { Extension, LoadContext } from '../core/extension.ts';
import type { Logger } from '../logger.ts';
import { serverOrigin } from '../origin.ts';

/** Origin of the on-load removal of links the link rule refuses. */
const LINK_SWEEP_ORIGIN = serverOrigin('reconcile');

export class LinkSweepExtension implements Extension {
  readonly name = 'link-sweep';
  /** after the document is complete (database + stream), before the app's extensions see it */
  readonly priority = 800;

  constructor(private readonly logger: Logger) {}

  onLoad({ agreementId, document }: LoadContext): void {
    if (document.locked) return;
    let removed = 0;
    document.change((doc) => {
      removed = removeUnsafeLinks(doc);
    }, LINK_SWEEP_ORIGIN);
    if (removed > 0) this.logger.info({ agreementId, removed }, 'sync: removed links the link rule refuses from a stored document');
  }
}
