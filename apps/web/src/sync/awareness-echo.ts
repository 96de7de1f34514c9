/**
 * y-websocket's provider sends every awareness 'update' to the server, including the ones it has just
 * applied from the server (its handler ignores the origin): each caret move of one person came back to
 * the server from every other open browser (N−1 messages per keystroke that the server then dropped
 * as echoes). The provider stays unmodified; its listener is wrapped so that only this browser's own
 * awareness changes are sent.
 */
import type { WebsocketProvider } from 'y-websocket';

type UpdateHandler = (change: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) => void;

/** Sends only local awareness changes; returns the undo (call it before `provider.destroy()`). */
export function sendOnlyOwnAwareness(provider: WebsocketProvider): () => void {
  const p = provider as unknown as { _awarenessUpdateHandler: UpdateHandler };
  const send = p._awarenessUpdateHandler;
  if (typeof send !== 'function') return () => {};
  const own: UpdateHandler = (change, origin) => {
    if (origin !== provider) send(change, origin);
  };
  provider.awareness.off('update', send);
  provider.awareness.on('update', own);
  return () => {
    provider.awareness.off('update', own);
    // destroy() removes the original itself.
    provider.awareness.on('update', send);
  };
}
