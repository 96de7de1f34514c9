import type { Server as HttpServer } from 'node:http';
import type * as Y from 'yjs';
import type { OriginInput, SyncOrigin } from './origin.ts';

/** Persistence state of one agreement's document as seen by this process. */
export type SaveState = 'saved' | 'saving' | 'unsaved';

export interface SyncStatus {
  db: 'up' | 'down';
  /** 'disabled' when REDIS_URL is not set (single process). */
  redis: 'up' | 'down' | 'disabled';
  /** Bytes of Yjs updates held in memory that are not yet in the database. */
  pendingBytes: number;
  /** Documents loaded in this process. */
  documents: number;
  connections: number;
}

export interface DocumentSyncStatus {
  agreementId: string;
  state: SaveState;
  loaded: boolean;
  locked: boolean;
  pendingBytes: number;
  /** ISO time of the last successful flush by this process, if any. */
  lastSavedAt: string | null;
}

export type DocumentChangedListener = (agreementId: string, update: Uint8Array, origin: SyncOrigin) => void;

/**
 * The sync engine as the rest of the server sees it (created by createSyncHub in ./index.ts).
 */
export interface SyncHub {
  /**
   * Apply a server-side change (e.g. add a party on invitation acceptance, restore a version).
   * Loads the document if needed; the change reaches clients, peers (Redis) and persistence.
   */
  withDocument(agreementId: string, fn: (doc: Y.Doc) => void, origin?: OriginInput | unknown): Promise<void>;
  /** Current live state (database + in flight). The returned Y.Doc is a copy: mutating it does nothing. */
  getDocumentState(agreementId: string): Promise<Y.Doc>;
  /** Re-check live sockets of this user on this agreement (close removed, make demoted read-only), in all processes. */
  membershipChanged(agreementId: string, userId: string): Promise<void>;
  /** Locked agreements refuse document updates from everyone (in all processes). */
  setLocked(agreementId: string, locked: boolean): Promise<void>;
  /** Called for every change applied to a document in this process (clients, withDocument, peers). Returns an unsubscribe. */
  onDocumentChanged(listener: DocumentChangedListener): () => void;
  /** Attach the websocket endpoint (`/sync/:agreementId`) to the HTTP server's 'upgrade' event. */
  attach(httpServer: HttpServer): void;
  /** Health: db/redis up or down, pending bytes. */
  status(): SyncStatus;
  /** Saved/saving/unsaved for one agreement (GET /api/agreements/:id/sync-status). */
  documentStatus(agreementId: string): DocumentSyncStatus;
  /** Flush everything, close sockets (1001 going away), disconnect Redis. */
  close(): Promise<void>;
}
